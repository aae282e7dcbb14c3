/*
 * fuzz_rules.c: libFuzzer target for the rule loader (rules.h): the input is
 * a rule file as a user writes it for `--rules DIR`.  It is written into a
 * temporary user rules directory, once as rule.yaml and once as
 * restrictions.yaml (the two ways load_dir() reads a file), and each time
 * loaded with rules_load() on top of a small base catalog of one rule,
 * "fuzz-base", written once into its own temporary directory
 * (MODELCENSUS_RULES points there while the loader runs, so that a rule
 * with that id exercises replacement).  A catalog that loads is then used
 * as `modelcensus rules test` would use it: every look-up, rules_lint(),
 * and a matcher running every example.
 *
 * Besides what the sanitizers catch, it checks what rules.h promises: a
 * failure names the file, a catalog that loads finds each of its rules by
 * id and by alias.  PCRE2 limit errors while matching examples are not
 * findings (documented behaviour).
 */
#include "fuzz.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modelcensus/match.h"
#include "modelcensus/rules.h"
#include "modelcensus/util.h"
#include "modelcensus/banned.h"

static const char fuzz_rules_base[] =
	"id: fuzz-base\n"
	"name: Fuzz Base License\n"
	"spdx: LicenseRef-fuzz-base\n"
	"commercial: allowed\n"
	"aliases: [fuzz base]\n"
	"match:\n"
	"  all:\n"
	"    - fuzz base license\n"
	"examples:\n"
	"  positive:\n"
	"    - kind: full\n"
	"      text: \"Fuzz Base License\"\n";

static char fuzz_rules_dir[512];	/* the temporary directory: base/ and user/ */
static char *fuzz_rules_base_dir, *fuzz_rules_user_dir;

static void fuzz_rules_cleanup(void)
{
	char *p;

	if (!fuzz_rules_dir[0])
		return;
	p = xstrfmt("%s/fuzz-base.yaml", fuzz_rules_base_dir);
	unlink(p);
	free(p);
	rmdir(fuzz_rules_base_dir);
	rmdir(fuzz_rules_user_dir);
	rmdir(fuzz_rules_dir);
	fuzz_rules_dir[0] = '\0';
}

static int fuzz_rules_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (!f)
		return -1;
	if (len && fwrite(data, 1, len, f) != len)
		rc = -1;
	if (fclose(f))
		rc = -1;
	return rc;
}

