/*
 * walk.c: finds models under a root and hands each to a callback as
 * (absolute path, layout).  See walk.h for the rules it keeps.
 *
 * How a directory is classified (walk_classify), first rule that applies:
 *   datasets--* / spaces--*           skipped, counted
 *   models--*                         hf-cache
 *   has .git (folder or file)         git
 *   HEAD file + objects/ + refs/      bare
 *   README.md with front matter, config.json, adapter_config.json,
 *   model_index.json                  dir (weights below belong to it)
 *   non-GGUF weight files             dir
 * A directory that is none of these is descended into, and each .gguf file
 * in it is a `file` model.
 *
 * Loop and escape guard: the root is resolved with realpath(); a symlink is
 * followed only if its target resolves under the root, and a directory is
 * entered only if its (dev, inode) is not already on the current path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modelcensus/walk.h"
#include "modelcensus/card.h"
#include "modelcensus/checkpoint.h"
#include "modelcensus/banned.h"

struct walker {
	const struct walk_ops *ops;
	struct walk_stats *st;
	char *root_real;	/* realpath of the root */
	/* directories on the current path, for loop detection */
	struct { dev_t dev; ino_t ino; } stack[WALK_MAX_DEPTH + 1];
	size_t depth;
};

void walk_stats_release(struct walk_stats *st)
{
	strlist_clear(&st->problems);
}

static void problem(struct walker *w, const char *path, const char *what)
{
	/* keep the list bounded: a huge unreadable tree must not eat memory */
	if (w->st->problems.n < 1000)
		strlist_add_nodup(&w->st->problems, xstrfmt("%s: %s", path, what));
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct walk_entry *)a)->name,
		      ((const struct walk_entry *)b)->name);
}

/* Is name among the n entries (sorted, so looked up by halves: a folder of
 * 10,000 models is asked about seven names), as a folder (want_dir 1), a
 * file (0) or either (-1)? */
static int has_entry(const struct walk_entry *e, size_t n, const char *name,
		     int want_dir)
{
	const struct walk_entry key = { .name = (char *)name };
	const struct walk_entry *hit = n ? bsearch(&key, e, n, sizeof(*e), cmp_entry) : NULL;

	return hit && (want_dir < 0 || (want_dir ? hit->is_dir : hit->is_file));
}

/* Does dir/name open with YAML front matter?  Reads its first bytes. */
static int has_front_matter(const char *dir, const char *name)
{
	char path[PATH_MAX], buf[512];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 && card_opens_front_matter(buf, (size_t)n);
}

int walk_is_model_folder(const char *base, const struct walk_entry *e, size_t n,
			 int (*front_matter)(void *ctx, const char *name), void *ctx)
{
	if (walk_skipped_name(base))
		return -1;
	if (has_entry(e, n, "config.json", 0) ||
	    has_entry(e, n, "adapter_config.json", 0) ||
	    has_entry(e, n, "model_index.json", 0))
		return 1;
	for (size_t i = 0; i < n; i++)
		if (e[i].is_file && card_is_file_name(e[i].name) &&
		    front_matter(ctx, e[i].name))
			return 1;
	for (size_t i = 0; i < n; i++) {
		const char *fmt = e[i].is_file ? weight_format(e[i].name) : NULL;

		if (fmt && strcmp(fmt, "gguf"))
			return 1;
	}
	return 0;
}

int walk_skipped_name(const char *base)
{
	return str_has_prefix(base, "datasets--") || str_has_prefix(base, "spaces--");
}

int walk_descends(const char *name)
{
	return strcmp(name, ".git") && strcmp(name, ".cache");
}

static int disk_front_matter(void *ctx, const char *name)
{
	return has_front_matter(ctx, name);
}

int walk_classify(const char *dir, const struct walk_entry *e, size_t n,
		  enum layout *layout)
{
	const char *base = strrchr(dir, '/');

	base = base ? base + 1 : dir;
	if (walk_skipped_name(base))
		return -1;
	if (str_has_prefix(base, "models--") &&
	    (has_entry(e, n, "snapshots", 1) || has_entry(e, n, "refs", 1) ||
	     has_entry(e, n, "blobs", 1))) {
		*layout = LAYOUT_HF_CACHE;
		return 1;
	}
	if (has_entry(e, n, ".git", -1)) {
		*layout = LAYOUT_GIT;
		return 1;
	}
	if (has_entry(e, n, "HEAD", 0) && has_entry(e, n, "objects", 1) &&
	    has_entry(e, n, "refs", 1)) {
		*layout = LAYOUT_BARE;
		return 1;
	}
	*layout = LAYOUT_DIR;
	return walk_is_model_folder(base, e, n, disk_front_matter, (void *)dir);
}

