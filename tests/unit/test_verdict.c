/*
 * test_verdict.c: verdict_own() (verdict.h) and lineage_final() (lineage.h) against
 * ../shared/spec/verdicts.md, one case per path.  Models are built by hand:
 * card fields set directly, files with matches whose rules come from the
 * small rule set in tests/fixtures/rules-verdict (never the real catalog,
 * MODELCENSUS_RULES points at an empty directory).  The costliest error is
 * a false permit, so several cases pair sources that each permit alone
 * with one that forbids, and assert the verdict never says allowed.
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

#include "modelcensus/lineage.h"
#include "modelcensus/verdict.h"
#include "modelcensus/rules.h"
#include "modelcensus/match.h"
#include "modelcensus/model.h"
#include "modelcensus/banned.h"

static struct rules *R;
static char empty_dir[] = "/tmp/mc-verdict-XXXXXX";

static int setup(void **state)
{
	struct mc_error err;
	const char *dirs[1];
	char *fixture, *slash;
	int rc;

	(void)state;
	if (!mkdtemp(empty_dir)) {
		fprintf(stderr, "cannot create a temporary directory\n");
		return -1;
	}
	setenv("MODELCENSUS_RULES", empty_dir, 1);
	/* MC_RULES_SRC is <project>/rules: the fixture is beside it */
	fixture = xstrdup(MC_RULES_SRC);
	slash = strrchr(fixture, '/');
	if (slash)
		*slash = '\0';
	dirs[0] = xstrfmt("%s/tests/fixtures/rules-verdict", fixture);
	free(fixture);
	rc = rules_load(&R, dirs, 1, &err);
	if (rc < 0)
		fprintf(stderr, "rules: %s\n", err.msg);
	free((char *)dirs[0]);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	rules_free(R);
	rmdir(empty_dir);
	return 0;
}

/* ---- building models -------------------------------------------------- */

static void model_new(struct model *m)
{
	model_init(m, "/models/acme/thing", LAYOUT_DIR);
	m->model_id = xstrdup("acme/thing");
}

static struct card *card_of(struct model *m)
{
	if (!m->has_card) {
		m->has_card = 1;
		m->card.has_front_matter = 1;
		m->card.body_line = 10;
		m->card_name = xstrdup("README.md");
	}
	return &m->card;
}

static void card_license(struct model *m, const char *value)
{
	strlist_add(&card_of(m)->licenses, value);
}

static const struct rule *rule(const char *id)
{
	const struct rule *r = rules_by_id(R, id);

	if (!r)
		fail_msg("fixture has no rule %s", id);
	return r;
}

static struct match *add_match(struct match_list *l, const char *id,
			       enum match_kind kind, size_t a, size_t b)
{
	struct match *mt;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	mt = &l->v[l->n++];
	memset(mt, 0, sizeof(*mt));
	mt->rule = rule(id);
	mt->kind = kind;
	mt->coverage = 1.0;
	mt->line_start = a;
	mt->line_end = b;
	return mt;
}

static struct model_file *add_file(struct model *m, const char *name,
				   enum file_role role, const char *data)
{
	struct model_file *f = model_add_file(m, name, role);

	if (data) {
		f->data = xstrdup(data);
		f->len = strlen(data);
	}
	return f;
}

/* A license file holding one full text of id. */
static void file_full(struct model *m, const char *name, enum file_role role,
		      const char *id)
{
	struct model_file *f = add_file(m, name, role, "license text\n");

	add_match(&f->matches, id, MATCH_FULL, 1, 201);
}

static void ckpt(struct model *m, const char *path, const char *license,
		 const char *license_name)
{
	struct weight_file *w = model_add_weight(m, path, "gguf");

	w->meta.format = CKPT_GGUF;
	w->meta.license = license ? xstrdup(license) : NULL;
	w->meta.license_name = license_name ? xstrdup(license_name) : NULL;
}

/* ---- asserting -------------------------------------------------------- */

static void expect_list(const struct strlist *l, const char *want)
{
	char *got = strlist_join(l, ",");

	assert_string_equal(got ? got : "", want);
	free(got);
}

static void expect_reason(const struct verdict *v, const char *line)
{
	const char *r = strbuf_str(&v->reasoning);

	if (!strstr(r, line))
		fail_msg("reasoning lacks \"%s\":\n%s", line, r);
}

static void expect_cu(const struct verdict *v, enum commercial cu)
{
	if (v->commercial != cu)
		fail_msg("commercial_use %s, expected %s; reasoning:\n%s",
			 commercial_name(v->commercial), commercial_name(cu),
			 strbuf_str(&v->reasoning));
}

/* Never a false permit: the verdict must restrict. */
static void expect_not_allowed(const struct verdict *v)
{
	expect_cu(v, CU_NOT_ALLOWED);
}

/* The identify stage's part that the verdict reads without matches of its
 * own: restriction phrases in the files the test wrote. */
static void find_restrictions(struct model *m)
{
	struct matcher *mt;
	struct mc_error err;

	assert_int_equal(matcher_new(&mt, R, &err), 0);
	for (size_t i = 0; i < m->nfiles; i++)
		if (m->files[i].data &&
		    !match_restriction(mt, m->files[i].data, m->files[i].len,
				       &m->files[i].restriction_line))
			m->files[i].restriction_line = 0;
	matcher_free(mt);
}

