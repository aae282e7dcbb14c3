/*
 * card.c: a model card's front matter, found the way the Hugging Face Hub
 * finds it and read with libyaml's event API into a struct card.
 *
 * Owns: (1) locating the front matter, by hand over the bytes, with exactly
 * the semantics of huggingface_hub's REGEX_YAML_BLOCK
 *     ^(\s*---[\r\n]+)([\S\s]*?)([\r\n]+---(\r\n|\n|$))
 * applied to the text with CRLF and lone CR folded to LF and a leading UTF-8
 * BOM dropped (find_front_matter() below explains the backtracking it
 * reproduces); (2) streaming the block through yaml_parser_parse() under the
 * caps of card.h; (3) reading the top-level keys docs/verdicts.md names.
 *
 * Guarantees: never fails and never prints; every scalar stays a string;
 * memory and time are bounded by the input size and the CARD_MAX_* caps
 * (nesting is tracked with our own counter, aliases are never expanded, only
 * their expanded size is counted).  It does not read files, map license ids
 * or decide anything: that is rules.c's and verdict.c's job.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>
#include "modelcensus/card.h"
#include "modelcensus/hub_id.h"
#include "modelcensus/banned.h"

/*
 * An anchored scalar longer than this is remembered by size only (an alias
 * to it reads as "not a string"): no license value or model id is that long,
 * and it keeps anchors from doubling the memory a huge scalar costs.
 */
#define ANCHOR_VALUE_MAX 4096
/* Items of an anchored sequence remembered for `license: *list`. */
#define ANCHOR_LIST_MAX 256
/* Buckets of the anchor table (chained; anchors are few in real cards). */
#define ANCHOR_BUCKETS 1024

/* ---- locating the front matter ---------------------------------------- */

/* Length of the line break at text[i] (CRLF, CR or LF), 0 when none. */
static size_t nl_len(const char *t, size_t len, size_t i)
{
	if (i >= len)
		return 0;
	if (t[i] == '\n')
		return 1;
	if (t[i] == '\r')
		return (i + 1 < len && t[i + 1] == '\n') ? 2 : 1;
	return 0;
}

/*
 * Length of the white space character at t[i] in the sense of Python's \s on
 * a str (str.isspace()), 0 when none: ASCII \t\n\v\f\r, space, \x1c-\x1f,
 * and the UTF-8 forms of U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028,
 * U+2029, U+202F, U+205F, U+3000.
 */
static size_t py_space_len(const char *text, size_t len, size_t i)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t left = len - i;

	if (i >= len)
		return 0;
	if (t[i] == ' ' || (t[i] >= 0x09 && t[i] <= 0x0d) ||
	    (t[i] >= 0x1c && t[i] <= 0x1f))
		return 1;
	if (left >= 2 && t[i] == 0xc2 && (t[i + 1] == 0x85 || t[i + 1] == 0xa0))
		return 2;
	if (left >= 3) {
		unsigned a = t[i], b = t[i + 1], c = t[i + 2];

		if (a == 0xe1 && b == 0x9a && c == 0x80)
			return 3;
		if (a == 0xe2 && b == 0x80 &&
		    ((c >= 0x80 && c <= 0x8a) || c == 0xa8 || c == 0xa9 ||
		     c == 0xaf))
			return 3;
		if (a == 0xe2 && b == 0x81 && c == 0x9f)
			return 3;
		if (a == 0xe3 && b == 0x80 && c == 0x80)
			return 3;
	}
	return 0;
}

/*
 * Does a closing "---" start at e, followed by a line break or the end of
 * the text?  Sets *end to the end of the match (after that line break).
 */
static int closes_at(const char *t, size_t len, size_t e, size_t *end)
{
	size_t n;

	if (len - e < 3 || memcmp(t + e, "---", 3))
		return 0;
	if (e + 3 == len) {
		*end = len;
		return 1;
	}
	n = nl_len(t, len, e + 3);
	if (!n)
		return 0;
	*end = e + 3 + n;
	return 1;
}