static void free_entries(struct walk_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

/*
 * Reads the entries of dir, sorted.  Symlinks are resolved: one that
 * leaves the root or dangles is dropped (and counted).
 */
static int read_entries(struct walker *w, const char *dir,
			struct walk_entry **out, size_t *nout)
{
	struct walk_entry *e = NULL;
	size_t n = 0, alloc = 0;
	DIR *d = opendir(dir);
	struct dirent *de;

	*out = NULL;
	*nout = 0;
	if (!d) {
		problem(w, dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		int is_dir = 0, is_file = 0;
		unsigned char type = de->d_type;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (type == DT_UNKNOWN || type == DT_LNK) {
			char path[PATH_MAX];
			struct stat st;

			if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
					     de->d_name) >= sizeof(path)) {
				problem(w, dir, "path too long below here");
				continue;
			}
			if (type == DT_LNK) {
				char *real = realpath(path, NULL);
				int inside = real && path_within(real, w->root_real);

				free(real);
				if (!inside) {
					w->st->symlinks_skipped++;
					continue;
				}
			}
			if (stat(path, &st) < 0)
				continue;
			is_dir = S_ISDIR(st.st_mode);
			is_file = S_ISREG(st.st_mode);
		} else {
			is_dir = type == DT_DIR;
			is_file = type == DT_REG;
		}
		ALLOC_GROW(e, n + 1, alloc);
		e[n].name = xstrdup(de->d_name);
		e[n].is_dir = is_dir;
		e[n].is_file = is_file;
		n++;
	}
	closedir(d);
	if (n > 1)	/* an empty folder has no array at all */
		qsort(e, n, sizeof(*e), cmp_entry);
	*out = e;
	*nout = n;
	return 0;
}

static int walk_dir(struct walker *w, const char *dir);

static int emit(struct walker *w, const struct walk_model *m)
{
	w->st->models++;
	return w->ops->found(w->ops->ctx, m);
}

static int emit_file(struct walker *w, const char *path)
{
	struct walk_model m = { path, LAYOUT_FILE, NULL, NULL, 0, NULL };

	return emit(w, &m);
}

static void child_path(struct strbuf *out, const char *dir, const char *name)
{
	strbuf_reset(out);
	strbuf_adds(out, dir);
	if (!str_has_suffix(dir, "/"))
		strbuf_addch(out, '/');
	strbuf_adds(out, name);
}

static int descended(const struct walk_entry *e)
{
	return e->is_dir && walk_descends(e->name);
}

static int is_gguf(const struct walk_entry *e)
{
	const char *fmt = e->is_file ? weight_format(e->name) : NULL;

	return fmt && !strcmp(fmt, "gguf");
}

/* An entry that is, or may hold, a model: what ops->settle is asked about */
static int settleable(const struct walk_entry *e)
{
	return descended(e) || is_gguf(e);
}

/* What ops->settle said of a folder's entries, entry by entry. */
struct settled {
	const void **vouch;	/* NULL: not vouched for */
	enum layout *layouts;
	unsigned char *inert;
};

/*
 * Asks ops->settle about every subdirectory and GGUF file of dir at once;
 * returns 1 and fills out (for each entry) when it vouched for any, else 0.
 */
static int settle_children(struct walker *w, const char *dir,
			   const struct walk_entry *e, size_t n,
			   struct settled *out)
{
	struct strlist paths = STRLIST_INIT;
	struct strbuf path = STRBUF_INIT;
	struct walk_settle q;
	size_t k = 0, any = 0;

	memset(out, 0, sizeof(*out));
	if (!w->ops->settle)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (settleable(&e[i])) {
			child_path(&path, dir, e[i].name);
			strlist_add(&paths, path.buf);
		}
	}
	if (!paths.n) {
		strbuf_release(&path);
		strlist_clear(&paths);
		return 0;
	}
	child_path(&path, dir, "");
	q.paths = (const char *const *)paths.v;
	q.n = paths.n;
	q.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	q.name_at = q.dirfd < 0 ? 0 : path.len;
	if (q.dirfd < 0)
		q.dirfd = AT_FDCWD;
	q.vouch = xcalloc(paths.n, sizeof(*q.vouch));
	q.layouts = xcalloc(paths.n, sizeof(*q.layouts));
	q.inert = xcalloc(paths.n, sizeof(*q.inert));
	w->ops->settle(w->ops->ctx, &q);
	if (q.dirfd != AT_FDCWD)
		close(q.dirfd);
	for (size_t i = 0; i < paths.n; i++)
		any += q.vouch[i] != NULL;
	if (any) {
		/* spread back over the entries */
		out->vouch = xcalloc(n, sizeof(*out->vouch));
		out->layouts = xcalloc(n, sizeof(*out->layouts));
		out->inert = xcalloc(n, sizeof(*out->inert));
		for (size_t i = 0; i < n; i++) {
			if (settleable(&e[i])) {
				out->vouch[i] = q.vouch[k];
				out->layouts[i] = q.layouts[k];
				out->inert[i] = q.inert[k++];
			}
		}
	}
	free(q.vouch);
	free(q.layouts);
	free(q.inert);
	strbuf_release(&path);
	strlist_clear(&paths);
	return any > 0;
}