static void own(struct model *m, struct verdict *v)
{
	find_restrictions(m);
	verdict_own(R, m, v);
}

/* ---- the model's own sources ------------------------------------------ */

static void test_agreement(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "apache-2.0");
	file_full(&m, "LICENSE", ROLE_LICENSE, "apache-2.0");
	own(&m, &v);
	expect_list(&v.licenses, "apache-2.0");
	expect_list(&v.declared, "apache-2.0");
	expect_list(&v.detected, "apache-2.0");
	expect_cu(&v, CU_ALLOWED);
	expect_list(&v.review, "");
	expect_list(&v.conditions, "");
	expect_reason(&v, "card declares license: apache-2.0 (README.md)\n");
	expect_reason(&v, "LICENSE lines 1-201: apache-2.0, full text, coverage 100%\n");
	verdict_release(&v);
	model_release(&m);
}

static void test_conflict(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "apache-2.0");
	file_full(&m, "LICENSE", ROLE_LICENSE, "llama2");
	own(&m, &v);
	expect_list(&v.licenses, "apache-2.0,llama2");
	expect_list(&v.declared, "apache-2.0");
	expect_list(&v.detected, "llama2");
	/* the card alone would permit: the file makes it conditional */
	expect_cu(&v, CU_CONDITIONAL);
	expect_list(&v.review, "conflict");
	/* llama2's own conditions and its use policy's */
	expect_list(&v.conditions, "attribution,mau-700m,no-training-other-llms,use-restrictions");
	expect_reason(&v, "sources disagree: apache-2.0 (card) vs llama2 (LICENSE) -> both apply (conflict)\n");
	expect_reason(&v, "commercial_use: conditional (most restrictive of: allowed from apache-2.0 (card), conditional from llama2 (LICENSE))\n");
	verdict_release(&v);
	model_release(&m);
}

static void test_conflict_card_list_vs_file(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	/* two licenses in the card, both texts in the files: agreement */
	card_license(&m, "apache-2.0");
	card_license(&m, "mit");
	file_full(&m, "LICENSE-APACHE", ROLE_LICENSE, "apache-2.0");
	file_full(&m, "LICENSE-MIT", ROLE_LICENSE, "mit");
	own(&m, &v);
	expect_list(&v.licenses, "apache-2.0,mit");
	expect_list(&v.review, "");
	expect_cu(&v, CU_ALLOWED);
	expect_reason(&v, "sources agree\n");
	verdict_release(&v);
	model_release(&m);
}

static void test_modified_noncommercial(void **state)
{
	struct model m;
	struct verdict v;
	struct model_file *f;
	struct match *mt;

	(void)state;
	model_new(&m);
	card_license(&m, "mit");
	f = add_file(&m, "LICENSE", ROLE_LICENSE, "mit text\n");
	mt = add_match(&f->matches, "mit", MATCH_MODIFIED, 1, 24);
	mt->coverage = 0.9;
	mt->added_start = 22;
	mt->added_end = 24;
	mt->restricts_commercial = 1;
	own(&m, &v);
	/* the license is still named, the card alone permits, the added
	 * non-commercial clause forbids */
	expect_list(&v.licenses, "mit");
	expect_not_allowed(&v);
	expect_list(&v.review, "modified-text");
	expect_reason(&v, "LICENSE lines 1-24: mit, modified text, coverage 90%; added lines 22-24 restrict commercial use -> this source says not-allowed");
	verdict_release(&v);
	model_release(&m);
}

static void test_modified_other_terms(void **state)
{
	struct model m;
	struct verdict v;
	struct model_file *f;

	(void)state;
	model_new(&m);
	f = add_file(&m, "LICENSE", ROLE_LICENSE, "mit text\n");
	add_match(&f->matches, "mit", MATCH_MODIFIED, 1, 30);
	own(&m, &v);
	expect_list(&v.licenses, "mit");
	expect_cu(&v, CU_CONDITIONAL);	/* never allowed */
	expect_list(&v.review, "modified-text");
	verdict_release(&v);
	model_release(&m);
}

static void test_family_refinement(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "bsd");
	file_full(&m, "LICENSE", ROLE_LICENSE, "bsd-3-clause");
	own(&m, &v);
	expect_list(&v.licenses, "bsd-3-clause");
	expect_list(&v.declared, "bsd");
	expect_list(&v.detected, "bsd-3-clause");
	expect_cu(&v, CU_ALLOWED);
	expect_list(&v.review, "");	/* no conflict */
	expect_reason(&v, "card's bsd is refined by bsd-3-clause (LICENSE)");
	verdict_release(&v);
	model_release(&m);
}

static void test_family_alone(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "bsd");
	own(&m, &v);
	/* a family id is a known license, not a custom one */
	expect_list(&v.licenses, "bsd");
	expect_cu(&v, CU_ALLOWED);
	expect_list(&v.review, "");
	verdict_release(&v);
	model_release(&m);
}

