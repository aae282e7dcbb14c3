/*
 * safetensors.c: the license metadata of a safetensors header
 * (checkpoint.h: ckpt_read_safetensors).
 *
 * Owns: the 8-byte little-endian header length and the JSON header, parsed
 * with jansson, whose `__metadata__` object maps strings to strings.  Hands
 * on: a struct ckpt_meta the caller owns.  Never reads tensor data.
 *
 * Caps: the header length is checked against the file size and against
 * CKPT_MAX_HEADER before it is allocated; at most CKPT_MAX_EXTRA
 * license-like pairs are kept.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "modelcensus/checkpoint.h"
#include "modelcensus/banned.h"

/* A string value of the object, trimmed and non-empty, or NULL. */
static const char *json_str_at(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return *s ? s : NULL;
}

/* Fills meta from a __metadata__ object of string -> string. */
static void safetensors_metadata(json_t *md, struct ckpt_meta *m)
{
	static const char *const license_keys[] = {
		"license", "License", "licence", "modelspec.license",
	};
	const char *license_key = NULL, *key, *s;
	json_t *v;

	for (size_t i = 0; i < sizeof(license_keys) / sizeof(*license_keys);
	     i++) {
		s = json_str_at(md, license_keys[i]);
		if (s) {
			m->license = str_trim(xstrdup(s));
			license_key = license_keys[i];
			break;
		}
	}
	s = json_str_at(md, "modelspec.title");
	if (!s)
		s = json_str_at(md, "name");
	if (s)
		m->name = str_trim(xstrdup(s));
	s = json_str_at(md, "modelspec.architecture");
	if (s)
		m->architecture = str_trim(xstrdup(s));

	json_object_foreach(md, key, v) {
		if (m->extra.n >= CKPT_MAX_EXTRA)
			break;
		if (!json_is_string(v) ||
		    (license_key && !strcmp(key, license_key)) ||
		    !ckpt_license_like(key))
			continue;
		strlist_add_nodup(&m->extra, xstrfmt("%s=%s", key,
						     json_string_value(v)));
	}
	strlist_sort(&m->extra);
}

int ckpt_read_safetensors(ckpt_read_fn rd, void *ctx, uint64_t size,
			  struct ckpt_meta *out, struct mc_error *err)
{
	unsigned char lenbuf[8];
	uint64_t n;
	int64_t got;
	char *buf = NULL;
	json_t *root = NULL, *md;
	json_error_t jerr;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (size < 8) {
		mc_error_set(err, "safetensors header: the file is %" PRIu64
			     " bytes, too short for the 8-byte header length",
			     size);
		goto done;
	}
	got = ckpt_read_upto(rd, ctx, 0, lenbuf, 8);
	if (got != 8) {
		mc_error_set(err, "safetensors header: %s at offset 0",
			     got < 0 ? "read failed" : "file ends");
		goto done;
	}
	if (ckpt_looks_like_lfs(lenbuf, 8)) {
		mc_error_set(err, "safetensors header: the file is a git lfs "
			     "pointer, not safetensors data");
		goto done;
	}
	n = ckpt_le64(lenbuf);
	if (n > size - 8) {
		mc_error_set(err, "safetensors header: header length %" PRIu64
			     " at offset 0 exceeds the file (%" PRIu64
			     " bytes left)", n, size - 8);
		goto done;
	}
	if (n > CKPT_MAX_HEADER) {
		mc_error_set(err, "safetensors header: header length %" PRIu64
			     " at offset 0 exceeds the cap of %u", n,
			     CKPT_MAX_HEADER);
		goto done;
	}
	buf = xmalloc((size_t)n + 1);
	got = ckpt_read_upto(rd, ctx, 8, buf, (size_t)n);
	if (got < 0 || (uint64_t)got != n) {
		mc_error_set(err, "safetensors header: %s at offset %" PRIu64,
			     got < 0 ? "read failed" : "file ends",
			     got < 0 ? (uint64_t)8 : 8 + (uint64_t)got);
		goto done;
	}
	root = json_loadb(buf, (size_t)n, 0, &jerr);
	if (!root) {
		mc_error_set(err, "safetensors header: invalid JSON at line %d, "
			     "column %d: %s", jerr.line, jerr.column, jerr.text);
		goto done;
	}
	if (!json_is_object(root)) {
		mc_error_set(err, "safetensors header: not a JSON object");
		goto done;
	}
	out->format = CKPT_SAFETENSORS;
	md = json_object_get(root, "__metadata__");
	if (json_is_object(md))
		safetensors_metadata(md, out);
	ret = 0;
done:
	json_decref(root);
	free(buf);
	return ret;
}
