/*
 * test_repo.c: model ids from remote URLs and cache folder names, and which
 * root files are read for licensing in which role.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "modelcensus/repo.h"
#include "modelcensus/hub_id.h"

static void expect_id(const char *url, const char *want)
{
	char *got = hub_id_from_remote(url);

	if (want)
		assert_non_null(got);
	if (!want) {
		if (got)
			fail_msg("'%s' gave '%s', expected none", url, got);
	} else if (strcmp(got, want)) {
		fail_msg("'%s' gave '%s', expected '%s'", url, got, want);
	}
	free(got);
}

static void test_hub_urls(void **state)
{
	(void)state;
	expect_id("https://huggingface.co/meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-7b-hf");
	expect_id("https://huggingface.co/meta-llama/Llama-2-7b-hf.git", "meta-llama/Llama-2-7b-hf");
	expect_id("https://huggingface.co/meta-llama/Llama-2-7b-hf/", "meta-llama/Llama-2-7b-hf");
	expect_id("https://hf.co/google/gemma-2b", "google/gemma-2b");
	expect_id("https://user:token@huggingface.co/org/name", "org/name");
	expect_id("https://huggingface.co/gpt2", "gpt2");
	expect_id("https://huggingface.co/org/name/tree/main", "org/name");
}

static void test_other_urls(void **state)
{
	(void)state;
	expect_id("git@github.com:org/name.git", "org/name");
	expect_id("ssh://git@gitlab.example.com/group/org/name.git", "org/name");
	expect_id("https://gitlab.example.com/org/name", "org/name");
	expect_id("/srv/mirror/org/name.git", "org/name");
	expect_id("file:///srv/mirror/org/name", "org/name");
	expect_id("", NULL);
	expect_id("name", NULL);
}

static void test_cache_names(void **state)
{
	char *id;

	(void)state;
	id = hub_id_from_cache("/x/hub/models--meta-llama--Llama-2-7b-hf");
	assert_string_equal(id, "meta-llama/Llama-2-7b-hf");
	free(id);
	id = hub_id_from_cache("models--gpt2");
	assert_string_equal(id, "gpt2");
	free(id);
	id = hub_id_from_cache("models--Org--Name--with--dashes");
	assert_string_equal(id, "Org/Name--with--dashes");
	free(id);
	assert_null(hub_id_from_cache("datasets--org--name"));
	assert_null(hub_id_from_cache("models--"));
}

static void test_file_roles(void **state)
{
	(void)state;
	assert_int_equal(file_role_for_name("LICENSE"), ROLE_LICENSE);
	assert_int_equal(file_role_for_name("LICENSE.txt"), ROLE_LICENSE);
	assert_int_equal(file_role_for_name("license.md"), ROLE_LICENSE);
	assert_int_equal(file_role_for_name("LICENCE"), ROLE_LICENSE);
	assert_int_equal(file_role_for_name("COPYING"), ROLE_LICENSE);
	assert_int_equal(file_role_for_name("COPYING.LESSER"), ROLE_LICENSE);
	assert_int_equal(file_role_for_name("GEMMA_LICENSE"), ROLE_LICENSE);
	assert_int_equal(file_role_for_name("LICENSE-MODEL"), ROLE_WEIGHTS_LICENSE);
	assert_int_equal(file_role_for_name("MODEL_LICENSE"), ROLE_WEIGHTS_LICENSE);
	assert_int_equal(file_role_for_name("license_model.txt"), ROLE_WEIGHTS_LICENSE);
	assert_int_equal(file_role_for_name("LICENSE_weights"), ROLE_WEIGHTS_LICENSE);
	assert_int_equal(file_role_for_name("USE_POLICY.md"), ROLE_USE_POLICY);
	assert_int_equal(file_role_for_name("NOTICE"), ROLE_NOTICE);
	assert_int_equal(file_role_for_name("DATA_LICENSE"), ROLE_DATA_LICENSE);
	assert_int_equal(file_role_for_name("LICENSE-DATASET.md"), ROLE_DATA_LICENSE);
	assert_int_equal(file_role_for_name("dataset_license.txt"), ROLE_DATA_LICENSE);
	assert_int_equal(file_role_for_name("LICENSE.py"), -1);
	assert_int_equal(file_role_for_name("license.json"), -1);
	assert_int_equal(file_role_for_name("README.md"), -1);
	assert_int_equal(file_role_for_name("docs/LICENSE"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hub_urls),
		cmocka_unit_test(test_other_urls),
		cmocka_unit_test(test_cache_names),
		cmocka_unit_test(test_file_roles),
	};

	return cmocka_run_group_tests_name("repo", tests, NULL, NULL);
}
