/*
 * checkpoint.h: license metadata from checkpoint headers (GGUF and
 * safetensors), read without ever reading tensor data.
 *
 * checkpoint.c owns: the GGUF header (magic, versions 2 and 3, tensor count,
 * key/value pairs of every value type including nested arrays) and the
 * safetensors header (8-byte little-endian length, then a JSON object whose
 * `__metadata__` maps strings to strings, parsed with jansson: only the
 * store talks to SQLite).  Every length and count is checked against CKPT_MAX_* and
 * against the file size before anything is allocated or skipped.  It reads
 * through a caller-supplied reader so that the same code serves files on
 * disk and blobs in git.  It never maps ids through rules.
 */
#ifndef MODELCENSUS_CHECKPOINT_H
#define MODELCENSUS_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

#define CKPT_MAX_HEADER (100u << 20)	/* bytes of header read at most */
#define CKPT_MAX_KV 1000000u		/* GGUF key/value pairs */
#define CKPT_MAX_STRING (16u << 20)	/* one GGUF string */
#define CKPT_MAX_ARRAY_DEPTH 8		/* GGUF arrays of arrays */

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
 * is wrong (truncated, lying length or count, bad magic...).  The caller
 * releases *out with ckpt_meta_release() in both cases.
 */
typedef long (*ckpt_read_fn)(void *ctx, uint64_t off, void *buf, size_t len);
int ckpt_read_gguf(ckpt_read_fn rd, void *ctx, uint64_t size,
		   struct ckpt_meta *out, struct mc_error *err);
int ckpt_read_safetensors(ckpt_read_fn rd, void *ctx, uint64_t size,
			  struct ckpt_meta *out, struct mc_error *err);

/* Convenience: a file on disk, by its name's extension. */
int ckpt_read_path(const char *path, struct ckpt_meta *out,
		   struct mc_error *err);

/* The format a weight file's name implies: "safetensors", "gguf",
 * "pytorch", "onnx", "ckpt", "pt", or NULL when not a weight file. */
const char *weight_format(const char *name);

#endif