/*
 * Finds the front matter in t[start..len) the way the Hub's regex does.
 * On a match sets [*yb, *ye) to the YAML block (group 2) and *end to the end
 * of the whole match, and returns 1.
 *
 * The regex, on folded text: \s* is greedy and cannot give back anything
 * useful, so the block opens after the leading white space with "---" and a
 * run of k >= 1 line breaks, all of which group 1 takes first.  The lazy
 * group 2 then stops at the first line break (from the end of that run on)
 * whose run of line breaks is followed by "---" and a line break or the end.
 * Only when there is none anywhere does the engine give back one of group
 * 1's line breaks (possible when k >= 2), which matches an empty block
 * closed by a "---" right after the opening run.  Linear in the text.
 */
static int find_front_matter(const char *t, size_t len, size_t start,
			     size_t *yb, size_t *ye, size_t *end)
{
	size_t i = start, c, k = 0, n;

	while ((n = py_space_len(t, len, i)))
		i += n;
	if (len - i < 3 || memcmp(t + i, "---", 3))
		return 0;
	c = i + 3;
	while ((n = nl_len(t, len, c))) {
		c += n;
		k++;
	}
	if (!k)
		return 0;
	for (i = c; i < len;) {
		size_t e = i;

		if (!nl_len(t, len, i)) {
			i++;
			continue;
		}
		while ((n = nl_len(t, len, e)))
			e += n;
		if (closes_at(t, len, e, end)) {
			*yb = c;
			*ye = i;
			return 1;
		}
		i = e;
	}
	if (k >= 2 && closes_at(t, len, c, end)) {
		*yb = *ye = c;
		return 1;
	}
	return 0;
}

/* Number of line breaks (CRLF, CR, LF each count one) in t[0..end). */
static size_t count_lines(const char *t, size_t end)
{
	size_t lines = 0;

	for (size_t i = 0; i < end;) {
		size_t n = nl_len(t, end, i);

		if (n) {
			lines++;
			i += n;
		} else {
			i++;
		}
	}
	return lines;
}

