/*
 * repo_git.c: the backend for git work trees and bare repositories
 * (repo.h): lists the tree of HEAD through libgit2 and reads its blobs, so
 * no checkout, and bare mirrors need none.  Records the HEAD commit as
 * revision and hands repo.c the URL of the `origin` remote (else the
 * first remote) for the model id.  A repository with no commit, a HEAD on
 * a missing branch or an unreadable object gets model->error.  Blob sizes
 * come from object headers; content is read only for the files repo.c
 * asks for, after a size check.  The files that fix HEAD go into the
 * model's watch record (watch_head), so a rescan needs no libgit2 at all
 * for a repository that did not move.
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
#include "modelcensus/banned.h"

struct git_ctx {
	git_repository *repo;
	git_odb *odb;
	const char *workdir;	/* NULL for bare repositories */
	struct repo_tree *tree;	/* where tree_cb() lists */
	const char *error;	/* first libgit2 error met while walking */
};

static pthread_once_t git_once = PTHREAD_ONCE_INIT;
/* written once under git_once, read after it */
static int git_ready;

static void git_start(void)
{
	git_ready = git_libgit2_init() >= 0;
}

void repo_global_shutdown(void)
{
	if (git_ready)
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
		if (!g->error)
			g->error = "unreadable object";
		return 0;
	}
	git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(entry));
	strbuf_addf(&path, "%s%s", root, name);
	if (g->workdir) {
		char *local = xstrfmt("%s%s", g->workdir, path.buf);
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
static void watch_head(struct model *m, git_repository *repo,
		       const git_reference *head)
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
		strbuf_addf(&path, "%s/.git", m->path);
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
	git_odb_free(g->odb);
	git_repository_free(g->repo);
	free(g);
}

static int git_open(struct model *m, struct repo_tree *tree, void **ctx)
{
	struct git_ctx *g = xcalloc(1, sizeof(*g));
	git_reference *head = NULL;
	git_commit *commit = NULL;
	git_tree *head_tree = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc, ret = -1;

	*ctx = g;
	g->tree = tree;
	pthread_once(&git_once, git_start);
	if (!git_ready) {
		model_set_error(m, "cannot initialise libgit2");
		return -1;
	}
	if (git_repository_open_ext(&g->repo, m->path,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		model_set_error(m, "cannot open repository: %s", git_msg());
		return -1;
	}
	read_remote_url(tree, g->repo);
	g->workdir = git_repository_workdir(g->repo);
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
	git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
	m->revision = xstrdup(hex);
	watch_head(m, g->repo, head);
	if (git_commit_tree(&head_tree, commit) < 0) {
		model_set_error(m, "cannot read the tree of HEAD %s: %s", hex, git_msg());
		goto done;
	}
	if (git_repository_odb(&g->odb, g->repo) < 0) {
		model_set_error(m, "cannot open the object database: %s", git_msg());
		goto done;
	}
	/* what the walk listed before an error is still read */
	if (git_tree_walk(head_tree, GIT_TREEWALK_PRE, tree_cb, g) < 0)
		model_set_error(m, "cannot walk the tree of HEAD %s: %s", hex, git_msg());
	if (g->error)
		model_set_error(m, "tree of HEAD %s: %s", hex, g->error);
	ret = 0;

done:
	git_tree_free(head_tree);
	git_commit_free(commit);
	git_reference_free(head);
	return ret;
}

const struct repo_backend repo_git_backend = { git_open, git_read_entry, git_close };
