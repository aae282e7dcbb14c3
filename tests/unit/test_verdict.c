/*
 * test_verdict.c: verdict_own() (verdict.h) and lineage_final() (lineage.h)
 * against docs/verdicts.md, as a table: one row per path, each a
 * model (card fields, license files with their texts and matches, card-body
 * matches, checkpoint licenses, base models with an inventory to look them
 * up in) and what its verdict must be (license, declared, detected,
 * commercial_use, conditions, review, reasoning lines).  One loop builds
 * each model and checks it.  Matches name rules of the small rule set in
 * tests/fixtures/rules-verdict (never the real catalog: MODELCENSUS_RULES
 * points at an empty directory).  The costliest error is a false permit, so
 * several rows pair sources that each permit alone with one that forbids,
 * and test_never_a_false_permit tries every such pairing.
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

/* ---- the table ---------------------------------------------------------- */

/* A rule's match in a file or in the card body. */
struct tmatch {
	const char *id;			/* NULL ends the list */
	enum match_kind kind;
	size_t from, to;		/* lines */
	double coverage;		/* 0 reads as 1.0 */
	size_t added_from, added_to;	/* lines a modified text adds */
	int restricts;			/* the added lines restrict commercial use */
};

/* A root file: its text (NULL: not read, then error says why) and the
 * matches the identify stage would have found in it. */
struct tfile {
	const char *name;		/* NULL ends the list */
	enum file_role role;
	const char *text;
	const char *error;
	struct tmatch m[2];
};

/* A file holding one full text of id, lines 1-201. */
#define FULL(name, role, id) \
	{ name, role, "license text\n", NULL, { { id, MATCH_FULL, 1, 201, 0, 0, 0, 0 } } }

struct tckpt {
	const char *path, *license, *license_name;
};

/* A model the inventory holds, for the look-up. */
struct tinv {
	const char *id;
	const char *licenses;		/* comma-separated */
	enum commercial cu;
	const char *conditions;
	const char *bases;
};

struct tcase {
	const char *name;
	/* the model (model id acme/thing unless model_id) */
	const char *model_id;
	int card;			/* a card, also when no field below is set */
	const char *license;		/* the card's license values, comma-separated */
	const char *license_name, *license_link, *license_tags, *gated;
	int gated_prompt, gated_fields;
	size_t body_restriction_line;	/* 0: the body restricts nothing */
	struct tmatch body[1];
	struct tfile files[2];
	const char *known_missing;
	struct tckpt ckpts[2];
	/* lineage: the final verdict when bases is set, else the own one */
	const char *bases;		/* comma-separated */
	struct tinv inv[2];
	int no_lookup;			/* resolve bases without an inventory */
	int calls;			/* look-ups expected; 0: not checked */
	/* the verdict; NULL is not checked */
	const char *licenses, *declared, *detected, *conditions, *review;
	const char *cu;			/* commercial_name() of the expected value */
	const char *reasons[2];		/* lines the reasoning holds */
};

#define LLAMA2_CONDITIONS "attribution,mau-700m,no-training-other-llms,use-restrictions"

