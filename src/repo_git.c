/*
 * repo_git.c: reads a git work tree or bare repository through libgit2,
 * from the tree of HEAD: no checkout, so bare mirrors need none (repo.h).
 * Records the HEAD commit as revision and derives model_id from the
 * `origin` remote (else the first remote).  A repository with no commit,
 * a HEAD on a missing branch or an unreadable object gets model->error.
 * Blob sizes come from object headers; content is read only for the files
 * repo.c asks for, after a size check.  The files that fix HEAD go into the
 * model's watch record (watch_head), so a rescan needs no libgit2 at all
 * for a repository that did not move.
 */
#include <dlfcn.h>
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
	struct repo_entries entries;
	const char *error;	/* first libgit2 error met while walking */
};

/*
 * libgit2 is loaded and initialised at the first repository read, not at
 * start-up.  Linked, it and the fourteen libraries it pulls in (Kerberos,
 * OpenSSL, mbedTLS, libssh2...) would be mapped, relocated and unmapped by
 * every run: milliseconds that a scan of folders, an unchanged rescan or a
 * report never needs.  Its initialisation parses the system's CA
 * certificates, about 5 ms more.
 *
 * So the functions used here are looked up with dlsym() into pointers of
 * their own types (__typeof__: the compiler checks every call against
 * libgit2's headers, which come from pkg-config as before), and are called
 * as sym_git_...().  GIT2_SONAME, from the Makefile, names the library
 * those headers belong to.  A missing library or function is an error on
 * each repository's row; everything else is scanned as usual.
 */
#ifndef GIT2_SONAME
#error "GIT2_SONAME (libgit2's file name, e.g. \"libgit2.so.1.5\") must be defined: see the Makefile"
#endif

#define GIT_SYMBOLS(X) \
	X(git_blob_free) X(git_blob_lookup) X(git_blob_rawcontent) \
	X(git_blob_rawsize) X(git_commit_free) X(git_commit_id) \
	X(git_commit_tree) X(git_config_free) X(git_config_get_string) \
	X(git_config_iterator_free) X(git_config_iterator_new) \
	X(git_config_next) X(git_error_last) X(git_libgit2_init) \
	X(git_libgit2_shutdown) X(git_odb_free) X(git_odb_read_header) \
	X(git_oid_fromstr) X(git_oid_tostr) X(git_reference_free) \
	X(git_reference_lookup) X(git_reference_name) X(git_reference_peel) \
	X(git_reference_symbolic_target) X(git_reference_type) \
	X(git_repository_commondir) X(git_repository_config_snapshot) \
	X(git_repository_free) X(git_repository_head) \
	X(git_repository_is_empty) X(git_repository_odb) \
	X(git_repository_open_ext) X(git_repository_path) \
	X(git_repository_workdir) X(git_tree_entry_filemode) \
	X(git_tree_entry_id) X(git_tree_entry_name) X(git_tree_entry_type) \
	X(git_tree_free) X(git_tree_walk)

#define DECLARE_SYMBOL(f) static __typeof__(f) *sym_##f;
GIT_SYMBOLS(DECLARE_SYMBOL)

static pthread_once_t git_once = PTHREAD_ONCE_INIT;
/* written once under git_once, read after it */
static int git_ready;
static char git_failure[256];

static const char *dl_why(void)
{
	const char *e = dlerror();

	return e ? e : "no reason given";
}