static void test_family_with_other_member_conflicts(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "bsd");
	file_full(&m, "LICENSE", ROLE_LICENSE, "mit");	/* not a bsd member */
	own(&m, &v);
	expect_list(&v.licenses, "bsd,mit");
	expect_list(&v.review, "conflict");
	verdict_release(&v);
	model_release(&m);
}

static void test_weights_license_governs(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	/* the code LICENSE alone would permit; the weights file forbids */
	file_full(&m, "LICENSE", ROLE_LICENSE, "apache-2.0");
	file_full(&m, "MODEL_LICENSE", ROLE_WEIGHTS_LICENSE, "cc-by-nc-4.0");
	own(&m, &v);
	expect_list(&v.licenses, "cc-by-nc-4.0");
	expect_list(&v.detected, "cc-by-nc-4.0");
	expect_not_allowed(&v);
	expect_list(&v.review, "");
	expect_reason(&v, "LICENSE ignored: MODEL_LICENSE governs (it holds apache-2.0)\n");
	verdict_release(&v);
	model_release(&m);
}

static void test_notice_never_governs(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "apache-2.0");
	file_full(&m, "NOTICE", ROLE_NOTICE, "cc-by-nc-4.0");
	own(&m, &v);
	expect_list(&v.licenses, "apache-2.0");
	expect_list(&v.detected, "");
	expect_cu(&v, CU_ALLOWED);
	expect_reason(&v, "NOTICE lines 1-201: cc-by-nc-4.0, full; shown only (NOTICE files never govern)");
	verdict_release(&v);
	model_release(&m);
}

static void test_use_policy_adds_conditions(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "llama2");
	file_full(&m, "LICENSE", ROLE_LICENSE, "llama2");
	file_full(&m, "USE_POLICY.md", ROLE_USE_POLICY, "llama2-aup");
	own(&m, &v);
	/* a policy is not a second license */
	expect_list(&v.licenses, "llama2");
	expect_list(&v.detected, "llama2");
	expect_list(&v.review, "");
	expect_cu(&v, CU_CONDITIONAL);
	expect_list(&v.conditions, "attribution,mau-700m,no-training-other-llms,use-restrictions");
	expect_reason(&v, "USE_POLICY.md lines 1-201: use policy llama2-aup of llama2");
	verdict_release(&v);
	model_release(&m);
}

static void test_policy_in_license_file(void **state)
{
	struct model m;
	struct verdict v;
	struct model_file *f;

	(void)state;
	model_new(&m);
	card_license(&m, "apache-2.0");
	f = add_file(&m, "LICENSE", ROLE_LICENSE, "x\n");
	add_match(&f->matches, "apache-2.0", MATCH_FULL, 1, 180);
	add_match(&f->matches, "llama2-aup", MATCH_FULL, 182, 230);
	own(&m, &v);
	expect_list(&v.licenses, "apache-2.0");
	expect_list(&v.review, "");
	expect_list(&v.conditions, "no-training-other-llms,use-restrictions");
	/* the policy's use restrictions: never allowed */
	expect_cu(&v, CU_CONDITIONAL);
	verdict_release(&v);
	model_release(&m);
}

static void test_unidentified_use_policy(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "apache-2.0");
	add_file(&m, "USE_POLICY.md", ROLE_USE_POLICY, "You must not do bad things.\n");
	own(&m, &v);
	expect_list(&v.licenses, "apache-2.0");
	expect_cu(&v, CU_CONDITIONAL);	/* apache alone would permit */
	expect_list(&v.conditions, "use-restrictions");
	expect_list(&v.review, "unrecognized-text");
	verdict_release(&v);
	model_release(&m);
}

static void test_other_name_alias(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "other");
	card_of(&m)->license_name = xstrdup("StabilityAI-AI-Community");
	own(&m, &v);
	expect_list(&v.licenses, "stabilityai-community");
	expect_list(&v.declared, "stabilityai-community");
	expect_cu(&v, CU_CONDITIONAL);
	expect_list(&v.conditions, "revenue-1m-usd");
	expect_list(&v.review, "");
	expect_reason(&v, "card declares license: other, license_name: StabilityAI-AI-Community (README.md) -> stabilityai-community");
	verdict_release(&v);
	model_release(&m);
}

static void test_other_unknown_name(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "other");
	card_of(&m)->license_name = xstrdup("Acme-Model-License");
	own(&m, &v);
	expect_list(&v.licenses, "acme-model-license");
	expect_list(&v.declared, "acme-model-license");
	expect_cu(&v, CU_UNKNOWN);
	expect_list(&v.review, "custom-license");
	verdict_release(&v);
	model_release(&m);
}

static void test_plain_unknown_value(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "foo");
	own(&m, &v);
	expect_list(&v.declared, "foo");
	expect_list(&v.licenses, "foo");
	expect_cu(&v, CU_UNKNOWN);
	expect_list(&v.review, "custom-license");
	verdict_release(&v);
	model_release(&m);
}

static void test_other_without_name(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "other");
	own(&m, &v);
	expect_list(&v.licenses, "");
	expect_list(&v.declared, "");
	expect_cu(&v, CU_UNKNOWN);
	expect_list(&v.review, "custom-license");
	verdict_release(&v);
	model_release(&m);
}

