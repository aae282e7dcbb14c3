/*
 * history.c: a model's revisions (history.h): the first-parent history
 * of HEAD of a git repository, walked through libgit2, and a Hugging Face
 * cache folder's snapshots.
 *
 * What a commit's licensing sources are is a key: the names and blob ids
 * of the model folder's card files (card_is_file_name()) and licensing
 * files (file_role_for_name()), and for a model inside a repository the
 * licensing files of the repository's root (repo.c reads them when the
 * folder has none) and, for a GGUF file model, the file's own blob.  Two
 * commits with the same key give the same verdict, so a run of commits
 * with one key is read once, at its oldest commit: the one that changed
 * the sources.  Keys are built from tree entries only, and not even that
 * when the root tree's id (or the model folder's) is the one the commit
 * above had.  What repo.c also reads but the key leaves out: the file a
 * card's relative license_link names when it is not a licensing file by
 * name (a change to it alone is not seen until the card or a license file
 * changes too), and checkpoint headers (history reads blobs, never the
 * work tree's weights).
 *
 * Merges are followed by their first parent only (git log --first-parent):
 * a change made on a merged branch shows at the merge commit.  The walk
 * keeps one commit, its trees and two keys at a time.  libgit2 is
 * initialised and shut down by each call (a counter when the scan holds it).
 */
#include <dirent.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "modelcensus/card.h"
#include "modelcensus/history.h"
#include "modelcensus/model.h"
#include "modelcensus/banned.h"

/* libgit2's default object cache limits (bytes an object) for commits
 * and trees, which a walk sets to 0 while it runs: a global setting, but
 * the scan's readers are done by then */
#define HISTORY_CACHE_DEFAULT 4096

static const char *git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

void history_result_release(struct history_result *r)
{
	free(r->ended);
	r->ended = NULL;
}

int history_repo_of(const char *path, const char *root, char **repo, char **sub,
		    struct mc_error *err)
{
	char *p = xstrdup(path);
	size_t root_len = root ? strlen(root) : 0;
	int ret = -1;

	*repo = NULL;
	*sub = NULL;
	if (git_libgit2_init() < 0)
		return mc_error_set(err, "cannot initialise libgit2");
	for (;;) {
		git_repository *r = NULL;
		char *slash;

		if (git_repository_open_ext(&r, p, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0) {
			git_repository_free(r);
			*repo = p;
			if (strcmp(p, path))
				*sub = xstrdup(path + strlen(p) + 1);
			p = NULL;
			ret = 0;
			break;
		}
		slash = strrchr(p, '/');
		if (!slash || slash == p || (size_t)(slash - p) < root_len)
			break;
		*slash = '\0';
	}
	if (ret < 0)
		mc_error_set(err, "'%s' is not in a git repository any more", path);
	free(p);
	git_libgit2_shutdown();
	return ret;
}

/* Appends "name oid\n" for each licensing entry of tree (cards too when cards). */
static void add_entries(struct strbuf *key, const git_tree *tree, int cards)
{
	size_t n = git_tree_entrycount(tree);

	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);

		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
			continue;
		if (file_role_for_name(name) < 0 && !(cards && card_is_file_name(name)))
			continue;
		strbuf_addf(key, "%s %s\n", name, git_oid_tostr_s(git_tree_entry_id(e)));
	}
}

/* The walk's state: what the commit above had, to compare with. */
struct walker {
	git_repository *repo;
	const char *sub;	/* NULL: the repository is the model */
	int sub_is_file;	/* a GGUF file model, known from the first key */
	git_oid root_tree;	/* of the last key built */
	int have_root;
	struct strbuf key;	/* the last key built */
};

/*
 * Builds the key of commit c into w->key; 0 when it is the key the last
 * call built (the root tree is the same, or the entries are), 1 when it
 * differs.  A tree that cannot be read makes a key of its own (its
 * revision is read, and gets the error).
 */
