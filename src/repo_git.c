/*
 * repo_git.c: the backend for git work trees and bare repositories
 * (repo.h): lists the tree of HEAD through libgit2 and reads its blobs, so
 * no checkout, and bare mirrors need none.  Records the HEAD commit as
 * revision and hands repo.c the URL of the `origin` remote (else the
 * first remote) for the model id.  A repository with no commit, a HEAD on
 * a missing branch or an unreadable object gets model->error (naming the
 * file whose object is missing).  Blob sizes
 * come from object headers; content is read only for the files repo.c
 * asks for, after a size check.  The files that fix HEAD go into the
 * model's watch record (watch_head), so a rescan needs no libgit2 at all
 * for a repository that did not move.  With model->at_revision (scan
 * --history), the tree of that commit is read instead, from objects
 * alone (no work-tree file, no watch record).
 *
 * A model inside a repository (model->repo_len: a folder or GGUF file in
 * the tree of HEAD of a repository that is not one model) is listed from
 * that folder alone, with the repository root's licensing files marked
 * outer for repo.c.  repo_git_search() finds such models, with the `dir`
 * rules of walk.c (walk_is_model_folder()) applied to tree entries, cards
 * read from their blobs, and GGUF files, each (but a vocabulary-only one)
 * a model of its own, at the root as anywhere below it (a Hub "-GGUF"
 * repository is one model when its card has front matter).
 *
 * libgit2 is initialised at the first repository (git_libgit2_init()
 * parses the system's CA certificates: about 15 ms a run here), so a run
 * that reads no repository never pays for it.
 */
#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "modelcensus/repo.h"
#include "modelcensus/strmap.h"
#include "modelcensus/walk.h"
#include "modelcensus/banned.h"

struct git_ctx {
	git_repository *repo;
	git_odb *odb;
	const char *workdir;	/* NULL for bare repositories */
	const char *prefix;	/* the listed folder in the work tree ("" or "dir/") */
	int outer;		/* listing the repository root for a folder's model */
	struct repo_tree *tree;	/* where tree_cb() lists */
	char *error;	/* first libgit2 error met while walking (owned) */
};

static pthread_once_t git_once = PTHREAD_ONCE_INIT;
/* written once under git_once, read after it */
static int git_ready;

/*
 * The repository a thread opened last, kept open (thread-specific data
 * under open_key): a worker searches a repository for its models, then
 * reads the repository (or each model in it), and opening a repository
 * (its config, HEAD, refs) costs most of what reading a small one does:
 * opened once, not once each, a scan of 10,000 repositories takes about
 * a third less CPU.  Only the thread that opened it uses it; it is freed
 * when the thread opens another, when the thread ends, and by
 * repo_global_shutdown() for the calling thread.
 */
struct open_repo {
	char *path;
	git_repository *repo;
};
static pthread_key_t open_key;

static void open_repo_free(void *p)
{
	struct open_repo *o = p;

	if (!o)
		return;
	git_repository_free(o->repo);
	free(o->path);
	free(o);
}

static void git_start(void)
{
	git_ready = git_libgit2_init() >= 0 &&
		    pthread_key_create(&open_key, open_repo_free) == 0;
}

/* The repository at path, opened by this thread or now: borrowed, valid
 * until the thread opens another. */