static int walk_children(struct walker *w, const char *dir,
			 const struct walk_entry *e, size_t n)
{
	struct strbuf path = STRBUF_INIT;
	struct settled set;
	int any = settle_children(w, dir, e, n, &set), rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		if (any && set.vouch[i] && set.inert[i])
			continue;	/* a plain folder, unchanged */
		child_path(&path, dir, e[i].name);
		if (any && set.vouch[i]) {
			struct walk_model m = { path.buf, set.layouts[i], set.vouch[i],
						NULL, 0, NULL };

			rc = emit(w, &m);
		} else if (is_gguf(&e[i])) {
			rc = emit_file(w, path.buf);
		} else if (descended(&e[i])) {
			rc = walk_dir(w, path.buf);
		}
	}
	free(set.vouch);
	free(set.layouts);
	free(set.inert);
	strbuf_release(&path);
	return rc;
}

/* A folder that is not a model: does it hold nothing to walk? */
static int is_plain(const struct walk_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (settleable(&e[i]))
			return 0;
	return 1;
}

static int walk_dir(struct walker *w, const char *dir)
{
	struct walk_entry *e;
	struct stat st;
	enum layout layout;
	size_t n;
	int rc, cls;

	if (stat(dir, &st) < 0) {
		problem(w, dir, strerror(errno));
		return 0;
	}
	for (size_t i = 0; i < w->depth; i++) {
		if (w->stack[i].dev == st.st_dev && w->stack[i].ino == st.st_ino) {
			w->st->symlinks_skipped++;
			return 0;
		}
	}
	if (w->depth >= WALK_MAX_DEPTH) {
		problem(w, dir, "tree deeper than WALK_MAX_DEPTH levels: not descended");
		return 0;
	}
	if (read_entries(w, dir, &e, &n) < 0)
		return 0;
	w->st->dirs++;
	w->stack[w->depth].dev = st.st_dev;
	w->stack[w->depth].ino = st.st_ino;
	w->depth++;

	cls = walk_classify(dir, e, n, &layout);
	if (cls < 0) {
		const char *base = strrchr(dir, '/');

		base = base ? base + 1 : dir;
		if (str_has_prefix(base, "datasets--"))
			w->st->datasets++;
		else
			w->st->spaces++;
		rc = 0;
	} else if (cls > 0) {
		struct walk_model m = { dir, layout, NULL, e, n, &st };

		rc = emit(w, &m);
	} else if (w->ops->plain && is_plain(e, n)) {
		struct walk_model m = { dir, LAYOUT_DIR, NULL, e, n, &st };

		rc = w->ops->plain(w->ops->ctx, &m);
	} else {
		rc = walk_children(w, dir, e, n);
	}
	w->depth--;
	free_entries(e, n);
	return rc;
}

int walk_root(const char *root, const struct walk_ops *ops,
	      struct walk_stats *st, struct mc_error *err)
{
	struct walker w;
	struct stat sb;
	char *abs;
	int rc;

	memset(&w, 0, sizeof(w));
	w.ops = ops;
	w.st = st;
	if (stat(root, &sb) < 0)
		return mc_error_set(err, "cannot read '%s': %s", root, strerror(errno));
	w.root_real = realpath(root, NULL);
	if (!w.root_real)
		return mc_error_set(err, "cannot resolve '%s': %s", root, strerror(errno));

	/* the path as given, made absolute without resolving links */
	abs = path_absolute(root);
	if (!abs) {
		free(w.root_real);
		return mc_error_set(err, "cannot get the current directory: %s",
				    strerror(errno));
	}

	if (S_ISREG(sb.st_mode)) {
		const char *fmt = weight_format(abs);

		rc = fmt && !strcmp(fmt, "gguf") ? emit_file(&w, abs) : 0;
		if (!fmt || strcmp(fmt, "gguf"))
			rc = mc_error_set(err, "'%s' is neither a directory nor a .gguf file", root);
	} else {
		rc = walk_dir(&w, abs);
	}
	free(abs);
	free(w.root_real);
	return rc;
}
