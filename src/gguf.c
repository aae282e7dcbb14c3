/*
 * gguf.c: the license and provenance keys of a GGUF header (checkpoint.h:
 * ckpt_read_gguf).
 *
 * Owns: the magic and version check (versions 2 and 3), the key/value
 * section with every value type (nested arrays skipped), which keys name a
 * license, a source model or base models.  Hands on: a struct ckpt_meta the
 * caller owns.  Never reads tensor infos or tensor data; Hub ids are read by
 * hub_id.c.
 *
 * Caps, each checked before anything is allocated, read or skipped:
 *  - every length or count is first held against the bytes left in the
 *    file, counting the smallest size its items can have (a key/value pair
 *    takes at least 13 bytes, a string 8, an array 12, a tensor info 24),
 *    so that a lying count fails at once instead of looping;
 *  - CKPT_MAX_HEADER: no byte at or past this offset is read or skipped;
 *  - CKPT_MAX_KV pairs, CKPT_MAX_KEY bytes a key, CKPT_MAX_STRING bytes a
 *    string value, CKPT_MAX_ARRAY_DEPTH levels of arrays in arrays;
 *  - CKPT_MAX_BASE_MODELS slots for general.base_model.N (N beyond is
 *    ignored) and CKPT_MAX_EXTRA license-like pairs, so that a hostile file
 *    cannot make the result large.
 * Reads go through one WINDOW-sized buffer, so that a 150,000-token
 * vocabulary costs a few dozen reads; skipping a value of known size only
 * moves the offset (one seek, nothing read).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/checkpoint.h"
#include "modelcensus/hub_id.h"
#include "modelcensus/banned.h"

#define WINDOW (64u << 10)	/* bytes of header read at a time */

/* GGUF value types (ggml docs/gguf.md). */
enum gguf_type {
	GGUF_U8 = 0, GGUF_I8, GGUF_U16, GGUF_I16, GGUF_U32, GGUF_I32,
	GGUF_F32, GGUF_BOOL, GGUF_STRING, GGUF_ARRAY, GGUF_U64, GGUF_I64,
	GGUF_F64, GGUF_NTYPES
};

/* Size in bytes of a fixed-size type, 0 for string and array. */
static uint64_t gguf_fixed_size(uint32_t type)
{
	static const uint8_t sizes[GGUF_NTYPES] = {
		1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8
	};

	return type < GGUF_NTYPES ? sizes[type] : 0;
}

struct base_model_slot {
	char *repo_url, *organization, *name;
};

/* The state of one GGUF header read. */
struct gguf {
	ckpt_read_fn rd;
	void *ctx;
	uint64_t size;		/* the file's size */
	uint64_t off;		/* next byte to parse */
	unsigned char *win;	/* the file's bytes [win_off, win_off + win_len) */
	uint64_t win_off;
	size_t win_len;
	struct ckpt_meta *meta;
	struct base_model_slot *bm;	/* CKPT_MAX_BASE_MODELS slots */
	int source_rank;	/* rank of meta->source_model_id's key */
	struct mc_error *err;
};

/* Bytes of the file left after off (off never passes size). */
static uint64_t left_at(const struct gguf *g, uint64_t off)
{
	return off < g->size ? g->size - off : 0;
}

/*
 * Checks that n bytes at g->off are in the file and under the header cap;
 * `what` names what they hold.
 */
static int gguf_need(struct gguf *g, uint64_t n, const char *what)
{
	if (n > left_at(g, g->off))
		return mc_error_set(g->err,
			"gguf header: truncated: %s at offset %" PRIu64
			" needs %" PRIu64 " bytes, the file has %" PRIu64
			" left", what, g->off, n, left_at(g, g->off));
	if (g->off + n > CKPT_MAX_HEADER)
		return mc_error_set(g->err,
			"gguf header: %s at offset %" PRIu64
			" runs past the %u-byte header cap", what, g->off,
			CKPT_MAX_HEADER);
	return 0;
}

/*
 * Checks a length or count read from the file: `count` items of at least
 * `min_item` bytes each must fit in the bytes left after `data_off`, and
 * count must not pass cap (0: no cap of its own).  `at` is where the
 * length itself was.
 */
static int gguf_check_len(struct gguf *g, const char *what, uint64_t count,
			  uint64_t min_item, uint64_t cap, uint64_t at,
			  uint64_t data_off)
{
	uint64_t left = left_at(g, data_off);

	if (min_item && count > left / min_item)
		return mc_error_set(g->err,
			"gguf header: %s %" PRIu64 " at offset %" PRIu64
			" exceeds the file (%" PRIu64 " bytes left)",
			what, count, at, left);
	if (cap && count > cap)
		return mc_error_set(g->err,
			"gguf header: %s %" PRIu64 " at offset %" PRIu64
			" exceeds the cap of %" PRIu64, what, count, at, cap);
	return 0;
}

