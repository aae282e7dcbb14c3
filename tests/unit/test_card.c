/*
 * test_card.c: the model-card parser, one case per tolerance and per kind
 * of bad input: what a user would see in declared_license, base_models,
 * gating, the dataset filter, the body and the error column.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "modelcensus/card.h"
#include "modelcensus/banned.h"

/* Bounded inputs (bombs, deep nesting, 50 MB) are asserted on their
 * errors; a hang shows as a test that never ends, not as a timed assert
 * (speed is measured by scripts/bench.sh, never by tests). */

static struct card card;

static int teardown(void **state)
{
	(void)state;
	card_release(&card);
	return 0;
}

static void parse(const char *text)
{
	card_parse(&card, text, strlen(text));
}

/* The declared values joined with `|`, "-" when none (as labels.tsv). */
static char *declared(void)
{
	struct strlist vals = STRLIST_INIT;
	char *joined;

	card_declared_values(&card, &vals);
	joined = strlist_join(&vals, "|");
	strlist_clear(&vals);
	return joined ? joined : xstrdup("-");
}

static void assert_declared(const char *text, const char *want)
{
	char *got;

	card_release(&card);
	parse(text);
	got = declared();
	if (strcmp(got, want))
		print_error("card:\n%s\nwant '%s', got '%s' (error: %s)\n", text,
			    want, got, card.error ? card.error : "none");
	assert_string_equal(got, want);
	free(got);
}

static void assert_list(const struct strlist *l, const char *want)
{
	char *got = strlist_join(l, "|");

	assert_string_equal(got ? got : "-", want);
	free(got);
}

static void assert_error_contains(const char *part)
{
	if (!card.error || !strstr(card.error, part))
		print_error("error '%s' lacks '%s'\n",
			    card.error ? card.error : "(none)", part);
	assert_non_null(card.error);
	assert_non_null(strstr(card.error, part));
}

/* ---- line endings, BOM, white space ------------------------------------ */

static void test_crlf(void **state)
{
	(void)state;
	parse("---\r\nlicense: MIT\r\ntags:\r\n- a\r\n---\r\n# Body\r\n");
	assert_true(card.has_front_matter);
	assert_null(card.error);
	assert_list(&card.licenses, "mit");
	assert_int_equal(card.body_line, 6);
	assert_int_equal(strncmp(card.body, "# Body\r\n", 8), 0);
	assert_int_equal(card.body_len, 8);
}

static void test_lone_cr(void **state)
{
	(void)state;
	parse("---\rlicense: apache-2.0\rbase_model: org/x\r---\rbody");
	assert_true(card.has_front_matter);
	assert_null(card.error);
	assert_list(&card.licenses, "apache-2.0");
	assert_list(&card.base_models, "org/x");
	assert_int_equal(card.body_line, 5);
	assert_int_equal(card.body_len, 4);
	assert_memory_equal(card.body, "body", 4);
}

static void test_bom(void **state)
{
	(void)state;
	parse("\xef\xbb\xbf---\nlicense: mit\n---\nx\n");
	assert_true(card.has_front_matter);
	assert_list(&card.licenses, "mit");
	assert_int_equal(card.body_line, 4);
	card_release(&card);

	/* without front matter the BOM is not part of the body either */
	parse("\xef\xbb\xbf# Title\n");
	assert_false(card.has_front_matter);
	assert_int_equal(card.body_len, 8);
	assert_memory_equal(card.body, "# Title\n", 8);
}

static void test_leading_blank_lines(void **state)
{
	(void)state;
	parse("\n\n  \n\t\n---\nlicense: mit\n---\n# T\n");
	assert_true(card.has_front_matter);
	assert_list(&card.licenses, "mit");
	assert_int_equal(card.body_line, 8);
	card_release(&card);

	/* text before the opening line: no front matter, as on the Hub */
	parse("# Title\n---\nlicense: mit\n---\n");
	assert_false(card.has_front_matter);
	assert_int_equal(card.licenses.n, 0);
	card_release(&card);

	/* Python's \s also skips a no-break space (U+00A0) */
	parse("\xc2\xa0\n---\nlicense: mit\n---\n");
	assert_true(card.has_front_matter);
	assert_list(&card.licenses, "mit");
}

