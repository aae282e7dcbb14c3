/*
 * yaml_doc.h: reading a small YAML file as a libyaml document (node API),
 * for the rule files (rules.c) and the `check` policy (policy.c).
 *
 * yaml_doc.c owns: parsing a buffer as exactly one document, walking a
 * mapping's key/value pairs and a list's items, reading scalars, and
 * messages that name the file and the node's line ("FILE:LINE: ...").
 * What the keys mean is the caller's; nothing here prints.  Cards are read
 * elsewhere (card.c, libyaml's event API).
 */
#ifndef MODELCENSUS_YAML_DOC_H
#define MODELCENSUS_YAML_DOC_H

#include <stddef.h>
#include <yaml.h>
#include "util.h"

struct yaml_doc {
	yaml_document_t doc;
	const char *file;	/* for messages; not copied */
	struct mc_error *err;	/* where yaml_doc_fail() writes */
	int loaded;
};

/*
 * Parses buf (len bytes) as one YAML document.  Fails with err set to
 * "FILE:LINE: YAML error: ..." for bad YAML, or to "FILE:LINE: more than one
 * YAML document".  file and err must outlive d: yaml_doc_fail() uses them.
 * yaml_doc_release() frees d, also after a failure.
 */
int yaml_doc_load(struct yaml_doc *d, const char *file, const char *buf, size_t len,
		  struct mc_error *err);
void yaml_doc_release(struct yaml_doc *d);

/* The root node, or NULL for an empty document. */
yaml_node_t *yaml_doc_root(struct yaml_doc *d);

/* Sets d's error to "FILE:LINE: message" (line 0 without a node); returns -1. */
int yaml_doc_fail(struct yaml_doc *d, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The 1-based line where n starts. */
size_t yaml_doc_line(const yaml_node_t *n);
/* n's text when it is a scalar, else NULL. */
const char *yaml_doc_scalar(const yaml_node_t *n);
/* Is n a null: a plain scalar "", "~" or "null" (any of YAML's spellings)? */
int yaml_doc_is_null(const yaml_node_t *n);

/* One key/value pair of a mapping; key is NULL when the key is not a scalar. */
struct yaml_pair {
	const char *key;
	yaml_node_t *key_node, *value;
};

/*
 * The i-th pair of mapping node map (0-based), in file order: 1 with *out
 * set, 0 past the last pair or when map is not a mapping.  The loop:
 *   for (i = 0; yaml_doc_pair(d, map, i, &p); i++)
 */
int yaml_doc_pair(struct yaml_doc *d, const yaml_node_t *map, size_t i,
		  struct yaml_pair *out);
/* Fails (yaml_doc_fail) on the first key of map that is not a scalar or
 * that appeared before: "duplicate key 'k' (first at line N)". */
int yaml_doc_unique_keys(struct yaml_doc *d, const yaml_node_t *map);

/* The i-th item of sequence node seq, or NULL past the last one or when seq
 * is not a sequence. */
yaml_node_t *yaml_doc_item(struct yaml_doc *d, const yaml_node_t *seq, size_t i);

#endif
