/*
 * test_walk.c: discovery classification (walk_classify) and the walker on
 * a real tree built in a temporary directory: layouts, datasets and Spaces
 * skipped, GGUF files as models, no descent into a model, symlinks out of
 * the root and loops not followed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "modelcensus/walk.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct walk_entry *)a)->name,
		      ((const struct walk_entry *)b)->name);
}

/* names in any order: sorted here, as the walker sorts its listings */
static int classify(const char *dir, const char *const *names, const int *dirs,
		    enum layout *layout)
{
	struct walk_entry e[16];
	size_t n = 0;

	for (; names[n]; n++) {
		e[n].name = (char *)names[n];
		e[n].is_dir = dirs[n];
		e[n].is_file = !dirs[n];
	}
	qsort(e, n, sizeof(*e), by_name);
	return walk_classify(dir, e, n, layout);
}

static void test_classify(void **state)
{
	enum layout l;
	static const char *const git[] = { ".git", "README.md", NULL };
	static const int git_d[] = { 1, 0 };
	static const char *const bare[] = { "HEAD", "config", "objects", "refs", NULL };
	static const int bare_d[] = { 0, 0, 1, 1 };
	static const char *const cache[] = { "blobs", "refs", "snapshots", NULL };
	static const int cache_d[] = { 1, 1, 1 };
	static const char *const cfg[] = { "config.json", "pytorch_model.bin", NULL };
	static const int cfg_d[] = { 0, 0 };
	static const char *const weights[] = { "model.safetensors", NULL };
	static const int weights_d[] = { 0 };
	static const char *const ggufs[] = { "a.gguf", "b.gguf", "sub", NULL };
	static const int ggufs_d[] = { 0, 0, 1 };
	static const char *const empty[] = { "notes.txt", NULL };
	static const int empty_d[] = { 0 };

	(void)state;
	assert_int_equal(classify("/m/repo", git, git_d, &l), 1);
	assert_int_equal(l, LAYOUT_GIT);
	assert_int_equal(classify("/m/repo.git", bare, bare_d, &l), 1);
	assert_int_equal(l, LAYOUT_BARE);
	assert_int_equal(classify("/hub/models--org--name", cache, cache_d, &l), 1);
	assert_int_equal(l, LAYOUT_HF_CACHE);
	assert_int_equal(classify("/hub/datasets--org--name", cache, cache_d, &l), -1);
	assert_int_equal(classify("/hub/spaces--org--name", cache, cache_d, &l), -1);
	assert_int_equal(classify("/ckpt/x", cfg, cfg_d, &l), 1);
	assert_int_equal(l, LAYOUT_DIR);
	assert_int_equal(classify("/ckpt/y", weights, weights_d, &l), 1);
	assert_int_equal(l, LAYOUT_DIR);
	/* GGUF files alone do not make a folder a model: each file is one */
	assert_int_equal(classify("/dl", ggufs, ggufs_d, &l), 0);
	assert_int_equal(classify("/misc", empty, empty_d, &l), 0);
}

/* walk_is_model_folder()'s front matter question, answered from a list */
static int stub_front_matter(void *ctx, const char *name)
{
	return ctx && !strcmp(ctx, name);
}

static int is_model_folder(const char *base, const char *const *names,
			   const char *front_matter)
{
	struct walk_entry e[16];
	size_t n = 0;

	for (; names[n]; n++) {
		e[n].name = (char *)names[n];
		e[n].is_dir = 0;
		e[n].is_file = 1;
	}
	qsort(e, n, sizeof(*e), by_name);
	return walk_is_model_folder(base, e, n, stub_front_matter, (void *)front_matter);
}

/* the `dir` rules alone, as the search inside repositories asks them (the
 * front matter from a blob, here a stub) */
