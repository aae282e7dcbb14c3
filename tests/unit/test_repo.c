/*
 * test_repo.c: model ids from remote URLs and cache folder names, which
 * root files are read for licensing in which role, and a PEFT adapter's
 * base model from its adapter_config.json.
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
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

/* Reads a plain folder holding README (optional) and adapter_config.json
 * with content cfg (NULL: none) and checks its base models. */
static void read_adapter(const char *card, const char *cfg, size_t pad,
			 const char *want_bases, const char *want_adapter,
			 const char *want_error)
{
	char dir[] = "/tmp/mc-test-adapter-XXXXXX";
	char path[512];
	struct model m;
	char *got;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	if (card) {
		snprintf(path, sizeof(path), "%s/README.md", dir);
		assert_non_null(f = fopen(path, "w"));
		fputs(card, f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/adapter_config.json", dir);
	if (cfg) {
		assert_non_null(f = fopen(path, "w"));
		fputs(cfg, f);
		for (size_t i = 0; i < pad; i++)
			fputc(' ', f);
		fclose(f);
	}
	model_init(&m, dir, LAYOUT_DIR);
	repo_read(&m);
	got = strlist_join(&m.base_models, ",");
	if (want_bases)
		assert_string_equal(got ? got : "(none)", want_bases);
	else if (got)
		fail_msg("base models '%s', expected none", got);
	free(got);
	got = strlist_join(&m.adapter_bases, ",");
	if (want_adapter)
		assert_string_equal(got ? got : "(none)", want_adapter);
	else if (got)
		fail_msg("adapter base '%s', expected none", got);
	free(got);
	if (want_error) {
		assert_non_null(m.error);
		if (!strstr(m.error, want_error))
			fail_msg("error '%s', expected '%s' in it", m.error, want_error);
		assert_int_equal(m.retry, 0);
	} else if (m.error) {
		fail_msg("unexpected error '%s'", m.error);
	}
	/* adapter_config.json's content was used: a rescan watches it */
	if (cfg)
		assert_non_null(strstr(m.watch.paths.buf, "adapter_config.json"));
	model_release(&m);
	unlink(path);
	snprintf(path, sizeof(path), "%s/README.md", dir);
	unlink(path);
	rmdir(dir);
}

static void test_adapter_base(void **state)
{
	static const char card_base[] = "---\nbase_model: meta-llama/Llama-3.1-8B\n---\n# x\n";

	(void)state;
	read_adapter("# no front matter\n",
		     "{\"base_model_name_or_path\": \"meta-llama/Llama-3.1-8B\", \"r\": 8}", 0,
		     "meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B", NULL);
	/* no card at all */
	read_adapter(NULL, "{\"base_model_name_or_path\": \"https://huggingface.co/org/base\"}", 0,
		     "org/base", "org/base", NULL);
	/* a local path names no model */
	read_adapter(NULL, "{\"base_model_name_or_path\": \"/home/x/llama\"}", 0, NULL, NULL, NULL);
	read_adapter(NULL, "{\"base_model_name_or_path\": \"./out\"}", 0, NULL, NULL, NULL);
	read_adapter(NULL, "{\"base_model_name_or_path\": \"../llama\"}", 0, NULL, NULL, NULL);
	/* a one-part Hub id, as the first Hub models are named */
	read_adapter(NULL, "{\"base_model_name_or_path\": \"distilbert-base-uncased\"}", 0,
		     "distilbert-base-uncased", "distilbert-base-uncased", NULL);
	read_adapter(NULL, "{\"base_model_name_or_path\": null}", 0, NULL, NULL, NULL);
	read_adapter(NULL, "{\"r\": 8}", 0, NULL, NULL, NULL);
	/* the card's base model and the adapter's: a union, each id once in
	 * any case, the card's first */
	read_adapter(card_base, "{\"base_model_name_or_path\": \"META-LLAMA/llama-3.1-8b\"}", 0,
		     "meta-llama/Llama-3.1-8B", "META-LLAMA/llama-3.1-8b", NULL);
	read_adapter(card_base, "{\"base_model_name_or_path\": \"unsloth/llama-3.1-8b\"}", 0,
		     "meta-llama/Llama-3.1-8B,unsloth/llama-3.1-8b", "unsloth/llama-3.1-8b", NULL);
	/* a bad file is a problem of the model, not a read failure */
	read_adapter(NULL, "{\"base_model_name_or_path\": ", 0, NULL, NULL,
		     "'adapter_config.json': not valid JSON: ");
	read_adapter(NULL, "[1, 2]", 0, NULL, NULL, "'adapter_config.json': not a JSON object");
	read_adapter(NULL, "{\"base_model_name_or_path\": \"org/base\"}", ADAPTER_CONFIG_MAX, NULL,
		     NULL, "'adapter_config.json': too large to read");
	/* none: nothing */
	read_adapter("# x\n", NULL, 0, NULL, NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hub_urls),
		cmocka_unit_test(test_other_urls),
		cmocka_unit_test(test_cache_names),
		cmocka_unit_test(test_file_roles),
		cmocka_unit_test(test_adapter_base),
	};

	return cmocka_run_group_tests_name("repo", tests, NULL, NULL);
}
