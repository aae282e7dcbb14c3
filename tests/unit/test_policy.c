/*
 * test_policy.c: policy.c against the real catalog (rules/): every value of
 * --deny/--allow and of a policy file is classified into its vocabulary
 * or refused with the nearest known value; ambiguity names the prefixed
 * forms; an alias stands for its id; judging gives the rule ids.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "modelcensus/policy.h"
#include "modelcensus/rules.h"

static struct rules *catalog;

static int setup(void **state)
{
	struct mc_error err;

	setenv("MODELCENSUS_RULES", MC_RULES_SRC, 1);
	if (rules_load(&catalog, NULL, 0, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	rules_free(catalog);
	return 0;
}

/* A value, the list it lands in (field, or -1 for an error) and the value
 * stored there, or a piece of the error. */
static const struct {
	const char *item;
	int field;
	const char *want;
} cases[] = {
	{ "not-allowed", PF_COMMERCIAL, "not-allowed" },
	{ "unknown", PF_COMMERCIAL, "unknown" },
	{ "license:unknown", PF_LICENSE, "unknown" },
	{ "other", PF_LICENSE, "other" },
	{ "conflict", PF_REVIEW, "conflict" },
	{ "non-commercial", PF_CONDITION, "non-commercial" },
	{ "no-standalone-sale", PF_CONDITION, "no-standalone-sale" },
	{ "use-restrictions", PF_CONDITION, "use-restrictions" },
	{ " Apache-2.0 ", PF_LICENSE, "apache-2.0" },
	{ "Apache 2.0", PF_LICENSE, "apache-2.0" },
	{ "llama-2-community-license", PF_LICENSE, "llama2" },
	{ "commercial_use:conditional", PF_COMMERCIAL, "conditional" },
	{ "License:MIT", PF_LICENSE, "mit" },
	{ "not-alowed", -1, "did you mean 'not-allowed'?" },
	{ "non-comercial", -1, "did you mean 'non-commercial'?" },
	{ "modifed-text", -1, "did you mean 'modified-text'?" },
	{ "apache-2.1", -1, "did you mean 'apache-2.0'?" },
	{ "mti", -1, "did you mean 'mit'?" },
	{ "condition:copylefft", -1, "'copylefft' is not a condition code; did you mean 'copyleft'?" },
	{ "review:gatd", -1, "'gatd' is not a review reason; did you mean 'gated'?" },
	{ "commercial:sometimes", -1, "is not a commercial_use value" },
	{ "license:not-allowed", -1, "is not a license id" },
	{ "condition:mit", -1, "is not a condition code" },
	{ "qwertyuiop", -1, "unknown value 'qwertyuiop' (not a commercial_use value" },
};

static void test_values(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct policy p;
		struct mc_error err;
		int rc;

		policy_init(&p, catalog);
		err.msg[0] = '\0';
		rc = policy_add_list(&p, 1, cases[i].item, &err);
		if (cases[i].field < 0) {
			if (rc == 0 || !strstr(err.msg, cases[i].want))
				fail_msg("'%s': want an error with \"%s\", got rc %d \"%s\"",
					 cases[i].item, cases[i].want, rc, err.msg);
			assert_non_null(strstr(err.msg, "--deny: "));
		} else {
			if (rc != 0)
				fail_msg("'%s': %s", cases[i].item, err.msg);
			assert_int_equal(p.deny[cases[i].field].n, 1);
			assert_string_equal(p.deny[cases[i].field].v[0], cases[i].want);
			for (int f = 0; f < PF__COUNT; f++)
				if (f != cases[i].field)
					assert_int_equal(p.deny[f].n, 0);
		}
		policy_release(&p);
	}
}

static void test_conditions_from_rules(void **state)
{
	struct policy p;

	policy_init(&p, catalog);
	/* every condition code of every rule is known */
	for (size_t i = 0; i < rules_count(catalog); i++) {
		struct rule_info ri;

		rule_info(rules_at(catalog, i), &ri);
		for (size_t k = 0; ri.conditions && k < ri.conditions->n; k++)
			assert_true(strlist_has(&p.conditions, ri.conditions->v[k]));
	}
	assert_true(strlist_has(&p.conditions, "non-commercial"));
	policy_release(&p);
}

static void test_file(void **state)
{
	char path[] = "/tmp/test_policy_XXXXXX";
	const char *yaml = "deny:\n  commercial_use: [not-allowed]\n  conditions:\n"
			   "    - copyleft\n    - non-comercial\n";
	struct policy p;
	struct mc_error err;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	policy_init(&p, catalog);
	assert_int_equal(policy_load(&p, path, &err), -1);
	assert_non_null(strstr(err.msg, ":5: 'non-comercial' is not a condition code; did you mean 'non-commercial'?"));
	assert_non_null(strstr(err.msg, path));
	policy_release(&p);
	unlink(path);
}

static void test_judge_rule_ids(void **state)
{
	struct strlist out = STRLIST_INIT, ids = STRLIST_INIT;
	struct policy p;
	struct mc_error err;

	policy_init(&p, catalog);
	assert_int_equal(policy_add_list(&p, 1, "not-allowed,network-copyleft", &err), 0);
	assert_int_equal(policy_add_list(&p, 0, "mit,apache-2.0", &err), 0);
	policy_judge(&p, "agpl-3.0", "conditional", "copyleft,network-copyleft", NULL, &out, &ids);
	assert_int_equal(out.n, 2);
	assert_int_equal(ids.n, 2);
	assert_string_equal(ids.v[0], "allow-licenses");
	assert_string_equal(out.v[0], "license 'agpl-3.0' is not in the allow list (allow licenses)");
	assert_string_equal(ids.v[1], "deny-conditions");
	assert_string_equal(out.v[1], "condition 'network-copyleft' is denied (deny conditions)");
	strlist_clear(&out);
	strlist_clear(&ids);
	policy_judge(&p, "mit", "allowed", NULL, NULL, &out, &ids);
	assert_int_equal(out.n, 0);
	assert_int_equal(ids.n, 0);
	policy_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_conditions_from_rules),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_judge_rule_ids),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