/* A copy of t[b..e) with CRLF and lone CR folded to LF, NUL-terminated. */
static char *fold_newlines(const char *t, size_t b, size_t e, size_t *outlen)
{
	char *out = xmalloc(e - b + 1);
	size_t o = 0;

	for (size_t i = b; i < e;) {
		size_t n = nl_len(t, e, i);

		if (n) {
			out[o++] = '\n';
			i += n;
		} else {
			out[o++] = t[i++];
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* ---- values ------------------------------------------------------------ */

int card_declares_license(const struct card *c)
{
	for (size_t i = 0; i < c->licenses.n; i++)
		if (strcmp(c->licenses.v[i], "other"))
			return 1;
	return c->license_name || c->license_tags.n;
}

int card_is_placeholder(const char *value)
{
	static const char *const placeholders[] = {
		"", "[more information needed]", "more information needed",
		"license", "unknown", "none", "null", "~", "-", "n/a",
	};
	char *v;
	int hit = 0;

	if (!value)
		return 1;
	v = str_trim(xstrdup(value));
	for (size_t i = 0; i < sizeof(placeholders) / sizeof(*placeholders);
	     i++) {
		if (str_iequal(v, placeholders[i])) {
			hit = 1;
			break;
		}
	}
	free(v);
	return hit;
}

/* Does s start with prefix, ignoring ASCII case?  Returns the rest or NULL. */
static const char *skip_iprefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncasecmp(s, prefix, n))
		return NULL;
	return s + n;
}

char *card_normalize_model_ref(const char *id)
{
	char *hub = hub_id_parse(id);

	return hub ? hub : str_trim(xstrdup(id ? id : ""));
}

void card_declared_values(const struct card *card, struct strlist *out)
{
	for (size_t i = 0; i < card->licenses.n; i++) {
		const char *v = card->licenses.v[i];
		char *name;

		if (strcmp(v, "other")) {
			strlist_add(out, v);
			continue;
		}
		if (!card->license_name)
			continue;	/* `other` without a name says nothing */
		name = str_trim(xstrdup(card->license_name));
		str_lower(name);
		if (card_is_placeholder(name))
			free(name);
		else
			strlist_add_nodup(out, name);
	}
}

void card_release(struct card *card)
{
	if (!card)
		return;
	strlist_clear(&card->licenses);
	free(card->license_name);
	free(card->license_link);
	strlist_clear(&card->license_tags);
	strlist_clear(&card->base_models);
	free(card->base_model_relation);
	free(card->gated);
	free(card->pipeline_tag);
	strlist_clear(&card->datasets);
	free(card->error);
	memset(card, 0, sizeof(*card));
}

/* ---- the keys we read -------------------------------------------------- */

enum field {
	F_NONE,
	F_LICENSE,
	F_LICENSE_NAME,
	F_LICENSE_LINK,
	F_BASE_MODEL,
	F_BASE_MODEL_RELATION,
	F_TAGS,
	F_GATED,
	F_EXTRA_GATED_PROMPT,
	F_EXTRA_GATED_FIELDS,
	F_EXTRA_GATED_OTHER,	/* any other extra_gated_* key */
	F_DATASET,
	F_PIPELINE_TAG,
	F_DATASETS,
	F_COUNT
};

/*
 * Top-level keys, matched ignoring case.  When a card has several keys for
 * one field, the lowest rank wins (an exact-case match beats a case variant
 * of the same spelling); within one rank the last key wins, as in PyYAML.
 * `licenses` is read on purpose although the Hub ignores it: a card that
 * writes `licenses: [cc-by-nc-4.0]` does declare a license.
 */
static const struct key_spec {
	const char *name;
	enum field field;
	int rank;
} key_specs[] = {
	{ "license", F_LICENSE, 0 },
	{ "licence", F_LICENSE, 1 },
	{ "licenses", F_LICENSE, 2 },
	{ "licences", F_LICENSE, 3 },
	{ "license_name", F_LICENSE_NAME, 0 },
	{ "license_link", F_LICENSE_LINK, 0 },
	{ "base_model", F_BASE_MODEL, 0 },
	{ "base_model_relation", F_BASE_MODEL_RELATION, 0 },
	{ "tags", F_TAGS, 0 },
	{ "gated", F_GATED, 0 },
	{ "extra_gated_prompt", F_EXTRA_GATED_PROMPT, 0 },
	{ "extra_gated_fields", F_EXTRA_GATED_FIELDS, 0 },
	{ "dataset_info", F_DATASET, 0 },
	{ "configs", F_DATASET, 0 },
	{ "pipeline_tag", F_PIPELINE_TAG, 0 },
	{ "datasets", F_DATASETS, 0 },
};

/* What a finished node was, as far as the fields care. */
enum kind { K_NULL, K_SCALAR, K_LIST, K_OTHER };

struct value {
	enum kind kind;
	const char *scalar;		/* K_SCALAR */
	const struct strlist *list;	/* K_LIST: its scalar items */
};

struct anchor {
	char *name;
	size_t size;		/* nodes it expands to */
	enum kind kind;
	char *scalar;		/* K_SCALAR, when short enough */
	struct strlist list;	/* K_LIST */
	struct anchor *next;
};

/* An open mapping or sequence. */
struct frame {
	int is_map;
	int expect_key;		/* mappings: the next node is a key */
	int collect;		/* sequences: keep scalar items in list */
	size_t size;		/* nodes so far, aliases counted expanded */
	char *anchor;
	struct strlist list;
};

struct reader {
	struct card *card;
	yaml_parser_t parser;
	int parser_ready;
	size_t first_line;	/* file line of the block's first line */
	const char *yaml;	/* the folded block, for reader errors */
	size_t yaml_len;

	struct frame *frames;	/* CARD_MAX_DEPTH of them */
	size_t depth;
	size_t events;
	size_t alias_nodes;
	int documents;
	int stop;

	struct anchor **anchors;	/* ANCHOR_BUCKETS, NULL until needed */

	/* the top-level key whose value is being read */
	enum field key_field;
	int key_rank;
	int seen_rank[F_COUNT];	/* best rank read so far; 1 << 20 = none */
};

static size_t add_sat(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static void set_error_at(struct reader *r, size_t line0, size_t col0,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Records the first error, at a 0-based line/column of the block. */
static void set_error_at(struct reader *r, size_t line0, size_t col0,
			 const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	r->stop = 1;
	if (r->card->error)
		return;
	strbuf_addf(&sb, "yaml error at line %zu, column %zu: ",
		    r->first_line + line0, col0 + 1);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->card->error = strbuf_detach(&sb);
}

static unsigned long hash_name(const char *s)
{
	return (unsigned long)(hash_bytes(HASH_SEED, s, strlen(s)) %
			       ANCHOR_BUCKETS);
}

static const struct anchor *find_anchor(const struct reader *r, const char *name)
{
	if (!r->anchors)
		return NULL;
	for (const struct anchor *a = r->anchors[hash_name(name)]; a; a = a->next)
		if (!strcmp(a->name, name))
			return a;	/* newest first: a redefinition wins */
	return NULL;
}

/* Remembers an anchored node; takes nothing from the caller. */
static void add_anchor(struct reader *r, const char *name, size_t size,
		       const struct value *v)
{
	struct anchor *a = xcalloc(1, sizeof(*a));
	unsigned long h;

	if (!r->anchors)
		r->anchors = xcalloc(ANCHOR_BUCKETS, sizeof(*r->anchors));
	a->name = xstrdup(name);
	a->size = size;
	a->kind = v->kind;
	if (v->kind == K_SCALAR) {
		if (strlen(v->scalar) <= ANCHOR_VALUE_MAX)
			a->scalar = xstrdup(v->scalar);
		else
			a->kind = K_OTHER;
	} else if (v->kind == K_LIST) {
		for (size_t i = 0; i < v->list->n; i++)
			strlist_add(&a->list, v->list->v[i]);
	}
	h = hash_name(name);
	a->next = r->anchors[h];
	r->anchors[h] = a;
}

static void free_anchors(struct reader *r)
{
	if (!r->anchors)
		return;
	for (size_t i = 0; i < ANCHOR_BUCKETS; i++) {
		struct anchor *a = r->anchors[i];

		while (a) {
			struct anchor *next = a->next;

			free(a->name);
			free(a->scalar);
			strlist_clear(&a->list);
			free(a);
			a = next;
		}
	}
	free(r->anchors);
	r->anchors = NULL;
}

/* A trimmed copy of s, NULL when it is empty. */
static char *trimmed_or_null(const char *s)
{
	char *t = str_trim(xstrdup(s));

	if (*t)
		return t;
	free(t);
	return NULL;
}

/* Calls fn for the value's strings: the scalar, or each list item. */
static void each_string(const struct value *v, struct card *card,
			void (*fn)(struct card *, const char *))
{
	if (v->kind == K_SCALAR)
		fn(card, v->scalar);
	else if (v->kind == K_LIST)
		for (size_t i = 0; i < v->list->n; i++)
			fn(card, v->list->v[i]);
}

static void add_license(struct card *card, const char *s)
{
	char *t = str_trim(xstrdup(s));

	str_lower(t);
	if (card_is_placeholder(t))
		free(t);
	else
		strlist_add_nodup(&card->licenses, t);
}

static void add_base_model(struct card *card, const char *s)
{
	char *t = card_normalize_model_ref(s);

	if (card_is_placeholder(t))
		free(t);
	else
		strlist_add_nodup(&card->base_models, t);
}

static void add_tag(struct card *card, const char *s)
{
	char *t = str_trim(xstrdup(s));
	const char *id = skip_iprefix(t, "license:");
	char *v;

	if (id) {
		v = str_trim(xstrdup(id));
		str_lower(v);
		if (!card_is_placeholder(v))
			strlist_add_unique(&card->license_tags, v);
		free(v);
	}
	free(t);
}

static void add_dataset(struct card *card, const char *s)
{
	char *t = str_trim(xstrdup(s));

	if (*t && !card_is_placeholder(t))
		strlist_add_unique(&card->datasets, t);
	free(t);
}

/* A scalar field: replaced by the new value, NULL unless a string. */
static void set_scalar(char **slot, const struct value *v, int drop_placeholder)
{
	free(*slot);
	*slot = NULL;
	if (v->kind != K_SCALAR)
		return;
	*slot = trimmed_or_null(v->scalar);
	if (*slot && drop_placeholder && card_is_placeholder(*slot)) {
		free(*slot);
		*slot = NULL;
	}
}

/* Is there something in the value (not null, not an empty string)? */
static int has_content(const struct value *v)
{
	if (v->kind == K_NULL)
		return 0;
	if (v->kind == K_SCALAR) {
		char *t = trimmed_or_null(v->scalar);
		int has = t != NULL;

		free(t);
		return has;
	}
	return 1;
}

/* The value of a top-level key we read: store it in the card. */
static void apply_field(struct reader *r, enum field f, const struct value *v)
{
	struct card *card = r->card;

	switch (f) {
	case F_LICENSE:
		strlist_clear(&card->licenses);
		each_string(v, card, add_license);
		break;
	case F_LICENSE_NAME:
		set_scalar(&card->license_name, v, 1);
		break;
	case F_LICENSE_LINK:
		set_scalar(&card->license_link, v, 0);
		break;
	case F_BASE_MODEL:
		strlist_clear(&card->base_models);
		each_string(v, card, add_base_model);
		break;
	case F_BASE_MODEL_RELATION:
		set_scalar(&card->base_model_relation, v, 0);
		break;
	case F_TAGS:
		strlist_clear(&card->license_tags);
		each_string(v, card, add_tag);
		break;
	case F_GATED:
		set_scalar(&card->gated, v, 0);
		break;
	case F_EXTRA_GATED_PROMPT:
		card->has_extra_gated_prompt = has_content(v);
		break;
	case F_EXTRA_GATED_FIELDS:
		card->has_extra_gated_fields = has_content(v);
		break;
	case F_EXTRA_GATED_OTHER:
		/* extra_gated_heading, _button_content, _description...:
		 * the Hub shows a gate for any of them */
		card->has_extra_gated_other |= has_content(v);
		break;
	case F_DATASET:
		card->is_dataset = 1;
		break;
	case F_PIPELINE_TAG:
		set_scalar(&card->pipeline_tag, v, 1);
		break;
	case F_DATASETS:
		strlist_clear(&card->datasets);
		each_string(v, card, add_dataset);
		break;
	case F_NONE:
	case F_COUNT:
		break;
	}
}

/* A top-level key was read: decide whether its value is one we keep. */
static void take_key(struct reader *r, const struct value *v)
{
	r->key_field = F_NONE;
	if (v->kind != K_SCALAR)
		return;
	for (size_t i = 0; i < sizeof(key_specs) / sizeof(*key_specs); i++) {
		const struct key_spec *k = &key_specs[i];
		int rank;

		if (!str_iequal(v->scalar, k->name))
			continue;
		rank = k->rank * 2 + (strcmp(v->scalar, k->name) ? 1 : 0);
		if (k->field != F_DATASET && rank > r->seen_rank[k->field])
			return;	/* a better spelling was already read */
		r->key_field = k->field;
		r->key_rank = rank;
		return;
	}
	if (!strncasecmp(v->scalar, "extra_gated_", 12) && v->scalar[12]) {
		r->key_field = F_EXTRA_GATED_OTHER;
		r->key_rank = 0;
	}
}

/*
 * A node has been read completely (a scalar, an alias, or a collection at
 * its end); size is the number of nodes it expands to.  Hands it to its
 * parent: a key or value of the root mapping, or an item of a sequence.
 */
static void node_done(struct reader *r, size_t size, const struct value *v)
{
	struct frame *parent;

	if (!r->depth)
		return;	/* the root itself */
	parent = &r->frames[r->depth - 1];
	parent->size = add_sat(parent->size, size);
	if (parent->is_map) {
		if (r->depth == 1) {
			if (parent->expect_key) {
				take_key(r, v);
			} else if (r->key_field != F_NONE) {
				if (r->key_field != F_DATASET)
					r->seen_rank[r->key_field] = r->key_rank;
				apply_field(r, r->key_field, v);
				r->key_field = F_NONE;
			}
		}
		parent->expect_key = !parent->expect_key;
	} else if (parent->collect && v->kind == K_SCALAR) {
		if (parent->list.n < ANCHOR_LIST_MAX)
			strlist_add(&parent->list, v->scalar);
	}
}

/* Is this scalar event a YAML 1.1 null (plain, untagged ``, `~`, `null`)? */
static int is_null_scalar(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    ev->data.scalar.tag)
		return 0;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	       !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static const char *const node_names[] = { "scalar", "sequence", "alias" };

/* The first node of the document: only a mapping (or a null) is a card. */
static int check_root(struct reader *r, const yaml_event_t *ev)
{
	int which;

	if (r->depth)
		return 0;
	if (ev->type == YAML_MAPPING_START_EVENT)
		return 0;
	if (ev->type == YAML_SCALAR_EVENT && is_null_scalar(ev))
		return 0;
	which = ev->type == YAML_SCALAR_EVENT ? 0 :
		ev->type == YAML_SEQUENCE_START_EVENT ? 1 : 2;
	set_error_at(r, ev->start_mark.line, ev->start_mark.column,
		     "front matter is a %s, not a mapping", node_names[which]);
	return -1;
}

static void open_collection(struct reader *r, const yaml_event_t *ev,
			    int is_map)
{
	const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor :
					     ev->data.sequence_start.anchor;
	struct frame *f;

	if (r->depth >= CARD_MAX_DEPTH) {
		set_error_at(r, ev->start_mark.line, ev->start_mark.column,
			     "front matter nests deeper than %d levels",
			     CARD_MAX_DEPTH);
		return;
	}
	f = &r->frames[r->depth++];
	memset(f, 0, sizeof(*f));
	f->is_map = is_map;
	f->expect_key = 1;
	f->size = 1;
	f->anchor = anchor ? xstrdup((const char *)anchor) : NULL;
	/* keep scalar items for a top-level value we read, or for an anchor */
	f->collect = !is_map && (f->anchor ||
				 (r->depth == 2 && r->key_field != F_NONE &&
				  !r->frames[0].expect_key));
}

static void close_collection(struct reader *r)
{
	struct frame *f = &r->frames[r->depth - 1];
	struct value v = { K_OTHER, NULL, NULL };
	size_t size = f->size;

	/* a sequence longer than ANCHOR_LIST_MAX reads as its first items */
	if (!f->is_map && f->collect) {
		v.kind = K_LIST;
		v.list = &f->list;
	}
	if (f->anchor)
		add_anchor(r, f->anchor, size, &v);
	r->depth--;
	node_done(r, size, &v);
	free(f->anchor);
	strlist_clear(&f->list);
}

static void on_alias(struct reader *r, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	const struct anchor *a = find_anchor(r, name);
	struct value v = { K_OTHER, NULL, NULL };

	for (size_t i = 0; !a && i < r->depth; i++) {
		if (r->frames[i].anchor && !strcmp(r->frames[i].anchor, name)) {
			/* recursive: the node is still open; count it as one */
			node_done(r, 1, &v);
			return;
		}
	}
	if (!a) {
		set_error_at(r, ev->start_mark.line, ev->start_mark.column,
			     "found undefined alias '%s'", name);
		return;
	}
	r->alias_nodes = add_sat(r->alias_nodes, a->size);
	if (r->alias_nodes > CARD_MAX_ALIAS_EXPANSION) {
		set_error_at(r, ev->start_mark.line, ev->start_mark.column,
			     "aliases expand to more than %d nodes",
			     CARD_MAX_ALIAS_EXPANSION);
		return;
	}
	v.kind = a->kind;
	if (a->kind == K_SCALAR)
		v.scalar = a->scalar;
	else if (a->kind == K_LIST)
		v.list = &a->list;
	node_done(r, a->size, &v);
}

static void on_scalar(struct reader *r, const yaml_event_t *ev)
{
	struct value v = { K_SCALAR, (const char *)ev->data.scalar.value, NULL };

	if (is_null_scalar(ev))
		v.kind = K_NULL;
	if (ev->data.scalar.anchor)
		add_anchor(r, (const char *)ev->data.scalar.anchor, 1, &v);
	node_done(r, 1, &v);
}

/* Records libyaml's own error, with the line of the file it points at. */
static void set_parser_error(struct reader *r)
{
	const yaml_parser_t *p = &r->parser;
	const char *problem = p->problem ? p->problem : "cannot parse";

	if (p->error == YAML_READER_ERROR) {
		size_t off = p->problem_offset < r->yaml_len ?
				     p->problem_offset : r->yaml_len;
		size_t line = 0, col = 0;

		for (size_t i = 0; i < off; i++) {
			if (r->yaml[i] == '\n') {
				line++;
				col = 0;
			} else {
				col++;
			}
		}
		if (p->problem_value >= 0)
			set_error_at(r, line, col, "%s (byte 0x%02x)", problem,
				     (unsigned)p->problem_value & 0xffu);
		else
			set_error_at(r, line, col, "%s", problem);
		return;
	}
	if (p->error == YAML_MEMORY_ERROR) {
		set_error_at(r, 0, 0, "out of memory");
		return;
	}
	if (p->context)
		set_error_at(r, p->problem_mark.line, p->problem_mark.column,
			     "%s (%s at line %zu)", problem, p->context,
			     r->first_line + p->context_mark.line);
	else
		set_error_at(r, p->problem_mark.line, p->problem_mark.column,
			     "%s", problem);
}

/* Handles one event; sets r->stop when reading must end. */
static void on_event(struct reader *r, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++r->documents > 1)
			set_error_at(r, ev->start_mark.line,
				     ev->start_mark.column,
				     "expected a single document in the front matter");
		break;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (check_root(r, ev) < 0)
			break;
		open_collection(r, ev, ev->type == YAML_MAPPING_START_EVENT);
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		if (r->depth)
			close_collection(r);
		break;
	case YAML_SCALAR_EVENT:
		if (check_root(r, ev) < 0)
			break;
		on_scalar(r, ev);
		break;
	case YAML_ALIAS_EVENT:
		if (check_root(r, ev) < 0)
			break;
		on_alias(r, ev);
		break;
	case YAML_STREAM_END_EVENT:
		r->stop = 1;
		break;
	default:
		break;
	}
}

/* Streams the folded block through libyaml into r->card. */
static void read_block(struct reader *r)
{
	yaml_event_t ev;

	if (!yaml_parser_initialize(&r->parser)) {
		r->card->error = xstrdup("yaml error: cannot initialise libyaml");
		return;
	}
	r->parser_ready = 1;
	yaml_parser_set_input_string(&r->parser,
				     (const unsigned char *)r->yaml, r->yaml_len);
	yaml_parser_set_encoding(&r->parser, YAML_UTF8_ENCODING);
	r->frames = xcalloc(CARD_MAX_DEPTH, sizeof(*r->frames));
	for (size_t i = 0; i < F_COUNT; i++)
		r->seen_rank[i] = 1 << 20;
	while (!r->stop) {
		if (!yaml_parser_parse(&r->parser, &ev)) {
			set_parser_error(r);
			break;
		}
		if (++r->events > CARD_MAX_EVENTS) {
			set_error_at(r, ev.start_mark.line,
				     ev.start_mark.column,
				     "front matter has more than %d yaml events",
				     CARD_MAX_EVENTS);
			yaml_event_delete(&ev);
			break;
		}
		on_event(r, &ev);
		yaml_event_delete(&ev);
	}
	while (r->depth) {	/* stopped early: release what is open */
		struct frame *f = &r->frames[--r->depth];

		free(f->anchor);
		strlist_clear(&f->list);
	}
}

const char *const card_file_names[CARD_FILE_COUNT] = {
	"README.md", "README.hf.md", "MODEL_CARD.md", "model_card.md",
	"model-card.md",
};

int card_is_file_name(const char *name)
{
	for (size_t i = 0; i < CARD_FILE_COUNT; i++)
		if (str_iequal(name, card_file_names[i]))
			return 1;
	return 0;
}

/* Does the text (from i, past the BOM) open with a "---" line, blank
 * lines and white space allowed before it? */
static int opens_front_matter(const char *text, size_t len, size_t i)
{
	if (!text)
		return 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
			   text[i] == '\n'))
		i++;
	if (len - i < 3 || memcmp(text + i, "---", 3))
		return 0;
	i += 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	return i == len || text[i] == '\r' || text[i] == '\n';
}

