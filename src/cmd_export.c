/*
 * cmd_export.c: `modelcensus export`: the inventory as a bill of
 * materials other tools read: CycloneDX 1.6 (an ML-BOM: one component of
 * type machine-learning-model per model) or SPDX 2.3 (one package per
 * model), JSON built with jansson, on stdout.
 *
 * It reads the inventory (store.h: the models --where selects, their
 * card fields, LFS weights and the license texts the scan kept) and the
 * rules in force (for each license id its SPDX id or LicenseRef and its
 * name); it never reads a repository again and never writes the
 * database.  What maps to what is in the README ("Exports").
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "modelcensus/cmd.h"
#include "modelcensus/rules.h"
#include "modelcensus/store.h"
#include "modelcensus/strmap.h"
#include "modelcensus/table.h"
#include "modelcensus/banned.h"

static const char export_usage[] =
"usage: modelcensus export [--db FILE] [--where EXPR] [--rules DIR] --format cyclonedx|spdx\n"
"\n"
"Prints the inventory as a bill of materials for SBOM tools\n"
"(Dependency-Track, GUAC, Trivy ...): one component or package per model,\n"
"with its licenses (SPDX ids, or named licenses with the text found),\n"
"its base models, its weight files' hashes and the verdict.\n"
"\n"
"  --format F       cyclonedx (CycloneDX 1.6 JSON) or spdx (SPDX 2.3 JSON)\n"
"  --db FILE        the inventory database (default: inventory.db)\n"
"  --where EXPR     export only the models this SQL expression over the\n"
"                   inventory's columns selects (as report --where)\n"
"  --rules DIR      rules added to the catalog, as given to scan (repeatable):\n"
"                   their SPDX ids and names are used\n"
"  -h, --help       this help\n"
"\n"
"Exit 2: usage error; 3: the database or the rules cannot be read.\n";

enum format { FMT_CYCLONEDX, FMT_SPDX };

/* One model of the export, as the inventory gives it. */
struct xmodel {
	int64_t id;
	char *path, *layout, *model_id, *revision, *declared, *detected;
	char *license, *commercial, *conditions, *review, *bases, *error;
	char *weight_bytes;
	char *ref;		/* bom-ref or SPDXID */
	size_t next_same_id;	/* the next model of the same model_id, or SIZE_MAX */
};

/* A license file whose text the scan kept, with one license found in it. */
struct xtext {
	char *hash;
	char *rule;		/* NULL: nothing identified */
	char *kind;
	char *role;
};