static void test_other_resolved_by_file(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "other");
	card_of(&m)->license_link = xstrdup("LICENSE.md");
	file_full(&m, "LICENSE.md", ROLE_LINKED, "llama2");
	own(&m, &v);
	/* `other` is never the answer when a license text was identified */
	expect_list(&v.licenses, "llama2");
	expect_cu(&v, CU_CONDITIONAL);
	expect_list(&v.review, "");
	verdict_release(&v);
	model_release(&m);
}

static void test_placeholder_only(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_of(&m);	/* a card whose license values were all placeholders */
	strlist_add(&m.card.licenses, "[more information needed]");
	own(&m, &v);
	expect_list(&v.licenses, "");
	expect_list(&v.declared, "");
	expect_cu(&v, CU_UNKNOWN);
	expect_list(&v.review, "no-license");
	verdict_release(&v);
	model_release(&m);
}

static void test_no_card_at_all(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	own(&m, &v);
	expect_cu(&v, CU_UNKNOWN);
	expect_list(&v.review, "no-license");
	expect_reason(&v, "no model card\n");
	verdict_release(&v);
	model_release(&m);
}

static void test_unrecognized_text(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	add_file(&m, "LICENSE", ROLE_LICENSE, "Some terms nobody wrote a rule for.\n");
	own(&m, &v);
	expect_list(&v.licenses, "");
	expect_list(&v.detected, "");
	expect_cu(&v, CU_UNKNOWN);
	expect_list(&v.review, "unrecognized-text");	/* not no-license */
	expect_reason(&v, "LICENSE: no rule identifies its text (unrecognized-text)\n");
	verdict_release(&v);
	model_release(&m);
}

static void test_unreadable_and_known_missing(void **state)
{
	struct model m;
	struct verdict v;
	struct model_file *f;

	(void)state;
	/* known absent on the Hub: not a file, so nothing at all */
	model_new(&m);
	add_file(&m, "LICENSE", ROLE_LICENSE, NULL)->error = xstrdup("no such file");
	strlist_add(&m.known_missing, "LICENSE");
	own(&m, &v);
	expect_list(&v.review, "no-license");
	expect_reason(&v, "LICENSE: known absent on the Hub");
	verdict_release(&v);
	model_release(&m);

	/* present but unreadable: a human must look */
	model_new(&m);
	card_license(&m, "apache-2.0");
	f = add_file(&m, "LICENSE", ROLE_LICENSE, NULL);
	f->error = xstrdup("larger than 4194304 bytes");
	own(&m, &v);
	expect_list(&v.review, "unrecognized-text");
	expect_reason(&v, "LICENSE could not be read: larger than 4194304 bytes");
	verdict_release(&v);
	model_release(&m);
}

static void test_unrecognized_text_with_restriction(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "mit");	/* alone: allowed */
	add_file(&m, "LICENSE", ROLE_LICENSE,
		 "Acme terms.\nThis model is for research purposes only.\n");
	own(&m, &v);
	expect_list(&v.licenses, "mit");
	expect_not_allowed(&v);
	expect_list(&v.review, "unrecognized-text");
	expect_reason(&v, "LICENSE line 2: restricts commercial use");
	verdict_release(&v);
	model_release(&m);
}

static void test_mention_in_license_file(void **state)
{
	struct model m;
	struct verdict v;
	struct model_file *f;
	struct strbuf long_text = STRBUF_INIT;

	(void)state;
	/* a LICENSE that only names its license declares it */
	model_new(&m);
	f = add_file(&m, "LICENSE", ROLE_LICENSE,
		     "Copyright 2024 Acme\n\nLicensed under the zzapache license, version 2.0.\n");
	add_match(&f->matches, "apache-2.0", MATCH_MENTION, 3, 3);
	own(&m, &v);
	expect_list(&v.licenses, "apache-2.0");
	expect_list(&v.detected, "apache-2.0");
	expect_cu(&v, CU_ALLOWED);
	expect_list(&v.review, "");
	expect_reason(&v, "LICENSE line 3: apache-2.0, mention only");
	verdict_release(&v);
	model_release(&m);

	/* ... unless it adds a restriction: never a permit */
	model_new(&m);
	f = add_file(&m, "LICENSE", ROLE_LICENSE,
		     "Licensed under the zzmit license.\nNon-commercial use only.\n");
	add_match(&f->matches, "mit", MATCH_MENTION, 1, 1);
	own(&m, &v);
	expect_list(&v.licenses, "mit");
	expect_not_allowed(&v);
	expect_list(&v.review, "modified-text");
	verdict_release(&v);
	model_release(&m);

	/* ... or much text no rule identified: at most conditional */
	model_new(&m);
	strbuf_adds(&long_text, "Licensed under the zzmit license.\n");
	for (int i = 0; i < 40; i++)
		strbuf_addf(&long_text, "custom clause %d of the acme terms\n", i);
	f = add_file(&m, "LICENSE", ROLE_LICENSE, strbuf_str(&long_text));
	add_match(&f->matches, "mit", MATCH_MENTION, 1, 1);
	own(&m, &v);
	expect_cu(&v, CU_CONDITIONAL);
	expect_list(&v.review, "modified-text");
	verdict_release(&v);
	model_release(&m);
	strbuf_release(&long_text);
}