static void test_model_folder(void **state)
{
	static const char *const card[] = { "LICENSE", "README.md", NULL };
	static const char *const cfg[] = { "adapter_config.json", NULL };
	static const char *const index[] = { "model_index.json", NULL };
	static const char *const weights[] = { "LICENSE", "model.onnx", NULL };
	static const char *const gguf[] = { "LICENSE", "README.md", "a.gguf", NULL };
	static const char *const code[] = { "LICENSE", "setup.py", "train.py", NULL };

	(void)state;
	assert_int_equal(is_model_folder("m", card, "README.md"), 1);
	assert_int_equal(is_model_folder("m", card, NULL), 0);
	assert_int_equal(is_model_folder("m", cfg, NULL), 1);
	assert_int_equal(is_model_folder("m", index, NULL), 1);
	assert_int_equal(is_model_folder("m", weights, NULL), 1);
	/* LICENSE and GGUF files, no card: not a model folder, so each GGUF
	 * file is a model of its own */
	assert_int_equal(is_model_folder("m", gguf, NULL), 0);
	assert_int_equal(is_model_folder("m", gguf, "README.md"), 1);
	assert_int_equal(is_model_folder("", code, NULL), 0);
	assert_int_equal(is_model_folder("datasets--a--b", cfg, NULL), -1);
	assert_true(walk_descends("models"));
	assert_false(walk_descends(".git"));
	assert_false(walk_descends(".cache"));
}

struct found {
	char paths[32][512];
	enum layout layouts[32];
	int settled[32], listed[32];
	size_t n;
	const char *vouch;	/* on_settle vouches for paths ending so */
	const char *inert;	/* and for these as unchanged plain folders */
	size_t asked;
	char plain[8][512];	/* plain folders reported */
	size_t nplain;
};

static int on_plain(void *ctx, const struct walk_model *m)
{
	struct found *f = ctx;

	assert_non_null(m->st);
	if (f->nplain < 8)
		snprintf(f->plain[f->nplain++], sizeof(f->plain[0]), "%s", m->path);
	return 0;
}

static int on_model(void *ctx, const struct walk_model *m)
{
	struct found *f = ctx;

	if (f->n < 32) {
		snprintf(f->paths[f->n], sizeof(f->paths[0]), "%s", m->path);
		f->settled[f->n] = m->vouch != NULL;
		f->listed[f->n] = m->entries != NULL;
		f->layouts[f->n++] = m->layout;
	}
	return 0;
}

/* vouches for every folder whose path ends in f->vouch, as a git repo */
static void on_settle(void *ctx, const struct walk_settle *q)
{
	struct found *f = ctx;

	for (size_t i = 0; i < q->n; i++) {
		struct stat st;

		f->asked++;
		/* the name is good for a look from the folder: a folder, or a
		 * GGUF file */
		assert_int_equal(fstatat(q->dirfd, q->paths[i] + q->name_at, &st, 0), 0);
		assert_true(S_ISDIR(st.st_mode) || str_has_suffix(q->paths[i], ".gguf"));
		if (f->vouch && str_has_suffix(q->paths[i], f->vouch)) {
			q->vouch[i] = f;	/* any token but NULL */
			q->layouts[i] = LAYOUT_GIT;
		}
		if (f->inert && str_has_suffix(q->paths[i], f->inert)) {
			q->vouch[i] = f;
			q->inert[i] = 1;
		}
	}
}

static int has(const struct found *f, const char *suffix, enum layout l)
{
	for (size_t i = 0; i < f->n; i++)
		if (str_has_suffix(f->paths[i], suffix) && f->layouts[i] == l)
			return 1;
	return 0;
}

