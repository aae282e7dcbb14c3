/*
 * yaml_doc.c: one YAML document read with libyaml's node API (yaml_doc.h),
 * shared by the rule files (rules.c) and the policy (policy.c): loading,
 * mapping pairs, list items, scalars and "FILE:LINE: ..." messages.
 */
#include <stdarg.h>
#include <string.h>

#include "modelcensus/yaml_doc.h"
#include "modelcensus/banned.h"

int yaml_doc_load(struct yaml_doc *d, const char *file, const char *buf, size_t len,
		  struct mc_error *err)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	int rc = -1;

	memset(d, 0, sizeof(*d));
	d->file = file;
	d->err = err;
	if (!yaml_parser_initialize(&parser))
		return mc_error_set(err, "%s: cannot initialise the YAML parser", file);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &d->doc)) {
		mc_error_set(err, "%s:%zu: YAML error: %s%s%s", file,
			     parser.problem_mark.line + 1,
			     parser.problem ? parser.problem : "malformed",
			     parser.context ? " " : "", parser.context ? parser.context : "");
		goto done;
	}
	d->loaded = 1;
	if (!yaml_document_get_root_node(&d->doc)) {
		rc = 0;		/* empty: the caller says what was expected */
		goto done;
	}
	if (!yaml_parser_load(&parser, &extra)) {
		mc_error_set(err, "%s:%zu: YAML error: %s", file, parser.problem_mark.line + 1,
			     parser.problem ? parser.problem : "malformed");
		goto done;
	}
	if (yaml_document_get_root_node(&extra)) {
		mc_error_set(err, "%s:%zu: more than one YAML document (use a list for several items)", file,
			     extra.start_mark.line + 1);
		yaml_document_delete(&extra);
		goto done;
	}
	yaml_document_delete(&extra);
	rc = 0;
done:
	yaml_parser_delete(&parser);
	return rc;
}

void yaml_doc_release(struct yaml_doc *d)
{
	if (d->loaded)
		yaml_document_delete(&d->doc);
	d->loaded = 0;
}

yaml_node_t *yaml_doc_root(struct yaml_doc *d)
{
	return d->loaded ? yaml_document_get_root_node(&d->doc) : NULL;
}

int yaml_doc_fail(struct yaml_doc *d, const yaml_node_t *n, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	mc_error_set(d->err, "%s:%zu: %s", d->file, n ? yaml_doc_line(n) : 0,
		     strbuf_str(&sb));
	strbuf_release(&sb);
	return -1;
}

size_t yaml_doc_line(const yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

const char *yaml_doc_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int yaml_doc_is_null(const yaml_node_t *n)
{
	const char *s = yaml_doc_scalar(n);

	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

int yaml_doc_pair(struct yaml_doc *d, const yaml_node_t *map, size_t i,
		  struct yaml_pair *out)
{
	const yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return 0;
	p = map->data.mapping.pairs.start + i;
	if (p >= map->data.mapping.pairs.top)
		return 0;
	out->key_node = yaml_document_get_node(&d->doc, p->key);
	out->value = yaml_document_get_node(&d->doc, p->value);
	out->key = yaml_doc_scalar(out->key_node);
	return 1;
}

int yaml_doc_unique_keys(struct yaml_doc *d, const yaml_node_t *map)
{
	struct yaml_pair a, b;

	for (size_t i = 0; yaml_doc_pair(d, map, i, &a); i++) {
		if (!a.key)
			return yaml_doc_fail(d, a.key_node, "keys must be strings");
		for (size_t j = 0; j < i && yaml_doc_pair(d, map, j, &b); j++)
			if (!strcmp(a.key, b.key))
				return yaml_doc_fail(d, a.key_node,
						     "duplicate key '%s' (first at line %zu)",
						     a.key, yaml_doc_line(b.key_node));
	}
	return 0;
}

yaml_node_t *yaml_doc_item(struct yaml_doc *d, const yaml_node_t *seq, size_t i)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE ||
	    seq->data.sequence.items.start + i >= seq->data.sequence.items.top)
		return NULL;
	return yaml_document_get_node(&d->doc, seq->data.sequence.items.start[i]);
}