/* dlopen()s libgit2 and fills the sym_ pointers; NULL, or why not */
static const char *git_load(void)
{
	void *lib = dlopen(GIT2_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!lib)
		return dl_why();
#define LOAD_SYMBOL(f) \
	if (!(sym_##f = (__typeof__(sym_##f))dlsym(lib, #f))) \
		return dl_why();
	GIT_SYMBOLS(LOAD_SYMBOL)
	return NULL;	/* never closed: its functions are used to the end */
}

static void git_start(void)
{
	const char *why = git_load();

	if (why)
		snprintf(git_failure, sizeof(git_failure), "cannot load libgit2 (%s): %s",
			 GIT2_SONAME, why);
	else if (sym_git_libgit2_init() < 0)
		snprintf(git_failure, sizeof(git_failure), "cannot initialise libgit2");
	else
		git_ready = 1;
}

void repo_global_shutdown(void)
{
	if (git_ready)
		sym_git_libgit2_shutdown();
}

static const char *git_msg(void)
{
	const git_error *e = sym_git_error_last();

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
	if (sym_git_oid_fromstr(&oid, e->oid) < 0 ||
	    sym_git_blob_lookup(&blob, g->repo, &oid) < 0)
		return mc_error_set(err, "cannot read blob %s of '%s': %s",
				    e->oid, e->path, git_msg());
	size = (size_t)sym_git_blob_rawsize(blob);
	if (size > cap) {
		*truncated = 1;
		size = cap;
	}
	*data = xstrndup(sym_git_blob_rawcontent(blob), size);
	*len = size;
	sym_git_blob_free(blob);
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
	const char *name = sym_git_tree_entry_name(entry);
	char hex[GIT_OID_HEXSZ + 1];
	struct strbuf path = STRBUF_INIT;
	git_object_t type;
	size_t size = 0;

	if (sym_git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		return 0;
	if (sym_git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK)
		return 0;	/* a symlink in git is a path, never followed */
	if (!wanted(root, name))
		return 0;
	if (sym_git_odb_read_header(&size, &type, g->odb, sym_git_tree_entry_id(entry)) < 0) {
		if (!g->error)
			g->error = "unreadable object";
		return 0;
	}
	sym_git_oid_tostr(hex, sizeof(hex), sym_git_tree_entry_id(entry));
	strbuf_addf(&path, "%s%s", root, name);
	if (g->workdir) {
		char *local = xstrfmt("%s%s", g->workdir, path.buf);
		struct stat st;

		if (lstat(local, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(local);
			local = NULL;
		}
		repo_entries_add(&g->entries, path.buf, size, hex, local);
		free(local);
	} else {
		repo_entries_add(&g->entries, path.buf, size, hex, NULL);
	}
	strbuf_release(&path);
	return 0;
}

/*
 * model_id from the `origin` remote, else the first remote's URL in config
 * order.  Read straight from a config snapshot: git_remote_lookup() goes
 * through libgit2's regex config iteration, which in Debian's libgit2 1.5
 * leaks its PCRE2 match data (about 100 KB a repository).
 */
static void read_model_id(struct model *m, git_repository *repo)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	const char *url = NULL;

	if (sym_git_repository_config_snapshot(&cfg, repo) < 0)
		return;
	if (sym_git_config_get_string(&url, cfg, "remote.origin.url") < 0) {
		url = NULL;
		if (sym_git_config_iterator_new(&it, cfg) == 0) {
			while (!url && sym_git_config_next(&e, it) == 0)
				if (str_has_prefix(e->name, "remote.") &&
				    str_has_suffix(e->name, ".url"))
					url = e->value;
		}
	}
	if (url)
		m->model_id = repo_model_id_from_url(url);
	sym_git_config_iterator_free(it);
	sym_git_config_free(cfg);
}

/* Says why HEAD has no commit: an empty repository, or a branch that is missing. */
static void unborn_error(struct model *m, git_repository *repo)
{
	git_reference *head = NULL;
	const char *target = NULL;

	if (sym_git_reference_lookup(&head, repo, "HEAD") == 0)
		target = sym_git_reference_symbolic_target(head);
	if (sym_git_repository_is_empty(repo) == 1)
		model_set_error(m, "repository has no commits");
	else
		model_set_error(m, "HEAD points to missing branch '%s'",
				target ? target : "?");
	sym_git_reference_free(head);
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
	const char *gitdir = sym_git_repository_path(repo);
	const char *common = sym_git_repository_commondir(repo);
	git_reference *ref = NULL;
	struct strbuf path = STRBUF_INIT;
	int symbolic;

	if (!gitdir || !common || sym_git_reference_lookup(&ref, repo, "HEAD") < 0) {
		m->watch.broken = 1;
		return;
	}
	symbolic = sym_git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC;
	if (symbolic && strcmp(sym_git_reference_symbolic_target(ref),
			       sym_git_reference_name(head)))
		m->watch.broken = 1;
	strbuf_addf(&path, "%sHEAD", gitdir);
	watch_stat(&m->watch, m->path, path.buf);
	if (symbolic) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s%s", common, sym_git_reference_name(head));
		watch_stat(&m->watch, m->path, path.buf);
		strbuf_reset(&path);
		strbuf_addf(&path, "%spacked-refs", common);
		watch_stat(&m->watch, m->path, path.buf);
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%sconfig", common);
	watch_stat(&m->watch, m->path, path.buf);
	if (sym_git_repository_workdir(repo)) {
		struct stat st;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/.git", m->path);
		if (lstat(path.buf, &st) == 0 && S_ISREG(st.st_mode))
			watch_add(&m->watch, m->path, path.buf, &st);
	}
	sym_git_reference_free(ref);
	strbuf_release(&path);
}

void repo_read_git(struct model *m)
{
	struct git_ctx g;
	struct repo_reader rd = { &g, git_read_entry, NULL };
	git_reference *head = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	memset(&g, 0, sizeof(g));
	pthread_once(&git_once, git_start);
	if (!git_ready) {
		model_set_error(m, "%s", git_failure);
		return;
	}
	if (sym_git_repository_open_ext(&g.repo, m->path,
					GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		model_set_error(m, "cannot open repository: %s", git_msg());
		return;
	}
	read_model_id(m, g.repo);
	g.workdir = sym_git_repository_workdir(g.repo);
	rc = sym_git_repository_head(&head, g.repo);
	if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
		unborn_error(m, g.repo);
		goto done;
	}
	if (rc < 0) {
		model_set_error(m, "cannot resolve HEAD: %s", git_msg());
		goto done;
	}
	if (sym_git_reference_peel((git_object **)&commit, head, GIT_OBJECT_COMMIT) < 0) {
		model_set_error(m, "cannot read the HEAD commit: %s", git_msg());
		goto done;
	}
	sym_git_oid_tostr(hex, sizeof(hex), sym_git_commit_id(commit));
	m->revision = xstrdup(hex);
	watch_head(m, g.repo, head);
	if (sym_git_commit_tree(&tree, commit) < 0) {
		model_set_error(m, "cannot read the tree of HEAD %s: %s", hex, git_msg());
		goto done;
	}
	if (sym_git_repository_odb(&g.odb, g.repo) < 0) {
		model_set_error(m, "cannot open the object database: %s", git_msg());
		goto done;
	}
	if (sym_git_tree_walk(tree, GIT_TREEWALK_PRE, tree_cb, &g) < 0)
		model_set_error(m, "cannot walk the tree of HEAD %s: %s", hex, git_msg());
	if (g.error)
		model_set_error(m, "tree of HEAD %s: %s", hex, g.error);
	repo_collect(m, &g.entries, &rd);

done:
	repo_entries_clear(&g.entries);
	sym_git_tree_free(tree);
	sym_git_commit_free(commit);
	sym_git_reference_free(head);
	sym_git_odb_free(g.odb);
	sym_git_repository_free(g.repo);
}
