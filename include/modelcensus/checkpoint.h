/*
 * checkpoint.h: license metadata from checkpoint headers (GGUF and
 * safetensors), read without ever reading tensor data; Git LFS pointers;
 * which file names are weights.
 *
 * One format a file: gguf.c (magic, versions 2 and 3, tensor count,
 * key/value pairs of every value type including nested arrays),
 * safetensors.c (8-byte little-endian length, then a JSON object whose
 * `__metadata__` maps strings to strings, parsed with jansson), lfs.c (LFS
 * pointer files); checkpoint.c holds what they share and reads a file on
 * disk by its name.  Every length and count is checked against CKPT_MAX_*
 * and against the file size before anything is allocated or skipped.  The
 * readers read through a caller-supplied reader so that the same code
 * serves files on disk and blobs in git.  They never map ids through rules.
 */
#ifndef MODELCENSUS_CHECKPOINT_H
#define MODELCENSUS_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "util.h"

#define CKPT_MAX_HEADER (100u << 20)	/* bytes of header read at most */
#define CKPT_MAX_KV 1000000u		/* GGUF key/value pairs */
#define CKPT_MAX_STRING (16u << 20)	/* one GGUF string */
#define CKPT_MAX_ARRAY_DEPTH 8		/* GGUF arrays of arrays */
#define CKPT_MAX_KEY 65535u		/* one GGUF key (the GGUF spec's own limit) */
#define CKPT_MAX_BASE_MODELS 256u	/* general.base_model.N: larger N ignored */
#define CKPT_MAX_EXTRA 64u		/* license-like pairs kept in ckpt_meta.extra */
#define LFS_POINTER_MAX 1024u		/* an LFS pointer file is smaller than this */

enum ckpt_format {
	CKPT_NONE = 0,
	CKPT_GGUF,
	CKPT_SAFETENSORS,
};

/* What a header says about licensing and provenance; absent keys are NULL. */
struct ckpt_meta {
	enum ckpt_format format;
	uint32_t version;		/* GGUF version */
	uint64_t tensor_count;
	char *license;			/* general.license, or safetensors `license` */
	char *license_name;		/* general.license.name */
	char *license_link;		/* general.license.link */
	char *name;			/* general.name */
	char *architecture;		/* general.architecture */
	char *source_model_id;		/* org/name from general.source.* or repo_url */
	struct strlist base_models;	/* general.base_model.N.repo_url / organization+name */
	struct strlist extra;		/* other license-like "key=value" pairs seen */
};

void ckpt_meta_release(struct ckpt_meta *m);

/*
 * Reads the header of a checkpoint file.  `size` is the file's size; the
 * reader returns the number of bytes read at `off` into buf (short at end
 * of file) or -1.  Returns 0 with *out filled, or -1 with err saying what
 * is wrong (truncated, lying length or count, bad magic...).  *out is
 * overwritten (it must own nothing yet); the caller releases it with
 * ckpt_meta_release() in both cases.
 *
 * GGUF: versions 2 and 3 only; version 1 (32-bit counts, 2023) and
 * big-endian files are rejected with an error naming them.  The source
 * keys are tried in this order, the first that names a Hub model winning:
 * general.source.huggingface.repository (also the old misspelling
 * "hugginface"), general.source.repo_url, general.source.url,
 * general.repo_url.  A base model is its repo_url when that is a Hub URL,
 * else, when there is no repo_url at all, organization/name when both are
 * valid Hub id parts (llama.cpp writes display titles such as "Meta Llama"
 * there: those are dropped).  Other keys naming a license (any case,
 * "license" or "licence") with a string value go to extra as "key=value".
 * general.base_model.count is not trusted: the entries present decide.
 * Keys of interest with a value that is not a string are skipped.
 *
 * safetensors: __metadata__ values that are not strings are skipped; a
 * header that is not valid JSON, or not an object, is an error.
 */
typedef long (*ckpt_read_fn)(void *ctx, uint64_t off, void *buf, size_t len);
int ckpt_read_gguf(ckpt_read_fn rd, void *ctx, uint64_t size,
		   struct ckpt_meta *out, struct mc_error *err);
int ckpt_read_safetensors(ckpt_read_fn rd, void *ctx, uint64_t size,
			  struct ckpt_meta *out, struct mc_error *err);

/*
 * Convenience: a file on disk, read with pread, by its name's extension
 * (.gguf or .safetensors, any case).  Returns 0 with out->format CKPT_NONE,
 * and nothing else filled, when there is no header to read: the file is a
 * Git LFS pointer (checked first, by content) or its extension names
 * neither format.  Errors are the readers' messages prefixed with the path
 * in quotes.  The caller releases *out in every case.
 */
int ckpt_read_path(const char *path, struct ckpt_meta *out,
		   struct mc_error *err);

/*
 * Returns 1 when data is a Git LFS pointer file: fewer than
 * LFS_POINTER_MAX bytes, first line "version https://git-lfs.github.com/spec/v1",
 * then "key value" lines among which exactly one "oid sha256:<64 lowercase
 * hex>" and one "size <decimal>".  Then *oid (when oid is not NULL) is the 64
 * hex digits, owned by the caller, and *size the size of the real content.
 * Returns 0 otherwise, touching neither.
 */
int lfs_pointer_parse(const char *data, size_t len, char **oid,
		      uint64_t *size);

/* The format a weight file's name implies: "safetensors", "gguf",
 * "pytorch", "onnx", "ckpt", "pt", or NULL when not a weight file. */
const char *weight_format(const char *name);

/* ---- shared by the format readers (gguf.c, safetensors.c) ---- */

/* Reads exactly n bytes at off through rd, or fewer only at end of file;
 * returns how many, or -1 when rd failed. */
int64_t ckpt_read_upto(ckpt_read_fn rd, void *ctx, uint64_t off, void *buf,
		       size_t n);
/* Does key speak of a license (ASCII, any case, "licen[cs]e")? */
int ckpt_license_like(const char *key);

static inline uint32_t ckpt_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t ckpt_le64(const unsigned char *p)
{
	return (uint64_t)ckpt_le32(p) | (uint64_t)ckpt_le32(p + 4) << 32;
}

/* The first bytes of an LFS pointer, as a header reader sees them. */
static inline int ckpt_looks_like_lfs(const unsigned char *p, size_t n)
{
	return n >= 8 && !memcmp(p, "version ", 8);
}

#endif
