/*
 * repo_fs.c: the backends for models that are folders or files on disk
 * (repo.h): plain checkpoint folders (`dir`, with local_dir download
 * metadata), huggingface_hub cache folders (`hf-cache`) and single GGUF
 * files (`file`).  Each lists the model and reads files by path.
 *
 * Symlinks: in a `dir` model a link is followed only when it resolves
 * inside the model's own folder; in a cache folder only when it resolves
 * into the folder's own blobs/.  Anything else is never opened, so no
 * content from outside can reach the inventory.
 *
 * Caps: a folder model is listed to FS_MAX_DEPTH levels and FS_MAX_ENTRIES
 * entries; beyond that the model gets an error saying the listing was cut.
 *
 * Every folder listed goes into the model's watch record (watch.h); every
 * listed file carries the stat() it was listed under, which repo.c
 * records when the file's content or size goes into the model.
 * A file listed but never used (config.json, tokenizer files) is not
 * watched: whether it is there is its folder's to say, and what it holds
 * reaches nothing.  Nor is a cache snapshot's link to a blob (content-
 * addressed: a changed file is a new link, which changes its folder).  A
 * `dir` model's own folder is not listed again when the walker handed over
 * its listing.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "modelcensus/repo.h"
#include "modelcensus/strmap.h"
#include "modelcensus/banned.h"

#define FS_MAX_DEPTH 16
#define FS_MAX_ENTRIES 100000

struct fs_list {
	struct model *m;	/* whose watch record gets what is listed */
	const char *base;	/* folder being listed (as found) */
	const char *allowed_dir;	/* every link target must lie under it */
	char *allowed;		/* its realpath, resolved at the first link */
	/* links point at a cache's blobs, which are named by their content
	 * and never rewritten: a link, which its folder's time covers, fixes
	 * what it reads, so the files behind links go unwatched */
	int blob_links;
	struct repo_tree *tree;
	size_t seen;
	int cut;		/* the caps were hit */
	int links_refused;
};

static int fs_read_entry(void *ctx, const struct repo_entry *e, size_t cap,
			 char **data, size_t *len, int *truncated,
			 struct mc_error *err)
{
	(void)ctx;
	return read_file_capped(e->local, cap, data, len, truncated, err);
}

static void fs_close(void *ctx)
{
	(void)ctx;
}

/* Keeps only what repo.c may need: root files, weights, text files. */
static int wanted(const char *rel, const char *name)
{
	return !strchr(rel, '/') || weight_format(name) ||
	       str_has_isuffix(name, ".md") || str_has_isuffix(name, ".txt") ||
	       strstr(name, "LICEN") || strstr(name, "licen") || strstr(name, "Licen");
}

/* Opens a folder m's reading depends on and records it in m's watch
 * record: its entries can change only if its modification time does, and
 * a folder that cannot be opened is recorded as it is (absent). */
static DIR *open_watched(struct model *m, const char *path)
{
	DIR *d = opendir(path);
	struct stat st;

	if (d && fstat(dirfd(d), &st) == 0)
		watch_add(&m->watch, m->path, path, &st);
	else
		watch_stat(&m->watch, m->path, path);
	return d;
}

static void list_dir(struct fs_list *l, const char *rel, int depth);

/* One entry of folder dir (rel below the base): kept, descended or
 * skipped.  Returns -1 once the entry cap is hit. */
static int list_entry(struct fs_list *l, const char *dir, const char *rel,
		      const char *name, int depth)
{
	struct strbuf path = STRBUF_INIT, sub = STRBUF_INIT;
	struct stat st;
	int linked;

	if (++l->seen > FS_MAX_ENTRIES) {
		l->cut = 1;
		return -1;
	}
	strbuf_addf(&path, "%s/%s", dir, name);
	strbuf_addf(&sub, "%s%s%s", rel, *rel ? "/" : "", name);
	if (lstat(path.buf, &st) < 0)
		goto done;
	linked = S_ISLNK(st.st_mode);
	if (linked) {
		char *real = realpath(path.buf, NULL);
		int ok;

		if (!l->allowed)
			l->allowed = realpath(l->allowed_dir, NULL);
		ok = real && l->allowed && path_within(real, l->allowed);

		free(real);
		if (!ok || stat(path.buf, &st) < 0) {
			l->links_refused++;
			goto done;
		}
		if (S_ISDIR(st.st_mode))
			goto done;	/* linked folders are not walked */
	}
	if (S_ISDIR(st.st_mode)) {
		if (!strcmp(name, ".git") || !strcmp(name, ".cache"))
			goto done;
		if (depth + 1 >= FS_MAX_DEPTH)
			l->cut = 1;
		else
			list_dir(l, sub.buf, depth + 1);
	} else if (S_ISREG(st.st_mode) && wanted(sub.buf, name)) {
		struct repo_entry *e;

		repo_tree_add(l->tree, sub.buf, (uint64_t)st.st_size, NULL, path.buf);
		e = &l->tree->v[l->tree->n - 1];
		if (!(linked && l->blob_links)) {
			e->st = st;	/* watched if used (repo.c) */
			e->has_st = 1;
		}
	}
done:
	strbuf_release(&path);
	strbuf_release(&sub);
	return 0;
}

