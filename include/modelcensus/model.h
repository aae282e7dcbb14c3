/*
 * model.h: one model as it flows through the pipeline
 *   walk -> read -> parse -> identify -> decide -> store.
 *
 * The walker fills path and layout; the reader (repo.h) fills identity,
 * files, weights and errors; card.c parses the card; match.c fills each
 * file's matches; verdict.c fills the verdict.  Each stage only adds to
 * the struct; none calls back into an earlier one.  model.c owns the
 * struct's life cycle and the names of its enums.
 */
#ifndef MODELCENSUS_MODEL_H
#define MODELCENSUS_MODEL_H

#include <stdint.h>
#include <sys/stat.h>
#include "util.h"
#include "card.h"
#include "match.h"
#include "checkpoint.h"
#include "watch.h"
#include "derive.h"

enum layout {
	LAYOUT_GIT,
	LAYOUT_BARE,
	LAYOUT_HF_CACHE,
	LAYOUT_DIR,
	LAYOUT_FILE,
};
const char *layout_name(enum layout l);

/* What a file read for licensing is to the verdict (docs/verdicts.md). */
enum file_role {
	ROLE_CARD,		/* the model card */
	ROLE_LICENSE,		/* LICENSE, COPYING, ... at the root */
	ROLE_WEIGHTS_LICENSE,	/* MODEL_LICENSE, LICENSE-MODEL, ... : governs */
	ROLE_USE_POLICY,	/* USE_POLICY.md */
	ROLE_NOTICE,		/* NOTICE: shown, never governing */
	ROLE_DATA_LICENSE,	/* DATA_LICENSE, LICENSE-DATASET: the data's, shown,
				 * never governing */
	ROLE_LINKED,		/* the file a relative license_link names */
};
const char *file_role_name(enum file_role r);

/* Files larger than this are recorded as too large and not read whole. */
#define MODEL_FILE_CAP (4u << 20)

struct model_file {
	char *name;		/* path relative to the model root */
	enum file_role role;
	uint64_t size;		/* size of the file or blob */
	char *oid;		/* git blob id, NULL for plain files */
	char *data;		/* content read (NUL-terminated), NULL when not read */
	size_t len;
	char *error;		/* NULL, or why it was not read */
	char *note;		/* NULL, or where it came from when not the model's
				 * own folder (a repository root's license) */
	int from_root;		/* a repository root's, for a model in a folder
				 * with no license file: counts only when the
				 * card names no license either */
	struct match_list matches;	/* filled by the identify stage */
	size_t restriction_line;	/* identify: first restriction phrase, 0 if none */
	char *restriction_quote;	/* identify: the restricting sentences quoted, or NULL */
};

struct weight_file {
	char *path;		/* relative to the model root */
	const char *format;	/* weight_format() */
	uint64_t size;		/* real size: from the LFS pointer when one */
	char *lfs_oid;		/* sha256 of an LFS pointer, else NULL */
	int present;		/* content present (not only a pointer) */
	int incomplete;		/* an HF cache *.incomplete download */
	struct ckpt_meta meta;	/* header metadata when read */
	char *error;		/* NULL, or why the header could not be read */
};

struct model {
	/* walk */
	char *path;		/* absolute */
	enum layout layout;
	/* git, bare: 0 when the repository is the model; else the model is a
	 * folder (or GGUF file) in its tree of HEAD, path is
	 * "<repository>/<folder>", and this is the repository's length */
	size_t repo_len;
	/* git, bare: without a remote, take org/name from the repository's
	 * path (scan --model-id-from-path) */
	int id_from_path;
	/* scan --history (history.h): read this commit (git, bare) or
	 * snapshot (hf-cache) instead of HEAD or refs/main, and from objects
	 * only (no work-tree file, no watch record); NULL: HEAD */
	char *at_revision;
	int listed;		/* the walker listed the folder: */
	struct strlist listing;	/* its entry names, sorted */
	struct stat folder_st;	/* and its stat() */

	/* read */
	char *model_id;		/* org/name, or NULL */
	char *revision;		/* commit id, or NULL */
	char *card_name;	/* the file the card came from, or NULL */
	char *card_text;	/* its content (card.body points into it) */
	size_t card_len;
	struct model_file *files;
	size_t nfiles, files_alloc;
	struct weight_file *weights;
	size_t nweights, weights_alloc;
	struct strlist base_models;	/* the card's base_model ids, the adapter's,
					 * then those of checkpoint headers, each once */
	struct strlist adapter_bases;	/* adapter_config.json's base_model_name_or_path
					 * when a Hub id (repo.c) */
	struct strlist known_missing;	/* files the Hub says do not exist */
	struct strlist snapshots;	/* hf-cache: revisions present */
	struct watch watch;	/* what the reading depended on (watch.h) */
	uint64_t signature;	/* watch_signature() of it, 0 for none */
	uint64_t shard_hash;	/* store_shard_hash() of path: scan --shard */
	char *error;		/* NULL, or what went wrong reading it */
	/* a read failed (model_set_error()): the next scan reads it again
	 * even if unchanged; not so for a problem in what was read */
	int retry;

	/* parse */
	int has_card;
	struct card card;

	/* identify: card body matches */
	struct match_list body_matches;
	int body_restriction;	/* card body restricts commercial use: enum restrict_class */
	size_t body_restriction_line;
	struct derivations derived;	/* bases the card body names (derive.h) */
	char *body_restriction_quote;	/* the sentences quoted, or NULL */
};

void model_init(struct model *m, const char *path, enum layout layout);
void model_release(struct model *m);

/* Adds a file and returns it (owned by m); name is copied. */
struct model_file *model_add_file(struct model *m, const char *name,
				  enum file_role role);
struct weight_file *model_add_weight(struct model *m, const char *path,
				     const char *format);
/* Sets m->error unless already set (the first error is the one shown), and
 * m->retry. */
void model_set_error(struct model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same for a problem in what was read (a card that does not parse),
 * which reading it again unchanged would only repeat: no retry. */
void model_set_problem(struct model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The role a root-level file name has for licensing, or -1 when it is not
 * read for licensing (docs/verdicts.md, "file" source).
 */
int file_role_for_name(const char *name);

#endif