/* 40 lines no rule identifies, after a mention */
#define CLAUSE(i) "custom clause " #i " of the acme terms\n"
#define CLAUSES(d) CLAUSE(d##0) CLAUSE(d##1) CLAUSE(d##2) CLAUSE(d##3) \
	CLAUSE(d##4) CLAUSE(d##5) CLAUSE(d##6) CLAUSE(d##7) CLAUSE(d##8) CLAUSE(d##9)
#define LONG_TERMS "Licensed under the zzmit license.\n" \
	CLAUSE(0) CLAUSE(1) CLAUSE(2) CLAUSE(3) CLAUSE(4) CLAUSE(5) CLAUSE(6) \
	CLAUSE(7) CLAUSE(8) CLAUSE(9) CLAUSES(1) CLAUSES(2) CLAUSES(3)

static const struct tcase cases[] = {
	/* ---- the model's own sources ---- */
	{ .name = "card and LICENSE agree",
	  .license = "apache-2.0",
	  .files = { FULL("LICENSE", ROLE_LICENSE, "apache-2.0") },
	  .licenses = "apache-2.0", .declared = "apache-2.0",
	  .detected = "apache-2.0", .cu = "allowed", .review = "",
	  .conditions = "",
	  .reasons = { "card declares license: apache-2.0 (README.md)\n",
		       "LICENSE lines 1-201: apache-2.0, full text, coverage 100%\n" } },
	{ .name = "card and LICENSE conflict",
	  .license = "apache-2.0",
	  .files = { FULL("LICENSE", ROLE_LICENSE, "llama2") },
	  .licenses = "apache-2.0,llama2", .declared = "apache-2.0",
	  .detected = "llama2",
	  /* the card alone would permit: the file makes it conditional */
	  .cu = "conditional", .review = "conflict",
	  /* llama2's own conditions and its use policy's */
	  .conditions = LLAMA2_CONDITIONS,
	  .reasons = { "sources disagree: apache-2.0 (card) vs llama2 (LICENSE) -> both apply (conflict)\n",
		       "commercial_use: conditional (most restrictive of: allowed from apache-2.0 (card), conditional from llama2 (LICENSE))\n" } },
	{ .name = "two card licenses, both texts in files: agreement",
	  .license = "apache-2.0,mit",
	  .files = { FULL("LICENSE-APACHE", ROLE_LICENSE, "apache-2.0"),
		     FULL("LICENSE-MIT", ROLE_LICENSE, "mit") },
	  .licenses = "apache-2.0,mit", .review = "", .cu = "allowed",
	  .reasons = { "sources agree\n" } },
	{ .name = "modified text adding a non-commercial clause",
	  .license = "mit",
	  .files = { { "LICENSE", ROLE_LICENSE, "mit text\n", NULL,
		       { { "mit", MATCH_MODIFIED, 1, 24, 0.9, 22, 24, 1 } } } },
	  /* the license is still named, the card alone permits, the added
	   * non-commercial clause forbids */
	  .licenses = "mit", .cu = "not-allowed", .review = "modified-text",
	  .reasons = { "LICENSE lines 1-24: mit, modified text, coverage 90%; added lines 22-24 restrict commercial use -> this source says not-allowed" } },
	{ .name = "modified text with other terms",
	  .files = { { "LICENSE", ROLE_LICENSE, "mit text\n", NULL,
		       { { "mit", MATCH_MODIFIED, 1, 30, 0, 0, 0, 0 } } } },
	  .licenses = "mit", .cu = "conditional",	/* never allowed */
	  .review = "modified-text" },
	{ .name = "a family refined by a file",
	  .license = "bsd",
	  .files = { FULL("LICENSE", ROLE_LICENSE, "bsd-3-clause") },
	  .licenses = "bsd-3-clause", .declared = "bsd",
	  .detected = "bsd-3-clause", .cu = "allowed",
	  .review = "",	/* no conflict */
	  .reasons = { "card's bsd is refined by bsd-3-clause (LICENSE)" } },
	{ .name = "a family alone",
	  .license = "bsd",
	  /* a family id is a known license, not a custom one */
	  .licenses = "bsd", .cu = "allowed", .review = "" },
	{ .name = "a family and a file of no member of it",
	  .license = "bsd",
	  .files = { FULL("LICENSE", ROLE_LICENSE, "mit") },
	  .licenses = "bsd,mit", .review = "conflict" },
	{ .name = "a weights license governs over LICENSE",
	  /* the code LICENSE alone would permit; the weights file forbids */
	  .files = { FULL("LICENSE", ROLE_LICENSE, "apache-2.0"),
		     FULL("MODEL_LICENSE", ROLE_WEIGHTS_LICENSE, "cc-by-nc-4.0") },
	  .licenses = "cc-by-nc-4.0", .detected = "cc-by-nc-4.0",
	  .cu = "not-allowed", .review = "",
	  .reasons = { "LICENSE ignored: MODEL_LICENSE governs (it holds apache-2.0)\n" } },
	{ .name = "NOTICE never governs",
	  .license = "apache-2.0",
	  .files = { FULL("NOTICE", ROLE_NOTICE, "cc-by-nc-4.0") },
	  .licenses = "apache-2.0", .detected = "", .cu = "allowed",
	  .reasons = { "NOTICE lines 1-201: cc-by-nc-4.0, full; shown only (NOTICE files never govern)" } },
	{ .name = "a use policy adds conditions",
	  .license = "llama2",
	  .files = { FULL("LICENSE", ROLE_LICENSE, "llama2"),
		     FULL("USE_POLICY.md", ROLE_USE_POLICY, "llama2-aup") },
	  /* a policy is not a second license */
	  .licenses = "llama2", .detected = "llama2", .review = "",
	  .cu = "conditional", .conditions = LLAMA2_CONDITIONS,
	  .reasons = { "USE_POLICY.md lines 1-201: use policy llama2-aup of llama2" } },
	{ .name = "a use policy inside the license file",
	  .license = "apache-2.0",
	  .files = { { "LICENSE", ROLE_LICENSE, "x\n", NULL,
		       { { "apache-2.0", MATCH_FULL, 1, 180, 0, 0, 0, 0 },
			 { "llama2-aup", MATCH_FULL, 182, 230, 0, 0, 0, 0 } } } },
	  .licenses = "apache-2.0", .review = "",
	  .conditions = "no-training-other-llms,use-restrictions",
	  /* the policy's use restrictions: never allowed */
	  .cu = "conditional" },
	{ .name = "a use policy no rule identifies",
	  .license = "apache-2.0",
	  .files = { { "USE_POLICY.md", ROLE_USE_POLICY,
		       "You must not do bad things.\n", NULL, { { NULL } } } },
	  .licenses = "apache-2.0",
	  .cu = "conditional",	/* apache alone would permit */
	  .conditions = "use-restrictions", .review = "unrecognized-text" },
	{ .name = "other with a license_name alias",
	  .license = "other", .license_name = "StabilityAI-AI-Community",
	  .licenses = "stabilityai-community",
	  .declared = "stabilityai-community", .cu = "conditional",
	  .conditions = "revenue-1m-usd", .review = "",
	  .reasons = { "card declares license: other, license_name: StabilityAI-AI-Community (README.md) -> stabilityai-community" } },
	{ .name = "other with a name no rule knows",
	  .license = "other", .license_name = "Acme-Model-License",
	  .licenses = "acme-model-license", .declared = "acme-model-license",
	  .cu = "unknown", .review = "custom-license" },
	{ .name = "a plain value no rule knows",
	  .license = "foo",
	  .declared = "foo", .licenses = "foo", .cu = "unknown",
	  .review = "custom-license" },
	{ .name = "other without a name",
	  .license = "other",
	  .licenses = "", .declared = "", .cu = "unknown",
	  .review = "custom-license" },
	{ .name = "other resolved by the linked file",
	  .license = "other", .license_link = "LICENSE.md",
	  .files = { FULL("LICENSE.md", ROLE_LINKED, "llama2") },
	  /* `other` is never the answer when a license text was identified */
	  .licenses = "llama2", .cu = "conditional", .review = "" },
	{ .name = "a card whose license values were all placeholders",
	  .license = "[more information needed]",
	  .licenses = "", .declared = "", .cu = "unknown",
	  .review = "no-license" },
	{ .name = "no card at all",
	  .cu = "unknown", .review = "no-license",
	  .reasons = { "no model card\n" } },
	{ .name = "a LICENSE no rule identifies",
	  .files = { { "LICENSE", ROLE_LICENSE,
		       "Some terms nobody wrote a rule for.\n", NULL, { { NULL } } } },
	  .licenses = "", .detected = "", .cu = "unknown",
	  .review = "unrecognized-text",	/* not no-license */
	  .reasons = { "LICENSE: no rule identifies its text (unrecognized-text)\n" } },
	{ .name = "a LICENSE known absent on the Hub",
	  /* not a file, so nothing at all */
	  .files = { { "LICENSE", ROLE_LICENSE, NULL, "no such file", { { NULL } } } },
	  .known_missing = "LICENSE",
	  .review = "no-license",
	  .reasons = { "LICENSE: known absent on the Hub" } },
	{ .name = "a LICENSE present but unreadable",
	  /* a human must look */
	  .license = "apache-2.0",
	  .files = { { "LICENSE", ROLE_LICENSE, NULL,
		       "larger than 4194304 bytes", { { NULL } } } },
	  .review = "unrecognized-text",
	  .reasons = { "LICENSE could not be read: larger than 4194304 bytes" } },
	{ .name = "an unidentified LICENSE that restricts",
	  .license = "mit",	/* alone: allowed */
	  .files = { { "LICENSE", ROLE_LICENSE,
		       "Acme terms.\nThis model is for research purposes only.\n",
		       NULL, { { NULL } } } },
	  .licenses = "mit", .cu = "not-allowed", .review = "unrecognized-text",
	  .reasons = { "LICENSE line 2: restricts commercial use" } },
	{ .name = "a LICENSE that only names its license declares it",
	  .files = { { "LICENSE", ROLE_LICENSE,
		       "Copyright 2024 Acme\n\nLicensed under the zzapache license, version 2.0.\n",
		       NULL, { { "apache-2.0", MATCH_MENTION, 3, 3, 0, 0, 0, 0 } } } },
	  .licenses = "apache-2.0", .detected = "apache-2.0", .cu = "allowed",
	  .review = "",
	  .reasons = { "LICENSE line 3: apache-2.0, mention only" } },
	{ .name = "a mention beside a restriction: never a permit",
	  .files = { { "LICENSE", ROLE_LICENSE,
		       "Licensed under the zzmit license.\nNon-commercial use only.\n",
		       NULL, { { "mit", MATCH_MENTION, 1, 1, 0, 0, 0, 0 } } } },
	  .licenses = "mit", .cu = "not-allowed", .review = "modified-text" },
	{ .name = "a mention beside much unidentified text: at most conditional",
	  .files = { { "LICENSE", ROLE_LICENSE, LONG_TERMS, NULL,
		       { { "mit", MATCH_MENTION, 1, 1, 0, 0, 0, 0 } } } },
	  .cu = "conditional", .review = "modified-text" },
	{ .name = "a mention inside a full text is ignored",
	  .files = { { "LICENSE", ROLE_LICENSE, "x\n", NULL,
		       { { "llama2", MATCH_FULL, 1, 100, 0, 0, 0, 0 },
			 { "apache-2.0", MATCH_MENTION, 50, 50, 0, 0, 0, 0 } } } },
	  .licenses = "llama2" },
	{ .name = "a mention outside the file's full text binds too",
	  /* "the weights are released under CC BY-NC 4.0" */
	  .files = { { "LICENSE", ROLE_LICENSE, "x\n", NULL,
		       { { "mit", MATCH_FULL, 1, 18, 0, 0, 0, 0 },
			 { "cc-by-nc-4.0", MATCH_MENTION, 20, 20, 0, 0, 0, 0 } } } },
	  .licenses = "cc-by-nc-4.0,mit", .cu = "not-allowed" },
	{ .name = "a mention in the card body never counts",
	  .card = 1,
	  .body = { { "apache-2.0", MATCH_MENTION, 14, 14, 0, 0, 0, 0 } },
	  .cu = "unknown", .review = "no-license",
	  .reasons = { "README.md body line 14: mentions apache-2.0; a mention in the card body does not count" } },
	{ .name = "a full text pasted in the card body counts like a file",
	  .license = "mit",	/* alone: allowed */
	  .body = { { "cc-by-nc-4.0", MATCH_FULL, 20, 80, 0, 0, 0, 0 } },
	  .licenses = "cc-by-nc-4.0,mit", .detected = "cc-by-nc-4.0",
	  .cu = "not-allowed", .review = "conflict" },
	{ .name = "a card body restriction beside a permit: never allowed",
	  .license = "apache-2.0", .body_restriction_line = 15,
	  .cu = "not-allowed", .review = "card-body-restriction",
	  .reasons = { "card body restricts commercial use (README.md line 15) while commercial_use is allowed -> not-allowed, never allowed (card-body-restriction)" } },
	{ .name = "a card body restriction beside a conditional license: kept, reviewed",
	  .license = "llama2", .body_restriction_line = 15,
	  .cu = "conditional", .review = "card-body-restriction" },
	{ .name = "a card body restriction and no license: the body's word stands",
	  .card = 1, .body_restriction_line = 15,
	  .cu = "not-allowed", .review = "card-body-restriction,no-license" },
	{ .name = "a card body restriction beside a non-commercial license",
	  /* consistent: nothing to review */
	  .license = "cc-by-nc-4.0", .body_restriction_line = 15,
	  .cu = "not-allowed", .review = "" },
	/* gating alone changes nothing but the review */
	{ .name = "gated: true", .license = "apache-2.0", .gated = "true",
	  .review = "gated", .cu = "allowed" },
	{ .name = "gated: Manual", .license = "apache-2.0", .gated = "Manual",
	  .review = "gated", .cu = "allowed" },
	{ .name = "gated: AUTO", .license = "apache-2.0", .gated = "AUTO",
	  .review = "gated", .cu = "allowed" },
	{ .name = "gated: false", .license = "apache-2.0", .gated = "false",
	  .review = "", .cu = "allowed" },
	{ .name = "extra_gated_prompt", .license = "apache-2.0",
	  .gated_prompt = 1, .review = "gated", .cu = "allowed" },
	{ .name = "extra_gated_fields", .license = "apache-2.0",
	  .gated_fields = 1, .review = "gated", .cu = "allowed" },
	{ .name = "not gated", .license = "apache-2.0",
	  .review = "", .cu = "allowed" },
	{ .name = "an SPDX spelling in a GGUF header, on every shard",
	  .ckpts = { { "model-00001-of-00002.gguf", "Apache-2.0", NULL },
		     { "model-00002-of-00002.gguf", "Apache-2.0", NULL } },
	  .licenses = "apache-2.0", .declared = "apache-2.0", .cu = "allowed",
	  .review = "",
	  .reasons = { "checkpoint model-00001-of-00002.gguf and 1 more declares license: apache-2.0" } },
	{ .name = "a checkpoint's other + license.name through an alias",
	  .ckpts = { { "model.gguf", "other", "Llama 2" } },
	  .licenses = "llama2", .cu = "conditional" },
	{ .name = "checkpoint shards that disagree: the permissive one loses",
	  .ckpts = { { "a.gguf", "apache-2.0", NULL },
		     { "b.gguf", "cc-by-nc-4.0", NULL } },
	  .licenses = "apache-2.0,cc-by-nc-4.0", .cu = "not-allowed",
	  .review = "conflict" },
	{ .name = "a card that permits, a header that forbids",
	  .license = "apache-2.0",
	  .ckpts = { { "model.gguf", "cc-by-nc-4.0", NULL } },
	  .cu = "not-allowed", .review = "conflict" },
	{ .name = "license tags without a license key",
	  .license_tags = "mit",
	  .licenses = "mit", .declared = "mit" },
	{ .name = "license tags beside a license key are not read",
	  .license = "cc-by-nc-4.0", .license_tags = "mit",
	  .licenses = "cc-by-nc-4.0" },

	/* ---- lineage ---- */
	{ .name = "a base found in the inventory",
	  .license = "mit", .bases = "acme/base",
	  .inv = { { "acme/base", "llama2", CU_CONDITIONAL, "attribution,mau-700m", "" } },
	  .licenses = "llama2,mit", .declared = "mit", .cu = "conditional",
	  .conditions = "attribution,mau-700m",
	  /* a base that differs from the card is no conflict */
	  .review = "inherited", .calls = 1,
	  .reasons = { "base model acme/base: in the inventory: license llama2, commercial_use conditional\n" } },
	{ .name = "a base claimed by a rule's pattern",
	  .license = "llama2", .bases = "meta-llama/Llama-2-7b-hf",
	  .licenses = "llama2", .cu = "conditional",
	  .review = "",	/* same as own: nothing to look at */
	  .reasons = { "base model meta-llama/Llama-2-7b-hf: not in the inventory; rule llama2 claims it by pattern" } },
	{ .name = "a chain of three: the root forbids",
	  .model_id = "org/c", .license = "mit", .bases = "org/b",
	  .inv = { { "org/b", "apache-2.0", CU_ALLOWED, "", "org/a" },
		   { "org/a", "cc-by-nc-4.0", CU_NOT_ALLOWED, "", "" } },
	  /* own permits, the direct base permits, the root forbids */
	  .licenses = "apache-2.0,cc-by-nc-4.0,mit", .cu = "not-allowed",
	  .review = "inherited",
	  .reasons = { "chain: org/c -> org/b -> org/a\n" } },
	{ .name = "a cycle, and the model as its own base",
	  /* org/c -> org/b -> org/a -> org/b (cycle) and back to org/c (self) */
	  .model_id = "org/c", .license = "apache-2.0", .bases = "org/b,org/c",
	  .inv = { { "org/b", "apache-2.0", CU_ALLOWED, "", "org/a,org/c" },
		   { "org/a", "", CU_UNKNOWN, "", "org/b,org/c" } },
	  .licenses = "apache-2.0", .cu = "allowed", .review = "",
	  .calls = 2,	/* each model looked up once */
	  .reasons = { "base model org/c is the model itself: ignored",
		       "already counted (cycle or shared base, cut here)" } },
	{ .name = "no source of its own: the base's verdict, inherited",
	  .card = 1,	/* a card with no license */
	  .bases = "acme/base",
	  .inv = { { "acme/base", "cc-by-nc-4.0", CU_NOT_ALLOWED, "", "" } },
	  .licenses = "cc-by-nc-4.0", .declared = "", .cu = "not-allowed",
	  /* no-license no longer: the base resolves */
	  .review = "inherited",
	  .reasons = { "no recognised source of its own: it takes its base's verdict (inherited)" } },
	{ .name = "a base more restrictive than the model's own sources",
	  /* a rule pattern claims the base; own says apache-2.0 */
	  .license = "apache-2.0",
	  .files = { FULL("LICENSE", ROLE_LICENSE, "apache-2.0") },
	  .bases = "acme/nc-7b", .no_lookup = 1,
	  .licenses = "apache-2.0,cc-by-nc-4.0", .cu = "not-allowed",
	  .review = "inherited",
	  .reasons = { "a base model is more restrictive (not-allowed) than the model's own sources (allowed) (inherited)" } },
	{ .name = "nothing of its own, a base nobody knows: still no-license",
	  .bases = "someone/mystery-model",
	  .cu = "unknown", .review = "no-license",
	  .reasons = { "base model someone/mystery-model: not in the inventory and no rule claims it" } },
	{ .name = "its own license and a base nobody knows: its own verdict",
	  .license = "apache-2.0", .bases = "someone/mystery-model",
	  .licenses = "apache-2.0", .cu = "allowed", .review = "" },
	{ .name = "a base in the inventory with no license falls back to a rule",
	  .license = "mit", .bases = "meta-llama/Llama-2-13b-hf",
	  /* a re-upload with no license of its own */
	  .inv = { { "meta-llama/Llama-2-13b-hf", "", CU_UNKNOWN, "", "" } },
	  .licenses = "llama2,mit", .cu = "conditional", .review = "inherited" },
	{ .name = "a card body restriction and a permissive base: never allowed",
	  .card = 1, .body_restriction_line = 12, .bases = "acme/base",
	  .inv = { { "acme/base", "apache-2.0", CU_ALLOWED, "", "" },
		   { "acme/ncbase", "cc-by-nc-4.0", CU_NOT_ALLOWED, "", "" } },
	  .cu = "not-allowed", .review = "card-body-restriction,inherited" },
	{ .name = "a card body restriction beside its own conditional license; the base is non-commercial",
	  .license = "llama2", .body_restriction_line = 12,
	  .bases = "acme/ncbase",
	  .inv = { { "acme/base", "apache-2.0", CU_ALLOWED, "", "" },
		   { "acme/ncbase", "cc-by-nc-4.0", CU_NOT_ALLOWED, "", "" } },
	  .cu = "not-allowed", .review = "card-body-restriction,inherited" },
};

/* ---- building a row's model ---------------------------------------------- */

static const struct rule *rule(const char *id)
{
	const struct rule *r = rules_by_id(R, id);

	if (!r)
		fail_msg("fixture has no rule %s", id);
	return r;
}

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

static void add_matches(struct match_list *l, const struct tmatch *t,
			size_t n)
{
	for (size_t i = 0; i < n && t[i].id; i++) {
		struct match *mt;

		ALLOC_GROW(l->v, l->n + 1, l->alloc);
		mt = &l->v[l->n++];
		memset(mt, 0, sizeof(*mt));
		mt->rule = rule(t[i].id);
		mt->kind = t[i].kind;
		mt->coverage = t[i].coverage ? t[i].coverage : 1.0;
		mt->line_start = t[i].from;
		mt->line_end = t[i].to;
		mt->added_start = t[i].added_from;
		mt->added_end = t[i].added_to;
		mt->restricts_commercial = t[i].restricts;
	}
}

/* The identify stage's part that the verdict reads without matches of its
 * own: restriction phrases in the files the row wrote. */
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

static void build(struct model *m, const struct tcase *c)
{
	model_init(m, "/models/acme/thing", LAYOUT_DIR);
	m->model_id = xstrdup(c->model_id ? c->model_id : "acme/thing");
	if (c->card || c->license || c->license_name || c->license_link ||
	    c->license_tags || c->gated || c->gated_prompt ||
	    c->gated_fields || c->body[0].id) {
		m->has_card = 1;
		m->card.has_front_matter = 1;
		m->card.body_line = 10;
		m->card_name = xstrdup("README.md");
		split(&m->card.licenses, c->license);
		m->card.license_name = c->license_name ? xstrdup(c->license_name) : NULL;
		m->card.license_link = c->license_link ? xstrdup(c->license_link) : NULL;
		split(&m->card.license_tags, c->license_tags);
		m->card.gated = c->gated ? xstrdup(c->gated) : NULL;
		m->card.has_extra_gated_prompt = c->gated_prompt;
		m->card.has_extra_gated_fields = c->gated_fields;
	}
	if (c->body_restriction_line) {
		m->body_restriction = 1;
		m->body_restriction_line = c->body_restriction_line;
	}
	add_matches(&m->body_matches, c->body, 1);
	for (size_t i = 0; i < 2 && c->files[i].name; i++) {
		const struct tfile *t = &c->files[i];
		struct model_file *f = model_add_file(m, t->name, t->role);

		if (t->text) {
			f->data = xstrdup(t->text);
			f->len = strlen(t->text);
		}
		if (t->error)
			f->error = xstrdup(t->error);
		add_matches(&f->matches, t->m, 2);
	}
	if (c->known_missing)
		strlist_add(&m->known_missing, c->known_missing);
	for (size_t i = 0; i < 2 && c->ckpts[i].path; i++) {
		struct weight_file *w = model_add_weight(m, c->ckpts[i].path, "gguf");

		w->meta.format = CKPT_GGUF;
		w->meta.license = c->ckpts[i].license ? xstrdup(c->ckpts[i].license) : NULL;
		w->meta.license_name = c->ckpts[i].license_name ? xstrdup(c->ckpts[i].license_name) : NULL;
	}
	find_restrictions(m);
}

/* ---- the inventory a row's bases are looked up in ------------------------ */

struct inv {
	const struct tinv *v;
	size_t n;
	int calls;
};

static int inv_lookup(void *ctx, const char *model_id, struct verdict *own_v,
		      struct strlist *bases, struct strlist *text_bases)
{
	struct inv *inv = ctx;

	(void)text_bases;
	inv->calls++;
	for (size_t i = 0; i < inv->n; i++) {
		if (!inv->v[i].id || !str_iequal(inv->v[i].id, model_id))
			continue;
		split(&own_v->licenses, inv->v[i].licenses);
		own_v->commercial = inv->v[i].cu;
		split(&own_v->conditions, inv->v[i].conditions);
		split(bases, inv->v[i].bases);
		return 1;
	}
	return 0;
}

/* ---- checking ------------------------------------------------------------- */

static int checks;	/* assertions made, for the count the header gives */

static void expect_list(const struct tcase *c, const char *what,
			const struct strlist *l, const char *want)
{
	char *got;

	if (!want)
		return;
	checks++;
	got = strlist_join(l, ",");
	if (strcmp(got ? got : "", want))
		fail_msg("%s: %s '%s', expected '%s'", c->name, what,
			 got ? got : "", want);
	free(got);
}

static void expect_verdict(const struct tcase *c, const struct verdict *v)
{
	const char *r = strbuf_str(&v->reasoning);

	expect_list(c, "licenses", &v->licenses, c->licenses);
	expect_list(c, "declared", &v->declared, c->declared);
	expect_list(c, "detected", &v->detected, c->detected);
	expect_list(c, "conditions", &v->conditions, c->conditions);
	expect_list(c, "review", &v->review, c->review);
	if (c->cu) {
		checks++;
		if (strcmp(commercial_name(v->commercial), c->cu))
			fail_msg("%s: commercial_use %s, expected %s; reasoning:\n%s",
				 c->name, commercial_name(v->commercial), c->cu, r);
	}
	for (size_t i = 0; i < 2 && c->reasons[i]; i++) {
		checks++;
		if (!strstr(r, c->reasons[i]))
			fail_msg("%s: reasoning lacks \"%s\":\n%s", c->name,
				 c->reasons[i], r);
	}
}

static void test_table(void **state)
{
	(void)state;
	checks = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct tcase *c = &cases[i];
		struct inv inv = { c->inv, 2, 0 };
		struct model m;
		struct verdict own, fin;
		struct strlist bases = STRLIST_INIT;

		build(&m, c);
		verdict_own(R, &m, &own);
		if (c->bases) {
			split(&bases, c->bases);
			lineage_final(R, m.model_id, &own, &bases, NULL,
				      c->no_lookup ? NULL : inv_lookup, &inv, &fin);
			expect_verdict(c, &fin);
			verdict_release(&fin);
		} else {
			expect_verdict(c, &own);
		}
		if (c->calls) {
			checks++;
			if (inv.calls != c->calls)
				fail_msg("%s: %d look-ups, expected %d", c->name,
					 inv.calls, c->calls);
		}
		strlist_clear(&bases);
		verdict_release(&own);
		model_release(&m);
	}
	print_message("%zu rows, %d checks\n", sizeof(cases) / sizeof(*cases),
		      checks);
}