static int build_key(struct walker *w, const git_commit *c)
{
	const git_oid *rt = git_commit_tree_id(c);
	git_tree *root = NULL, *folder = NULL;
	git_tree_entry *te = NULL;
	struct strbuf key = STRBUF_INIT;
	int changed;

	if (w->have_root && git_oid_equal(rt, &w->root_tree))
		return 0;
	git_oid_cpy(&w->root_tree, rt);
	w->have_root = 1;
	if (git_tree_lookup(&root, w->repo, rt) < 0) {
		strbuf_addf(&key, "!tree %s", git_oid_tostr_s(rt));
		goto done;
	}
	if (!w->sub) {
		add_entries(&key, root, 1);
		goto done;
	}
	if (git_tree_entry_bypath(&te, root, w->sub) < 0) {
		strbuf_adds(&key, "!absent\n");
	} else if (git_tree_entry_type(te) == GIT_OBJECT_TREE) {
		if (git_tree_lookup(&folder, w->repo, git_tree_entry_id(te)) < 0)
			strbuf_addf(&key, "!tree %s\n", git_oid_tostr_s(git_tree_entry_id(te)));
		else
			add_entries(&key, folder, 1);
	} else {
		/* a GGUF file: its blob, its folder's licensing files */
		const char *slash = strrchr(w->sub, '/');

		strbuf_addf(&key, "%s\n", git_oid_tostr_s(git_tree_entry_id(te)));
		if (slash) {
			char *dir = xstrndup(w->sub, (size_t)(slash - w->sub));
			git_tree_entry *de = NULL;

			if (git_tree_entry_bypath(&de, root, dir) == 0 &&
			    git_tree_lookup(&folder, w->repo, git_tree_entry_id(de)) == 0)
				add_entries(&key, folder, 0);
			git_tree_entry_free(de);
			free(dir);
		}
	}
	/* the repository root's licensing files (outer) */
	strbuf_adds(&key, "|\n");
	add_entries(&key, root, 0);
done:
	changed = strcmp(strbuf_str(&key), strbuf_str(&w->key)) != 0;
	strbuf_release(&w->key);
	w->key = key;
	git_tree_entry_free(te);
	git_tree_free(folder);
	git_tree_free(root);
	return changed;
}

static int emit(history_fn cb, void *ctx, const git_oid *id, int64_t time,
		size_t depth)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct history_rev r = { hex, time, depth };

	git_oid_tostr(hex, sizeof(hex), id);
	return cb(ctx, &r);
}

int history_walk(const char *repo_path, const char *sub, const char *stop,
		 history_fn cb, void *ctx, history_progress_fn progress,
		 void *progress_ctx, struct history_result *out,
		 struct mc_error *err)
{
	struct walker w = { .sub = sub, .key = STRBUF_INIT };
	git_reference *head = NULL;
	git_commit *c = NULL;
	git_oid stop_oid, seg_id;	/* seg: the oldest commit of the run */
	int64_t seg_time = 0;
	size_t depth = 0, seg_depth = 0;
	int have_stop = 0, ret = -1, rc;

	memset(out, 0, sizeof(*out));
	if (git_libgit2_init() < 0)
		return mc_error_set(err, "cannot initialise libgit2");
	/* every commit and tree of a long walk would stay in libgit2's
	 * object cache (256 MiB a repository by default): none is looked
	 * up twice, so none is cached while walking (restored at done) */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, (size_t)0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)0);
	if (stop && git_oid_fromstr(&stop_oid, stop) == 0)
		have_stop = 1;
	if (git_repository_open_ext(&w.repo, repo_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		mc_error_set(err, "cannot open repository '%s': %s", repo_path, git_msg());
		goto done;
	}
	if (git_repository_head(&head, w.repo) < 0 ||
	    git_reference_peel((git_object **)&c, head, GIT_OBJECT_COMMIT) < 0) {
		mc_error_set(err, "cannot read HEAD of '%s': %s", repo_path, git_msg());
		goto done;
	}
	git_oid_tostr(out->head, sizeof(out->head), git_commit_id(c));
	if (have_stop && git_oid_equal(git_commit_id(c), &stop_oid)) {
		out->reached_stop = 1;	/* nothing new */
		ret = 0;
		goto done;
	}
	build_key(&w, c);
	for (;;) {
		git_commit *parent = NULL;
		git_oid pid;

		out->commits++;
		git_oid_cpy(&seg_id, git_commit_id(c));
		seg_time = (int64_t)git_commit_time(c);
		seg_depth = depth;
		if (progress && out->commits % HISTORY_PROGRESS_COMMITS == 0)
			progress(progress_ctx, repo_path, out->commits, 0);
		if (!git_commit_parentcount(c))
			break;	/* the first commit */
		git_oid_cpy(&pid, git_commit_parent_id(c, 0));
		rc = git_commit_lookup(&parent, w.repo, &pid);
		if (rc < 0) {
			if (git_repository_is_shallow(w.repo) == 1)
				out->shallow = 1;
			else {
				char ph[GIT_OID_HEXSZ + 1], ch[GIT_OID_HEXSZ + 1];

				git_oid_tostr(ph, sizeof(ph), &pid);
				git_oid_tostr(ch, sizeof(ch), git_commit_id(c));
				out->ended = xstrfmt("cannot read commit %s, the first parent of %s: %s",
						     ph, ch, git_msg());
			}
			break;
		}
		git_commit_free(c);
		c = parent;
		depth++;
		rc = build_key(&w, c);
		if (have_stop && git_oid_equal(git_commit_id(c), &stop_oid)) {
			out->reached_stop = 1;
			if (rc && (ret = emit(cb, ctx, &seg_id, seg_time, seg_depth)) < 0)
				goto done;
			ret = 0;
			goto done;
		}
		if (rc && (ret = emit(cb, ctx, &seg_id, seg_time, seg_depth)) < 0)
			goto done;
	}
	/* the oldest commit reached starts the history as recorded */
	if ((ret = emit(cb, ctx, &seg_id, seg_time, seg_depth)) < 0)
		goto done;
	ret = 0;
done:
	if (progress && out->commits >= HISTORY_PROGRESS_COMMITS)
		progress(progress_ctx, repo_path, out->commits, 1);
	strbuf_release(&w.key);
	git_commit_free(c);
	git_reference_free(head);
	git_repository_free(w.repo);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, (size_t)HISTORY_CACHE_DEFAULT);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)HISTORY_CACHE_DEFAULT);
	git_libgit2_shutdown();
	return ret;
}