/* Makes the two directories and the base rule; -1 and a message on failure. */
static int fuzz_rules_init(void)
{
	const char *tmp = getenv("TMPDIR");
	char *p;
	int rc;

	if (fuzz_rules_dir[0])
		return 0;
	snprintf(fuzz_rules_dir, sizeof(fuzz_rules_dir), "%s/mc-fuzz-rules-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fuzz_rules_dir)) {
		fprintf(stderr, "fuzz_rules: mkdtemp '%s': %s\n", fuzz_rules_dir, strerror(errno));
		fuzz_rules_dir[0] = '\0';
		return -1;
	}
	fuzz_rules_base_dir = xstrfmt("%s/base", fuzz_rules_dir);
	fuzz_rules_user_dir = xstrfmt("%s/user", fuzz_rules_dir);
	p = xstrfmt("%s/fuzz-base.yaml", fuzz_rules_base_dir);
	rc = mkdir(fuzz_rules_base_dir, 0700) || mkdir(fuzz_rules_user_dir, 0700) ||
	     fuzz_rules_write(p, fuzz_rules_base, sizeof(fuzz_rules_base) - 1);
	free(p);
	atexit(fuzz_rules_cleanup);
	if (rc) {
		fprintf(stderr, "fuzz_rules: cannot set up '%s': %s\n", fuzz_rules_dir,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Runs text through the matcher as `rules test` does; limit errors are fine. */
static void fuzz_rules_match(struct matcher *m, const char *text)
{
	struct match_list list = MATCH_LIST_INIT;
	struct mc_error err;
	size_t line = 0;

	err.msg[0] = '\0';
	if (match_text(m, text, strlen(text), &list, &err))
		FUZZ_CHECK(err.msg[0]);
	for (size_t i = 0; i < list.n; i++)
		FUZZ_CHECK(list.v[i].rule && list.v[i].line_start >= 1 &&
			   list.v[i].line_start <= list.v[i].line_end);
	match_list_clear(&list);
	(void)match_restriction(m, text, strlen(text), &line);
}

/* Uses a catalog that loaded the way `modelcensus rules` does. */
static void fuzz_rules_use(struct rules *rules)
{
	struct strlist problems = STRLIST_INIT;
	const struct rule_example *ex;
	struct matcher *m = NULL;
	struct mc_error err;
	size_t n = rules_count(rules), n_ex, a, b, c;

	FUZZ_CHECK(n >= 1 && rules_by_id(rules, "fuzz-base") != NULL);
	FUZZ_CHECK(strlen(rules_digest(rules)) > 0);
	FUZZ_CHECK(rules_dirs(rules)->n == 2);
	rules_jit_stats(rules, &a, &b, &c);
	FUZZ_CHECK(b <= a);
	(void)rules_max_captures(rules);
	rules_lint(rules, &problems);
	strlist_clear(&problems);

	for (size_t i = 0; i < n; i++) {
		const struct rule *r = rules_at(rules, i);
		const struct strlist *aliases = rule_aliases(r);
		struct rule_match_spec sp;
		struct rule_patterns bm = rule_base_models(r);
		struct rule_info info;

		rule_info(r, &info);
		FUZZ_CHECK(info.id && *info.id && info.name && info.spdx && info.file);
		FUZZ_CHECK(rules_by_id(rules, info.id) == r);
		FUZZ_CHECK(!strcmp(rule_id(r), info.id));
		(void)commercial_name(info.commercial);
		for (size_t j = 0; j < aliases->n; j++)
			FUZZ_CHECK(rules_by_alias(rules, aliases->v[j]) != NULL);
		rule_match_spec(r, &sp);
		FUZZ_CHECK(sp.any_min <= sp.any.n || !sp.any.n);
		for (size_t j = 0; j < bm.n; j++)
			FUZZ_CHECK(bm.v[j].source && bm.v[j].code);
		(void)rules_by_base_model(rules, info.id);
	}

	if (matcher_new(&m, rules, &err)) {
		FUZZ_CHECK(err.msg[0]);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		n_ex = rule_examples(rules_at(rules, i), &ex);
		for (size_t j = 0; j < n_ex; j++)
			fuzz_rules_match(m, ex[j].text);
	}
	n_ex = rules_restriction_examples(rules, &ex);
	for (size_t j = 0; j < n_ex; j++)
		fuzz_rules_match(m, ex[j].text);
	matcher_free(m);
}

/* Loads data as user_dir/name on top of the base catalog. */
static void fuzz_rules_load_as(const char *name, const uint8_t *data, size_t size)
{
	const char *dirs[1] = { fuzz_rules_user_dir };
	char *path = xstrfmt("%s/%s", fuzz_rules_user_dir, name);
	struct rules *rules = NULL;
	struct mc_error err;

	FUZZ_CHECK(fuzz_rules_write(path, data, size) == 0);
	err.msg[0] = '\0';
	if (rules_load(&rules, dirs, 1, &err)) {
		/* the message names the file (and the line, the problem) */
		FUZZ_CHECK(rules == NULL);
		FUZZ_CHECK(strstr(err.msg, name) != NULL);
	} else {
		FUZZ_CHECK(rules != NULL);
		fuzz_rules_use(rules);
		rules_free(rules);
	}
	unlink(path);
	free(path);
}

static int fuzz_rules_one(const uint8_t *data, size_t size)
{
	const char *old = getenv("MODELCENSUS_RULES");
	char *saved = old ? xstrdup(old) : NULL;

	FUZZ_CHECK(fuzz_rules_init() == 0);
	FUZZ_CHECK(setenv("MODELCENSUS_RULES", fuzz_rules_base_dir, 1) == 0);
	fuzz_rules_load_as("rule.yaml", data, size);
	fuzz_rules_load_as("restrictions.yaml", data, size);
	if (saved)
		setenv("MODELCENSUS_RULES", saved, 1);
	else
		unsetenv("MODELCENSUS_RULES");
	free(saved);
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (fuzz_rules_init())
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_rules_one(data, size);
}
#endif
