/*
 * model.c: the life cycle of struct model and the names of its enums
 * (model.h), and which root-level file names are read for licensing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/model.h"
#include "modelcensus/banned.h"

const char *layout_name(enum layout l)
{
	switch (l) {
	case LAYOUT_GIT: return "git";
	case LAYOUT_BARE: return "bare";
	case LAYOUT_HF_CACHE: return "hf-cache";
	case LAYOUT_DIR: return "dir";
	case LAYOUT_FILE: return "file";
	}
	return "?";
}

const char *file_role_name(enum file_role r)
{
	switch (r) {
	case ROLE_CARD: return "card";
	case ROLE_LICENSE: return "license";
	case ROLE_WEIGHTS_LICENSE: return "weights-license";
	case ROLE_USE_POLICY: return "use-policy";
	case ROLE_NOTICE: return "notice";
	case ROLE_DATA_LICENSE: return "data-license";
	case ROLE_LINKED: return "license-link";
	}
	return "?";
}

void model_init(struct model *m, const char *path, enum layout layout)
{
	memset(m, 0, sizeof(*m));
	m->path = xstrdup(path);
	m->layout = layout;
	watch_init(&m->watch);
}

static void file_release(struct model_file *f)
{
	free(f->name);
	free(f->oid);
	free(f->data);
	free(f->error);
	free(f->restriction_quote);
	free(f->note);
	match_list_clear(&f->matches);
}

static void weight_release(struct weight_file *w)
{
	free(w->path);
	free(w->lfs_oid);
	free(w->error);
	ckpt_meta_release(&w->meta);
}

void model_release(struct model *m)
{
	free(m->path);
	free(m->at_revision);
	free(m->model_id);
	free(m->revision);
	free(m->card_name);
	free(m->card_text);
	for (size_t i = 0; i < m->nfiles; i++)
		file_release(&m->files[i]);
	free(m->files);
	for (size_t i = 0; i < m->nweights; i++)
		weight_release(&m->weights[i]);
	free(m->weights);
	strlist_clear(&m->base_models);
	strlist_clear(&m->adapter_bases);
	strlist_clear(&m->known_missing);
	strlist_clear(&m->snapshots);
	free(m->error);
	watch_release(&m->watch);
	strlist_clear(&m->listing);
	if (m->has_card)
		card_release(&m->card);
	match_list_clear(&m->body_matches);
	derivations_clear(&m->derived);
	free(m->body_restriction_quote);
	memset(m, 0, sizeof(*m));
}

struct model_file *model_add_file(struct model *m, const char *name,
				  enum file_role role)
{
	struct model_file *f;

	ALLOC_GROW(m->files, m->nfiles + 1, m->files_alloc);
	f = &m->files[m->nfiles++];
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name);
	f->role = role;
	return f;
}

struct weight_file *model_add_weight(struct model *m, const char *path,
				     const char *format)
{
	struct weight_file *w;

	ALLOC_GROW(m->weights, m->nweights + 1, m->weights_alloc);
	w = &m->weights[m->nweights++];
	memset(w, 0, sizeof(*w));
	w->path = xstrdup(path);
	w->format = format;
	return w;
}

static void set_error(struct model *m, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	if (m->error)
		return;
	strbuf_vaddf(&sb, fmt, ap);
	m->error = strbuf_detach(&sb);
}

void model_set_error(struct model *m, const char *fmt, ...)
{
	va_list ap;

	m->retry = 1;
	va_start(ap, fmt);
	set_error(m, fmt, ap);
	va_end(ap);
}

void model_set_problem(struct model *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error(m, fmt, ap);
	va_end(ap);
}

/* Lower-cases name and removes separators, so LICENSE-MODEL, license_model
 * and "License Model" all read "licensemodel". */
static void fold_name(const char *name, char *out, size_t cap)
{
	size_t n = 0;

	for (; *name && n + 1 < cap; name++) {
		char c = *name;

		if (c == '-' || c == '_' || c == ' ' || c == '.')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		out[n++] = c;
	}
	out[n] = '\0';
}

int file_role_for_name(const char *name)
{
	char stem[256], folded[256];
	const char *dot = strrchr(name, '.');
	size_t stem_len;

	if (strchr(name, '/'))
		return -1;
	/* the GNU names for the LGPL's text */
	if (str_iequal(name, "COPYING.LESSER") || str_iequal(name, "COPYING.LIB"))
		return ROLE_LICENSE;
	/* no extension, or .md/.txt/.rst */
	if (dot && dot != name && !(str_iequal(dot, ".md") ||
				    str_iequal(dot, ".txt") ||
				    str_iequal(dot, ".rst")))
		return -1;
	stem_len = dot && dot != name ? (size_t)(dot - name) : strlen(name);
	if (stem_len >= sizeof(stem))
		return -1;
	memcpy(stem, name, stem_len);
	stem[stem_len] = '\0';
	fold_name(stem, folded, sizeof(folded));

	if (!strcmp(folded, "usepolicy"))
		return ROLE_USE_POLICY;
	if (!strcmp(folded, "notice"))
		return ROLE_NOTICE;
	if (!strcmp(folded, "copying"))
		return ROLE_LICENSE;
	if (!strstr(folded, "license") && !strstr(folded, "licence"))
		return -1;
	/* the license of a data set shipped beside the model, not the model's */
	if (strstr(folded, "data"))
		return ROLE_DATA_LICENSE;
	if (strstr(folded, "model") || strstr(folded, "weight"))
		return ROLE_WEIGHTS_LICENSE;
	return ROLE_LICENSE;
}