struct snap {
	char *name;
	int64_t time;
};

static int cmp_snap(const void *a, const void *b)
{
	const struct snap *x = a, *y = b;

	if (x->time != y->time)
		return x->time > y->time ? -1 : 1;
	return strcmp(x->name, y->name);
}

int history_snapshots(const char *path, history_fn cb, void *ctx,
		      struct mc_error *err)
{
	char *dir = xstrfmt("%s/snapshots", path);
	struct snap *v = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	int ret = 0;

	if (!d) {
		ret = mc_error_set(err, "cannot read '%s'", dir);
		free(dir);
		return ret;
	}
	while ((de = readdir(d))) {
		char *p;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		p = xstrfmt("%s/%s", dir, de->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			ALLOC_GROW(v, n + 1, alloc);
			v[n].name = xstrdup(de->d_name);
			v[n].time = (int64_t)st.st_mtime;
			n++;
		}
		free(p);
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_snap);
	for (size_t i = 0; i < n && ret >= 0; i++) {
		struct history_rev r = { v[i].name, v[i].time, i };

		ret = cb(ctx, &r);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	free(dir);
	return ret < 0 ? ret : 0;
}

int history_locate(const char *repo_path, const char *head, const char *rev,
		   int (*recorded)(void *ctx, const char *hex), void *ctx,
		   char *resolved, char *at, struct mc_error *err)
{
	git_repository *repo = NULL;
	git_object *obj = NULL;
	git_commit *c = NULL;
	git_oid want, id;
	int met = 0, ret = -1, rc;

	if (git_libgit2_init() < 0)
		return mc_error_set(err, "cannot initialise libgit2");
	if (git_repository_open_ext(&repo, repo_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		mc_error_set(err, "cannot open repository '%s': %s", repo_path, git_msg());
		goto done;
	}
	rc = git_revparse_single(&obj, repo, rev);
	if (rc == GIT_EAMBIGUOUS) {
		mc_error_set(err, "revision '%s' is ambiguous in '%s': give more of its digits",
			     rev, repo_path);
		goto done;
	}
	if (rc < 0 || git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) < 0) {
		mc_error_set(err, "unknown revision '%s' in '%s'", rev, repo_path);
		goto done;
	}
	git_oid_cpy(&want, git_commit_id(c));
	git_oid_tostr(resolved, GIT_OID_HEXSZ + 1, &want);
	git_commit_free(c);
	c = NULL;
	if (git_oid_fromstr(&id, head) < 0 || git_commit_lookup(&c, repo, &id) < 0) {
		mc_error_set(err, "cannot read commit %s of '%s': %s", head, repo_path, git_msg());
		goto done;
	}
	for (;;) {
		git_commit *parent = NULL;
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
		met |= git_oid_equal(git_commit_id(c), &want);
		if (met && recorded(ctx, hex)) {
			memcpy(at, hex, sizeof(hex));
			ret = 0;
			goto done;
		}
		if (!git_commit_parentcount(c) ||
		    git_commit_parent(&parent, c, 0) < 0)
			break;
		git_commit_free(c);
		c = parent;
	}
	ret = 1;
done:
	git_commit_free(c);
	git_object_free(obj);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}