int card_opens_front_matter(const char *text, size_t len)
{
	return opens_front_matter(text, len,
				  len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3) ? 3 : 0);
}

void card_parse(struct card *card, const char *text, size_t len)
{
	struct reader r;
	size_t start = 0, yb, ye, end;

	memset(card, 0, sizeof(*card));
	memset(&r, 0, sizeof(r));
	if (!text)
		len = 0;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		start = 3;	/* the UTF-8 BOM is not part of the text */
	card->body = text ? text + start : "";
	card->body_len = len - start;
	card->body_line = 1;
	if (!text || !find_front_matter(text, len, start, &yb, &ye, &end)) {
		if (opens_front_matter(text, len, start))
			card->error = xstrdup("front matter opened by '---' on its first line is never closed: "
					      "the card is read as text, as the Hub reads it");
		return;
	}

	card->has_front_matter = 1;
	card->body = text + end;
	card->body_len = len - end;
	card->body_line = count_lines(text, end) + 1;
	if (yb == ye)
		return;	/* an empty block is an empty mapping */

	r.card = card;
	r.first_line = count_lines(text, yb) + 1;
	r.yaml = fold_newlines(text, yb, ye, &r.yaml_len);
	read_block(&r);

	if (r.parser_ready)
		yaml_parser_delete(&r.parser);
	free(r.frames);
	free_anchors(&r);
	free((char *)r.yaml);
}
