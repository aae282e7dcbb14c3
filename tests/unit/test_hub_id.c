/*
 * test_hub_id.c: every way a Hub model id is written, read by the one
 * parser (hub_id.h), as a table: the value, what hub_id_parse() gives (a
 * card's base_model, a GGUF's source or repo_url) and what
 * hub_id_from_remote() gives (a git remote).  NULL: no id.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "modelcensus/hub_id.h"

static const struct {
	const char *in, *id, *remote;
} cases[] = {
	/* ids as written */
	{ "org/name", "org/name", "org/name" },
	{ "  Org-1/m.v2_x\t", "Org-1/m.v2_x", "  Org-1/m.v2_x\t" },
	{ "gpt2", NULL, NULL },				/* one word: not an id */
	{ "org/name/extra", NULL, "name/extra" },
	{ "org name/x", NULL, "org name/x" },
	{ "../x", NULL, "../x" },
	{ "./x", NULL, NULL },
	{ "org/", NULL, NULL },
	{ "/name", NULL, NULL },
	{ "", NULL, NULL },
	{ "org/na:me", NULL, "org/na:me" },
	/* Hub URLs */
	{ "https://huggingface.co/org/name", "org/name", "org/name" },
	{ "http://huggingface.co/org/name", "org/name", "org/name" },
	{ "https://www.huggingface.co/org/name", "org/name", "org/name" },
	{ "https://hf.co/org/name", "org/name", "org/name" },
	{ "huggingface.co/org/name", "org/name", "org/name" },
	{ "hf.co/org/name", "org/name", "org/name" },
	{ "HTTPS://HuggingFace.CO/Org/Name", "Org/Name", "Org/Name" },
	{ "https://user:token@huggingface.co/org/name", "org/name", "org/name" },
	{ "ssh://git@hf.co/org/name", "org/name", "org/name" },
	{ "https://huggingface.co:443/org/name", "org/name", "org/name" },
	{ "https://huggingface.co/org/name.git", "org/name", "org/name" },
	{ "https://huggingface.co/org/name/", "org/name", "org/name" },
	{ "https://huggingface.co/org/name.git/", "org/name", "org/name" },
	{ "https://huggingface.co/org/name?x=1", "org/name", "org/name" },
	{ "https://huggingface.co/org/name#readme", "org/name", "org/name" },
	{ "https://huggingface.co/org/name/tree/main", "org/name", "org/name" },
	{ "https://huggingface.co/org/name/blob/main/x.md", "org/name", "org/name" },
	{ "https://huggingface.co/org/tr", "org/tr", "org/tr" },
	{ "https://huggingface.co/models/org/name", "org/name", "org/name" },
	{ "https://huggingface.co/Models/org/name", "org/name", "org/name" },
	/* one-part (legacy) models: only as URLs */
	{ "https://huggingface.co/gpt2", "gpt2", "gpt2" },
	{ "https://huggingface.co/gpt2/", "gpt2", "gpt2" },
	{ "https://huggingface.co/gpt2.git", "gpt2", "gpt2" },
	{ "https://huggingface.co/gpt2/tree/main", "gpt2", "gpt2" },
	{ "https://huggingface.co/gpt2/resolve/main/config.json", "gpt2", "gpt2" },
	{ "https://huggingface.co/models/gpt2", "gpt2", "gpt2" },
	/* Hub pages that are not models */
	{ "https://huggingface.co/datasets/org/name", NULL, NULL },
	{ "https://huggingface.co/spaces/org/name", NULL, NULL },
	{ "https://huggingface.co/Datasets/org/name", NULL, NULL },
	{ "https://huggingface.co/docs/transformers", NULL, NULL },
	{ "https://huggingface.co/papers/2307.09288", NULL, NULL },
	{ "https://huggingface.co/models", NULL, NULL },
	{ "https://huggingface.co/models/", NULL, NULL },
	{ "https://huggingface.co/", NULL, NULL },
	{ "https://huggingface.co", NULL, NULL },
	{ "https://huggingface.co/org/na%20me", NULL, NULL },
	{ "https://huggingface.co/ org/name", NULL, NULL },
	{ "https://huggingface.co/\r-", NULL, NULL },
	/* other hosts: no Hub id, but a remote's last two parts */
	{ "https://example.com/org/name", NULL, "org/name" },
	{ "https://hf.company.com/org/name", NULL, "org/name" },
	{ "https://huggingface.co.evil.com/org/name", NULL, "org/name" },
	{ "https://github.com/meta-llama/llama3", NULL, "meta-llama/llama3" },
	{ "git@github.com:org/name.git", NULL, "org/name" },
	{ "git@hf.co:org/name.git", NULL, "org/name" },
	{ "ssh://git@gitlab.example.com/group/org/name.git", NULL, "org/name" },
	{ "https://gitlab.example.com/org/name", NULL, "org/name" },
	{ "/srv/mirror/org/name.git", NULL, "org/name" },
	{ "/srv/mirror/org/name.git/", NULL, "org/name" },
	{ "file:///srv/mirror/org/name", NULL, "org/name" },
	{ "/srv/mirror/huggingface.co/org/name", NULL, "org/name" },
	{ "name", NULL, NULL },
	{ "https://example.com/name", NULL, NULL },
};

static int failures;

/* Prints a mismatch and counts it: one run shows every wrong row. */
static void check(const char *what, const char *in, const char *want,
		  char *got)
{
	if (want ? !got || strcmp(got, want) : got != NULL) {
		print_error("%s('%s') gave '%s', expected '%s'\n", what, in,
			    got ? got : "(none)", want ? want : "(none)");
		failures++;
	}
	free(got);
}

static void test_forms(void **state)
{
	(void)state;
	failures = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		check("hub_id_parse", cases[i].in, cases[i].id,
		      hub_id_parse(cases[i].in));
		check("hub_id_from_remote", cases[i].in, cases[i].remote,
		      hub_id_from_remote(cases[i].in));
	}
	assert_null(hub_id_parse(NULL));
	assert_null(hub_id_from_remote(NULL));
	assert_int_equal(failures, 0);
}

static void test_cache_names(void **state)
{
	static const struct {
		const char *in, *want;
	} names[] = {
		{ "/x/hub/models--meta-llama--Llama-2-7b-hf", "meta-llama/Llama-2-7b-hf" },
		{ "models--gpt2", "gpt2" },
		{ "models--Org--Name--with--dashes", "Org/Name--with--dashes" },
		{ "datasets--org--name", NULL },
		{ "models--", NULL },
		{ "models----name", NULL },
		{ "models--org--", NULL },
	};

	(void)state;
	failures = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		check("hub_id_from_cache", names[i].in, names[i].want,
		      hub_id_from_cache(names[i].in));
	assert_int_equal(failures, 0);
}

static void test_parts(void **state)
{
	char big[HUB_PART_MAX + 2];

	(void)state;
	memset(big, 'a', sizeof(big));
	assert_true(hub_id_part_ok(big, HUB_PART_MAX));
	assert_false(hub_id_part_ok(big, HUB_PART_MAX + 1));
	assert_false(hub_id_part_ok("", 0));
	assert_false(hub_id_part_ok(".", 1));
	assert_false(hub_id_part_ok("..", 2));
	assert_true(hub_id_part_ok("...", 3));
	assert_false(hub_id_part_ok("Meta Llama", 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_cache_names),
		cmocka_unit_test(test_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