static void test_tabs(void **state)
{
	(void)state;
	/* as in the corpus (Madhour/gpt2-eli5): spaces then a tab */
	assert_declared("---\nlanguage: en\nlicense:  \tgpl-3.0\n---\n", "gpl-3.0");
	assert_null(card.error);
	assert_declared("---\nlicense:\tmit\t\n---\n", "mit");
	assert_declared("---\nlicense: [\tmit,\tbsd-3-clause ]\n---\n",
			"mit|bsd-3-clause");
}

/* ---- values -------------------------------------------------------- */

static void test_quoted_values(void **state)
{
	(void)state;
	assert_declared("---\nlicense: \"apache-2.0\"\n---\n", "apache-2.0");
	assert_declared("---\nlicense: 'MIT'\n---\n", "mit");
	assert_declared("---\nlicense: \" cc-by-4.0 \"\n---\n", "cc-by-4.0");
}

static void test_upper_case_values(void **state)
{
	(void)state;
	assert_declared("---\nlicense: Apache-2.0\n---\n", "apache-2.0");
	assert_declared("---\nlicense: CC-BY-NC-4.0\n---\n", "cc-by-nc-4.0");
}

static void test_trailing_comments(void **state)
{
	(void)state;
	assert_declared("---\nlicense: apache-2.0  # Example: apache-2.0 or any "
			"license from https://hf.co/docs/hub/repositories-licenses\n"
			"---\n", "apache-2.0");
	assert_declared("---\nlicense: \"cc-by-4.0\"  # a comment\n---\n",
			"cc-by-4.0");
	/* a '#' inside a word is not a comment */
	assert_declared("---\nlicense: a#b\n---\n", "a#b");
}

static void test_licence_key(void **state)
{
	(void)state;
	assert_declared("---\nlicence: mit\n---\n", "mit");
	assert_declared("---\nLicence: MIT\n---\n", "mit");
	/* the right spelling wins over the typo, whatever the order */
	assert_declared("---\nlicense: apache-2.0\nlicence: mit\n---\n",
			"apache-2.0");
	assert_declared("---\nlicence: mit\nlicense: apache-2.0\n---\n",
			"apache-2.0");
}

static void test_licenses_key(void **state)
{
	(void)state;
	/* as in the corpus (ai4bharat/MultiIndicWikiBioSS) */
	assert_declared("---\nlicenses:\n- cc-by-nc-4.0\nwidget:\n- text: x\n---\n",
			"cc-by-nc-4.0");
	assert_declared("---\nlicenses: mit\nlicense: apache-2.0\n---\n",
			"apache-2.0");
}

static void test_upper_case_keys(void **state)
{
	(void)state;
	assert_declared("---\nLicense: MIT\n---\n", "mit");
	assert_declared("---\nLICENSE: apache-2.0\n---\n", "apache-2.0");
	/* the exact key wins over a case variant */
	assert_declared("---\nlicense: mit\nLicense: gpl-3.0\n---\n", "mit");
	assert_declared("---\nLicense: gpl-3.0\nlicense: mit\n---\n", "mit");
}

static void test_duplicate_key_last_wins(void **state)
{
	(void)state;
	/* PyYAML keeps the last of duplicate keys */
	assert_declared("---\nlicense: mit\nlicense: apache-2.0\n---\n",
			"apache-2.0");
}

static void test_list_values(void **state)
{
	(void)state;
	assert_declared("---\nlicense:\n- mit\n- Apache-2.0\n---\n",
			"mit|apache-2.0");
	assert_declared("---\nlicense: [apache-2.0, bsd-3-clause]\n---\n",
			"apache-2.0|bsd-3-clause");
	/* nested lists and mappings are not license values */
	assert_declared("---\nlicense:\n- mit\n- [gpl-3.0]\n- {a: b}\n---\n",
			"mit");
	/* a mapping value declares nothing */
	assert_declared("---\nlicense:\n  name: mit\n---\n", "-");
}