static int open_repository(git_repository **out, const char *path)
{
	struct open_repo *o = pthread_getspecific(open_key);

	if (o && !strcmp(o->path, path)) {
		*out = o->repo;
		return 0;
	}
	open_repo_free(o);
	pthread_setspecific(open_key, NULL);
	if (git_repository_open_ext(out, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return -1;
	o = xcalloc(1, sizeof(*o));
	o->path = xstrdup(path);
	o->repo = *out;
	pthread_setspecific(open_key, o);
	return 0;
}

void repo_global_shutdown(void)
{
	if (!git_ready)
		return;
	open_repo_free(pthread_getspecific(open_key));
	pthread_setspecific(open_key, NULL);
	git_libgit2_shutdown();
}

static const char *git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

static int git_read_entry(void *ctx, const struct repo_entry *e, size_t cap,
			  char **data, size_t *len, int *truncated,
			  struct mc_error *err)
{
	struct git_ctx *g = ctx;
	git_oid oid;
	git_blob *blob;
	size_t size;

	*data = NULL;
	*len = 0;
	*truncated = 0;
	if (git_oid_fromstr(&oid, e->oid) < 0 ||
	    git_blob_lookup(&blob, g->repo, &oid) < 0)
		return mc_error_set(err, "cannot read blob %s of '%s': %s",
				    e->oid, e->path, git_msg());
	size = (size_t)git_blob_rawsize(blob);
	if (size > cap) {
		*truncated = 1;
		size = cap;
	}
	*data = xstrndup(git_blob_rawcontent(blob), size);
	*len = size;
	git_blob_free(blob);
	return 0;
}

/* Which blobs are worth listing: root files, weights, and text files that a
 * license_link may name.  Everything else is skipped without a header read. */
static int wanted(const char *root, const char *name)
{
	if (!*root)
		return 1;
	return weight_format(name) || str_has_isuffix(name, ".md") ||
	       str_has_isuffix(name, ".txt") || strstr(name, "LICEN") ||
	       strstr(name, "licen") || strstr(name, "Licen");
}

static int tree_cb(const char *root, const git_tree_entry *entry, void *payload)
{
	struct git_ctx *g = payload;
	const char *name = git_tree_entry_name(entry);
	char hex[GIT_OID_HEXSZ + 1];
	struct strbuf path = STRBUF_INIT;
	git_object_t type;
	size_t size = 0;

	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		return 0;
	if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK)
		return 0;	/* a symlink in git is a path, never followed */
	if (!wanted(root, name))
		return 0;
	if (git_odb_read_header(&size, &type, g->odb, git_tree_entry_id(entry)) < 0) {
		/* the usual cause: objects never fetched */
		if (!g->error)
			g->error = xstrfmt("cannot read the object of '%s%s%s' (%s): %s; a partial or shallow clone, or a mirror fetched without some objects, is the usual cause",
					   g->prefix, root, name,
					   git_oid_tostr_s(git_tree_entry_id(entry)), git_msg());
		return 0;
	}
	git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(entry));
	strbuf_addf(&path, "%s%s", root, name);
	if (g->workdir) {
		char *local = xstrfmt("%s%s%s", g->workdir, g->prefix, path.buf);
		struct stat st;

		if (lstat(local, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(local);
			local = NULL;
		}
		repo_tree_add(g->tree, path.buf, size, hex, local);
		free(local);
	} else {
		repo_tree_add(g->tree, path.buf, size, hex, NULL);
	}
	g->tree->v[g->tree->n - 1].outer = g->outer;
	strbuf_release(&path);
	return 0;
}

/*
 * The `origin` remote's URL, else the first remote's in config order (the
 * model id's source), into tree->remote_url.  Read straight from a config snapshot: git_remote_lookup() goes
 * through libgit2's regex config iteration, which in Debian's libgit2 1.5
 * leaks its PCRE2 match data (about 100 KB a repository).
 */
static void read_remote_url(struct repo_tree *tree, git_repository *repo)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	const char *url = NULL;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return;
	if (git_config_get_string(&url, cfg, "remote.origin.url") < 0) {
		url = NULL;
		if (git_config_iterator_new(&it, cfg) == 0) {
			while (!url && git_config_next(&e, it) == 0)
				if (str_has_prefix(e->name, "remote.") &&
				    str_has_suffix(e->name, ".url"))
					url = e->value;
		}
	}
	if (url)
		tree->remote_url = xstrdup(url);
	git_config_iterator_free(it);
	git_config_free(cfg);
}

/* Says why HEAD has no commit: an empty repository, or a branch that is missing. */
static void unborn_error(struct model *m, git_repository *repo)
{
	git_reference *head = NULL;
	const char *target = NULL;

	if (git_reference_lookup(&head, repo, "HEAD") == 0)
		target = git_reference_symbolic_target(head);
	if (git_repository_is_empty(repo) == 1)
		model_set_error(m, "repository has no commits");
	else
		model_set_error(m, "HEAD points to missing branch '%s'",
				target ? target : "?");
	git_reference_free(head);
}

/*
 * Records in m's watch record the files that fix which commit HEAD names
 * (HEAD, the branch's loose ref, packed-refs), the config the model id
 * comes from, and a work tree's `.git` file when it is one.  While they
 * stat the same, HEAD names the same commit: libgit2 reads nothing else to
 * resolve it.  A chain of symbolic refs is not followed: no record, so the
 * repository is always read again.
 */
