/*
 * test_derive.c: the families of rules/families.yaml (rules_family_of(),
 * catalog.c) and the card sentences that name a model's base (derive.h),
 * against the real catalog, as tables: a model name and the rules its
 * family maps to; a card body and the bases it says the model derives
 * from (none for bare mentions and benchmark tables).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <cmocka.h>

#include "modelcensus/rules.h"
#include "modelcensus/derive.h"
#include "modelcensus/match.h"
#include "modelcensus/banned.h"

static struct rules *R;

static int setup(void **state)
{
	struct mc_error err;

	(void)state;
	setenv("MODELCENSUS_RULES", MC_RULES_SRC, 1);
	if (rules_load(&R, NULL, 0, &err) < 0) {
		fprintf(stderr, "rules: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rules_free(R);
	return 0;
}

/* the rule ids a name's family maps to, " AND "-joined, "" for none */
static char *family(const char *name)
{
	struct rule_family f;

	if (!rules_family_of(R, name, strlen(name), NULL, &f))
		return xstrdup("");
	return strlist_join(f.rules, " AND ");
}

static void test_family_table(void **state)
{
	static const char *const cases[][2] = {
		/* the examples: third-party names */
		{ "Llama-3.1-SuperNova-Lite", "llama3.1" },
		{ "Mistral-7B-v0.1-sharded", "apache-2.0" },
		{ "Meta-Llama-3-8B-Instruct-abliterated", "llama3" },
		{ "Qwen2.5-7B-Instruct-GGUF", "apache-2.0" },
		{ "Qwen2.5-3B-Instruct-abliterated", "qwen-research" },
		{ "Qwen2.5-72B-Instruct-AWQ", "qwen" },
		{ "Qwen2-72B-Instruct", "qwen" },
		{ "Qwen2-7B-Instruct-GGUF", "apache-2.0" },
		{ "Qwen3-8B-abliterated", "apache-2.0" },
		{ "Qwen1.5-14B-Chat-GPTQ", "qwen" },
		{ "CodeLlama-34b-Instruct-hf-GGUF", "llama2" },
		{ "gemma-2-9b-it-SimPO", "gemma" },
		{ "codegemma-7b-it-GGUF", "gemma" },
		{ "paligemma-3b-pt-224", "gemma" },
		{ "medgemma-4b-it-GGUF", "health-ai-developer-foundations" },
		{ "Phi-3-mini-4k-instruct-GGUF", "mit" },
		{ "phi-1_5-finetuned", "mit" },
		{ "Foundation-Sec-8B-finetuned", "apache-2.0 AND llama3.1" },
		{ "Foundation-Sec-8B-Instruct", "" },
		{ "DeepSeek-R1-Distill-Llama-8B-abliterated", "mit AND llama3.1" },
		{ "DeepSeek-R1-Distill-Llama-70B-AWQ", "mit AND llama3.3" },
		{ "DeepSeek-R1-Distill-Qwen-7B-GGUF", "mit AND apache-2.0" },
		{ "DeepSeek-R1-0528-GGUF", "mit" },
		{ "deepseek-coder-6.7b-instruct-AWQ", "deepseek" },
		{ "Llama-2-13b-chat-hf-GPTQ", "llama2" },
		{ "llama v2 70b", "llama2" },
		{ "llama-v3.1-8b", "llama3.1" },
		{ "llama2_7b_merged", "llama2" },
		{ "Llama-3.2-3B-Instruct-uncensored", "llama3.2" },
		{ "Llama-3.3-70B-Instruct-AWQ", "llama3.3" },
		{ "Llama-4-Scout-17B-16E-Instruct-4bit", "llama4" },
		{ "llama-7b-hf", "llama1" },
		{ "Mixtral-8x7B-Instruct-v0.1-GPTQ", "apache-2.0" },
		{ "Codestral-22B-v0.1-GGUF", "mnpl" },
		{ "Ministral-8B-Instruct-2410-GGUF", "mrl" },
		{ "Mistral-Large-Instruct-2407-AWQ", "mrl" },
		{ "falcon-7b-instruct-sharded", "apache-2.0" },
		{ "falcon-180B-chat-GPTQ", "tii-falcon-180b" },
		{ "stable-diffusion-v1-5-inpainting", "creativeml-openrail-m" },
		{ "stable-diffusion-2-1-base", "openrail++" },
		{ "stable-diffusion-xl-base-1.0-fp16", "openrail++" },
		{ "whisper-large-v3-turbo-ct2", "apache-2.0" },
		{ "distil-whisper-large-v3", "mit" },
		{ "FLUX.1-Kontext-dev-GGUF", "flux-1-dev-non-commercial-license" },
		{ "flux1-dev-fp8", "flux-1-dev-non-commercial-license" },
		{ "bert-base-uncased", "apache-2.0" },
		{ "flan-t5-large", "apache-2.0" },
		{ "gpt2-medium", "mit" },
		{ "TinyLlama-1.1B-Chat-v1.0", "apache-2.0" },
		/* no family, or a version whose license is not certain */
		{ "open_llama_7b", "" },
		{ "open-llama-7b", "" },
		{ "llama.cpp", "" },
		{ "Mamba-Codestral-7B-v0.1", "" },
		{ "Yi-34B", "" },
		{ "sdxl-turbo", "" },
		{ "my-model", "" },
		{ "Qwen2.5-Omni-7B", "" },
		{ "gemma-tokenizer", "" },
		/* architecture names: the canonical model only */
		{ "legal-bert-base-uncased", "" },
		{ "t5-base-japanese", "" },
		{ "roberta-base-bne", "" },
		{ "gpt2-small-spanish", "" },
		{ "bert-base-multilingual-cased", "apache-2.0" },
		{ "xlm-roberta-large", "mit" },
		{ "distilgpt2", "mit" },
		{ "mt5-small", "apache-2.0" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = family(cases[i][0]);

		if (strcmp(got, cases[i][1]))
			print_error("%s: want '%s', got '%s'\n", cases[i][0], cases[i][1], got);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

static char *join_bases(const struct derivations *d)
{
	struct strlist l = STRLIST_INIT;
	char *s;

	for (size_t i = 0; i < d->n; i++) {
		strlist_add_nodup(&l, xstrfmt("%s@%zu", d->v[i].base, d->v[i].line));
	}
	s = l.n ? strlist_join(&l, ",") : xstrdup("");
	strlist_clear(&l);
	return s;
}

/*
 * The bases a body names, ","-joined.  Found both ways, and the two must
 * agree: every phrase and family run (derive_find), and through a matcher
 * whose prefilter skips those that cannot occur (match_derivations, what a
 * scan does): the prefilter may save work, never hide a base.
 */
static char *bases(const char *body)
{
	struct derivations d = DERIVATIONS_INIT, viapf = DERIVATIONS_INIT;
	struct match_list ml = MATCH_LIST_INIT;
	struct matcher *m;
	struct mc_error err;
	struct strlist l = STRLIST_INIT;
	char *s, *a, *b;

	derive_find(R, body, strlen(body), 1, &d);
	assert_int_equal(matcher_new(&m, R, &err), 0);
	assert_int_equal(match_text(m, body, strlen(body), &ml, &err), 0);
	match_derivations(m, 1, &viapf);
	a = join_bases(&d);
	b = join_bases(&viapf);
	if (strcmp(a, b))
		print_error("'%s': without the prefilter '%s', with it '%s'\n", body, a, b);
	assert_string_equal(a, b);
	free(a);
	free(b);
	for (size_t i = 0; i < d.n; i++)
		strlist_add(&l, d.v[i].base);
	s = l.n ? strlist_join(&l, ",") : xstrdup("");
	strlist_clear(&l);
	derivations_clear(&d);
	derivations_clear(&viapf);
	match_list_clear(&ml);
	matcher_free(m);
	return s;
}

static void test_derivation_sentences(void **state)
{
	static const char *const cases[][2] = {
		{ "This model is fine-tuned from Llama-2-13b on our data.", "llama-2-13b" },
		{ "These are delta weights to apply on top of LLaMA.", "llama" },
		{ "# Model\n\nA CodeLlama-34B fine-tune for SQL.\n", "codellama-34b" },
		{ "The model is based on Llama2-7B and trained on Alpaca.", "llama2-7b" },
		{ "It was trained on top of Mistral-7B-v0.1.", "mistral-7b-v0.1" },
		{ "We fine-tuned\nfrom Llama-2-13b with LoRA.", "llama-2-13b" },
		{ "This is a quantized version of [meta-llama/Llama-2-7b-chat-hf](https://huggingface.co/meta-llama/Llama-2-7b-chat-hf).",
		  "meta-llama/llama-2-7b-chat-hf" },
		{ "Fine-tuned from https://huggingface.co/mistralai/Mistral-7B-v0.1 with DPO.",
		  "mistralai/mistral-7b-v0.1" },
		{ "- Base model: Qwen2.5-7B-Instruct\n", "qwen2.5-7b-instruct" },
		{ "本模型基于 Llama-2-7b 微调。", "llama-2-7b" },
		{ "Este modelo está basado en Llama-2-7b.", "llama-2-7b" },
		{ "Este proyecto realiza el fine-tuning del modelo Llama 3.1 con LoRA.", "llama 3.1" },
		{ "O modelo é baseado no Mistral-7B-v0.1.", "mistral-7b-v0.1" },
		{ "Ce modèle est basé sur Llama-2-13b.", "llama-2-13b" },
		{ "Das Modell basiert auf Llama-2-7b.", "llama-2-7b" },
		{ "Il modello è basato su Mistral-7B-v0.1.", "mistral-7b-v0.1" },
		{ "Basado en nuestra evaluación, supera a Llama-2-13b.", "" },
		{ "The model is likely based on TinyLlama or a similar architecture.", "" },
		{ "tinyllama-finetune.ipynb: the notebook that runs the fine-tuning", "" },
		{ "Mô hình này được tinh chỉnh từ Llama-2-7b.", "llama-2-7b" },
		{ "Модель создана на основе Mistral-7B-v0.1.", "mistral-7b-v0.1" },
		{ "このモデルはLlama-2-13bをベースに学習しました。", "llama-2-13b" },
		{ "이 모델은 Llama-2-7b 기반입니다.", "llama-2-7b" },
		{ "Transformer 기반 모델입니다.", "" },
		{ "A merge of Mistral-7B-v0.1 and others.", "mistral-7b-v0.1" },
		{ "This model is a fine-tuned version of [distilbert-base-uncased](https://huggingface.co/distilbert-base-uncased) on the imdb dataset.",
		  "distilbert-base-uncased" },
		{ "This model is a fine-tuned version of [sonoisa/t5-base-japanese](https://huggingface.co/sonoisa/t5-base-japanese) on None.",
		  "sonoisa/t5-base-japanese" },
		{ "This is a Llama-2-based chat model.", "llama-2" },
		/* bare mentions bind nothing */
		{ "We compared with Llama-2 and it outperforms Llama 2 70B.", "" },
		{ "Our model outperforms Llama 2 13B on all benchmarks.", "" },
		{ "Based on our evaluation, it beats Llama-2-13b.", "" },
		{ "| Model | MMLU |\n|---|---|\n| Llama-2-13b | 55.1 |\n| Ours (fine-tuned) | 60.2 |\n", "" },
		{ "It is based on the transformer architecture.\n\nLlama 2 scores lower.", "" },
		{ "Quantized with llama.cpp, based on our own pretraining.", "" },
		{ "Fine-tuned with LLaMA-Factory on our data.", "" },
		{ "The training data is based on input/output pairs.", "" },
		{ "Fine-tuned on the lambdalabs/pokemon-blip-captions dataset.", "" },
		{ "Fine-tuning from the base model on v100/a100 GPUs.", "" },
		{ "Reference code: fine-tuning on (https://github.com/someone/projects-2/blob/main/x.ipynb)", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = bases(cases[i][0]);

		if (strcmp(got, cases[i][1]))
			print_error("'%s': want '%s', got '%s'\n", cases[i][0], cases[i][1], got);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

/*
 * The same agreement over the 2,000 real cards of ../shared/corpus when
 * they are there (a data set of the project's developers; without it the
 * sentences above are the proof).
 */
static void test_prefilter_hides_no_base_in_real_cards(void **state)
{
	const char *shared = getenv("MC_SHARED");
	char *dir = shared && *shared ? xstrfmt("%s/corpus/cards-dev", shared)
				      : xstrfmt("%s/../../shared/corpus/cards-dev", MC_RULES_SRC);
	DIR *d = opendir(dir);
	struct dirent *de;
	struct mc_error err;
	size_t n = 0;

	(void)state;
	while (d && (de = readdir(d))) {
		char *path, *text = NULL, *got;
		size_t len;
		int truncated;

		if (!str_has_suffix(de->d_name, ".md"))
			continue;
		path = xstrfmt("%s/%s", dir, de->d_name);
		if (!read_file_capped(path, 1u << 22, &text, &len, &truncated, &err)) {
			got = bases(text);	/* asserts the agreement */
			free(got);
			n++;
		}
		free(text);
		free(path);
	}
	if (d) {
		closedir(d);
		assert_true(n >= 1000);
	}
	free(dir);
}

/* the sentence and its line are kept for explain */
static void test_derivation_sentence_line(void **state)
{
	static const char body[] = "# Title\n\nSome words.\nIt is fine-tuned from Llama-2-13b. More.\n";
	struct derivations d = DERIVATIONS_INIT;

	(void)state;
	derive_find(R, body, strlen(body), 10, &d);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].sentence, "it is fine-tuned from llama-2-13b");
	assert_int_equal(d.v[0].line, 13);
	derivations_clear(&d);
}

/* a family naming a rule the catalog lacks is a load error */
static void test_family_unknown_rule(void **state)
{
	char dir[] = "/tmp/test_derive.XXXXXX", *path;
	const char *dirs[1];
	struct rules *rules = NULL;
	struct mc_error err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xstrfmt("%s/families.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("families:\n  - match: 'foo[-_ ]?1'\n    rule: no-such-rule\n", f);
	fclose(f);
	dirs[0] = dir;
	assert_int_equal(rules_load(&rules, dirs, 1, &err), -1);
	assert_non_null(strstr(err.msg, "names rule 'no-such-rule', which is not in the catalog"));
	assert_non_null(strstr(err.msg, path));
	unlink(path);
	rmdir(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_table),
		cmocka_unit_test(test_derivation_sentences),
		cmocka_unit_test(test_derivation_sentence_line),
		cmocka_unit_test(test_prefilter_hides_no_base_in_real_cards),
		cmocka_unit_test(test_family_unknown_rule),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