static void test_mention_beside_full_text_ignored(void **state)
{
	struct model m;
	struct verdict v;
	struct model_file *f;

	(void)state;
	model_new(&m);
	f = add_file(&m, "LICENSE", ROLE_LICENSE, "x\n");
	add_match(&f->matches, "llama2", MATCH_FULL, 1, 100);
	add_match(&f->matches, "apache-2.0", MATCH_MENTION, 50, 50);
	own(&m, &v);
	expect_list(&v.licenses, "llama2");
	verdict_release(&v);
	model_release(&m);

	/* a file that holds one text and, outside it, names another license
	 * ("the weights are released under CC BY-NC 4.0") binds by both */
	model_new(&m);
	f = add_file(&m, "LICENSE", ROLE_LICENSE, "x\n");
	add_match(&f->matches, "mit", MATCH_FULL, 1, 18);
	add_match(&f->matches, "cc-by-nc-4.0", MATCH_MENTION, 20, 20);
	own(&m, &v);
	expect_list(&v.licenses, "cc-by-nc-4.0,mit");
	expect_not_allowed(&v);
	verdict_release(&v);
	model_release(&m);
}

static void test_card_body(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	/* a mention in the body never counts */
	model_new(&m);
	card_of(&m);
	add_match(&m.body_matches, "apache-2.0", MATCH_MENTION, 14, 14);
	own(&m, &v);
	expect_cu(&v, CU_UNKNOWN);
	expect_list(&v.review, "no-license");
	expect_reason(&v, "README.md body line 14: mentions apache-2.0; a mention in the card body does not count");
	verdict_release(&v);
	model_release(&m);

	/* a pasted full text counts like a file; the card alone permits */
	model_new(&m);
	card_license(&m, "mit");
	add_match(&m.body_matches, "cc-by-nc-4.0", MATCH_FULL, 20, 80);
	own(&m, &v);
	expect_list(&v.licenses, "cc-by-nc-4.0,mit");
	expect_list(&v.detected, "cc-by-nc-4.0");
	expect_not_allowed(&v);
	expect_list(&v.review, "conflict");
	verdict_release(&v);
	model_release(&m);
}

static void test_card_body_restriction(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "apache-2.0");
	m.body_restriction = 1;
	m.body_restriction_line = 15;
	own(&m, &v);
	expect_cu(&v, CU_ALLOWED);
	expect_list(&v.review, "card-body-restriction");
	expect_reason(&v, "card body restricts commercial use (README.md line 15) while commercial_use is allowed (card-body-restriction)");
	verdict_release(&v);
	model_release(&m);

	/* consistent with a non-commercial license: nothing to review */
	model_new(&m);
	card_license(&m, "cc-by-nc-4.0");
	m.body_restriction = 1;
	m.body_restriction_line = 15;
	own(&m, &v);
	expect_not_allowed(&v);
	expect_list(&v.review, "");
	verdict_release(&v);
	model_release(&m);
}

