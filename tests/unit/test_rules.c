/*
 * test_rules.c: loading the rule catalog (rules.h): a good rule set
 * (tests/fixtures/rules), each kind of bad rule with the file and line in
 * its message, overriding a rule by id from a second directory, the digest,
 * the look-ups by id, alias and base model, JIT compilation, the lint, and
 * the YAML helper (yaml_doc.h) on its own.
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

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "modelcensus/rules.h"
#include "modelcensus/yaml_doc.h"
#include "modelcensus/banned.h"

#define FIXTURES MC_RULES_SRC "/../tests/fixtures/rules"

/* A temporary rules directory and the files written into it. */
struct tmpdir {
	char path[64];
	struct strlist files;
};

static void tmp_make(struct tmpdir *t)
{
	snprintf(t->path, sizeof(t->path), "/tmp/mc-test-rules-XXXXXX");
	assert_non_null(mkdtemp(t->path));
	memset(&t->files, 0, sizeof(t->files));
}

static void tmp_write(struct tmpdir *t, const char *name, const char *content)
{
	char *path = xstrfmt("%s/%s", t->path, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
	strlist_add_unique(&t->files, path);
	free(path);
}

static void tmp_remove(struct tmpdir *t)
{
	for (size_t i = 0; i < t->files.n; i++)
		unlink(t->files.v[i]);
	rmdir(t->path);
	strlist_clear(&t->files);
}

/* Loads the fixtures plus dir (may be NULL); returns rules_load's result. */
static int load(struct rules **out, const char *dir, struct mc_error *err)
{
	const char *dirs[1] = { dir };

	setenv("MODELCENSUS_RULES", FIXTURES, 1);
	err->msg[0] = '\0';
	return rules_load(out, dirs, dir ? 1 : 0, err);
}

/* Loads a directory holding only name -> content and expects an error
 * containing want. */
static void expect_bad(const char *name, const char *content, const char *want)
{
	struct tmpdir t;
	struct rules *rules = (struct rules *)1;
	struct mc_error err;
	char *full;

	tmp_make(&t);
	tmp_write(&t, name, content);
	full = xstrfmt("%s/%s", t.path, want);
	assert_int_equal(load(&rules, t.path, &err), -1);
	assert_null(rules);
	if (!strstr(err.msg, full))
		print_error("want '%s'\ngot  '%s'\n", full, err.msg);
	assert_non_null(strstr(err.msg, full));
	free(full);
	tmp_remove(&t);
}

#define RULE_HEAD "id: x\nname: X\nspdx: LicenseRef-x\ncommercial: allowed\n"
#define RULE_EXAMPLES "examples:\n  positive:\n    - text: some text here\n"

static void test_good_fixtures(void **state)
{
	struct rules *rules;
	struct mc_error err;
	const struct rule *r;
	struct rule_info ri;
	struct rule_match_spec sp;
	const struct rule_example *ex;

	(void)state;
	assert_int_equal(load(&rules, NULL, &err), 0);
	assert_int_equal(rules_count(rules), 2);
	/* files in name order */
	assert_string_equal(rule_id(rules_at(rules, 0)), "apache-2.0");
	assert_string_equal(rule_id(rules_at(rules, 1)), "mit");
	r = rules_by_id(rules, "MIT");
	assert_non_null(r);
	rule_info(r, &ri);
	assert_string_equal(ri.name, "MIT License");
	assert_string_equal(ri.spdx, "MIT");
	assert_int_equal(ri.commercial, CU_ALLOWED);
	assert_int_equal(ri.conditions->n, 1);
	assert_string_equal(ri.conditions->v[0], "attribution");
	assert_null(ri.family);
	assert_null(ri.policy_of);
	assert_non_null(strstr(ri.file, "fixtures/rules/mit.yaml"));
	assert_int_equal(ri.line, 3);
	rule_match_spec(r, &sp);
	assert_int_equal(sp.all.n, 2);
	assert_int_equal(sp.any.n, 2);
	assert_int_equal(sp.any_min, 1);
	assert_int_equal(sp.mentions.n, 2);
	assert_true(sp.threshold > 0.74 && sp.threshold < 0.76);
	assert_int_equal(sp.all.v[0].line, 11);
	/* the prefilter is the longest literal of the `all` patterns */
	assert_string_equal(sp.prefilter,
			    "the above copyright notice and this permission notice shall be included in all copies or substantial portions of the software");
	assert_int_equal(sp.end.n, 1);
	assert_int_equal(rule_examples(r, &ex), 4);
	assert_true(ex[0].positive);
	assert_string_equal(ex[0].kind, "full");
	assert_string_equal(ex[1].kind, "modified");
	assert_string_equal(ex[2].kind, "mention");
	assert_false(ex[3].positive);
	assert_int_equal(strlen(rules_digest(rules)), 16);
	rules_free(rules);
}

static void test_commercial_names(void **state)
{
	enum commercial c;

	(void)state;
	assert_int_equal(commercial_parse("not-allowed", &c), 0);
	assert_int_equal(c, CU_NOT_ALLOWED);
	assert_string_equal(commercial_name(c), "not-allowed");
	assert_int_equal(commercial_parse("conditional", &c), 0);
	assert_string_equal(commercial_name(c), "conditional");
	assert_int_equal(commercial_parse("commercial", &c), -1);
	assert_int_equal(commercial_parse("Allowed", &c), -1);
}

static void test_bad_pattern(void **state)
{
	(void)state;
	expect_bad("bad.yaml", RULE_HEAD "match:\n  all:\n    - 'fine'\n    - 'broken (group'\n" RULE_EXAMPLES,
		   "bad.yaml:8: pattern 'broken (group' does not compile at offset 13: missing closing parenthesis");
	expect_bad("bad.yaml", RULE_HEAD "base_models:\n  - '^org/[unclosed'\n" RULE_EXAMPLES,
		   "bad.yaml:6: pattern '^org/[unclosed' does not compile at offset");
	expect_bad("bad.yaml", RULE_HEAD "match:\n  any:\n    - 'x?'\n" RULE_EXAMPLES,
		   "bad.yaml:7: pattern 'x?' matches empty text");
}

static void test_bad_fields(void **state)
{
	(void)state;
	expect_bad("typo.yaml", RULE_HEAD "aliasses: [y]\n" RULE_EXAMPLES,
		   "typo.yaml:5: unknown key 'aliasses'");
	expect_bad("typo.yaml", RULE_HEAD "match:\n  al: ['x y z']\n" RULE_EXAMPLES,
		   "typo.yaml:6: unknown key 'match.al'");
	expect_bad("nospdx.yaml", "id: x\nname: X\ncommercial: allowed\n" RULE_EXAMPLES,
		   "nospdx.yaml:1: rule 'x' has no 'spdx'");
	expect_bad("noid.yaml", "name: X\nspdx: X\ncommercial: allowed\n" RULE_EXAMPLES,
		   "noid.yaml:1: rule has no 'id'");
	expect_bad("noex.yaml", RULE_HEAD, "noex.yaml:1: rule 'x' has no 'examples'");
	expect_bad("cu.yaml", "id: x\nname: X\nspdx: X\ncommercial: free\n" RULE_EXAMPLES,
		   "cu.yaml:4: commercial must be allowed, conditional, not-allowed or unknown, not 'free'");
	expect_bad("id.yaml", "id: MIT\nname: X\nspdx: X\ncommercial: allowed\n" RULE_EXAMPLES,
		   "id.yaml:1: id 'MIT' must be lower case");
	expect_bad("min.yaml", RULE_HEAD "match:\n  any:\n    min: 3\n    patterns: ['aaa', 'bbb']\n" RULE_EXAMPLES,
		   "min.yaml:7: match.any.min is 3 but there are only 2 patterns");
	expect_bad("thr.yaml", RULE_HEAD "threshold: 1.5\n" RULE_EXAMPLES,
		   "thr.yaml:5: threshold must be a number above 0 and at most 1, not '1.5'");
	expect_bad("kind.yaml", RULE_HEAD "examples:\n  positive:\n    - kind: fulll\n      text: x\n",
		   "kind.yaml:7: example kind 'fulll' is not full, mention or modified");
	expect_bad("nopos.yaml", RULE_HEAD "match:\n  all: ['aaa']\nexamples:\n  negative: ['bbb']\n",
		   "nopos.yaml:8: rule 'x' has patterns but no positive example");
	expect_bad("dup.yaml", RULE_HEAD "name: Y\n" RULE_EXAMPLES,
		   "dup.yaml:5: duplicate key 'name' (first at line 2)");
	expect_bad("cond.yaml", RULE_HEAD "conditions: [Bad Code]\n" RULE_EXAMPLES,
		   "cond.yaml:5: condition 'Bad Code' must be lower case");
	expect_bad("list.yaml", RULE_HEAD "aliases: {a: b}\n" RULE_EXAMPLES,
		   "list.yaml:5: 'aliases' must be a list");
	expect_bad("restrictions.yaml", "restriction:\n  - 'x y'\n",
		   "restrictions.yaml:1: unknown key 'restriction'");
	expect_bad("scalar.yaml", "just a string\n",
		   "scalar.yaml:1: a rule must be a mapping");
}

static void test_bad_yaml(void **state)
{
	(void)state;
	expect_bad("syntax.yaml", RULE_HEAD "aliases: [a, b\n" RULE_EXAMPLES,
		   "syntax.yaml:6: YAML error");
	expect_bad("empty.yaml", "", "empty.yaml: no rule in file");
	expect_bad("two.yaml", RULE_HEAD RULE_EXAMPLES "---\n" RULE_HEAD RULE_EXAMPLES,
		   "two.yaml:8: more than one YAML document");
}

static int yaml_load(struct yaml_doc *d, const char *file, const char *text,
		     struct mc_error *err)
{
	return yaml_doc_load(d, file, text, strlen(text), err);
}

/* yaml_doc.h, the YAML walking rules.c and policy.c share: pairs, items,
 * scalars, nulls, and each error with the file and the node's line. */
static void test_yaml_doc(void **state)
{
	static const char text[] =
		"a: one\n"			/* 1 */
		"b:\n"				/* 2 */
		"  - x\n"			/* 3 */
		"  - 'y'\n"			/* 4 */
		"c: ~\n"			/* 5 */
		"d: ''\n"			/* 6 */
		"a: again\n";			/* 7 */
	struct yaml_doc d;
	struct yaml_pair p;
	struct mc_error err;
	const yaml_node_t *root, *item;
	size_t i;

	(void)state;
	assert_int_equal(yaml_load(&d, "t.yaml", text, &err), 0);
	root = yaml_doc_root(&d);
	assert_non_null(root);
	for (i = 0; yaml_doc_pair(&d, root, i, &p); i++)
		;
	assert_int_equal(i, 5);
	assert_int_equal(yaml_doc_pair(&d, root, 1, &p), 1);
	assert_string_equal(p.key, "b");
	assert_int_equal(yaml_doc_line(p.key_node), 2);
	assert_null(yaml_doc_scalar(p.value));		/* a list */
	item = yaml_doc_item(&d, p.value, 1);
	assert_string_equal(yaml_doc_scalar(item), "y");
	assert_int_equal(yaml_doc_line(item), 4);
	assert_null(yaml_doc_item(&d, p.value, 2));
	assert_null(yaml_doc_item(&d, root, 0));	/* not a list */
	assert_int_equal(yaml_doc_pair(&d, item, 0, &p), 0);	/* not a mapping */
	assert_int_equal(yaml_doc_pair(&d, root, 2, &p), 1);
	assert_true(yaml_doc_is_null(p.value));		/* ~ */
	assert_int_equal(yaml_doc_pair(&d, root, 3, &p), 1);
	assert_false(yaml_doc_is_null(p.value));	/* '' is a string */
	assert_false(yaml_doc_is_null(item));
	/* the second 'a', with both lines */
	assert_int_equal(yaml_doc_unique_keys(&d, root), -1);
	assert_string_equal(err.msg, "t.yaml:7: duplicate key 'a' (first at line 1)");
	assert_int_equal(yaml_doc_fail(&d, item, "bad item %d", 2), -1);
	assert_string_equal(err.msg, "t.yaml:4: bad item 2");
	assert_int_equal(yaml_doc_fail(&d, NULL, "no node"), -1);
	assert_string_equal(err.msg, "t.yaml:0: no node");
	yaml_doc_release(&d);
	yaml_doc_release(&d);	/* harmless twice */

	/* a key that is not a string */
	assert_int_equal(yaml_load(&d, "k.yaml", "x: 1\n[a, b]: 2\n", &err), 0);
	assert_int_equal(yaml_doc_pair(&d, yaml_doc_root(&d), 1, &p), 1);
	assert_null(p.key);
	assert_int_equal(yaml_doc_unique_keys(&d, yaml_doc_root(&d)), -1);
	assert_string_equal(err.msg, "k.yaml:2: keys must be strings");
	yaml_doc_release(&d);

	/* load errors name the line */
	assert_int_equal(yaml_load(&d, "s.yaml", "a: 1\nb: [x, y\n", &err), -1);
	assert_true(str_has_prefix(err.msg, "s.yaml:3: YAML error: "));
	yaml_doc_release(&d);
	assert_int_equal(yaml_load(&d, "two.yaml", "a: 1\n---\nb: 2\n", &err), -1);
	assert_true(str_has_prefix(err.msg, "two.yaml:2: more than one YAML document"));
	yaml_doc_release(&d);
	/* an empty document loads, without a root */
	assert_int_equal(yaml_load(&d, "e.yaml", "", &err), 0);
	assert_null(yaml_doc_root(&d));
	yaml_doc_release(&d);
}

static void test_duplicate_id_in_dir(void **state)
{
	struct tmpdir t;
	struct rules *rules;
	struct mc_error err;

	(void)state;
	tmp_make(&t);
	tmp_write(&t, "a.yaml", RULE_HEAD RULE_EXAMPLES);
	tmp_write(&t, "b.yaml", "- " "id: y\n  name: Y\n  spdx: Y\n  commercial: allowed\n"
		  "  examples: {positive: [text]}\n- id: x\n  name: X2\n  spdx: X\n"
		  "  commercial: allowed\n  examples: {positive: [text]}\n");
	assert_int_equal(load(&rules, t.path, &err), -1);
	assert_non_null(strstr(err.msg, "b.yaml:6: rule 'x' is already defined at"));
	assert_non_null(strstr(err.msg, "a.yaml:1"));
	tmp_remove(&t);
}

static void test_missing_dir(void **state)
{
	struct rules *rules;
	struct mc_error err;

	(void)state;
	assert_int_equal(load(&rules, "/nonexistent/rules-dir", &err), -1);
	assert_string_equal(err.msg, "rules directory '/nonexistent/rules-dir': No such file or directory");
	setenv("MODELCENSUS_RULES", "/nonexistent/base", 1);
	assert_int_equal(rules_load(&rules, NULL, 0, &err), -1);
	assert_non_null(strstr(err.msg, "'/nonexistent/base'"));
}

static void test_override_and_family(void **state)
{
	struct tmpdir t;
	struct rules *rules;
	struct mc_error err;
	struct rule_info ri;

	(void)state;
	tmp_make(&t);
	tmp_write(&t, "mine.yaml",
		  "- id: mit\n  name: MIT (ours)\n  spdx: MIT\n  commercial: conditional\n"
		  "  examples: {positive: []}\n"
		  "- id: extra\n  name: Extra\n  spdx: LicenseRef-extra\n  commercial: not-allowed\n"
		  "  family: cc\n  policy_of: mit\n  examples: {}\n");
	assert_int_equal(load(&rules, t.path, &err), 0);
	assert_int_equal(rules_count(rules), 3);
	/* replaced in place, the new one appended */
	assert_string_equal(rule_id(rules_at(rules, 1)), "mit");
	rule_info(rules_by_id(rules, "mit"), &ri);
	assert_string_equal(ri.name, "MIT (ours)");
	assert_int_equal(ri.commercial, CU_CONDITIONAL);
	assert_non_null(strstr(ri.file, "mine.yaml"));
	rule_info(rules_by_id(rules, "extra"), &ri);
	assert_string_equal(ri.family, "cc");
	assert_string_equal(ri.policy_of, "mit");
	assert_int_equal(ri.line, 6);
	assert_int_equal(rules_dirs(rules)->n, 2);
	rules_free(rules);
	tmp_remove(&t);
}

static void test_digest(void **state)
{
	struct tmpdir t;
	struct rules *a, *b;
	struct mc_error err;
	char *d1;

	(void)state;
	tmp_make(&t);
	tmp_write(&t, "x.yaml", RULE_HEAD RULE_EXAMPLES);
	assert_int_equal(load(&a, t.path, &err), 0);
	assert_int_equal(load(&b, t.path, &err), 0);
	assert_string_equal(rules_digest(a), rules_digest(b));
	d1 = xstrdup(rules_digest(a));
	rules_free(a);
	rules_free(b);
	tmp_write(&t, "x.yaml", RULE_HEAD "conditions: [attribution]\n" RULE_EXAMPLES);
	assert_int_equal(load(&a, t.path, &err), 0);
	assert_string_not_equal(rules_digest(a), d1);
	rules_free(a);
	/* a renamed file changes it too */
	unlink(t.files.v[0]);
	strlist_clear(&t.files);
	tmp_write(&t, "y.yaml", RULE_HEAD RULE_EXAMPLES);
	assert_int_equal(load(&a, t.path, &err), 0);
	assert_string_not_equal(rules_digest(a), d1);
	rules_free(a);
	free(d1);
	tmp_remove(&t);
}

static void test_by_alias(void **state)
{
	struct rules *rules;
	struct mc_error err;

	(void)state;
	assert_int_equal(load(&rules, NULL, &err), 0);
	assert_string_equal(rule_id(rules_by_alias(rules, "apache-2.0")), "apache-2.0");
	assert_string_equal(rule_id(rules_by_alias(rules, "  Apache 2.0 ")), "apache-2.0");
	assert_string_equal(rule_id(rules_by_alias(rules, "APACHE_2.0")), "apache-2.0");
	assert_string_equal(rule_id(rules_by_alias(rules, "apache license 2.0")), "apache-2.0");
	assert_string_equal(rule_id(rules_by_alias(rules, "Apache--License__2.0")), "apache-2.0");
	assert_string_equal(rule_id(rules_by_alias(rules, "Expat")), "mit");
	assert_string_equal(rule_id(rules_by_alias(rules, "MIT-License")), "mit");
	assert_null(rules_by_alias(rules, "apache 3.0"));
	assert_null(rules_by_alias(rules, ""));
	assert_null(rules_by_alias(rules, "   "));
	assert_null(rules_by_alias(rules, NULL));
	assert_string_equal(rule_id(rules_by_id(rules, " apache-2.0") ? rules_by_id(rules, " apache-2.0")
							       : rules_by_id(rules, "APACHE-2.0")),
			    "apache-2.0");
	assert_null(rules_by_id(rules, "apache 2.0"));
	rules_free(rules);
}

static void test_by_base_model(void **state)
{
	struct rules *rules;
	struct mc_error err;

	(void)state;
	assert_int_equal(load(&rules, NULL, &err), 0);
	assert_string_equal(rule_id(rules_by_base_model(rules, "example-org/apache-model-7b")),
			    "apache-2.0");
	assert_string_equal(rule_id(rules_by_base_model(rules, "Example-Org/Apache-Model-X")),
			    "apache-2.0");
	assert_null(rules_by_base_model(rules, "other-org/apache-model-7b"));
	assert_null(rules_by_base_model(rules, "example-org/\xff\xfe"));
	assert_null(rules_by_base_model(rules, NULL));
	rules_free(rules);
}

static void test_jit(void **state)
{
	struct rules *rules;
	struct mc_error err;
	size_t patterns, jitted, bytes;
	uint32_t jit = 0;

	(void)state;
	assert_int_equal(load(&rules, NULL, &err), 0);
	rules_jit_stats(rules, &patterns, &jitted, &bytes);
	assert_true(patterns >= 15);
	pcre2_config(PCRE2_CONFIG_JIT, &jit);
	if (jit) {
		/* PCRE2_INFO_JITSIZE is non-zero for every pattern */
		assert_int_equal(jitted, patterns);
		assert_true(bytes > 0);
	} else {
		printf("note: PCRE2 has no JIT here: the interpreter is used\n");
		assert_int_equal(jitted, 0);
	}
	rules_free(rules);
}

static void test_literals(void **state)
{
	struct tmpdir t;
	struct rules *rules;
	struct mc_error err;
	struct rule_match_spec sp;

	(void)state;
	tmp_make(&t);
	tmp_write(&t, "lit.yaml", RULE_HEAD
		  "match:\n  all:\n"
		  "    - 'short (?:a|b) much longer literal run\\. here \\d+'\n"
		  "    - 'one|two alternatives at top level'\n"
		  "    - 'optional lettersx? end'\n"
		  "    - '[cls]{2} ab'\n"
		  RULE_EXAMPLES);
	assert_int_equal(load(&rules, t.path, &err), 0);
	rule_match_spec(rules_by_id(rules, "x"), &sp);
	assert_string_equal(sp.all.v[0].literal, " much longer literal run. here ");
	assert_null(sp.all.v[1].literal);
	assert_string_equal(sp.all.v[2].literal, "optional letters");
	assert_string_equal(sp.all.v[3].literal, " ab");
	assert_string_equal(sp.prefilter, " much longer literal run. here ");
	assert_int_equal(sp.prefilter_lit.len, strlen(sp.prefilter));
	/* the runs, longest first; (?:a|b) is too short for a clause */
	assert_int_equal(sp.all.v[0].n_clauses, 2);
	assert_string_equal(sp.all.v[0].clauses[0].v[0].s, " much longer literal run. here ");
	assert_string_equal(sp.all.v[0].clauses[1].v[0].s, "short ");
	assert_int_equal(sp.all.v[1].n_clauses, 1);
	assert_int_equal(sp.all.v[1].clauses[0].n, 2);
	rules_free(rules);

	/* clauses: every run, one literal per alternative of a required group;
	 * optional groups, lookarounds and unknown syntax give nothing */
	tmp_write(&t, "lit.yaml", RULE_HEAD
		  "match:\n  all:\n"
		  "    - 'released under (?:the )?(?:gnu gpl|lgpl|ab) license'\n"
		  "    - '(?:licensed|released) under (?:the gnu gpl|the lgpl)(?! version)'\n"
		  "    - 'first|second'\n"
		  "    - 'first|x'\n"
		  "    - 'the (?i)mit license'\n"
		  "    - 'the \\x41bc license'\n"
		  "    - 'a{2} word[]a]stuff \\{x\\} end'\n"
		  RULE_EXAMPLES);
	assert_int_equal(load(&rules, t.path, &err), 0);
	rule_match_spec(rules_by_id(rules, "x"), &sp);
	assert_int_equal(sp.all.v[0].n_clauses, 2);
	assert_string_equal(sp.all.v[0].clauses[0].v[0].s, "released under ");
	assert_int_equal(sp.all.v[0].clauses[0].v[0].len, 15);
	assert_string_equal(sp.all.v[0].clauses[1].v[0].s, " license");
	assert_int_equal(sp.all.v[1].n_clauses, 3);
	assert_string_equal(sp.all.v[1].clauses[0].v[0].s, " under ");
	assert_int_equal(sp.all.v[1].clauses[1].n, 2);
	assert_string_equal(sp.all.v[1].clauses[1].v[1].s, "released");
	assert_string_equal(sp.all.v[1].clauses[2].v[0].s, "the gnu gpl");
	assert_null(sp.all.v[2].literal);
	assert_int_equal(sp.all.v[2].n_clauses, 1);
	assert_int_equal(sp.all.v[2].clauses[0].n, 2);
	assert_int_equal(sp.all.v[3].n_clauses, 0);
	assert_int_equal(sp.all.v[4].n_clauses, 0);
	assert_null(sp.all.v[4].literal);
	assert_int_equal(sp.all.v[5].n_clauses, 0);
	assert_int_equal(sp.all.v[6].n_clauses, 2);
	assert_string_equal(sp.all.v[6].clauses[0].v[0].s, "stuff {x} end");
	assert_string_equal(sp.all.v[6].clauses[1].v[0].s, " word");
	/* one literal, one id */
	assert_int_equal(sp.all.v[0].clauses[0].v[0].id == sp.all.v[1].clauses[1].v[1].id, 0);
	assert_true(sp.all.v[1].clauses[0].v[0].id < rules_literal_count(rules));
	rules_free(rules);
	/* an explicit prefilter wins, lower-cased */
	tmp_write(&t, "lit.yaml", RULE_HEAD "prefilter: Distinctive Words\nmatch:\n  all: ['(?:x|y)+ distinct']\n"
		  RULE_EXAMPLES);
	assert_int_equal(load(&rules, t.path, &err), 0);
	rule_match_spec(rules_by_id(rules, "x"), &sp);
	assert_string_equal(sp.prefilter, "distinctive words");
	rules_free(rules);
	tmp_remove(&t);
}

static void test_restrictions_overlay_and_lint(void **state)
{
	struct tmpdir t;
	struct rules *rules;
	struct mc_error err;
	struct strlist problems = STRLIST_INIT;
	const struct rule_example *ex;

	(void)state;
	tmp_make(&t);
	tmp_write(&t, "restrictions.yaml",
		  "restrictions:\n  - 'only for hobby use'\nexamples:\n  positive: ['Only for hobby use.']\n"
		  "  negative: [{text: 'any use'}]\n");
	tmp_write(&t, "z.yaml", "id: z\nname: Z\nspdx: Z\ncommercial: allowed\naliases: [expat]\n"
		  "policy_of: nothing-here\nexamples: {}\n");
	assert_int_equal(load(&rules, t.path, &err), 0);
	/* added to the fixtures' four phrases and three examples */
	assert_int_equal(rules_restrictions(rules).n, 5);
	assert_int_equal(rules_restriction_examples(rules, &ex), 5);
	assert_non_null(strstr(ex[0].file, "fixtures/rules/restrictions.yaml"));
	assert_non_null(strstr(ex[3].file, t.path));
	assert_int_equal(ex[3].line, 4);
	/* an overlay's alias wins */
	assert_string_equal(rule_id(rules_by_alias(rules, "expat")), "z");
	rules_lint(rules, &problems);
	assert_int_equal(problems.n, 2);
	assert_non_null(strstr(problems.v[0], "z.yaml:1: rule 'z': policy_of 'nothing-here' names no rule"));
	assert_non_null(strstr(problems.v[1], "z.yaml:1: rule 'z': alias 'expat' also names rule 'mit'"));
	strlist_clear(&problems);
	rules_free(rules);
	tmp_remove(&t);
}

/* every rule's spdx is an id an SPDX document takes (export writes it) */
static void test_lint_spdx(void **state)
{
	struct tmpdir t;
	struct rules *rules;
	struct mc_error err;
	struct strlist problems = STRLIST_INIT;

	(void)state;
	tmp_make(&t);
	tmp_write(&t, "s.yaml",
		  "- {id: s1, name: S1, spdx: 'LicenseRef-s1 v2', commercial: allowed, examples: {}}\n"
		  "- {id: s2, name: S2, spdx: 'LicenseRef-', commercial: allowed, examples: {}}\n"
		  "- {id: s3, name: S3, spdx: 'Apache_2.0+', commercial: allowed, examples: {}}\n"
		  "- {id: s4, name: S4, spdx: 'LicenseRef-s4.v-2', commercial: allowed, examples: {}}\n"
		  "- {id: s5, name: S5, spdx: 'GPL-2.0-only', commercial: allowed, examples: {}}\n");
	assert_int_equal(load(&rules, t.path, &err), 0);
	rules_lint(rules, &problems);
	assert_int_equal(problems.n, 3);
	assert_non_null(strstr(problems.v[0], "s.yaml:1: rule 's1': spdx 'LicenseRef-s1 v2' is not an SPDX id"));
	assert_non_null(strstr(problems.v[1], "rule 's2': spdx 'LicenseRef-'"));
	assert_non_null(strstr(problems.v[2], "rule 's3': spdx 'Apache_2.0+'"));
	strlist_clear(&problems);
	rules_free(rules);
	tmp_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_fixtures),
		cmocka_unit_test(test_commercial_names),
		cmocka_unit_test(test_bad_pattern),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_bad_yaml),
		cmocka_unit_test(test_duplicate_id_in_dir),
		cmocka_unit_test(test_missing_dir),
		cmocka_unit_test(test_override_and_family),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_by_alias),
		cmocka_unit_test(test_by_base_model),
		cmocka_unit_test(test_jit),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_yaml_doc),
		cmocka_unit_test(test_restrictions_overlay_and_lint),
		cmocka_unit_test(test_lint_spdx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