static void test_empty_values(void **state)
{
	(void)state;
	assert_declared("---\nlicense:\n---\n", "-");
	assert_declared("---\nlicense: \n---\n", "-");
	assert_declared("---\nlicense: \"\"\n---\n", "-");
	assert_declared("---\nlicense: []\n---\n", "-");
	assert_declared("---\nlicense: ~\n---\n", "-");
	assert_declared("---\nlicense: null\n---\n", "-");
	assert_null(card.error);
	assert_true(card.has_front_matter);
}

static void test_placeholder_more_information_needed(void **state)
{
	(void)state;
	assert_declared("---\nlicense: '[More Information Needed]'\n---\n", "-");
	assert_declared("---\nlicense: \"[more information needed]\"\n---\n", "-");
	assert_declared("---\nlicense: More Information Needed\n---\n", "-");
	/* unquoted, it is a flow sequence holding the phrase */
	assert_declared("---\nlicense: [More Information Needed]\n---\n", "-");
	assert_true(card_is_placeholder("[MORE INFORMATION NEEDED]"));
}

static void test_placeholder_license(void **state)
{
	(void)state;
	assert_declared("---\nlicense: license\n---\n", "-");
	assert_declared("---\nlicense: LICENSE\n---\n", "-");
}

static void test_placeholder_unknown(void **state)
{
	(void)state;
	assert_declared("---\nlicense: unknown\n---\n", "-");
	assert_declared("---\nlicense: Unknown\n---\n", "-");
}

static void test_placeholder_none(void **state)
{
	(void)state;
	assert_declared("---\nlicense: none\n---\n", "-");
	assert_declared("---\nlicense: None\n---\n", "-");
}

static void test_placeholder_in_list(void **state)
{
	(void)state;
	assert_declared("---\nlicense: [unknown, mit, '']\n---\n", "mit");
	assert_false(card_is_placeholder("mit"));
	assert_false(card_is_placeholder("other"));
	assert_true(card_is_placeholder("  "));
	assert_true(card_is_placeholder(NULL));
}

static void test_other_with_license_name(void **state)
{
	(void)state;
	assert_declared("---\nlicense: other\nlicense_name: Tongyi-Qianwen\n"
			"license_link: https://example.com/LICENSE\n---\n",
			"tongyi-qianwen");
	/* the card keeps the name as written and `other` itself */
	assert_string_equal(card.license_name, "Tongyi-Qianwen");
	assert_string_equal(card.license_link, "https://example.com/LICENSE");
	assert_list(&card.licenses, "other");
	/* order of keys does not matter */
	assert_declared("---\nlicense_name: qwen\nlicense: other\n---\n", "qwen");
	/* a name without `other` is not a declaration of its own */
	assert_declared("---\nlicense: mit\nlicense_name: foo\n---\n", "mit");
}

static void test_other_without_name(void **state)
{
	(void)state;
	assert_declared("---\nlicense: other\n---\n", "-");
	assert_list(&card.licenses, "other");
	assert_declared("---\nlicense: other\nlicense_name: unknown\n---\n", "-");
	assert_null(card.license_name);
	assert_declared("---\nlicense: [mit, other]\n---\n", "mit");
}

static void test_base_model_string(void **state)
{
	(void)state;
	parse("---\nbase_model: meta-llama/Llama-2-7b-hf\n"
	      "base_model_relation: quantized\n---\n");
	assert_list(&card.base_models, "meta-llama/Llama-2-7b-hf");
	assert_string_equal(card.base_model_relation, "quantized");
}

static void test_base_model_list(void **state)
{
	(void)state;
	parse("---\nbase_model:\n- org/a\n- ' org/b '\n- ''\n---\n");
	assert_list(&card.base_models, "org/a|org/b");
	assert_null(card.base_model_relation);
}

/* what export's modelCard takes: the task and the training datasets */
static void test_task_and_datasets(void **state)
{
	(void)state;
	parse("---\npipeline_tag: text-generation\ndatasets:\n- acme/chat\n- ' acme/more '\n"
	      "- acme/chat\n- ''\n---\n");
	assert_string_equal(card.pipeline_tag, "text-generation");
	assert_list(&card.datasets, "acme/chat|acme/more");
	card_release(&card);
	parse("---\ndatasets: acme/one\npipeline_tag: [a, b]\n---\n");
	assert_list(&card.datasets, "acme/one");
	assert_null(card.pipeline_tag);
}