/* Copies n bytes at g->off into dst and moves past them. */
static int gguf_read(struct gguf *g, void *dst, uint64_t n, const char *what)
{
	unsigned char *out = dst;

	if (gguf_need(g, n, what) < 0)
		return -1;
	while (n) {
		uint64_t in_win;
		size_t take;

		if (g->off < g->win_off || g->off >= g->win_off + g->win_len) {
			uint64_t want = left_at(g, g->off);
			int64_t got;

			if (want > WINDOW)
				want = WINDOW;
			got = ckpt_read_upto(g->rd, g->ctx, g->off, g->win,
					(size_t)want);
			if (got < 0)
				return mc_error_set(g->err,
					"gguf header: read failed at offset %"
					PRIu64, g->off);
			if (got == 0)
				return mc_error_set(g->err,
					"gguf header: file ends at offset %"
					PRIu64 ", before its size of %" PRIu64
					" bytes", g->off, g->size);
			g->win_off = g->off;
			g->win_len = (size_t)got;
		}
		in_win = g->win_off + g->win_len - g->off;
		take = (size_t)(n < in_win ? n : in_win);
		memcpy(out, g->win + (g->off - g->win_off), take);
		out += take;
		g->off += take;
		n -= take;
	}
	return 0;
}

static int gguf_u32(struct gguf *g, uint32_t *v, const char *what)
{
	unsigned char b[4];

	if (gguf_read(g, b, 4, what) < 0)
		return -1;
	*v = ckpt_le32(b);
	return 0;
}

static int gguf_u64(struct gguf *g, uint64_t *v, const char *what)
{
	unsigned char b[8];

	if (gguf_read(g, b, 8, what) < 0)
		return -1;
	*v = ckpt_le64(b);
	return 0;
}

/* Moves past n bytes without reading them. */
static int gguf_skip(struct gguf *g, uint64_t n, const char *what)
{
	if (gguf_need(g, n, what) < 0)
		return -1;
	g->off += n;
	return 0;
}

/* Reads a string's length and checks it against the file and `cap`. */
static int gguf_str_len(struct gguf *g, uint64_t *len, uint64_t cap,
			const char *what)
{
	uint64_t at = g->off;

	if (gguf_u64(g, len, what) < 0)
		return -1;
	return gguf_check_len(g, what, *len, 1, cap, at, g->off);
}

/* Reads a string value into a new NUL-terminated string (caller frees). */
static int gguf_read_string(struct gguf *g, char **out)
{
	uint64_t len;
	char *s;

	if (gguf_str_len(g, &len, CKPT_MAX_STRING, "string length") < 0)
		return -1;
	s = xmalloc((size_t)len + 1);
	if (gguf_read(g, s, len, "string") < 0) {
		free(s);
		return -1;
	}
	s[len] = '\0';
	*out = s;
	return 0;
}

static int gguf_skip_value(struct gguf *g, uint32_t type, int depth,
			   uint64_t type_at);

/* Skips an array's element type, count and elements; depth counts from 1. */
static int gguf_skip_array(struct gguf *g, int depth)
{
	uint64_t at = g->off, count, esize;
	uint32_t etype;

	if (depth > CKPT_MAX_ARRAY_DEPTH)
		return mc_error_set(g->err,
			"gguf header: arrays nested deeper than %d at offset %"
			PRIu64, CKPT_MAX_ARRAY_DEPTH, at);
	if (gguf_u32(g, &etype, "array element type") < 0)
		return -1;
	if (etype >= GGUF_NTYPES)
		return mc_error_set(g->err,
			"gguf header: unknown array element type %" PRIu32
			" at offset %" PRIu64, etype, at);
	at = g->off;
	if (gguf_u64(g, &count, "array length") < 0)
		return -1;
	esize = gguf_fixed_size(etype);
	if (esize) {
		if (gguf_check_len(g, "array length", count, esize, 0, at,
				   g->off) < 0)
			return -1;
		return gguf_skip(g, count * esize, "array");
	}
	/* strings take at least 8 bytes (their length), arrays 12 */
	if (gguf_check_len(g, "array length", count,
			   etype == GGUF_STRING ? 8 : 12, 0, at, g->off) < 0)
		return -1;
	for (uint64_t i = 0; i < count; i++)
		if (gguf_skip_value(g, etype, depth, at) < 0)
			return -1;
	return 0;
}