static void list_dir(struct fs_list *l, const char *rel, int depth)
{
	struct strbuf dir = STRBUF_INIT;
	struct dirent *de;
	DIR *d;

	strbuf_addf(&dir, "%s%s%s", l->base, *rel ? "/" : "", rel);
	d = open_watched(l->m, dir.buf);
	if (!d)
		goto done;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    list_entry(l, dir.buf, rel, de->d_name, depth) < 0)
			break;
	closedir(d);
done:
	strbuf_release(&dir);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct repo_entry *)a)->path,
		      ((const struct repo_entry *)b)->path);
}

/* Lists base into tree (links allowed under allowed_dir, which is a
 * cache's blobs/ when blob_links), sorted by path. */
static void list_folder(struct model *m, struct repo_tree *tree, const char *base,
			const char *allowed_dir, int blob_links)
{
	struct fs_list l;

	memset(&l, 0, sizeof(l));
	l.m = m;
	l.tree = tree;
	l.base = base;
	l.allowed_dir = allowed_dir;
	l.blob_links = blob_links;
	if (m->listed && !strcmp(base, m->path)) {
		/* the walker's listing of the model folder: not listed again */
		watch_add(&m->watch, m->path, m->path, &m->folder_st);
		for (size_t i = 0; i < m->listing.n; i++)
			if (list_entry(&l, base, "", m->listing.v[i], 0) < 0)
				break;
	} else {
		list_dir(&l, "", 0);
	}
	if (l.cut)
		model_set_error(m, "folder listing cut at %d levels or %d entries",
				FS_MAX_DEPTH, FS_MAX_ENTRIES);
	if (tree->n > 1)
		qsort(tree->v, tree->n, sizeof(*tree->v), cmp_entry);
	free(l.allowed);
}

/* local_dir downloads: .cache/huggingface/download/<path>.metadata holds
 * the commit id on its first line.  README.md's wins, else the first. */
static void read_local_dir_revision(struct model *m)
{
	struct strbuf dir = STRBUF_INIT;
	struct strlist names = STRLIST_INIT;
	struct dirent *de;
	DIR *d;

	strbuf_addf(&dir, "%s/.cache/huggingface/download", m->path);
	d = open_watched(m, dir.buf);
	if (!d)
		goto done;
	while ((de = readdir(d)))
		if (str_has_suffix(de->d_name, ".metadata"))
			strlist_add(&names, de->d_name);
	closedir(d);
	strlist_sort(&names);
	for (size_t i = 0; i < names.n && !m->revision; i++) {
		const char *pick = strlist_has(&names, "README.md.metadata") ?
				   "README.md.metadata" : names.v[i];
		char *path = xstrfmt("%s/%s", dir.buf, pick), *data;
		size_t len, n = 0;
		int truncated;

		watch_stat(&m->watch, m->path, path);
		if (read_file_capped(path, 4096, &data, &len, &truncated, NULL) == 0) {
			while (n < len && ((data[n] >= '0' && data[n] <= '9') ||
					   (data[n] >= 'a' && data[n] <= 'f')))
				n++;
			if (n == 40 || n == 64)
				m->revision = xstrndup(data, n);
			free(data);
		}
		free(path);
	}
done:
	strlist_clear(&names);
	strbuf_release(&dir);
}

static char *read_ref(struct model *m, const char *ref)
{
	char *path = xstrfmt("%s/refs/%s", m->path, ref), *data = NULL;
	size_t len;
	int truncated;

	watch_stat(&m->watch, m->path, path);
	if (read_file_capped(path, 256, &data, &len, &truncated, NULL) < 0)
		data = NULL;
	free(path);
	return data ? str_trim(data) : NULL;
}

