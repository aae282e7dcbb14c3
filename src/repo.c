/*
 * repo.c: reading a model (repo.h).  repo_read() picks the layout's
 * backend (repo_git.c, repo_fs.c), has it list the model's tree, and then
 * does what every layout shares: which root files are read for licensing,
 * choosing the card, the file a relative license_link names, weight files
 * with their LFS pointers and headers, the watch record of what was used,
 * and model ids from remote URLs and cache folder names.
 *
 * Caps: a licensing file or card larger than MODEL_FILE_CAP is recorded as
 * too large and not read; a weight file is never read beyond its header
 * (checkpoint.h caps) and only files under LFS_POINTER_MAX bytes are read
 * to see whether they are LFS pointers; adapter_config.json is read up to
 * ADAPTER_CONFIG_MAX bytes.
 *
 * A PEFT adapter (a folder with adapter_config.json) cannot be used
 * without the model it applies to, so its base_model_name_or_path, when
 * it is a Hub id (hub_id_parse(); a local path such as /home/x/llama or
 * ./out is none), joins the model's base models after the card's
 * base_model ids (a union: an id the card already gives, in any case, is
 * not added again) and goes to the same lineage.  m->adapter_bases keeps
 * it apart so the store can say where it came from.  A file that cannot
 * be read or parsed is a problem of the model, never of the scan.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/repo.h"
#include "modelcensus/hub_id.h"
#include "modelcensus/banned.h"

void repo_tree_add(struct repo_tree *l, const char *path, uint64_t size,
		   const char *oid, const char *local)
{
	struct repo_entry *e;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->path = xstrdup(path);
	e->size = size;
	e->oid = oid ? xstrdup(oid) : NULL;
	e->local = local ? xstrdup(local) : NULL;
	e->outer = 0;
}

void repo_tree_clear(struct repo_tree *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].oid);
		free(l->v[i].local);
	}
	free(l->v);
	free(l->remote_url);
	memset(l, 0, sizeof(*l));
}

static const struct repo_entry *find_entry(const struct repo_tree *l,
					   const char *path, int icase)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].outer)
			continue;
		else if (icase ? str_iequal(l->v[i].path, path) : !strcmp(l->v[i].path, path))
			return &l->v[i];
	return NULL;
}

/* How repo_read() reads one model: its backend and the backend's state. */
struct reader {
	struct model *m;
	const struct repo_backend *be;
	void *ctx;
};

/* An entry whose content or size goes into the model joins its watch
 * record, with the stat it was listed under (before it is read). */
static void use(const struct reader *rd, const struct repo_entry *e)
{
	if (e->has_st)
		watch_add(&rd->m->watch, rd->m->path, e->local, &e->st);
}

/* Reads e into f, honouring MODEL_FILE_CAP. */
static void read_into(struct model_file *f, const struct repo_entry *e,
		      const struct reader *rd)
{
	struct mc_error err;
	int truncated;

	use(rd, e);
	f->size = e->size;
	f->oid = e->oid ? xstrdup(e->oid) : NULL;
	if (e->size > MODEL_FILE_CAP) {
		f->error = xstrfmt("too large to read (%llu bytes; the cap is %u)",
				   (unsigned long long)e->size, MODEL_FILE_CAP);
		return;
	}
	if (rd->be->read(rd->ctx, e, MODEL_FILE_CAP, &f->data, &f->len, &truncated,
		     &err) < 0) {
		f->error = xstrdup(err.msg);
		f->data = NULL;
		f->len = 0;
		return;
	}
	if (truncated) {
		f->error = xstrfmt("too large to read (more than %u bytes)",
				   MODEL_FILE_CAP);
		free(f->data);
		f->data = NULL;
		f->len = 0;
	}
}


/*
 * The card: README.md when it has front matter, else the first of the
 * other card names (any case) that has one, else README.md as text only.
 */