/* Skips one value of `type`; type_at is where the type was, for messages. */
static int gguf_skip_value(struct gguf *g, uint32_t type, int depth,
			   uint64_t type_at)
{
	uint64_t len;

	if (type == GGUF_STRING) {
		if (gguf_str_len(g, &len, CKPT_MAX_STRING, "string length") < 0)
			return -1;
		return gguf_skip(g, len, "string");
	}
	if (type == GGUF_ARRAY)
		return gguf_skip_array(g, depth + 1);
	if (type >= GGUF_NTYPES)
		return mc_error_set(g->err,
			"gguf header: unknown value type %" PRIu32
			" at offset %" PRIu64, type, type_at);
	return gguf_skip(g, gguf_fixed_size(type), "value");
}

/* ---- GGUF keys ----------------------------------------------------------- */

/*
 * The model id a source or repo_url value names (hub_id.h).  A one-part id
 * ("https://huggingface.co/gpt2") is dropped: from a GGUF it is as likely an
 * organisation's page as a model.
 */
static char *gguf_hub_id(const char *s)
{
	char *id = hub_id_parse(s);

	if (id && !strchr(id, '/')) {
		free(id);
		id = NULL;
	}
	return id;
}

/* Keys that may name the model a GGUF was made from, best first. */
static const char *const gguf_source_keys[] = {
	"general.source.huggingface.repository",
	"general.source.hugginface.repository",	/* early llama.cpp */
	"general.source.repo_url",
	"general.source.url",
	"general.repo_url",
};
#define NSOURCE_KEYS ((int)(sizeof(gguf_source_keys) / sizeof(*gguf_source_keys)))

static int gguf_source_rank(const char *key)
{
	for (int i = 0; i < NSOURCE_KEYS; i++)
		if (!strcmp(key, gguf_source_keys[i]))
			return i;
	return -1;
}

/*
 * general.base_model.N.FIELD with FIELD repo_url, organization or name:
 * returns the slot's field to fill, NULL for any other key.
 */
static char **gguf_base_model_field(struct gguf *g, const char *key)
{
	static const char prefix[] = "general.base_model.";
	const char *p;
	unsigned long n = 0;
	struct base_model_slot *slot;

	if (!str_has_prefix(key, prefix))
		return NULL;
	p = key + strlen(prefix);
	if (*p < '0' || *p > '9')
		return NULL;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (unsigned long)(*p - '0');
		if (n >= CKPT_MAX_BASE_MODELS)
			return NULL;
	}
	if (*p++ != '.')
		return NULL;
	slot = &g->bm[n];
	if (!strcmp(p, "repo_url"))
		return &slot->repo_url;
	if (!strcmp(p, "organization"))
		return &slot->organization;
	if (!strcmp(p, "name"))
		return &slot->name;
	return NULL;
}

/* Reads (or skips) the value of one key/value pair; type is read. */
static int gguf_value(struct gguf *g, const char *key, uint32_t type,
		      uint64_t type_at)
{
	struct ckpt_meta *m = g->meta;
	char **dst = NULL, *s = NULL;
	int rank;

	if (type != GGUF_STRING)
		return gguf_skip_value(g, type, 0, type_at);

	if (!strcmp(key, "general.license"))
		dst = &m->license;
	else if (!strcmp(key, "general.license.name"))
		dst = &m->license_name;
	else if (!strcmp(key, "general.license.link"))
		dst = &m->license_link;
	else if (!strcmp(key, "general.name"))
		dst = &m->name;
	else if (!strcmp(key, "general.architecture"))
		dst = &m->architecture;
	else
		dst = gguf_base_model_field(g, key);
	if (dst) {
		if (*dst)	/* a repeated key: the first one stands */
			return gguf_skip_value(g, type, 0, type_at);
		if (gguf_read_string(g, &s) < 0)
			return -1;
		str_trim(s);
		if (*s)
			*dst = s;
		else
			free(s);
		return 0;
	}

	rank = gguf_source_rank(key);
	if (rank >= 0) {
		char *id;

		if (g->source_rank >= 0 && g->source_rank <= rank)
			return gguf_skip_value(g, type, 0, type_at);
		if (gguf_read_string(g, &s) < 0)
			return -1;
		id = gguf_hub_id(s);
		free(s);
		if (id) {
			free(m->source_model_id);
			m->source_model_id = id;
			g->source_rank = rank;
		}
		return 0;
	}

	if (m->extra.n < CKPT_MAX_EXTRA && ckpt_license_like(key)) {
		if (gguf_read_string(g, &s) < 0)
			return -1;
		strlist_add_nodup(&m->extra, xstrfmt("%s=%s", key, s));
		free(s);
		return 0;
	}
	return gguf_skip_value(g, type, 0, type_at);
}