struct exporter {
	struct store *st;
	const struct rules *rules;
	struct mc_error *err;
	struct xmodel *v;
	size_t n, alloc;
	struct strmap by_id;	/* model_id (any case) -> first model */
	json_t *texts;		/* text hash -> its JSON string (shared) */
	/* per model, refilled: */
	struct xtext *files;
	size_t nfiles, files_alloc;
	json_t *card;		/* key -> value */
	json_t *weights;	/* [path, size, oid] */
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int collect_model(void *ctx, int ncols, const char *const *names,
			 const char *const *values)
{
	struct exporter *x = ctx;
	struct xmodel *m;

	ALLOC_GROW(x->v, x->n + 1, x->alloc);
	m = &x->v[x->n++];
	memset(m, 0, sizeof(*m));
	m->next_same_id = SIZE_MAX;
	for (int c = 0; c < ncols; c++) {
		const char *k = names[c], *val = values[c];

		if (!strcmp(k, "id")) m->id = val ? strtoll(val, NULL, 10) : 0;
		else if (!strcmp(k, "path")) m->path = dup_or_null(val);
		else if (!strcmp(k, "layout")) m->layout = dup_or_null(val);
		else if (!strcmp(k, "model_id")) m->model_id = dup_or_null(val);
		else if (!strcmp(k, "revision")) m->revision = dup_or_null(val);
		else if (!strcmp(k, "declared_license")) m->declared = dup_or_null(val);
		else if (!strcmp(k, "detected_license")) m->detected = dup_or_null(val);
		else if (!strcmp(k, "license")) m->license = dup_or_null(val);
		else if (!strcmp(k, "commercial_use")) m->commercial = dup_or_null(val);
		else if (!strcmp(k, "conditions")) m->conditions = dup_or_null(val);
		else if (!strcmp(k, "review")) m->review = dup_or_null(val);
		else if (!strcmp(k, "base_models")) m->bases = dup_or_null(val);
		else if (!strcmp(k, "error")) m->error = dup_or_null(val);
		else if (!strcmp(k, "weight_bytes")) m->weight_bytes = dup_or_null(val);
	}
	if (!m->path)
		m->path = xstrdup("");
	return 0;
}

static void xmodel_release(struct xmodel *m)
{
	free(m->path); free(m->layout); free(m->model_id); free(m->revision);
	free(m->declared); free(m->detected); free(m->license); free(m->commercial);
	free(m->conditions); free(m->review); free(m->bases); free(m->error);
	free(m->weight_bytes); free(m->ref);
}

static void clear_files(struct exporter *x)
{
	for (size_t i = 0; i < x->nfiles; i++) {
		free(x->files[i].hash);
		free(x->files[i].rule);
		free(x->files[i].kind);
		free(x->files[i].role);
	}
	x->nfiles = 0;
}

static int collect_file(void *ctx, int ncols, const char *const *names,
			const char *const *values)
{
	struct exporter *x = ctx;
	struct xtext *t;

	(void)names;
	if (ncols < 5 || !values[2])
		return 0;
	ALLOC_GROW(x->files, x->nfiles + 1, x->files_alloc);
	t = &x->files[x->nfiles++];
	t->role = dup_or_null(values[1]);
	t->hash = xstrdup(values[2]);
	t->rule = dup_or_null(values[3]);
	t->kind = dup_or_null(values[4]);
	return 0;
}

static int collect_card(void *ctx, int ncols, const char *const *names,
			const char *const *values)
{
	struct exporter *x = ctx;

	(void)names;
	if (ncols >= 2 && values[0] && values[1])
		json_object_set_new(x->card, values[0], json_text(values[1]));
	return 0;
}

static int collect_weight(void *ctx, int ncols, const char *const *names,
			  const char *const *values)
{
	struct exporter *x = ctx;

	(void)names;
	if (ncols >= 4 && values[0] && values[3])
		json_array_append_new(x->weights, json_pack("[o,I,o]", json_text(values[0]),
				      (json_int_t)(values[2] ? strtoll(values[2], NULL, 10) : 0),
				      json_text(values[3])));
	return 0;
}

/* Reads one model's details (card fields, weights, kept license files). */
static int load_details(struct exporter *x, const struct xmodel *m)
{
	clear_files(x);
	json_object_clear(x->card);
	json_array_clear(x->weights);
	if (store_export_details(x->st, m->id, EXPORT_CARD_FIELDS, collect_card, x, x->err) < 0 ||
	    store_export_details(x->st, m->id, EXPORT_WEIGHTS, collect_weight, x, x->err) < 0 ||
	    store_export_details(x->st, m->id, EXPORT_LICENSE_FILES, collect_file, x, x->err) < 0)
		return -1;
	return 0;
}

/* The text kept under hash as a JSON string shared by every use (NULL
 * when there is none), or -1 on a database error. */
static int text_of(struct exporter *x, const char *hash, json_t **out)
{
	json_t *j = json_object_get(x->texts, hash);
	char *text;
	int rc;

	*out = NULL;
	if (j) {
		*out = json_is_string(j) ? j : NULL;
		return 0;
	}
	rc = store_license_text(x->st, hash, &text, x->err);
	if (rc < 0)
		return -1;
	j = rc ? json_text(text) : json_null();
	free(text);
	json_object_set_new(x->texts, hash, j);
	*out = json_is_string(j) ? j : NULL;
	return 0;
}

/*
 * The text found in the model's own files for license id: a file where
 * it was identified in full, else (unless full_only) one where it was
 * modified; for an id no rule knows (a custom license), a governing file
 * where nothing was identified.  NULL when none (a file that only
 * mentions a license does not hold its text).
 */
static int model_text(struct exporter *x, const char *id, int known, int full_only,
		      json_t **out)
{
	static const char *const kinds[] = { "full", "modified" };

	*out = NULL;
	for (size_t k = 0; known && k < (full_only ? 1 : 2); k++)
		for (size_t i = 0; i < x->nfiles; i++)
			if (x->files[i].rule && !strcmp(x->files[i].rule, id) &&
			    x->files[i].kind && !strcmp(x->files[i].kind, kinds[k]))
				return text_of(x, x->files[i].hash, out);
	for (size_t i = 0; !known && i < x->nfiles; i++)
		if (!x->files[i].rule && x->files[i].role &&
		    strcmp(x->files[i].role, "use-policy"))
			return text_of(x, x->files[i].hash, out);
	return 0;
}

/* id with every character SPDX ids do not take (letters, digits, '.'
 * and '-' only) as '-'; a new string. */
static char *spdx_idstring(const char *id)
{
	char *s = xstrdup(*id ? id : "unnamed");

	for (char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			*p = '-';
	return s;
}

/* What a license id of the inventory is to SPDX. */
struct xlicense {
	char *spdx;		/* an SPDX list id or LicenseRef-... */
	const char *name;	/* the rule's name, else the id */
	int listed;		/* on the SPDX license list */
	int known;		/* a rule knows it */
};

static void license_of(const struct rules *rules, const char *id, struct xlicense *out)
{
	const struct rule *r = rules_by_id(rules, id);
	struct rule_info ri;
	char *idstring;

	memset(out, 0, sizeof(*out));
	out->name = id;
	if (r) {
		rule_info(r, &ri);
		out->known = 1;
		out->name = ri.name;
		if (ri.spdx && *ri.spdx) {
			out->spdx = xstrdup(ri.spdx);
			out->listed = strncmp(ri.spdx, "LicenseRef-", 11) != 0;
			return;
		}
	}
	idstring = spdx_idstring(id);
	out->spdx = xstrfmt("LicenseRef-%s", idstring);
	free(idstring);
}

static void split(struct strlist *out, const char *s, const char *sep)
{
	size_t seplen = strlen(sep);

	while (s && *s) {
		const char *q = strstr(s, sep);
		size_t n = q ? (size_t)(q - s) : strlen(s);
		char *item = xstrndup(s, n);

		str_trim(item);
		if (*item)
			strlist_add_nodup(out, item);
		else
			free(item);
		s = q ? q + seplen : NULL;
	}
}

/* A random version 4 UUID (RFC 9562) from getrandom(). */
static int make_uuid(char *buf, size_t n)
{
	unsigned char b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t r = getrandom(b + got, sizeof(b) - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, n, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

static void utc_now(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Is id a Hub id, "org/name" or "name" of letters, digits, '.', '_' and
 * '-' (so URLs and purls may carry it as it is)? */
static int hub_like(const char *id)
{
	const char *slash = strchr(id, '/');

	if (!*id || *id == '.' || strstr(id, "..") ||
	    (slash && (slash == id || !slash[1] || strchr(slash + 1, '/'))))
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-' || *p == '/'))
			return 0;
	return 1;
}

/* The package URL of a Hub model (purl type huggingface), at its
 * revision when that is a commit id, or NULL. */
static char *hub_purl(const char *id, const char *revision)
{
	if (!id || !hub_like(id))
		return NULL;
	if (revision && *revision && strspn(revision, "0123456789abcdefABCDEF") == strlen(revision)) {
		char *lower = xstrdup(revision), *p;

		str_lower(lower);
		p = xstrfmt("pkg:huggingface/%s@%s", id, lower);
		free(lower);
		return p;
	}
	return xstrfmt("pkg:huggingface/%s", id);
}

static void add_property(json_t *props, const char *name, const char *value)
{
	if (value && *value)
		json_array_append_new(props, json_pack("{s:s,s:o}", "name", name,
						       "value", json_text(value)));
}

/* A stable hex digest of s, for ids that must not collide. */
static void digest(char *buf, size_t n, const char *s)
{
	snprintf(buf, n, "%016llx", (unsigned long long)hash_bytes(HASH_SEED, s, strlen(s)));
}

/* ---- CycloneDX 1.6 ---------------------------------------------------- */

static json_t *cdx_licenses(struct exporter *x, const struct xmodel *m, int *rc)
{
	struct strlist ids = STRLIST_INIT;
	json_t *arr = json_array();

	*rc = 0;
	if (m->license && strcmp(m->license, "unknown"))
		split(&ids, m->license, " AND ");
	for (size_t i = 0; i < ids.n; i++) {
		struct xlicense l;
		json_t *lic, *text = NULL;

		license_of(x->rules, ids.v[i], &l);
		if (l.listed) {
			lic = json_pack("{s:s,s:s}", "id", l.spdx, "acknowledgement", "concluded");
		} else {
			lic = json_pack("{s:o,s:s}", "name", json_text(l.name),
					"acknowledgement", "concluded");
			if (model_text(x, ids.v[i], l.known, 0, &text) < 0)
				*rc = -1;
			if (text)
				json_object_set_new(lic, "text",
						    json_pack("{s:O,s:s}", "content", text,
							      "contentType", "text/plain"));
		}
		json_array_append_new(arr, json_pack("{s:o}", "license", lic));
		free(l.spdx);
	}
	strlist_clear(&ids);
	return arr;
}

/* modelCard: what the card says that the schema holds: the task
 * (pipeline_tag) and the training datasets; NULL when nothing. */
static json_t *cdx_model_card(struct exporter *x)
{
	const char *task = json_string_value(json_object_get(x->card, "pipeline_tag"));
	const char *datasets = json_string_value(json_object_get(x->card, "datasets"));
	struct strlist names = STRLIST_INIT;
	json_t *params;

	if (!task && !datasets)
		return NULL;
	params = json_object();
	if (task)
		json_object_set_new(params, "task", json_text(task));
	split(&names, datasets, ", ");
	if (names.n) {
		json_t *arr = json_array();

		for (size_t i = 0; i < names.n; i++)
			json_array_append_new(arr, json_pack("{s:s,s:o}", "type", "dataset",
							     "name", json_text(names.v[i])));
		json_object_set_new(params, "datasets", arr);
	}
	strlist_clear(&names);
	return json_pack("{s:o}", "modelParameters", params);
}

static json_t *cdx_component(struct exporter *x, struct xmodel *m, json_t *deps, int *rc)
{
	const char *name = m->model_id ? m->model_id : m->path;
	json_t *c = json_object(), *props = json_array(), *lic, *files, *mcard;
	const char *relation = json_string_value(json_object_get(x->card, "base_model_relation"));
	struct strlist bases = STRLIST_INIT;
	char *purl = hub_purl(m->model_id, m->revision);

	json_object_set_new(c, "type", json_string("machine-learning-model"));
	json_object_set_new(c, "bom-ref", json_text(m->ref));
	json_object_set_new(c, "name", json_text(name));
	if (m->revision)
		json_object_set_new(c, "version", json_text(m->revision));
	lic = cdx_licenses(x, m, rc);
	if (json_array_size(lic))
		json_object_set_new(c, "licenses", lic);
	else
		json_decref(lic);
	if (purl)
		json_object_set_new(c, "purl", json_text(purl));
	free(purl);
	/* weights: one hash for a one-file model; each file a subcomponent */
	files = json_array();
	for (size_t i = 0; i < json_array_size(x->weights); i++) {
		json_t *w = json_array_get(x->weights, i);
		json_t *hash = json_pack("[{s:s,s:O}]", "alg", "SHA-256",
					 "content", json_array_get(w, 2));

		if (json_array_size(x->weights) == 1)
			json_object_set(c, "hashes", hash);
		json_array_append_new(files, json_pack("{s:s,s:O,s:o,s:[{s:s,s:o}]}",
			"type", "file", "name", json_array_get(w, 0), "hashes", hash,
			"properties", "name", "modelcensus:size", "value",
			json_sprintf("%" JSON_INTEGER_FORMAT,
				     json_integer_value(json_array_get(w, 1)))));
	}
	mcard = cdx_model_card(x);
	if (mcard)
		json_object_set_new(c, "modelCard", mcard);
	if (m->model_id && hub_like(m->model_id))
		json_object_set_new(c, "externalReferences",
				    json_pack("[{s:s,s:o}]", "type", "website", "url",
					      json_sprintf("https://huggingface.co/%s", m->model_id)));
	/* lineage: every base named, as an ancestor; a base in the export is
	 * also a dependency (its own component) */
	split(&bases, m->bases, ",");
	if (bases.n) {
		json_t *anc = json_array(), *on = json_array();

		for (size_t i = 0; i < bases.n; i++) {
			json_t *a = json_pack("{s:s,s:o}", "type", "machine-learning-model",
					      "name", json_text(bases.v[i]));
			char *bp = hub_purl(bases.v[i], NULL);
			uint64_t at;

			if (bp)
				json_object_set_new(a, "purl", json_text(bp));
			free(bp);
			json_array_append_new(anc, a);
			for (int ok = strmap_get(&x->by_id, bases.v[i], &at); ok && at != SIZE_MAX;
			     at = x->v[at].next_same_id)
				if (&x->v[at] != m)
					json_array_append_new(on, json_text(x->v[at].ref));
		}
		json_object_set_new(c, "pedigree", json_pack("{s:o}", "ancestors", anc));
		if (json_array_size(on))
			json_array_append_new(deps, json_pack("{s:o,s:o}", "ref",
					      json_text(m->ref), "dependsOn", on));
		else
			json_decref(on);
	}
	add_property(props, "modelcensus:commercial_use", m->commercial);
	add_property(props, "modelcensus:license", m->license);
	add_property(props, "modelcensus:conditions", m->conditions);
	add_property(props, "modelcensus:review", m->review);
	add_property(props, "modelcensus:declared_license", m->declared);
	add_property(props, "modelcensus:detected_license", m->detected);
	add_property(props, "modelcensus:base_models", m->bases);
	add_property(props, "modelcensus:base_model_relation", relation);
	add_property(props, "modelcensus:error", m->error);
	add_property(props, "modelcensus:layout", m->layout);
	add_property(props, "modelcensus:path", m->path);
	add_property(props, "modelcensus:weight_bytes", m->weight_bytes);
	json_object_set_new(c, "properties", props);
	if (json_array_size(files))
		json_object_set_new(c, "components", files);
	else
		json_decref(files);
	strlist_clear(&bases);
	return c;
}

static json_t *cyclonedx(struct exporter *x, int *rc)
{
	char uuid[40], now[32];
	json_t *bom, *comps = json_array(), *deps = json_array();

	*rc = 0;
	if (make_uuid(uuid, sizeof(uuid)) < 0) {
		mc_error_set(x->err, "cannot read random bytes for the serial number: %s",
			     strerror(errno));
		*rc = -1;
		json_decref(comps);
		json_decref(deps);
		return NULL;
	}
	utc_now(now, sizeof(now));
	for (size_t i = 0; i < x->n; i++)
		x->v[i].ref = xstrfmt("model:%s", x->v[i].path);
	for (size_t i = 0; i < x->n && !*rc; i++) {
		if (load_details(x, &x->v[i]) < 0) {
			*rc = -1;
			break;
		}
		json_array_append_new(comps, cdx_component(x, &x->v[i], deps, rc));
	}
	bom = json_pack("{s:s,s:s,s:s,s:o,s:i,s:{s:s,s:{s:[{s:s,s:s,s:s}]}},s:o}",
		"$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json",
		"bomFormat", "CycloneDX", "specVersion", "1.6",
		"serialNumber", json_sprintf("urn:uuid:%s", uuid), "version", 1,
		"metadata", "timestamp", now, "tools", "components", "type", "application",
		"name", "modelcensus", "version", MC_VERSION,
		"components", comps);
	if (json_array_size(deps))
		json_object_set_new(bom, "dependencies", deps);
	else
		json_decref(deps);
	return bom;
}

/* ---- SPDX 2.3 --------------------------------------------------------- */

/* What the SPDX document gathers across packages. */
struct spdx_doc {
	json_t *packages, *relationships;
	json_t *refs;		/* LicenseRef id -> hasExtractedLicensingInfos entry */
	json_t *base_pkgs;	/* lower-cased base id -> SPDXID of its package */
};

/*
 * The SPDX license expression of ids (" AND "-joined, as the inventory
 * holds them), each LicenseRef defined in d->refs with the text found in
 * the model's files (a later model's text fills one that had none);
 * NOASSERTION for none or unknown.  Ids from_card also take the card's
 * license_link as a seeAlso.
 */
static char *spdx_expression(struct exporter *x, struct spdx_doc *d, const char *ids_s,
			     int from_card, int *rc)
{
	struct strlist ids = STRLIST_INIT, out = STRLIST_INIT;
	char *expr;

	if (ids_s && strcmp(ids_s, "unknown"))
		split(&ids, ids_s, " AND ");
	for (size_t i = 0; i < ids.n; i++) {
		struct xlicense l;
		json_t *entry, *text = NULL;
		const char *link;

		license_of(x->rules, ids.v[i], &l);
		strlist_add_unique(&out, l.spdx);
		if (!l.listed) {
			entry = json_object_get(d->refs, l.spdx);
			if (!entry) {
				entry = json_pack("{s:s,s:o}", "licenseId", l.spdx,
						  "name", json_text(l.name));
				json_object_set_new(d->refs, l.spdx, entry);
			}
			link = from_card ? json_string_value(json_object_get(x->card, "license_link")) : NULL;
			if (link && (str_has_prefix(link, "https://") || str_has_prefix(link, "http://")) &&
			    !json_object_get(entry, "seeAlsos"))
				json_object_set_new(entry, "seeAlsos", json_pack("[o]", json_text(link)));
			if (!json_object_get(entry, "extractedText")) {
				/* the license's own text: a modified one is
				 * the model's, not the LicenseRef's */
				if (model_text(x, ids.v[i], l.known, 1, &text) < 0)
					*rc = -1;
				if (text)
					json_object_set(entry, "extractedText", text);
			}
		}
		free(l.spdx);
	}
	expr = out.n ? strlist_join(&out, " AND ") : xstrdup("NOASSERTION");
	strlist_clear(&ids);
	strlist_clear(&out);
	return expr;
}

/* The SPDXID of a base model the export holds no package of: a package
 * of its own, made once. */
static const char *spdx_base_package(struct spdx_doc *d, const char *id)
{
	char *key = xstrdup(id), *s, hex[20];
	json_t *pkg;
	const char *ref;

	str_lower(key);
	if ((ref = json_string_value(json_object_get(d->base_pkgs, key)))) {
		free(key);
		return ref;
	}
	s = spdx_idstring(id);
	digest(hex, sizeof(hex), key);
	pkg = json_pack("{s:o,s:o,s:o,s:b,s:s,s:s,s:s,s:s,s:s}",
		"SPDXID", json_sprintf("SPDXRef-Base-%s-%s", s, hex),
		"name", json_text(id),
		"downloadLocation", hub_like(id) ? json_sprintf("https://huggingface.co/%s", id)
						 : json_string("NOASSERTION"),
		"filesAnalyzed", 0, "primaryPackagePurpose", "OTHER",
		"licenseConcluded", "NOASSERTION", "licenseDeclared", "NOASSERTION",
		"copyrightText", "NOASSERTION",
		"comment", "a base model the exported models name; not in this export");
	free(s);
	if (hub_like(id)) {
		char *purl = hub_purl(id, NULL);

		json_object_set_new(pkg, "externalRefs", json_pack("[{s:s,s:s,s:o}]",
			"referenceCategory", "PACKAGE-MANAGER", "referenceType", "purl",
			"referenceLocator", json_text(purl)));
		free(purl);
	}
	json_array_append_new(d->packages, pkg);
	json_object_set(d->base_pkgs, key, json_object_get(pkg, "SPDXID"));
	free(key);
	return json_string_value(json_object_get(pkg, "SPDXID"));
}

static void spdx_relationship(struct spdx_doc *d, const char *from, const char *type,
			      const char *to)
{
	json_array_append_new(d->relationships, json_pack("{s:o,s:s,s:o}",
		"spdxElementId", json_text(from), "relationshipType", type,
		"relatedSpdxElement", json_text(to)));
}

static void spdx_package(struct exporter *x, struct spdx_doc *d, struct xmodel *m, int *rc)
{
	const char *name = m->model_id ? m->model_id : m->path;
	const char *relation = json_string_value(json_object_get(x->card, "base_model_relation"));
	/* a quantised copy is the same model in another form; a fine-tune,
	 * merge or adapter comes after its base */
	const char *lineage = relation && !strcmp(relation, "quantized") ? "VARIANT_OF"
									 : "DESCENDANT_OF";
	struct strlist bases = STRLIST_INIT, comment = STRLIST_INIT;
	char *concluded = spdx_expression(x, d, m->license, 0, rc);
	char *declared = spdx_expression(x, d, m->declared, 1, rc);
	char *purl = hub_purl(m->model_id, m->revision), *text;
	json_t *pkg;

	pkg = json_pack("{s:o,s:o,s:o,s:b,s:s,s:o,s:o,s:s}",
		"SPDXID", json_text(m->ref), "name", json_text(name),
		"downloadLocation", m->model_id && hub_like(m->model_id) ?
			json_sprintf("https://huggingface.co/%s", m->model_id) :
			json_string("NOASSERTION"),
		"filesAnalyzed", 0, "primaryPackagePurpose", "OTHER",
		"licenseConcluded", json_text(concluded),
		"licenseDeclared", json_text(declared),
		"copyrightText", "NOASSERTION");
	if (m->revision)
		json_object_set_new(pkg, "versionInfo", json_text(m->revision));
	if (purl)
		json_object_set_new(pkg, "externalRefs", json_pack("[{s:s,s:s,s:o}]",
			"referenceCategory", "PACKAGE-MANAGER", "referenceType", "purl",
			"referenceLocator", json_text(purl)));
	/* the verdict, as modelcensus:KEY=VALUE lines (SPDX 2.3 has no
	 * field for it) */
	strlist_add_nodup(&comment, xstrfmt("modelcensus:commercial_use=%s", m->commercial ? m->commercial : "unknown"));
	if (m->conditions)
		strlist_add_nodup(&comment, xstrfmt("modelcensus:conditions=%s", m->conditions));
	if (m->review)
		strlist_add_nodup(&comment, xstrfmt("modelcensus:review=%s", m->review));
	if (m->detected)
		strlist_add_nodup(&comment, xstrfmt("modelcensus:detected_license=%s", m->detected));
	if (m->error)
		strlist_add_nodup(&comment, xstrfmt("modelcensus:error=%s", m->error));
	strlist_add_nodup(&comment, xstrfmt("modelcensus:path=%s", m->path));
	text = strlist_join(&comment, "\n");
	json_object_set_new(pkg, "comment", json_text(text));
	free(text);
	json_array_append_new(d->packages, pkg);
	spdx_relationship(d, "SPDXRef-DOCUMENT", "DESCRIBES", m->ref);
	split(&bases, m->bases, ",");
	for (size_t i = 0; i < bases.n; i++) {
		uint64_t at;
		int found = 0;

		for (int ok = strmap_get(&x->by_id, bases.v[i], &at); ok && at != SIZE_MAX;
		     at = x->v[at].next_same_id) {
			if (&x->v[at] == m)
				continue;
			spdx_relationship(d, m->ref, lineage, x->v[at].ref);
			found = 1;
		}
		if (!found)
			spdx_relationship(d, m->ref, lineage, spdx_base_package(d, bases.v[i]));
	}
	strlist_clear(&bases);
	strlist_clear(&comment);
	free(concluded);
	free(declared);
	free(purl);
}

static json_t *spdx(struct exporter *x, int *rc)
{
	char uuid[40], now[32], hex[20];
	struct spdx_doc d = { json_array(), json_array(), json_object(), json_object() };
	json_t *doc, *infos = json_array(), *v;
	const char *k;

	*rc = 0;
	if (make_uuid(uuid, sizeof(uuid)) < 0) {
		mc_error_set(x->err, "cannot read random bytes for the document namespace: %s",
			     strerror(errno));
		*rc = -1;
		uuid[0] = '\0';
	}
	utc_now(now, sizeof(now));
	for (size_t i = 0; i < x->n; i++) {
		char *s = spdx_idstring(x->v[i].model_id ? x->v[i].model_id : x->v[i].path);
		const char *tail = s + strspn(s, "-.");
		size_t len = strlen(tail);

		digest(hex, sizeof(hex), x->v[i].path);
		/* readable (its id or path) and unique (a digest of its path);
		 * the readable part capped, so ids stay short enough for tools */
		x->v[i].ref = xstrfmt("SPDXRef-Model-%s%s%s", len > 80 ? tail + len - 80 : tail,
				      *tail ? "-" : "", hex);
		free(s);
	}
	for (size_t i = 0; i < x->n && !*rc; i++) {
		if (load_details(x, &x->v[i]) < 0) {
			*rc = -1;
			break;
		}
		spdx_package(x, &d, &x->v[i], rc);
	}
	json_object_foreach(d.refs, k, v) {
		json_t *name = json_object_get(v, "name");

		if (!json_object_get(v, "extractedText"))
			json_object_set_new(v, "extractedText", json_sprintf(
				"The text of %s was not found in the scanned repositories.",
				json_string_value(name)));
		json_object_set_new(v, "comment", json_string(
			"defined by modelcensus from its rule catalog and the license files scanned"));
		json_array_append(infos, v);
	}
	doc = json_pack("{s:s,s:s,s:s,s:s,s:o,s:{s:s,s:[s]},s:o,s:o,s:o}",
		"spdxVersion", "SPDX-2.3", "dataLicense", "CC0-1.0",
		"SPDXID", "SPDXRef-DOCUMENT", "name", "modelcensus inventory",
		"documentNamespace", json_sprintf("https://spdx.org/spdxdocs/modelcensus-%s", uuid),
		"creationInfo", "created", now, "creators", "Tool: modelcensus-" MC_VERSION,
		"packages", d.packages, "relationships", d.relationships,
		"hasExtractedLicensingInfos", infos);
	json_decref(d.refs);
	json_decref(d.base_pkgs);
	return doc;
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "where", required_argument, NULL, 'w' },
		{ "rules", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "export", export_usage, "", longopts };
	static const char *const formats[] = { "cyclonedx", "spdx", NULL };
	const char *db = "inventory.db", *where = NULL;
	int fmt = -1, opt, rc = EXIT_DONE, failed = 0;
	struct strlist dirs = STRLIST_INIT;
	struct exporter x;
	struct rules *rules = NULL;
	struct mc_error err;
	json_t *out = NULL;

	memset(&x, 0, sizeof(x));
	strmap_init(&x.by_id, 1);
	while ((opt = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 'w': where = optarg; break;
		case 'r': strlist_add(&dirs, optarg); break;
		case 'f':
			if (cmd_choice("export", "--format", optarg, formats, &fmt)) {
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		default: goto out;	/* CMD_OPT_STOP: help printed or usage error said */
		}
	}
	if (optind < argc) {
		rc = cmd_usage_error("export", "takes no arguments, not '%s'", argv[optind]);
		goto out;
	}
	if (fmt < 0) {
		rc = cmd_usage_error("export", "needs --format cyclonedx or --format spdx");
		goto out;
	}
	if (rules_load(&rules, (const char *const *)dirs.v, dirs.n, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	if (store_open(&x.st, db, STORE_READER, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	x.rules = rules;
	x.err = &err;
	if (store_export_models(x.st, where, collect_model, &x, &err) < 0) {
		rc = cmd_fail(where ? EXIT_USAGE : EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	/* the models of each id, in path order, for lineage */
	for (size_t i = x.n; i-- > 0;) {
		uint64_t at;

		if (!x.v[i].model_id)
			continue;
		if (strmap_get(&x.by_id, x.v[i].model_id, &at))
			x.v[i].next_same_id = at;
		strmap_put(&x.by_id, x.v[i].model_id, i, 0);
	}
	x.texts = json_object();
	x.card = json_object();
	x.weights = json_array();
	out = fmt == FMT_CYCLONEDX ? cyclonedx(&x, &failed) : spdx(&x, &failed);
	if (failed) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	if (!out || json_dumpf(out, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
			       JSON_ENSURE_ASCII) < 0 || putchar('\n') == EOF) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "cannot write the export to standard output");
		goto out;
	}
out:
	json_decref(out);
	json_decref(x.texts);
	json_decref(x.card);
	json_decref(x.weights);
	clear_files(&x);
	free(x.files);
	for (size_t i = 0; i < x.n; i++)
		xmodel_release(&x.v[i]);
	free(x.v);
	strmap_clear(&x.by_id);
	store_close(x.st, NULL);
	rules_free(rules);
	strlist_clear(&dirs);
	return rc;
}