static void watch_head(struct model *m, const char *repo_path,
		       git_repository *repo, const git_reference *head)
{
	const char *gitdir = git_repository_path(repo);
	const char *common = git_repository_commondir(repo);
	git_reference *ref = NULL;
	struct strbuf path = STRBUF_INIT;
	int symbolic;

	if (!gitdir || !common || git_reference_lookup(&ref, repo, "HEAD") < 0) {
		m->watch.broken = 1;
		return;
	}
	symbolic = git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC;
	if (symbolic && strcmp(git_reference_symbolic_target(ref),
			       git_reference_name(head)))
		m->watch.broken = 1;
	strbuf_addf(&path, "%sHEAD", gitdir);
	watch_stat(&m->watch, m->path, path.buf);
	if (symbolic) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s%s", common, git_reference_name(head));
		watch_stat(&m->watch, m->path, path.buf);
		strbuf_reset(&path);
		strbuf_addf(&path, "%spacked-refs", common);
		watch_stat(&m->watch, m->path, path.buf);
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%sconfig", common);
	watch_stat(&m->watch, m->path, path.buf);
	if (git_repository_workdir(repo)) {
		struct stat st;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/.git", repo_path);
		if (lstat(path.buf, &st) == 0 && S_ISREG(st.st_mode))
			watch_add(&m->watch, m->path, path.buf, &st);
	}
	git_reference_free(ref);
	strbuf_release(&path);
}

static void git_close(void *ctx)
{
	struct git_ctx *g = ctx;

	if (!g)
		return;
	git_odb_free(g->odb);	/* g->repo is borrowed (open_repository) */
	free(g->error);
	free(g);
}

/*
 * Lists the folder (or GGUF file) sub of head_tree, a model inside the
 * repository, as its own tree (a GGUF file with its folder's card and
 * licensing files), then the repository root's licensing files (marked outer:
 * repo.c reads them only when the model has none of its own).
 */
static int list_sub(struct model *m, struct git_ctx *g, git_tree *head_tree,
		    const char *sub, const char *hex)
{
	git_tree_entry *te = NULL;
	git_tree *sub_tree = NULL;
	char *prefix = xstrfmt("%s/", sub);
	size_t n = git_tree_entrycount(head_tree);
	int ret = -1;

	if (git_tree_entry_bypath(&te, head_tree, sub) < 0) {
		model_set_error(m, "'%s' is not in the tree of HEAD %s", sub, hex);
		goto done;
	}
	if (git_tree_entry_type(te) == GIT_OBJECT_TREE) {
		g->prefix = prefix;
		if (git_tree_lookup(&sub_tree, g->repo, git_tree_entry_id(te)) < 0 ||
		    git_tree_walk(sub_tree, GIT_TREEWALK_PRE, tree_cb, g) < 0)
			model_set_error(m, "cannot walk '%s' in the tree of HEAD %s: %s",
					sub, hex, git_msg());
	} else {
		/* a GGUF file: listed with its folder's card and licensing
		 * files, which are its own (and the repository root's when it
		 * is the root) */
		const char *slash = strrchr(sub, '/');
		git_tree *folder = head_tree;

		prefix[slash ? (size_t)(slash - sub) + 1 : 0] = '\0';
		g->prefix = prefix;
		tree_cb("", te, g);
		if (slash) {
			git_tree_entry *fe = NULL;

			prefix[slash - sub] = '\0';
			if (git_tree_entry_bypath(&fe, head_tree, prefix) < 0 ||
			    git_tree_lookup(&sub_tree, g->repo, git_tree_entry_id(fe)) < 0)
				model_set_error(m, "cannot read '%s' in the tree of HEAD %s: %s",
						prefix, hex, git_msg());
			prefix[slash - sub] = '/';
			git_tree_entry_free(fe);
			folder = sub_tree;
		}
		for (size_t i = 0; folder && i < git_tree_entrycount(folder); i++) {
			const git_tree_entry *e = git_tree_entry_byindex(folder, i);

			if (file_role_for_name(git_tree_entry_name(e)) >= 0 ||
			    card_is_file_name(git_tree_entry_name(e)))
				tree_cb("", e, g);
		}
		if (!slash)
			n = 0;	/* the root's are its own */
	}
	g->prefix = "";
	g->outer = 1;
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(head_tree, i);

		if (file_role_for_name(git_tree_entry_name(e)) >= 0)
			tree_cb("", e, g);
	}
	g->outer = 0;
	ret = 0;
done:
	g->prefix = "";
	git_tree_free(sub_tree);
	git_tree_entry_free(te);
	free(prefix);
	return ret;
}