static void test_gated(void **state)
{
	static const struct {
		const char *gated;
		int prompt, fields;
		const char *review;
	} cases[] = {
		{ "true", 0, 0, "gated" },
		{ "Manual", 0, 0, "gated" },
		{ "AUTO", 0, 0, "gated" },
		{ "false", 0, 0, "" },
		{ NULL, 1, 0, "gated" },
		{ NULL, 0, 1, "gated" },
		{ NULL, 0, 0, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct model m;
		struct verdict v;

		model_new(&m);
		card_license(&m, "apache-2.0");
		if (cases[i].gated)
			m.card.gated = xstrdup(cases[i].gated);
		m.card.has_extra_gated_prompt = cases[i].prompt;
		m.card.has_extra_gated_fields = cases[i].fields;
		own(&m, &v);
		expect_list(&v.review, cases[i].review);
		expect_cu(&v, CU_ALLOWED);	/* gating alone changes nothing */
		verdict_release(&v);
		model_release(&m);
	}
}

static void test_checkpoint_metadata(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	/* an SPDX spelling in a GGUF header, on every shard */
	model_new(&m);
	ckpt(&m, "model-00001-of-00002.gguf", "Apache-2.0", NULL);
	ckpt(&m, "model-00002-of-00002.gguf", "Apache-2.0", NULL);
	own(&m, &v);
	expect_list(&v.licenses, "apache-2.0");
	expect_list(&v.declared, "apache-2.0");
	expect_cu(&v, CU_ALLOWED);
	expect_list(&v.review, "");
	expect_reason(&v, "checkpoint model-00001-of-00002.gguf and 1 more declares license: apache-2.0");
	verdict_release(&v);
	model_release(&m);

	/* other + license.name through an alias */
	model_new(&m);
	ckpt(&m, "model.gguf", "other", "Llama 2");
	own(&m, &v);
	expect_list(&v.licenses, "llama2");
	expect_cu(&v, CU_CONDITIONAL);
	verdict_release(&v);
	model_release(&m);

	/* shards that disagree: a conflict, and the permissive one loses */
	model_new(&m);
	ckpt(&m, "a.gguf", "apache-2.0", NULL);
	ckpt(&m, "b.gguf", "cc-by-nc-4.0", NULL);
	own(&m, &v);
	expect_list(&v.licenses, "apache-2.0,cc-by-nc-4.0");
	expect_not_allowed(&v);
	expect_list(&v.review, "conflict");
	verdict_release(&v);
	model_release(&m);

	/* a card that permits, a header that forbids */
	model_new(&m);
	card_license(&m, "apache-2.0");
	ckpt(&m, "model.gguf", "cc-by-nc-4.0", NULL);
	own(&m, &v);
	expect_not_allowed(&v);
	expect_list(&v.review, "conflict");
	verdict_release(&v);
	model_release(&m);
}

static void test_license_tags(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	strlist_add(&card_of(&m)->license_tags, "mit");
	own(&m, &v);
	expect_list(&v.licenses, "mit");
	expect_list(&v.declared, "mit");
	verdict_release(&v);
	model_release(&m);

	/* tags are read only when the license key is absent */
	model_new(&m);
	card_license(&m, "cc-by-nc-4.0");
	strlist_add(&m.card.license_tags, "mit");
	own(&m, &v);
	expect_list(&v.licenses, "cc-by-nc-4.0");
	verdict_release(&v);
	model_release(&m);
}

/*
 * Table: one source permits, another forbids, in every pairing of source
 * kinds that both govern.  The verdict must never say allowed.
 */
enum src { S_CARD, S_LICENSE, S_WEIGHTS, S_CKPT, S_BODY, S_NAME };

static void put_source(struct model *m, enum src s, const char *id)
{
	switch (s) {
	case S_CARD:
		card_license(m, id);
		break;
	case S_LICENSE:
		file_full(m, "LICENSE", ROLE_LICENSE, id);
		break;
	case S_WEIGHTS:
		file_full(m, "LICENSE_weights", ROLE_WEIGHTS_LICENSE, id);
		break;
	case S_CKPT:
		ckpt(m, "model.gguf", id, NULL);
		break;
	case S_BODY:
		card_of(m);
		add_match(&m->body_matches, id, MATCH_FULL, 30, 90);
		break;
	case S_NAME:
		break;
	}
}

static void test_never_a_false_permit(void **state)
{
	(void)state;
	for (int p = S_CARD; p < S_NAME; p++) {
		for (int f = S_CARD; f < S_NAME; f++) {
			struct model m;
			struct verdict v;

			if (p == f)
				continue;
			/* a weights file overrides LICENSE: by design */
			if (p == S_WEIGHTS && f == S_LICENSE)
				continue;
			model_new(&m);
			put_source(&m, (enum src)p, "mit");
			put_source(&m, (enum src)f, "cc-by-nc-4.0");
			own(&m, &v);
			if (v.commercial != CU_NOT_ALLOWED)
				fail_msg("permit %d + forbid %d gave %s:\n%s", p, f,
					 commercial_name(v.commercial),
					 strbuf_str(&v.reasoning));
			verdict_release(&v);
			model_release(&m);
		}
	}
}

/* ---- lineage ---------------------------------------------------------- */

struct inv_entry {
	const char *id;
	const char *licenses;	/* comma-separated */
	enum commercial cu;
	const char *conditions;
	const char *bases;
};

struct inv {
	const struct inv_entry *v;
	size_t n;
	int calls;
};

static void split(struct strlist *l, const char *csv)
{
	const char *p = csv;

	while (p && *p) {
		const char *q = strchr(p, ',');
		size_t n = q ? (size_t)(q - p) : strlen(p);

		strlist_add_nodup(l, xstrndup(p, n));
		p = q ? q + 1 : NULL;
	}
}

static int inv_lookup(void *ctx, const char *model_id, struct verdict *own_v,
		      struct strlist *bases)
{
	struct inv *inv = ctx;

	inv->calls++;
	for (size_t i = 0; i < inv->n; i++) {
		if (!str_iequal(inv->v[i].id, model_id))
			continue;
		split(&own_v->licenses, inv->v[i].licenses);
		own_v->commercial = inv->v[i].cu;
		split(&own_v->conditions, inv->v[i].conditions);
		split(bases, inv->v[i].bases);
		return 1;
	}
	return 0;
}

/* The final verdict of a model whose own verdict comes from m. */
static void final_of(struct model *m, const char *bases, struct inv *inv,
		     struct verdict *out)
{
	struct verdict o;
	struct strlist b = STRLIST_INIT;

	split(&b, bases);
	verdict_own(R, m, &o);
	lineage_final(R, m->model_id, &o, &b, inv ? inv_lookup : NULL, inv, out);
	verdict_release(&o);
	strlist_clear(&b);
}

static void test_lineage_lookup(void **state)
{
	static const struct inv_entry e[] = {
		{ "acme/base", "llama2", CU_CONDITIONAL, "attribution,mau-700m", "" },
	};
	struct inv inv = { e, 1, 0 };
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "mit");
	final_of(&m, "acme/base", &inv, &v);
	expect_list(&v.licenses, "llama2,mit");
	expect_list(&v.declared, "mit");
	expect_cu(&v, CU_CONDITIONAL);
	expect_list(&v.conditions, "attribution,mau-700m");
	/* a base that differs from the card is no conflict */
	expect_list(&v.review, "inherited");
	expect_reason(&v, "base model acme/base: in the inventory: license llama2, commercial_use conditional\n");
	assert_int_equal(inv.calls, 1);
	verdict_release(&v);
	model_release(&m);
}