static int dir_open(struct model *m, struct repo_tree *tree, void **ctx)
{
	*ctx = NULL;
	/* no .cache in the folder: no download metadata, and the folder's
	 * own time in the watch record covers its appearing */
	if (!m->listed || strlist_has(&m->listing, ".cache"))
		read_local_dir_revision(m);
	list_folder(m, tree, m->path, m->path, 0);
	return 0;
}

static int hf_cache_open(struct model *m, struct repo_tree *tree, void **ctx)
{
	struct strbuf path = STRBUF_INIT;
	struct dirent *de;
	DIR *d;
	char *rev;
	int ret = -1;

	*ctx = NULL;
	strbuf_addf(&path, "%s/snapshots", m->path);
	if ((d = open_watched(m, path.buf))) {
		while ((de = readdir(d)))
			if (de->d_name[0] != '.')
				strlist_add(&m->snapshots, de->d_name);
		closedir(d);
	}
	strlist_sort(&m->snapshots);

	rev = m->at_revision ? xstrdup(m->at_revision) : read_ref(m, "main");
	if (!rev && m->snapshots.n == 1) {
		rev = xstrdup(m->snapshots.v[0]);
		model_set_error(m, "refs/main is missing; read the only snapshot %s", rev);
	}
	if (!rev || !*rev || strchr(rev, '/') || !strcmp(rev, "..")) {
		model_set_error(m, "refs/main is missing or unreadable and %zu snapshots are present",
				m->snapshots.n);
		free(rev);
		goto done;
	}
	m->revision = rev;
	ret = 0;

	/* files the Hub says do not exist at this revision */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/.no_exist/%s", m->path, rev);
	if ((d = open_watched(m, path.buf))) {
		while ((de = readdir(d)))
			if (de->d_name[0] != '.' || strlen(de->d_name) > 2)
				if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
					strlist_add(&m->known_missing, de->d_name);
		closedir(d);
		strlist_sort(&m->known_missing);
	}

	/* partial downloads: recorded, never parsed */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/blobs", m->path);
	if ((d = open_watched(m, path.buf))) {
		while ((de = readdir(d))) {
			if (str_has_suffix(de->d_name, ".incomplete")) {
				char *rel = xstrfmt("blobs/%s", de->d_name);
				struct weight_file *w = model_add_weight(m, rel, "incomplete");

				w->incomplete = 1;
				free(rel);
			}
		}
		closedir(d);
	}

	strbuf_reset(&path);
	strbuf_addf(&path, "%s/snapshots/%s", m->path, rev);
	{
		struct stat st;
		char *blobs = xstrfmt("%s/blobs", m->path);

		if (stat(path.buf, &st) < 0 || !S_ISDIR(st.st_mode))
			model_set_error(m, "snapshot %s named by refs/main is not present", rev);
		else if (stat(blobs, &st) == 0)
			list_folder(m, tree, path.buf, blobs, 1);
		else
			list_folder(m, tree, path.buf, path.buf, 0);
		free(blobs);
	}
done:
	strbuf_release(&path);
	return ret;
}

static int file_open(struct model *m, struct repo_tree *tree, void **ctx)
{
	const char *base = strrchr(m->path, '/');
	struct stat st;

	*ctx = NULL;
	base = base ? base + 1 : m->path;
	if (stat(m->path, &st) < 0) {
		model_set_error(m, "cannot read '%s': %s", m->path, strerror(errno));
		return -1;
	}
	watch_add(&m->watch, m->path, m->path, &st);
	repo_tree_add(tree, base, (uint64_t)st.st_size, NULL, m->path);
	return 0;
}

const struct repo_backend repo_dir_backend = { dir_open, fs_read_entry, fs_close };
const struct repo_backend repo_hf_cache_backend = { hf_cache_open, fs_read_entry, fs_close };
const struct repo_backend repo_file_backend = { file_open, fs_read_entry, fs_close };

void repo_watch_plain(struct model *m)
{
	struct strbuf path = STRBUF_INIT;

	watch_add(&m->watch, m->path, m->path, &m->folder_st);
	for (size_t i = 0; i < m->listing.n; i++) {
		if (card_is_file_name(m->listing.v[i])) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s", m->path, m->listing.v[i]);
			watch_stat(&m->watch, m->path, path.buf);
		}
	}
	strbuf_release(&path);
	m->signature = watch_signature(&m->watch);
}