static int git_open(struct model *m, struct repo_tree *tree, void **ctx)
{
	struct git_ctx *g = xcalloc(1, sizeof(*g));
	git_reference *head = NULL;
	git_commit *commit = NULL;
	git_tree *head_tree = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	char *repo_path = m->repo_len ? xstrndup(m->path, m->repo_len) : xstrdup(m->path);
	int rc, ret = -1;

	*ctx = g;
	g->tree = tree;
	g->prefix = "";
	pthread_once(&git_once, git_start);
	if (!git_ready) {
		model_set_error(m, "cannot initialise libgit2");
		goto done;
	}
	if (open_repository(&g->repo, repo_path) < 0) {
		model_set_error(m, "cannot open repository: %s", git_msg());
		goto done;
	}
	/* a model inside a repository is not named by the repository's remote */
	if (!m->repo_len)
		read_remote_url(tree, g->repo);
	/* an older revision is read from its objects alone: the work
	 * tree's files are HEAD's (checkpoint headers are not read then) */
	g->workdir = m->at_revision ? NULL : git_repository_workdir(g->repo);
	if (m->at_revision) {
		git_oid at;

		if (git_oid_fromstr(&at, m->at_revision) < 0 ||
		    git_commit_lookup(&commit, g->repo, &at) < 0) {
			model_set_error(m, "cannot read commit %s: %s", m->at_revision,
					git_msg());
			goto done;
		}
		goto have_commit;
	}
	rc = git_repository_head(&head, g->repo);
	if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
		unborn_error(m, g->repo);
		goto done;
	}
	if (rc < 0) {
		model_set_error(m, "cannot resolve HEAD: %s", git_msg());
		goto done;
	}
	if (git_reference_peel((git_object **)&commit, head, GIT_OBJECT_COMMIT) < 0) {
		model_set_error(m, "cannot read the HEAD commit: %s", git_msg());
		goto done;
	}
	watch_head(m, repo_path, g->repo, head);
have_commit:
	git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
	m->revision = xstrdup(hex);
	if (git_commit_tree(&head_tree, commit) < 0) {
		model_set_error(m, "cannot read the tree of HEAD %s: %s", hex, git_msg());
		goto done;
	}
	if (git_repository_odb(&g->odb, g->repo) < 0) {
		model_set_error(m, "cannot open the object database: %s", git_msg());
		goto done;
	}
	/* what the walk listed before an error is still read */
	if (m->repo_len) {
		if (list_sub(m, g, head_tree, m->path + m->repo_len + 1, hex) < 0)
			goto done;
	} else if (git_tree_walk(head_tree, GIT_TREEWALK_PRE, tree_cb, g) < 0) {
		model_set_error(m, "cannot walk the tree of HEAD %s: %s", hex, git_msg());
	}
	if (g->error)
		model_set_error(m, "tree of HEAD %s: %s", hex, g->error);
	ret = 0;

done:
	git_tree_free(head_tree);
	git_commit_free(commit);
	git_reference_free(head);
	free(repo_path);
	return ret;
}

/* ---- the search for models inside a repository (repo_git_search) ---- */

struct search {
	git_repository *repo;
	const char *workdir;
	struct strlist *found;
	size_t entries;		/* tree entries looked at so far */
	int capped;
	int broken;		/* an object could not be read */
};

/* blob_front_matter()'s context */
struct folder {
	struct search *sr;
	git_tree *tree;
};

/* walk_is_model_folder()'s question, of a blob in the tree in ctx */
static int blob_front_matter(void *ctx, const char *name)
{
	struct folder *f = ctx;
	const git_tree_entry *te = git_tree_entry_byname(f->tree, name);
	git_blob *blob = NULL;
	int yes = 0;

	if (!te)
		return 0;
	if (git_blob_lookup(&blob, f->sr->repo, git_tree_entry_id(te)) == 0) {
		git_object_size_t size = git_blob_rawsize(blob);

		yes = card_opens_front_matter(git_blob_rawcontent(blob),
					      size > 512 ? 512 : (size_t)size);
	} else {
		f->sr->broken = 1;
	}
	git_blob_free(blob);
	return yes;
}

/*
 * Is this .gguf blob a model of its own?  Not when its header says it
 * holds no tensor (a vocabulary-only file such as llama.cpp's
 * ggml-vocab-*.gguf).  An LFS pointer is one (a mirror cloned without LFS
 * holds only pointers: skipping them would hide the models), and so is a
 * blob larger than REPO_GGUF_PEEK_MAX, which is not read (libgit2 inflates
 * a whole blob); the header is read from the blob, the same whether the
 * repository is bare or not.
 */
static int gguf_is_model(git_repository *repo, const git_tree_entry *te)
{
	git_odb *odb = NULL;
	git_blob *blob = NULL;
	git_object_t type;
	size_t size = 0;
	int yes = 1;

	if (git_repository_odb(&odb, repo) < 0 ||
	    git_odb_read_header(&size, &type, odb, git_tree_entry_id(te)) < 0 ||
	    size > REPO_GGUF_PEEK_MAX)
		goto done;
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(te)) == 0 &&
	    git_blob_rawsize(blob) >= 16) {
		const unsigned char *p = git_blob_rawcontent(blob);

		if (!memcmp(p, "GGUF", 4) && ckpt_le32(p + 4) >= 2 &&
		    ckpt_le64(p + 8) == 0)
			yes = 0;
	}