/* Turns the base-model slots into ids, in index order. */
static void gguf_base_models(struct gguf *g)
{
	for (unsigned i = 0; i < CKPT_MAX_BASE_MODELS; i++) {
		struct base_model_slot *b = &g->bm[i];
		char *id = NULL;

		/* a repo_url elsewhere (GitHub...) is no Hub id; nor is
		 * organization/name then */
		if (b->repo_url)
			id = gguf_hub_id(b->repo_url);
		else if (b->organization && b->name &&
		    hub_id_part_ok(b->organization, strlen(b->organization)) &&
		    hub_id_part_ok(b->name, strlen(b->name)))
			id = xstrfmt("%s/%s", b->organization, b->name);
		if (id && !strlist_has(&g->meta->base_models, id))
			strlist_add_nodup(&g->meta->base_models, id);
		else
			free(id);
	}
}

static int gguf_check_magic(struct gguf *g, const unsigned char *b)
{
	uint32_t version = ckpt_le32(b + 4);

	if (memcmp(b, "GGUF", 4)) {
		if (ckpt_looks_like_lfs(b, 8))
			return mc_error_set(g->err,
				"gguf header: the file is a git lfs pointer, "
				"not gguf data");
		return mc_error_set(g->err,
			"gguf header: bad magic %02x %02x %02x %02x "
			"(expected \"GGUF\")", b[0], b[1], b[2], b[3]);
	}
	if (version == 1)
		return mc_error_set(g->err,
			"gguf header: version 1 is not supported "
			"(the 2023 format with 32-bit counts)");
	if (!(version & 0xffffu) && (version >> 16) && (version >> 24) <= 3)
		return mc_error_set(g->err,
			"gguf header: big-endian gguf (version %" PRIu32
			") is not supported", version >> 24);
	if (version != 2 && version != 3)
		return mc_error_set(g->err,
			"gguf header: unsupported version %" PRIu32, version);
	return 0;
}

int ckpt_read_gguf(ckpt_read_fn rd, void *ctx, uint64_t size,
		   struct ckpt_meta *out, struct mc_error *err)
{
	struct gguf g;
	struct strbuf key = STRBUF_INIT;
	unsigned char fixed[24];
	uint64_t kv_count, len, key_at;
	uint32_t type;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	g.rd = rd;
	g.ctx = ctx;
	g.size = size;
	g.meta = out;
	g.err = err;
	g.source_rank = -1;
	g.win = xmalloc(WINDOW);
	g.bm = xcalloc(CKPT_MAX_BASE_MODELS, sizeof(*g.bm));

	if (size < 8) {
		mc_error_set(err, "gguf header: the file is %" PRIu64
			     " bytes, too short for a header", size);
		goto done;
	}
	if (gguf_read(&g, fixed, 8, "magic and version") < 0 ||
	    gguf_check_magic(&g, fixed) < 0)
		goto done;
	out->version = ckpt_le32(fixed + 4);
	if (gguf_read(&g, fixed + 8, 16, "tensor and key/value counts") < 0)
		goto done;
	out->tensor_count = ckpt_le64(fixed + 8);
	kv_count = ckpt_le64(fixed + 16);
	/* each pair takes at least 13 bytes, each tensor info 24 */
	if (gguf_check_len(&g, "kv count", kv_count, 13, CKPT_MAX_KV, 16,
			   24) < 0 ||
	    gguf_check_len(&g, "tensor count", out->tensor_count, 24, 0, 8,
			   24) < 0)
		goto done;
	out->format = CKPT_GGUF;

	for (uint64_t i = 0; i < kv_count; i++) {
		key_at = g.off;
		if (gguf_str_len(&g, &len, CKPT_MAX_KEY, "key length") < 0)
			goto done;
		strbuf_reset(&key);
		strbuf_grow(&key, (size_t)len);
		if (gguf_read(&g, key.buf, len, "key") < 0)
			goto done;
		key.len = (size_t)len;
		key.buf[len] = '\0';
		if (memchr(key.buf, '\0', key.len))
			key.buf[0] = '\0';	/* matches no key of interest */
		if (gguf_u32(&g, &type, "value type") < 0)
			goto done;
		if (gguf_value(&g, key.buf, type, g.off - 4) < 0) {
			/* name the pair: the offset alone is hard to act on */
			if (err && key.buf[0]) {
				struct strbuf msg = STRBUF_INIT;

				strbuf_addf(&msg, "%s (key '%.80s' at offset %"
					    PRIu64 ")", err->msg, key.buf,
					    key_at);
				mc_error_set(err, "%s", msg.buf);
				strbuf_release(&msg);
			}
			goto done;
		}
	}
	gguf_base_models(&g);
	ret = 0;
done:
	for (unsigned i = 0; i < CKPT_MAX_BASE_MODELS; i++) {
		free(g.bm[i].repo_url);
		free(g.bm[i].organization);
		free(g.bm[i].name);
	}
	free(g.bm);
	free(g.win);
	strbuf_release(&key);
	return ret;
}
