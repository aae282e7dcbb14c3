/*
 * test_fuzz_regressions.c: replays every input of tests/fuzz/regressions/
 * <target>/ (inputs that once crashed a fuzz target or broke one of its
 * invariants) through the very code the fuzzer runs: the target files are
 * included here with FUZZ_NO_MAIN, so each input goes through the same
 * entry point (card_parse(), ckpt_read_gguf(), ckpt_read_safetensors(),
 * normalize_text() and match_text() over the real rules/, rules_load()) with
 * the same checks, on the ordinary build, without sanitizers.  A check that
 * fails aborts the test binary, which tests/run.sh counts as a failure.
 * One test per input, plus a few built-in inputs per target so that the
 * harness itself is exercised when a directory holds nothing yet.
 *
 * The directory is $MC_FUZZ_REGRESSIONS when set, else tests/fuzz/
 * regressions next to the rules/ directory the build was configured with.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NO_MAIN
#include "../fuzz/fuzz_card.c"
#include "../fuzz/fuzz_gguf.c"
#include "../fuzz/fuzz_safetensors.c"
#include "../fuzz/fuzz_match.c"
#include "../fuzz/fuzz_rules.c"

struct target {
	const char *name;
	int (*init)(void);
	int (*one)(const uint8_t *data, size_t size);
};

static const struct target targets[] = {
	{ "card", fuzz_card_init, fuzz_card_one },
	{ "gguf", fuzz_gguf_init, fuzz_gguf_one },
	{ "safetensors", fuzz_safetensors_init, fuzz_safetensors_one },
	{ "match", fuzz_match_init, fuzz_match_one },
	{ "rules", fuzz_rules_init, fuzz_rules_one },
};

/* A test case: one input for one target (a file, or built-in bytes). */
struct replay {
	const struct target *t;
	char *name;		/* "<target>/<file>" */
	char *path;		/* NULL for built-in bytes */
	const char *data;
	size_t size;
};

static const char sample_card[] =
	"\xef\xbb\xbf---\r\nlicense: [Apache-2.0, other]\r\nlicense_name: My License\r\n"
	"base_model: https://huggingface.co/org/name/tree/main\r\n"
	"tags: [license:mit]\r\nanchors: &a [*a]\r\n---\r\n# Model\r\n";
static const char sample_gguf[] =
	"GGUF\x03\x00\x00\x00" "\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x01\x00\x00\x00\x00\x00\x00\x00"
	"\x0f\x00\x00\x00\x00\x00\x00\x00" "general.license"
	"\x08\x00\x00\x00" "\x03\x00\x00\x00\x00\x00\x00\x00" "mit";
static const char sample_safetensors[] =
	"\x1e\x00\x00\x00\x00\x00\x00\x00" "{\"__metadata__\":{\"license\":1}}";
static const char sample_license[] =
	"MIT License\n\nCopyright (c) 2024 Someone\n\nPermission is hereby granted, free "
	"of charge, to any person obtaining a copy\nof this software, for non-commercial "
	"use only.\n";
static const char sample_rule[] =
	"id: fuzz-base\nname: X\nspdx: LicenseRef-x\ncommercial: allowed\n"
	"aliases: [x, fuzz base]\nmatch:\n  all: [permission is hereby granted]\n"
	"examples:\n  positive:\n    - kind: full\n      text: Permission is hereby granted.\n";

static const struct {
	const char *target, *name;
	const char *data;
	size_t size;
} builtins[] = {
	{ "card", "empty", "", 0 },
	{ "card", "sample", sample_card, sizeof(sample_card) - 1 },
	{ "gguf", "empty", "", 0 },
	{ "gguf", "sample", sample_gguf, sizeof(sample_gguf) - 1 },
	{ "safetensors", "empty", "", 0 },
	{ "safetensors", "sample", sample_safetensors, sizeof(sample_safetensors) - 1 },
	{ "match", "empty", "", 0 },
	{ "match", "sample", sample_license, sizeof(sample_license) - 1 },
	{ "rules", "empty", "", 0 },
	{ "rules", "sample", sample_rule, sizeof(sample_rule) - 1 },
};

static char *regressions_dir(void)
{
	const char *env = getenv("MC_FUZZ_REGRESSIONS");
	const char *rules = MC_RULES_SRC;
	size_t n = strlen(rules);

	if (env && *env)
		return xstrdup(env);
	if (n >= 6 && !strcmp(rules + n - 6, "/rules"))
		n -= 6;
	return xstrfmt("%.*s/tests/fuzz/regressions", (int)n, rules);
}

static void run_replay(void **state)
{
	struct replay *r = *state;
	char *buf = NULL;
	size_t len = 0;
	int truncated = 0;
	struct mc_error err;

	assert_int_equal(r->t->init(), 0);
	if (!r->path) {
		r->t->one((const uint8_t *)r->data, r->size);
		return;
	}
	if (read_file_capped(r->path, 64u << 20, &buf, &len, &truncated, &err))
		fail_msg("%s", err.msg);
	assert_false(truncated);
	print_message("replaying %s (%zu bytes)\n", r->path, len);
	/* an exact copy: the targets must not rely on a NUL after the input */
	{
		uint8_t *exact = xmalloc(len ? len : 1);

		memcpy(exact, buf, len);
		free(buf);
		r->t->one(exact, len);
		free(exact);
	}
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	char *root = regressions_dir();
	struct CMUnitTest *tests = NULL;
	struct replay *replays = NULL;
	size_t n = 0, alloc = 0, ralloc = 0, nr = 0, i;
	int rc;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		struct replay r = { NULL, NULL, NULL, builtins[i].data, builtins[i].size };

		for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++)
			if (!strcmp(targets[t].name, builtins[i].target))
				r.t = &targets[t];
		r.name = xstrfmt("%s/built-in %s", builtins[i].target, builtins[i].name);
		ALLOC_GROW(replays, nr + 1, ralloc);
		replays[nr++] = r;
	}
	for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
		struct strlist names = STRLIST_INIT;
		char *dir = xstrfmt("%s/%s", root, targets[t].name);
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.' && strcmp(de->d_name, "README.md"))
				strlist_add(&names, de->d_name);
		if (d)
			closedir(d);
		if (names.n)
			qsort(names.v, names.n, sizeof(*names.v), cmp_names);
		for (i = 0; i < names.n; i++) {
			struct replay r = { &targets[t], NULL, NULL, NULL, 0 };

			r.name = xstrfmt("%s/%s", targets[t].name, names.v[i]);
			r.path = xstrfmt("%s/%s", dir, names.v[i]);
			ALLOC_GROW(replays, nr + 1, ralloc);
			replays[nr++] = r;
		}
		strlist_clear(&names);
		free(dir);
	}

	for (i = 0; i < nr; i++) {
		struct CMUnitTest c = { replays[i].name, run_replay, NULL, NULL, &replays[i] };

		ALLOC_GROW(tests, n + 1, alloc);
		tests[n++] = c;
	}
	rc = _cmocka_run_group_tests("fuzz_regressions", tests, n, NULL, NULL);

	for (i = 0; i < nr; i++) {
		free(replays[i].name);
		free(replays[i].path);
	}
	free(replays);
	free(tests);
	free(root);
	if (fuzz_match_matcher)
		matcher_free(fuzz_match_matcher);
	if (fuzz_match_rules)
		rules_free(fuzz_match_rules);
	normalized_release(&fuzz_match_norm);
	return rc;
}