static void test_walk_tree(void **state)
{
	char tmpl[] = "/tmp/mc-walk-XXXXXX";
	char *root = mkdtemp(tmpl), *outside;
	char outside_tmpl[] = "/tmp/mc-outside-XXXXXX";
	struct walk_stats st;
	struct found f;
	struct walk_ops ops = { on_model, NULL, NULL, &f };
	struct mc_error err;
	char cmd[1024];

	(void)state;
	assert_non_null(root);
	outside = mkdtemp(outside_tmpl);
	assert_non_null(outside);
	memset(&st, 0, sizeof(st));
	memset(&f, 0, sizeof(f));
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir -p card/sub dl/nested ds hub/datasets--a--b/snapshots "
		 "hub/models--a--b/snapshots loop && "
		 "printf -- '---\\nlicense: mit\\n---\\n' > card/README.md && "
		 "printf 'x' > card/sub/model.safetensors && printf 'x' > dl/a.gguf && "
		 "printf 'x' > dl/b.gguf && printf 'x' > dl/nested/c.gguf && "
		 "printf 'no front matter' > ds/README.md && "
		 "ln -s %s escape && ln -s .. loop/up && mkdir -p %s/m && "
		 "printf '{}' > %s/m/config.json",
		 root, outside, outside, outside);
	assert_int_equal(system(cmd), 0);

	assert_int_equal(walk_root(root, &ops, &st, &err), 0);
	assert_true(has(&f, "/card", LAYOUT_DIR));
	assert_true(has(&f, "/dl/a.gguf", LAYOUT_FILE));
	assert_true(has(&f, "/dl/b.gguf", LAYOUT_FILE));
	assert_true(has(&f, "/dl/nested/c.gguf", LAYOUT_FILE));
	assert_true(has(&f, "/hub/models--a--b", LAYOUT_HF_CACHE));
	/* the card folder's weights belong to it: no second model below */
	assert_false(has(&f, "/card/sub", LAYOUT_DIR));
	/* nothing from outside the root, nothing twice through the loop */
	for (size_t i = 0; i < f.n; i++)
		assert_null(strstr(f.paths[i], "escape"));
	assert_int_equal(f.n, 5);
	assert_int_equal(st.datasets, 1);
	assert_true(st.symlinks_skipped >= 1);
	/* a folder model comes with its listing; a GGUF file without */
	for (size_t i = 0; i < f.n; i++)
		assert_int_equal(f.listed[i], f.layouts[i] != LAYOUT_FILE);

	/* a rescan: the caller vouches for dl/, so it is handed on as one
	 * settled model, not listed: its GGUF files are not looked at */
	walk_stats_release(&st);
	memset(&st, 0, sizeof(st));
	memset(&f, 0, sizeof(f));
	f.vouch = "/dl";
	ops.settle = on_settle;
	assert_int_equal(walk_root(root, &ops, &st, &err), 0);
	assert_true(has(&f, "/dl", LAYOUT_GIT));
	assert_false(has(&f, "/dl/a.gguf", LAYOUT_FILE));
	assert_false(has(&f, "/dl/nested/c.gguf", LAYOUT_FILE));
	assert_true(has(&f, "/card", LAYOUT_DIR));
	assert_int_equal(f.n, 3);
	for (size_t i = 0; i < f.n; i++) {
		int dl = str_has_suffix(f.paths[i], "/dl");

		assert_int_equal(f.settled[i], dl);
		assert_int_equal(f.listed[i], !dl);
	}
	assert_true(f.asked >= 5);

	/* a GGUF file is asked about too: vouched for, it is handed on settled
	 * (with the layout the caller gave), the others as found */
	memset(&f, 0, sizeof(f));
	f.vouch = "/a.gguf";
	assert_int_equal(walk_root(root, &ops, &st, &err), 0);
	for (size_t i = 0; i < f.n; i++) {
		if (str_has_suffix(f.paths[i], "/a.gguf"))
			assert_true(f.settled[i]);
		if (str_has_suffix(f.paths[i], "/b.gguf"))
			assert_false(f.settled[i]);
	}
	assert_true(has(&f, "/a.gguf", LAYOUT_GIT) && has(&f, "/b.gguf", LAYOUT_FILE));

	/* plain folders: ds (a card without front matter) is reported; not
	 * card/ (a model), dl/ (GGUF files), loop/ (a link to descend) */
	memset(&f, 0, sizeof(f));
	ops.settle = NULL;
	ops.plain = on_plain;
	assert_int_equal(walk_root(root, &ops, &st, &err), 0);
	assert_int_equal(f.nplain, 1);
	assert_true(str_has_suffix(f.plain[0], "/ds"));
	assert_int_equal(f.n, 5);
	/* vouched for as inert, ds is passed by: neither reported nor a model */
	memset(&f, 0, sizeof(f));
	f.inert = "/ds";
	ops.settle = on_settle;
	assert_int_equal(walk_root(root, &ops, &st, &err), 0);
	assert_int_equal(f.nplain, 0);
	assert_int_equal(f.n, 5);
	assert_true(has(&f, "/card", LAYOUT_DIR));

	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", root, outside);
	assert_int_equal(system(cmd), 0);
	walk_stats_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_model_folder),
		cmocka_unit_test(test_walk_tree),
	};

	return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