static void test_lineage_rule_pattern(void **state)
{
	struct inv inv = { NULL, 0, 0 };
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "llama2");
	final_of(&m, "meta-llama/Llama-2-7b-hf", &inv, &v);
	expect_list(&v.licenses, "llama2");
	expect_cu(&v, CU_CONDITIONAL);
	expect_list(&v.review, "");	/* same as own: nothing to look at */
	expect_reason(&v, "base model meta-llama/Llama-2-7b-hf: not in the inventory; rule llama2 claims it by pattern");
	verdict_release(&v);
	model_release(&m);
}

static void test_lineage_chain_of_three(void **state)
{
	static const struct inv_entry e[] = {
		{ "org/b", "apache-2.0", CU_ALLOWED, "", "org/a" },
		{ "org/a", "cc-by-nc-4.0", CU_NOT_ALLOWED, "", "" },
	};
	struct inv inv = { e, 2, 0 };
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	free(m.model_id);
	m.model_id = xstrdup("org/c");
	card_license(&m, "mit");
	final_of(&m, "org/b", &inv, &v);
	/* own permits, the direct base permits, the root forbids */
	expect_list(&v.licenses, "apache-2.0,cc-by-nc-4.0,mit");
	expect_not_allowed(&v);
	expect_list(&v.review, "inherited");
	expect_reason(&v, "chain: org/c -> org/b -> org/a\n");
	verdict_release(&v);
	model_release(&m);
}

static void test_lineage_cycle(void **state)
{
	static const struct inv_entry e[] = {
		{ "org/b", "apache-2.0", CU_ALLOWED, "", "org/a,org/c" },
		{ "org/a", "", CU_UNKNOWN, "", "org/b,org/c" },
	};
	struct inv inv = { e, 2, 0 };
	struct model m;
	struct verdict v;

	(void)state;
	/* org/c -> org/b -> org/a -> org/b (cycle) and back to org/c (self) */
	model_new(&m);
	free(m.model_id);
	m.model_id = xstrdup("org/c");
	card_license(&m, "apache-2.0");
	final_of(&m, "org/b,org/c", &inv, &v);
	expect_list(&v.licenses, "apache-2.0");
	expect_cu(&v, CU_ALLOWED);
	expect_list(&v.review, "");
	expect_reason(&v, "base model org/c is the model itself: ignored");
	expect_reason(&v, "already counted (cycle or shared base, cut here)");
	/* each model looked up once */
	assert_int_equal(inv.calls, 2);
	verdict_release(&v);
	model_release(&m);
}

static void test_lineage_inherited_no_own_source(void **state)
{
	static const struct inv_entry e[] = {
		{ "acme/base", "cc-by-nc-4.0", CU_NOT_ALLOWED, "", "" },
	};
	struct inv inv = { e, 1, 0 };
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_of(&m);	/* card with no license */
	final_of(&m, "acme/base", &inv, &v);
	expect_list(&v.licenses, "cc-by-nc-4.0");
	expect_list(&v.declared, "");
	expect_not_allowed(&v);
	/* no-license no longer: the base resolves */
	expect_list(&v.review, "inherited");
	expect_reason(&v, "no recognised source of its own: it takes its base's verdict (inherited)");
	verdict_release(&v);
	model_release(&m);
}

static void test_lineage_base_more_restrictive(void **state)
{
	struct model m;
	struct verdict v;

	(void)state;
	/* a rule pattern claims the base; own says apache-2.0 */
	model_new(&m);
	card_license(&m, "apache-2.0");
	file_full(&m, "LICENSE", ROLE_LICENSE, "apache-2.0");
	final_of(&m, "acme/nc-7b", NULL, &v);
	expect_list(&v.licenses, "apache-2.0,cc-by-nc-4.0");
	expect_not_allowed(&v);
	expect_list(&v.review, "inherited");
	expect_reason(&v, "a base model is more restrictive (not-allowed) than the model's own sources (allowed) (inherited)");
	verdict_release(&v);
	model_release(&m);
}

static void test_lineage_unresolved(void **state)
{
	struct inv inv = { NULL, 0, 0 };
	struct model m;
	struct verdict v;

	(void)state;
	/* nothing of its own, a base nobody knows: still no-license */
	model_new(&m);
	final_of(&m, "someone/mystery-model", &inv, &v);
	expect_cu(&v, CU_UNKNOWN);
	expect_list(&v.review, "no-license");
	expect_reason(&v, "base model someone/mystery-model: not in the inventory and no rule claims it");
	verdict_release(&v);
	model_release(&m);

	/* own apache-2.0 and an unknown base: the model's own verdict */
	model_new(&m);
	card_license(&m, "apache-2.0");
	final_of(&m, "someone/mystery-model", &inv, &v);
	expect_list(&v.licenses, "apache-2.0");
	expect_cu(&v, CU_ALLOWED);
	expect_list(&v.review, "");
	verdict_release(&v);
	model_release(&m);
}