static void test_base_model_url(void **state)
{
	char *s;

	(void)state;
	parse("---\nbase_model:\n- https://huggingface.co/mistralai/Mistral-7B-v0.1\n"
	      "- hf.co/org/name/tree/main\n"
	      "- http://www.huggingface.co/gpt2\n---\n");
	assert_list(&card.base_models, "mistralai/Mistral-7B-v0.1|org/name|gpt2");

	s = card_normalize_model_ref("https://huggingface.co/org/name/blob/main/x.md");
	assert_string_equal(s, "org/name");
	free(s);
	s = card_normalize_model_ref("https://huggingface.co/org/tr");
	assert_string_equal(s, "org/tr");
	free(s);
	s = card_normalize_model_ref("https://huggingface.co/gpt2/tree/main");
	assert_string_equal(s, "gpt2");
	free(s);
	s = card_normalize_model_ref("https://hf.co/org/name?x=1");
	assert_string_equal(s, "org/name");
	free(s);
	s = card_normalize_model_ref("  org/name\t");
	assert_string_equal(s, "org/name");
	free(s);
	/* not a model of the Hub: left as written */
	s = card_normalize_model_ref("https://huggingface.co/datasets/org/d");
	assert_string_equal(s, "https://huggingface.co/datasets/org/d");
	free(s);
	s = card_normalize_model_ref("https://example.com/org/name");
	assert_string_equal(s, "https://example.com/org/name");
	free(s);
}

static void test_license_tags(void **state)
{
	(void)state;
	parse("---\ntags:\n- text-generation\n- license:MIT\n"
	      "- 'license: apache-2.0'\n- license:\n---\n");
	assert_list(&card.license_tags, "mit|apache-2.0");
	/* tags are not the declared license */
	assert_int_equal(card.licenses.n, 0);
	card_release(&card);
	parse("---\ntags: license:gpl-3.0\n---\n");
	assert_list(&card.license_tags, "gpl-3.0");
}

static void test_gated(void **state)
{
	(void)state;
	parse("---\nlicense: llama2\ngated: auto\n"
	      "extra_gated_prompt: You agree to the terms\n"
	      "extra_gated_fields:\n  Name: text\n  I accept: checkbox\n---\n");
	assert_string_equal(card.gated, "auto");
	assert_true(card.has_extra_gated_prompt);
	assert_true(card.has_extra_gated_fields);
	card_release(&card);

	/* empty extra_gated_* ask nothing of the downloader */
	parse("---\nextra_gated_prompt:\nextra_gated_fields: {}\n---\n");
	assert_null(card.gated);
	assert_false(card.has_extra_gated_prompt);
	assert_true(card.has_extra_gated_fields);	/* present, even empty */
	card_release(&card);

	/* any extra_gated_* key means a gate, not only _prompt and _fields */
	parse("---\nlicense: gemma\nextra_gated_heading: Access Gemma\n"
	      "Extra_Gated_Button_Content: Acknowledge license\n---\n");
	assert_false(card.has_extra_gated_prompt);
	assert_false(card.has_extra_gated_fields);
	assert_true(card.has_extra_gated_other);
	card_release(&card);
	parse("---\nextra_gated_description:\nextra_gated_:  x\n---\n");
	assert_false(card.has_extra_gated_other);	/* empty, or no name */
	card_release(&card);

	parse("---\nlicense: mit\n---\n");
	assert_null(card.gated);
	assert_false(card.has_extra_gated_prompt);
	assert_false(card.has_extra_gated_fields);
	assert_false(card.has_extra_gated_other);
}

static void test_scalars_stay_strings(void **state)
{
	(void)state;
	parse("---\ngated: no\nbase_model_relation: on\nlicense: 1.0\n---\n");
	assert_string_equal(card.gated, "no");
	assert_string_equal(card.base_model_relation, "on");
	assert_list(&card.licenses, "1.0");
	card_release(&card);
	parse("---\ngated: True\n---\n");
	assert_string_equal(card.gated, "True");
}