/*
 * A verdict read back from a store keeps only the review, the reasoning and
 * own_body_restriction: lineage_final decides card-body-restriction from
 * them as from the verdict verdict_own made (the row "a card body
 * restriction and a permissive base").
 */
static void test_lineage_from_stored_verdict(void **state)
{
	static const struct tinv e[] = {
		{ "acme/base", "apache-2.0", CU_ALLOWED, "", "" },
	};
	struct inv inv = { e, 1, 0 };
	struct tcase c = { .name = "stored", .card = 1,
			   .body_restriction_line = 12 };
	struct model m;
	struct verdict v, stored, fin;
	struct strlist b = STRLIST_INIT;

	(void)state;
	build(&m, &c);
	verdict_own(R, &m, &v);
	verdict_init(&stored);
	for (size_t i = 0; i < v.review.n; i++)
		strlist_add(&stored.review, v.review.v[i]);
	strbuf_adds(&stored.reasoning, strbuf_str(&v.reasoning));
	stored.body_restriction = v.body_restriction;
	split(&b, "acme/base");
	lineage_final(R, m.model_id, &stored, &b, NULL, inv_lookup, &inv, &fin);
	c.review = "card-body-restriction,inherited";
	expect_verdict(&c, &fin);
	verdict_release(&fin);
	verdict_release(&stored);
	verdict_release(&v);
	strlist_clear(&b);
	model_release(&m);
}