static void test_lineage_base_unknown_in_inventory_falls_back_to_rule(void **state)
{
	static const struct inv_entry e[] = {
		/* a re-upload with no license of its own */
		{ "meta-llama/Llama-2-13b-hf", "", CU_UNKNOWN, "", "" },
	};
	struct inv inv = { e, 1, 0 };
	struct model m;
	struct verdict v;

	(void)state;
	model_new(&m);
	card_license(&m, "mit");
	final_of(&m, "meta-llama/Llama-2-13b-hf", &inv, &v);
	expect_list(&v.licenses, "llama2,mit");
	expect_cu(&v, CU_CONDITIONAL);
	expect_list(&v.review, "inherited");
	verdict_release(&v);
	model_release(&m);
}

static void test_lineage_body_restriction(void **state)
{
	static const struct inv_entry e[] = {
		{ "acme/base", "apache-2.0", CU_ALLOWED, "", "" },
		{ "acme/ncbase", "cc-by-nc-4.0", CU_NOT_ALLOWED, "", "" },
	};
	struct inv inv = { e, 2, 0 };
	struct model m;
	struct verdict v, stored, fin;
	struct strlist b = STRLIST_INIT;

	(void)state;
	/* own unknown + body restriction; the base permits: a human looks */
	model_new(&m);
	card_of(&m);
	m.body_restriction = 1;
	m.body_restriction_line = 12;
	final_of(&m, "acme/base", &inv, &v);
	expect_cu(&v, CU_ALLOWED);
	expect_list(&v.review, "card-body-restriction,inherited");
	verdict_release(&v);

	/* the same from an own verdict read back from a store: the review,
	 * reasoning and own_body_restriction columns survive */
	verdict_own(R, &m, &v);
	verdict_init(&stored);
	for (size_t i = 0; i < v.review.n; i++)
		strlist_add(&stored.review, v.review.v[i]);
	strbuf_adds(&stored.reasoning, strbuf_str(&v.reasoning));
	stored.body_restriction = v.body_restriction;
	split(&b, "acme/base");
	lineage_final(R, m.model_id, &stored, &b, inv_lookup, &inv, &fin);
	expect_list(&fin.review, "card-body-restriction,inherited");
	verdict_release(&fin);
	verdict_release(&stored);
	verdict_release(&v);
	strlist_clear(&b);
	model_release(&m);

	/* own conditional + body restriction; the base forbids: consistent */
	model_new(&m);
	card_license(&m, "llama2");
	m.body_restriction = 1;
	m.body_restriction_line = 12;
	final_of(&m, "acme/ncbase", &inv, &v);
	expect_not_allowed(&v);
	expect_list(&v.review, "inherited");
	verdict_release(&v);
	model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agreement),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_conflict_card_list_vs_file),
		cmocka_unit_test(test_modified_noncommercial),
		cmocka_unit_test(test_modified_other_terms),
		cmocka_unit_test(test_family_refinement),
		cmocka_unit_test(test_family_alone),
		cmocka_unit_test(test_family_with_other_member_conflicts),
		cmocka_unit_test(test_weights_license_governs),
		cmocka_unit_test(test_notice_never_governs),
		cmocka_unit_test(test_use_policy_adds_conditions),
		cmocka_unit_test(test_policy_in_license_file),
		cmocka_unit_test(test_unidentified_use_policy),
		cmocka_unit_test(test_other_name_alias),
		cmocka_unit_test(test_other_unknown_name),
		cmocka_unit_test(test_plain_unknown_value),
		cmocka_unit_test(test_other_without_name),
		cmocka_unit_test(test_other_resolved_by_file),
		cmocka_unit_test(test_placeholder_only),
		cmocka_unit_test(test_no_card_at_all),
		cmocka_unit_test(test_unrecognized_text),
		cmocka_unit_test(test_unreadable_and_known_missing),
		cmocka_unit_test(test_unrecognized_text_with_restriction),
		cmocka_unit_test(test_mention_in_license_file),
		cmocka_unit_test(test_mention_beside_full_text_ignored),
		cmocka_unit_test(test_card_body),
		cmocka_unit_test(test_card_body_restriction),
		cmocka_unit_test(test_gated),
		cmocka_unit_test(test_checkpoint_metadata),
		cmocka_unit_test(test_license_tags),
		cmocka_unit_test(test_never_a_false_permit),
		cmocka_unit_test(test_lineage_lookup),
		cmocka_unit_test(test_lineage_rule_pattern),
		cmocka_unit_test(test_lineage_chain_of_three),
		cmocka_unit_test(test_lineage_cycle),
		cmocka_unit_test(test_lineage_inherited_no_own_source),
		cmocka_unit_test(test_lineage_base_more_restrictive),
		cmocka_unit_test(test_lineage_unresolved),
		cmocka_unit_test(test_lineage_base_unknown_in_inventory_falls_back_to_rule),
		cmocka_unit_test(test_lineage_body_restriction),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