static void test_dataset_card(void **state)
{
	(void)state;
	parse("---\nlicense: cc-by-4.0\ndataset_info:\n  features:\n"
	      "  - name: text\n    dtype: string\n---\n");
	assert_true(card.is_dataset);
	card_release(&card);
	parse("---\nconfigs:\n- config_name: default\n  data_files: x.parquet\n---\n");
	assert_true(card.is_dataset);
	card_release(&card);
	/* only at the top level */
	parse("---\nmodel-index:\n- name: x\n  configs: 1\n---\n");
	assert_false(card.is_dataset);
}

static void test_space_keys_are_not_dataset(void **state)
{
	(void)state;
	parse("---\ntitle: Demo\nsdk: gradio\napp_file: app.py\nlicense: mit\n---\n");
	assert_false(card.is_dataset);
	assert_list(&card.licenses, "mit");
}

static void test_alias_to_license(void **state)
{
	(void)state;
	assert_declared("---\nx: &lic Apache-2.0\nlicense: *lic\n---\n",
			"apache-2.0");
	assert_declared("---\nx: &l [mit, bsd-3-clause]\nlicense: *l\n---\n",
			"mit|bsd-3-clause");
	assert_declared("---\nx: &l mit\nlicense: [*l, gpl-3.0]\n---\n",
			"mit|gpl-3.0");
	assert_null(card.error);
	card_release(&card);
	parse("---\nlicense: *nowhere\n---\n");
	assert_error_contains("undefined alias");
}

/* ---- errors -------------------------------------------------------- */

static void test_yaml_error(void **state)
{
	(void)state;
	/* the error names the line of the file, not of the block */
	parse("\n---\nlicense: mit\nfoo: bar: baz\nbase_model: x/y\n---\nbody\n");
	assert_true(card.has_front_matter);
	assert_error_contains("yaml error at line 4, column 9: ");
	assert_error_contains("mapping values are not allowed");
	/* what was read before the error is kept */
	assert_list(&card.licenses, "mit");
	assert_int_equal(card.body_line, 7);
	card_release(&card);

	parse("---\nlicense: mit\ntags: [a, b\n---\n");
	assert_error_contains("yaml error at line ");
	card_release(&card);

	/* tabs cannot indent YAML */
	parse("---\ntags:\n\t- a\n---\n");
	assert_error_contains("yaml error at line 3");
}

static void test_not_a_mapping(void **state)
{
	(void)state;
	parse("---\n- license: mit\n- b\n---\n");
	assert_error_contains("front matter is a sequence, not a mapping");
	assert_error_contains("line 2");
	assert_int_equal(card.licenses.n, 0);
	card_release(&card);
	parse("---\njust some text\n---\n");
	assert_error_contains("not a mapping");
	card_release(&card);
	/* a block with only comments is an empty mapping, not an error */
	parse("---\n# nothing yet\n---\n");
	assert_true(card.has_front_matter);
	assert_null(card.error);
	card_release(&card);
	/* two documents do not load either ("--- x" does not close) */
	parse("---\nlicense: mit\n--- second\n---\n");
	assert_error_contains("yaml error at line 3, column 1: expected a single document");
	card_release(&card);
	parse("---\nlicense: mit\n...\nfoo: bar\n---\n");
	assert_error_contains("yaml error at line 4");
}

static void test_unterminated_front_matter(void **state)
{
	static const char text[] = "---\nlicense: mit\n# Title\n";

	(void)state;
	parse(text);
	assert_false(card.has_front_matter);
	/* read as text like the Hub, but the row says why nothing was read */
	assert_non_null(card.error);
	assert_non_null(strstr(card.error, "never closed"));
	assert_int_equal(card.licenses.n, 0);
	assert_ptr_equal(card.body, text);
	assert_int_equal(card.body_len, strlen(text));
	assert_int_equal(card.body_line, 1);
	card_release(&card);

	/* a closing line with trailing text or spaces does not close */
	parse("---\nlicense: mit\n--- \nx\n");
	assert_false(card.has_front_matter);
	card_release(&card);
	parse("---\nlicense: mit\n----\n");
	assert_false(card.has_front_matter);
}