done:
	git_blob_free(blob);
	git_odb_free(odb);
	return yes;
}

static int cmp_walk_entry(const void *a, const void *b)
{
	return strcmp(((const struct walk_entry *)a)->name,
		      ((const struct walk_entry *)b)->name);
}

/* Searches tree (the folder prefix, "" or "dir/") for models; depth counts
 * folders below the root.  Returns 1 when tree is itself a model folder. */
static int search_tree(struct search *sr, git_tree *tree, const char *prefix,
		       size_t depth)
{
	size_t n = git_tree_entrycount(tree), k = 0;
	struct walk_entry *e;
	char *base = xstrdup(prefix);
	int cls;

	if (*base)
		base[strlen(base) - 1] = '\0';
	if (sr->entries + n > REPO_SEARCH_MAX_ENTRIES) {
		sr->capped = 1;
		free(base);
		return 0;
	}
	sr->entries += n;
	e = xcalloc(n + 1, sizeof(*e));
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(tree, i);
		git_object_t type = git_tree_entry_type(te);

		if (type != GIT_OBJECT_TREE && type != GIT_OBJECT_BLOB)
			continue;	/* a submodule: another repository */
		e[k].name = (char *)git_tree_entry_name(te);
		e[k].is_dir = type == GIT_OBJECT_TREE;
		e[k].is_file = type == GIT_OBJECT_BLOB &&
			       git_tree_entry_filemode(te) != GIT_FILEMODE_LINK;
		k++;
	}
	if (k > 1)
		qsort(e, k, sizeof(*e), cmp_walk_entry);
	{
		struct folder f = { sr, tree };

		cls = walk_is_model_folder(strrchr(base, '/') ? strrchr(base, '/') + 1 : base,
					   e, k, blob_front_matter, &f);
	}
	if (cls > 0 && *prefix)
		strlist_add(sr->found, base);
	if (cls)
		goto done;
	for (size_t i = 0; i < k && !sr->capped; i++) {
		const git_tree_entry *te = git_tree_entry_byname(tree, e[i].name);
		const char *fmt = e[i].is_file ? weight_format(e[i].name) : NULL;
		git_tree *sub = NULL;
		char *path;

		if (fmt && !strcmp(fmt, "gguf")) {
			if (gguf_is_model(sr->repo, te))
				strlist_add_nodup(sr->found, xstrfmt("%s%s", prefix, e[i].name));
			continue;
		}
		if (!e[i].is_dir || !walk_descends(e[i].name))
			continue;
		if (depth >= REPO_SEARCH_MAX_DEPTH) {
			sr->capped = 1;
			break;
		}
		if (git_tree_lookup(&sub, sr->repo, git_tree_entry_id(te)) < 0) {
			sr->broken = 1;
			continue;
		}
		path = xstrfmt("%s%s/", prefix, e[i].name);
		search_tree(sr, sub, path, depth + 1);
		free(path);
		git_tree_free(sub);
	}
done:
	free(e);
	free(base);
	return cls > 0;
}

int repo_git_search(const char *path, int *whole, struct strlist *found,
		    int *capped, struct mc_error *err)
{
	struct search sr = { .found = found };
	git_reference *head = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	int ret = -1;

	*whole = 0;
	*capped = 0;
	pthread_once(&git_once, git_start);
	if (!git_ready)
		return mc_error_set(err, "cannot initialise libgit2");
	if (open_repository(&sr.repo, path) < 0 ||
	    git_repository_head(&head, sr.repo) < 0 ||
	    git_reference_peel((git_object **)&commit, head, GIT_OBJECT_COMMIT) < 0 ||
	    git_commit_tree(&tree, commit) < 0) {
		mc_error_set(err, "cannot read the tree of HEAD of '%s': %s", path, git_msg());
		goto done;
	}
	*whole = search_tree(&sr, tree, "", 0);
	/* an object that cannot be read: the repository is read as one
	 * model, whose row then says what is broken */
	if (sr.broken)
		*whole = 1;
	*capped = sr.capped;
	ret = 0;
done:
	git_tree_free(tree);
	git_commit_free(commit);
	git_reference_free(head);
	return ret;
}

const struct repo_backend repo_git_backend = { git_open, git_read_entry, git_close };