/*
 * One source permits, another forbids, in every pairing of source kinds
 * that both govern.  The verdict must never say allowed.
 */
enum src { S_CARD, S_LICENSE, S_WEIGHTS, S_CKPT, S_BODY, S_NAME };

static void put_source(struct tcase *c, enum src s, const char *id)
{
	static const char *const files[] = { "LICENSE", "LICENSE_weights" };
	size_t k = c->files[0].name ? 1 : 0;

	switch (s) {
	case S_CARD:
		c->license = id;
		break;
	case S_LICENSE:
	case S_WEIGHTS:
		c->files[k].name = files[s == S_WEIGHTS];
		c->files[k].role = s == S_WEIGHTS ? ROLE_WEIGHTS_LICENSE : ROLE_LICENSE;
		c->files[k].text = "license text\n";
		c->files[k].m[0] = (struct tmatch){ id, MATCH_FULL, 1, 201, 0, 0, 0, 0 };
		break;
	case S_CKPT:
		c->ckpts[0] = (struct tckpt){ "model.gguf", id, NULL };
		break;
	case S_BODY:
		c->body[0] = (struct tmatch){ id, MATCH_FULL, 30, 90, 0, 0, 0, 0 };
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
			struct tcase c = { .name = "pair", .cu = "not-allowed" };
			struct model m;
			struct verdict v;

			if (p == f)
				continue;
			/* a weights file overrides LICENSE: by design */
			if (p == S_WEIGHTS && f == S_LICENSE)
				continue;
			put_source(&c, (enum src)p, "mit");
			put_source(&c, (enum src)f, "cc-by-nc-4.0");
			build(&m, &c);
			verdict_own(R, &m, &v);
			if (v.commercial != CU_NOT_ALLOWED)
				fail_msg("permit %d + forbid %d gave %s:\n%s", p, f,
					 commercial_name(v.commercial),
					 strbuf_str(&v.reasoning));
			verdict_release(&v);
			model_release(&m);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_lineage_from_stored_verdict),
		cmocka_unit_test(test_never_a_false_permit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