static void test_no_front_matter(void **state)
{
	static const char text[] = "# Model\n\nlicense: mit\n";

	(void)state;
	parse(text);
	assert_false(card.has_front_matter);
	assert_null(card.error);
	assert_int_equal(card.licenses.n, 0);
	assert_ptr_equal(card.body, text);
	assert_int_equal(card.body_line, 1);
	card_release(&card);
	card_parse(&card, "", 0);
	assert_false(card.has_front_matter);
	assert_int_equal(card.body_len, 0);
}

static void test_body_and_body_line(void **state)
{
	(void)state;
	parse("\n---\nlicense: mit\n---\n\n# Title\n");
	assert_int_equal(card.body_line, 5);
	assert_int_equal(card.body_len, 9);
	assert_memory_equal(card.body, "\n# Title\n", 9);
	card_release(&card);

	/* closing line at the very end of the file */
	parse("---\nlicense: mit\n---");
	assert_true(card.has_front_matter);
	assert_list(&card.licenses, "mit");
	assert_int_equal(card.body_len, 0);
	card_release(&card);

	/* the block ends at the first closing line; later rules are body */
	parse("---\nlicense: mit\n---\ntext\n---\nmore\n");
	assert_list(&card.licenses, "mit");
	assert_int_equal(card.body_line, 4);
	assert_int_equal(card.body_len, strlen("text\n---\nmore\n"));
	card_release(&card);

	/* Hub quirk: "---\n---" alone is not a front matter, and an empty
	 * block followed by a markdown rule reaches to that rule */
	parse("---\n---\n# T\n");
	assert_false(card.has_front_matter);
	card_release(&card);
	parse("---\n\n---\n# T\n");
	assert_true(card.has_front_matter);
	assert_null(card.error);
	assert_int_equal(card.body_line, 4);
	card_release(&card);
	parse("---\n\n---\nlicense: mit\n---\nbody\n");
	assert_true(card.has_front_matter);
	assert_int_equal(card.body_line, 6);
}

static void test_alias_bomb(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_adds(&sb, "---\nlicense: mit\na: &a [\"lol\",\"lol\",\"lol\",\"lol\","
			 "\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (char c = 'b'; c <= 'z'; c++) {
		strbuf_addf(&sb, "%c: &%c [", c, c);
		for (int i = 0; i < 9; i++)
			strbuf_addf(&sb, "%s*%c", i ? "," : "", c - 1);
		strbuf_adds(&sb, "]\n");
	}
	strbuf_adds(&sb, "---\n");
	parse(sb.buf);
	assert_error_contains("aliases expand to more than");
	assert_list(&card.licenses, "mit");
	strbuf_release(&sb);
}

static void test_deep_nesting(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_adds(&sb, "---\nlicense: mit\nx: ");
	for (int i = 0; i < 100000; i++)
		strbuf_addch(&sb, '[');
	for (int i = 0; i < 100000; i++)
		strbuf_addch(&sb, ']');
	strbuf_adds(&sb, "\n---\n");
	parse(sb.buf);
	assert_error_contains("deeper than 64 levels");
	assert_list(&card.licenses, "mit");
	card_release(&card);

	/* block sequences nest too: "- - - ... x" */
	strbuf_reset(&sb);
	strbuf_adds(&sb, "---\nx: \n");
	for (int i = 0; i < 100000; i++)
		strbuf_adds(&sb, "- ");
	strbuf_adds(&sb, "x\n---\n");
	parse(sb.buf);
	assert_error_contains("deeper than 64 levels");
	card_release(&card);

	/* 64 levels are fine */
	strbuf_reset(&sb);
	strbuf_adds(&sb, "---\nlicense: mit\nx: ");
	for (int i = 0; i < CARD_MAX_DEPTH - 1; i++)
		strbuf_addch(&sb, '[');
	for (int i = 0; i < CARD_MAX_DEPTH - 1; i++)
		strbuf_addch(&sb, ']');
	strbuf_adds(&sb, "\n---\n");
	parse(sb.buf);
	assert_null(card.error);
	assert_list(&card.licenses, "mit");
	strbuf_release(&sb);
}