static void choose_card(struct model *m, const struct repo_tree *entries,
			const struct reader *rd)
{
	struct model_file fallback;
	int have_fallback = 0;

	memset(&fallback, 0, sizeof(fallback));
	for (size_t i = 0; i < CARD_FILE_COUNT; i++) {
		const struct repo_entry *e = find_entry(entries, card_file_names[i], i > 0);
		struct model_file f;

		if (!e)
			continue;
		memset(&f, 0, sizeof(f));
		read_into(&f, e, rd);
		if (f.error) {
			model_set_error(m, "card '%s': %s", e->path, f.error);
			free(f.data);
			free(f.oid);
			free(f.error);
			continue;
		}
		if (f.data && card_opens_front_matter(f.data, f.len)) {
			m->card_name = xstrdup(e->path);
			m->card_text = f.data;
			m->card_len = f.len;
			free(f.oid);
			if (have_fallback)
				free(fallback.data);
			have_fallback = 0;
			break;
		}
		if (i == 0 && f.data) {
			fallback = f;
			fallback.name = xstrdup(e->path);
			have_fallback = 1;
			free(f.oid);
			continue;
		}
		free(f.data);
		free(f.oid);
	}
	if (!m->card_name && have_fallback) {
		m->card_name = fallback.name;
		m->card_text = fallback.data;
		m->card_len = fallback.len;
	}
	if (m->card_text) {
		card_parse(&m->card, m->card_text, m->card_len);
		m->has_card = 1;
		if (m->card.error)
			model_set_problem(m, "card '%s': %s", m->card_name, m->card.error);
	}
}

static int is_relative_link(const char *link)
{
	return link && *link && !strstr(link, "://") && link[0] != '/' &&
	       !str_has_prefix(link, "mailto:") && !strstr(link, "..");
}

static void collect_weights(struct model *m, const struct repo_tree *entries,
			    const struct reader *rd)
{
	for (size_t i = 0; i < entries->n; i++) {
		const struct repo_entry *e = &entries->v[i];
		const char *fmt = weight_format(e->path);
		struct weight_file *w;

		if (!fmt || e->outer)
			continue;
		use(rd, e);
		w = model_add_weight(m, e->path, fmt);
		w->size = e->size;
		w->present = 1;
		if (e->size < LFS_POINTER_MAX) {
			struct mc_error err;
			char *data;
			size_t len;
			int truncated;

			if (rd->be->read(rd->ctx, e, LFS_POINTER_MAX, &data, &len,
				     &truncated, &err) == 0) {
				char *oid;
				uint64_t size;

				if (lfs_pointer_parse(data, len, &oid, &size)) {
					w->lfs_oid = oid;
					w->size = size;
					w->present = 0;
				}
				free(data);
			}
		}
		if (w->present && e->local &&
		    (!strcmp(fmt, "gguf") || !strcmp(fmt, "safetensors"))) {
			struct mc_error err;

			if (ckpt_read_path(e->local, &w->meta, &err) < 0) {
				w->error = xstrdup(err.msg);
				model_set_error(m, "%s", err.msg);
			}
		}
	}
}

/* Adds id to l unless l holds it in any case. */
static void add_base_icase(struct strlist *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (str_iequal(l->v[i], id))
			return;
	strlist_add(l, id);
}

/* The base model a PEFT adapter's adapter_config.json names, into
 * m->adapter_bases. */
static void read_adapter_config(struct model *m, const struct repo_tree *entries,
				const struct reader *rd)
{
	const struct repo_entry *e = find_entry(entries, "adapter_config.json", 0);
	struct mc_error err;
	json_error_t jerr;
	json_t *root = NULL, *v;
	char *data = NULL, *id;
	size_t len;
	int truncated;

	if (!e)
		return;
	use(rd, e);
	if (e->size > ADAPTER_CONFIG_MAX) {
		model_set_problem(m, "'%s': too large to read (%llu bytes; the cap is %u)",
				  e->path, (unsigned long long)e->size, ADAPTER_CONFIG_MAX);
		return;
	}
	if (rd->be->read(rd->ctx, e, ADAPTER_CONFIG_MAX, &data, &len, &truncated,
			 &err) < 0) {
		model_set_error(m, "'%s': %s", e->path, err.msg);
		return;
	}
	if (truncated) {
		model_set_problem(m, "'%s': too large to read (more than %u bytes)",
				  e->path, ADAPTER_CONFIG_MAX);
		goto done;
	}
	root = json_loadb(data, len, 0, &jerr);
	if (!root) {
		model_set_problem(m, "'%s': not valid JSON: %s", e->path, jerr.text);
		goto done;
	}
	if (!json_is_object(root)) {
		model_set_problem(m, "'%s': not a JSON object", e->path);
		goto done;
	}
	v = json_object_get(root, "base_model_name_or_path");
	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		/* an org/name id or Hub URL; else a one-part Hub id, the names
		 * of the first Hub models ("distilbert-base-uncased", "gpt2"):
		 * a local path has a '/' or starts with '.' */
		id = hub_id_parse(s);
		if (!id && *s != '.' && hub_id_part_ok(s, strlen(s)))
			id = xstrdup(s);
		if (id)
			strlist_add_unique(&m->adapter_bases, id);
		free(id);
	}