static void test_nul_bytes(void **state)
{
	static const char in_yaml[] = "---\nlicense: mit\nx: a\0b\n---\nbody\n";
	static const char in_body[] = "---\nlicense: mit\n---\nbo\0dy\n";

	(void)state;
	card_parse(&card, in_yaml, sizeof(in_yaml) - 1);
	assert_true(card.has_front_matter);
	assert_error_contains("yaml error at line 3");
	card_release(&card);

	card_parse(&card, in_body, sizeof(in_body) - 1);
	assert_null(card.error);
	assert_list(&card.licenses, "mit");
	assert_int_equal(card.body_len, 6);
	assert_memory_equal(card.body, "bo\0dy\n", 6);
	card_release(&card);

	/* the text need not be NUL-terminated: only len bytes are read */
	card_parse(&card, "---\nlicense: mit\n---\nXXXX", 20);
	assert_list(&card.licenses, "mit");
	assert_int_equal(card.body_len, 0);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	parse("---\nlicense: mit\nx: \xff\xfe\xc3\n---\n");
	assert_true(card.has_front_matter);
	assert_error_contains("yaml error at line 3");
	card_release(&card);
	parse("---\nlicense: mit\n---\n\xff\xfe body\n");
	assert_null(card.error);
	assert_list(&card.licenses, "mit");
}

static void test_huge_card(void **state)
{
	const size_t target = 50u << 20;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	/* 50 MB of front matter: stopped by the event cap */
	strbuf_adds(&sb, "---\nlicense: mit\n");
	for (size_t i = 0; sb.len < target; i++)
		strbuf_addf(&sb, "k%zu: v\n", i);
	strbuf_adds(&sb, "---\n");
	card_parse(&card, sb.buf, sb.len);
	assert_error_contains("more than 2000000 yaml events");
	assert_list(&card.licenses, "mit");
	card_release(&card);

	/* 50 MB of body below a small front matter: read whole, no error */
	strbuf_reset(&sb);
	strbuf_adds(&sb, "---\nlicense: mit\n---\n");
	while (sb.len < target)
		strbuf_adds(&sb, "some text of the card body\n");
	card_parse(&card, sb.buf, sb.len);
	assert_null(card.error);
	assert_list(&card.licenses, "mit");
	assert_int_equal(card.body_len, sb.len - 21);
	strbuf_release(&sb);
}

int main(void)
{
#define T(f) cmocka_unit_test_teardown(f, teardown)
	const struct CMUnitTest tests[] = {
		T(test_crlf),
		T(test_lone_cr),
		T(test_bom),
		T(test_leading_blank_lines),
		T(test_tabs),
		T(test_quoted_values),
		T(test_upper_case_values),
		T(test_trailing_comments),
		T(test_licence_key),
		T(test_licenses_key),
		T(test_upper_case_keys),
		T(test_duplicate_key_last_wins),
		T(test_list_values),
		T(test_empty_values),
		T(test_placeholder_more_information_needed),
		T(test_placeholder_license),
		T(test_placeholder_unknown),
		T(test_placeholder_none),
		T(test_placeholder_in_list),
		T(test_other_with_license_name),
		T(test_other_without_name),
		T(test_base_model_string),
		T(test_base_model_list),
		T(test_task_and_datasets),
		T(test_base_model_url),
		T(test_license_tags),
		T(test_gated),
		T(test_scalars_stay_strings),
		T(test_dataset_card),
		T(test_space_keys_are_not_dataset),
		T(test_alias_to_license),
		T(test_yaml_error),
		T(test_not_a_mapping),
		T(test_unterminated_front_matter),
		T(test_no_front_matter),
		T(test_body_and_body_line),
		T(test_alias_bomb),
		T(test_deep_nesting),
		T(test_nul_bytes),
		T(test_invalid_utf8),
		T(test_huge_card),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