done:
	json_decref(root);
	free(data);
}

/* Turns the listing into the files, card, weights and lineage of m. */
static void collect(struct model *m, const struct repo_tree *entries,
		    const struct reader *rd)
{
	int own = 0;

	for (size_t i = 0; i < entries->n; i++) {
		const struct repo_entry *e = &entries->v[i];
		int role = file_role_for_name(e->path);

		if (role < 0 || e->outer)
			continue;
		own += role == ROLE_LICENSE || role == ROLE_WEIGHTS_LICENSE;
		read_into(model_add_file(m, e->path, (enum file_role)role), e, rd);
	}
	/* a model inside a repository with no license file of its own: the
	 * repository root's apply, and the evidence says where they came from */
	for (size_t i = 0; !own && i < entries->n; i++) {
		const struct repo_entry *e = &entries->v[i];
		int role = file_role_for_name(e->path);
		struct model_file *f;

		if (role < 0 || !e->outer)
			continue;
		f = model_add_file(m, e->path, (enum file_role)role);
		read_into(f, e, rd);
		f->from_root = 1;
		f->note = xstrdup("from the repository root: the folder has no license file of its own");
	}
	choose_card(m, entries, rd);
	if (m->has_card && is_relative_link(m->card.license_link)) {
		const char *link = m->card.license_link;
		const struct repo_entry *e;

		while (str_has_prefix(link, "./"))
			link += 2;
		e = find_entry(entries, link, 0);
		if (e && file_role_for_name(e->path) < 0)
			read_into(model_add_file(m, e->path, ROLE_LINKED), e, rd);
	}
	collect_weights(m, entries, rd);
	read_adapter_config(m, entries, rd);

	/* lineage: the card's base models, the adapter's, then the
	 * checkpoints' */
	if (m->has_card)
		for (size_t i = 0; i < m->card.base_models.n; i++)
			strlist_add_unique(&m->base_models, m->card.base_models.v[i]);
	for (size_t i = 0; i < m->adapter_bases.n; i++)
		add_base_icase(&m->base_models, m->adapter_bases.v[i]);
	for (size_t i = 0; i < m->nweights; i++)
		for (size_t j = 0; j < m->weights[i].meta.base_models.n; j++)
			strlist_add_unique(&m->base_models, m->weights[i].meta.base_models.v[j]);
}

static const struct repo_backend *backend(enum layout layout)
{
	switch (layout) {
	case LAYOUT_GIT:
	case LAYOUT_BARE:
		return &repo_git_backend;
	case LAYOUT_HF_CACHE:
		return &repo_hf_cache_backend;
	case LAYOUT_DIR:
		return &repo_dir_backend;
	case LAYOUT_FILE:
		break;
	}
	return &repo_file_backend;
}

void repo_read(struct model *m)
{
	struct reader rd = { m, backend(m->layout), NULL };
	struct repo_tree tree = { 0 };
	int rc;

	if (m->layout == LAYOUT_HF_CACHE)
		m->model_id = hub_id_from_cache(m->path);
	rc = rd.be->open(m, &tree, &rd.ctx);
	if (tree.remote_url)
		m->model_id = hub_id_from_remote(tree.remote_url);
	/* a mirror copied rather than cloned has no remote: its path, if asked */
	else if (m->id_from_path && !m->repo_len &&
		 (m->layout == LAYOUT_GIT || m->layout == LAYOUT_BARE))
		m->model_id = hub_id_from_remote(m->path);
	if (rc == 0)
		collect(m, &tree, &rd);
	rd.be->close(rd.ctx);
	repo_tree_clear(&tree);
	/* a single file (also one inside a repository) names its model only in
	 * its checkpoint header */
	if ((m->layout == LAYOUT_FILE ||
	     (m->repo_len && str_has_isuffix(m->path, ".gguf"))) && m->nweights &&
	    m->weights[0].meta.source_model_id)
		m->model_id = xstrdup(m->weights[0].meta.source_model_id);
	m->signature = watch_signature(&m->watch);
}
