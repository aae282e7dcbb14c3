/*
 * verdict.c: evidence -> license, commercial_use, conditions and review, as
 * docs/verdicts.md defines them (verdict.h).
 *
 * Owns: mapping card and checkpoint values through the rules' aliases,
 * choosing which license files govern (a weights-specific file over a
 * generic LICENSE; NOTICE never), judging every source on its own, then
 * combining them: family refinement, conflicts, the most restrictive
 * commercial_use, conditions and review reasons: a model's own verdict.
 * Its base models are lineage.c's, which shares the commercial_use
 * arithmetic (cu_*) and the catalog helpers declared in verdict.h.
 *
 * It reads the struct model and the rule catalog only: no I/O, no printing.
 * Every step it takes is written to the verdict's reasoning, one plain line
 * per step, for `explain`.  The one call into the identify stage is
 * match_restriction() on a license file that only mentions its license
 * (see judge_mention): nothing upstream records restriction phrases for
 * files, and a mention beside "non-commercial use only" must not permit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/verdict.h"
#include "modelcensus/match.h"
#include "modelcensus/banned.h"

/*
 * A license file that only names its license ("Licensed under the Apache
 * License 2.0") declares it.  Beside the mention it may hold a copyright
 * line, the standard Apache header and the like: up to this many other
 * non-blank lines.  More than that is text no rule identified, so the file
 * says at most conditional (modified-text).
 */
#define VERDICT_MENTION_OTHER_LINES 20

/* The prefix of the reasoning line that records a card-body restriction. */
#define BODY_RESTRICTION_LINE "card body restricts commercial use"

/* Where a claim comes from, for conflicts: the card, the governing files
 * and pasted texts together, and each distinct checkpoint value. */
enum side_kind {
	SIDE_CARD = 0,
	SIDE_DETECTED = 1,
	SIDE_CKPT = 2,	/* + k for the k-th distinct checkpoint value */
};

enum claim_kind {
	CLAIM_LICENSE,	/* a license this source names */
	CLAIM_POLICY,	/* a use policy: conditions and commercial, no license */
};

struct claim {
	enum claim_kind kind;
	char *id;		/* canonical id, or a family id no rule carries */
	const struct rule *rule;	/* NULL for a bare family id or an unknown policy */
	enum commercial cu;	/* what this source says */
	char *from;		/* "card", "LICENSE", "checkpoint x.gguf" ... */
	int side;
};

struct eval {
	const struct rules *rules;
	const struct model *m;
	struct verdict *v;
	struct claim *claims;
	size_t nclaims, claims_alloc;
	struct strlist customs;		/* values no rule knows, as written */
	struct strlist extra_conditions;	/* from unidentified use policies */
	int anything;			/* some license evidence exists */
	int other_pending;		/* `other` with no name: a file must tell */
	int unrecognized, custom, modified;
	const char *cur_quote;		/* the judged file's restricting sentences */
};

void verdict_say(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	strbuf_addch(sb, '\n');
}

void verdict_init(struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->commercial = CU_UNKNOWN;
}

void verdict_release(struct verdict *v)
{
	strlist_clear(&v->declared);
	strlist_clear(&v->detected);
	strlist_clear(&v->licenses);
	strlist_clear(&v->conditions);
	strlist_clear(&v->review);
	strbuf_release(&v->reasoning);
	verdict_init(v);
}

void strlist_copy(struct strlist *dst, const struct strlist *src)
{
	for (size_t i = 0; i < src->n; i++)
		strlist_add(dst, src->v[i]);
}

void verdict_copy(struct verdict *dst, const struct verdict *src)
{
	verdict_init(dst);
	strlist_copy(&dst->declared, &src->declared);
	strlist_copy(&dst->detected, &src->detected);
	strlist_copy(&dst->licenses, &src->licenses);
	dst->commercial = src->commercial;
	strlist_copy(&dst->conditions, &src->conditions);
	strlist_copy(&dst->review, &src->review);
	strbuf_adds(&dst->reasoning, strbuf_str(&src->reasoning));
	dst->body_restriction = src->body_restriction;
}

/* ---- commercial_use arithmetic ---------------------------------------- */

enum commercial cu_max(enum commercial a, enum commercial b)
{
	if (a == CU_UNKNOWN)
		return b;
	if (b == CU_UNKNOWN)
		return a;
	return a > b ? a : b;
}

void cu_add(struct cu_acc *a, enum commercial cu, const char *id,
		   const char *from)
{
	char *s = xstrfmt("%s from %s (%s)", commercial_name(cu), id, from);

	if (cu == CU_UNKNOWN)
		a->some_unknown = 1;
	a->cu = cu_max(a->cu, cu);
	if (!strlist_has(&a->said, s))
		strlist_add_nodup(&a->said, s);
	else
		free(s);
}

enum commercial cu_result(const struct cu_acc *a)
{
	if (a->some_unknown && a->cu == CU_ALLOWED)
		return CU_CONDITIONAL;
	return a->cu;
}

void cu_say(struct strbuf *sb, const char *prefix,
		   const struct cu_acc *a, enum commercial result)
{
	char *list = strlist_join(&a->said, ", ");

	verdict_say(sb, "%s: %s (most restrictive of: %s)", prefix,
	    commercial_name(result), list ? list : "nothing");
	free(list);
}

/* ---- the catalog ------------------------------------------------------ */

/* Is id a family that some rule refines (bsd, gpl, openrail...)? */
static int is_family(const struct rules *rules, const char *id)
{
	size_t n = rules_count(rules);

	for (size_t i = 0; i < n; i++) {
		struct rule_info ri;

		rule_info(rules_at(rules, i), &ri);
		if (ri.family && str_iequal(ri.family, id))
			return 1;
	}
	return 0;
}

/* For a family no rule carries: the most restrictive of its members, so
 * that `license: cc` can never read as allowed. */
static enum commercial family_commercial(const struct rules *rules,
					 const char *id)
{
	enum commercial cu = CU_UNKNOWN;
	size_t n = rules_count(rules);

	for (size_t i = 0; i < n; i++) {
		struct rule_info ri;

		rule_info(rules_at(rules, i), &ri);
		if (ri.family && str_iequal(ri.family, id))
			cu = cu_max(cu, ri.commercial);
	}
	return cu;
}

/* A card or checkpoint value: id or alias, else an SPDX id ("Apache-2.0",
 * "LicenseRef-llama2"), as checkpoint headers often carry. */
static const struct rule *map_value(const struct rules *rules,
				    const char *value)
{
	const struct rule *r = rules_by_alias(rules, value);
	size_t n;

	if (r)
		return r;
	n = rules_count(rules);
	for (size_t i = 0; i < n; i++) {
		struct rule_info ri;

		rule_info(rules_at(rules, i), &ri);
		if (ri.spdx && str_iequal(ri.spdx, value))
			return rules_at(rules, i);
	}
	return NULL;
}

int verdict_id_recognised(const struct rules *rules, const char *id)
{
	return rules_by_id(rules, id) || is_family(rules, id);
}

void verdict_rule_conditions(const struct rules *rules,
				const struct rule *r, struct strlist *out)
{
	struct rule_info ri;
	size_t n = rules_count(rules);

	rule_info(r, &ri);
	if (ri.conditions)
		strlist_copy(out, ri.conditions);
	if (ri.policy_of)
		return;
	for (size_t i = 0; i < n; i++) {
		struct rule_info pi;

		rule_info(rules_at(rules, i), &pi);
		if (pi.policy_of && str_iequal(pi.policy_of, ri.id) &&
		    pi.conditions)
			strlist_copy(out, pi.conditions);
	}
}

static char *conditions_text(const struct rule *r)
{
	struct rule_info ri;
	char *s;

	rule_info(r, &ri);
	s = ri.conditions ? strlist_join(ri.conditions, ", ") : NULL;
	return s ? s : xstrdup("none");
}

/* ---- claims ----------------------------------------------------------- */

static struct claim *add_claim(struct eval *e, enum claim_kind kind,
			       const char *id, const struct rule *r,
			       enum commercial cu, const char *from, int side)
{
	struct claim *c;

	ALLOC_GROW(e->claims, e->nclaims + 1, e->claims_alloc);
	c = &e->claims[e->nclaims++];
	c->kind = kind;
	c->id = xstrdup(id);
	c->rule = r;
	c->cu = cu;
	c->from = xstrdup(from);
	c->side = side;
	return c;
}

static void eval_release(struct eval *e)
{
	for (size_t i = 0; i < e->nclaims; i++) {
		free(e->claims[i].id);
		free(e->claims[i].from);
	}
	free(e->claims);
	strlist_clear(&e->customs);
	strlist_clear(&e->extra_conditions);
}

static int has_license_claim(const struct eval *e, int side)
{
	for (size_t i = 0; i < e->nclaims; i++)
		if (e->claims[i].kind == CLAIM_LICENSE &&
		    (side < 0 || e->claims[i].side == side))
			return 1;
	return 0;
}

static size_t count_license_claims(const struct eval *e)
{
	size_t n = 0;

	for (size_t i = 0; i < e->nclaims; i++)
		n += e->claims[i].kind == CLAIM_LICENSE;
	return n;
}

/*
 * One declared value (card or checkpoint), lower-cased: a rule's id or
 * alias, a family id, or a name no rule knows (custom-license).  what says
 * how it was written, for the reasoning.
 */
static void claim_value(struct eval *e, const char *value, const char *what,
			const char *from, const char *where, int side)
{
	struct strbuf *sb = &e->v->reasoning;
	const struct rule *r = map_value(e->rules, value);

	strbuf_addf(sb, "%s declares %s", from, what);
	if (where)
		strbuf_addf(sb, " (%s)", where);
	if (r) {
		struct rule_info ri;

		rule_info(r, &ri);
		if (!str_iequal(ri.id, value))
			strbuf_addf(sb, " -> %s (alias)", ri.id);
		strbuf_addch(sb, '\n');
		if (ri.policy_of) {
			/* a use policy named as the license: its license */
			verdict_say(sb, "%s is the use policy of %s: counted as %s", ri.id,
			    ri.policy_of, ri.policy_of);
			add_claim(e, CLAIM_POLICY, ri.id, r, ri.commercial, from, side);
			r = rules_by_id(e->rules, ri.policy_of);
			if (!r) {
				strlist_add_unique(&e->customs, ri.policy_of);
				strlist_add_unique(&e->v->declared, ri.policy_of);
				e->custom = 1;
				return;
			}
			rule_info(r, &ri);
		}
		add_claim(e, CLAIM_LICENSE, ri.id, r, ri.commercial, from, side);
		strlist_add_unique(&e->v->declared, ri.id);
		return;
	}
	if (is_family(e->rules, value)) {
		enum commercial cu = family_commercial(e->rules, value);

		verdict_say(sb, ": a license family; a member identified in a file refines it, else it counts as its most restrictive member (%s)",
		    commercial_name(cu));
		add_claim(e, CLAIM_LICENSE, value, NULL, cu, from, side);
		strlist_add_unique(&e->v->declared, value);
		return;
	}
	verdict_say(sb, ": no rule knows \"%s\" (custom-license)", value);
	strlist_add_unique(&e->customs, value);
	strlist_add_unique(&e->v->declared, value);
	e->custom = 1;
}

/* ---- the card --------------------------------------------------------- */

static char *lower_dup(const char *s)
{
	char *d = xstrdup(s);

	str_trim(d);
	str_lower(d);
	return d;
}

static int gated_value(const char *g)
{
	return g && (str_iequal(g, "true") || str_iequal(g, "auto") ||
		     str_iequal(g, "manual"));
}

static void judge_card(struct eval *e)
{
	const struct model *m = e->m;
	const struct card *c = &m->card;
	struct strbuf *sb = &e->v->reasoning;
	const char *cardname = m->card_name ? m->card_name : "the card";
	const struct strlist *values = &c->licenses;
	int from_tags = 0;

	if (!m->has_card) {
		verdict_say(sb, "no model card");
		return;
	}
	if (c->error)
		verdict_say(sb, "card front matter of %s could not be read: %s", cardname, c->error);
	else if (!c->has_front_matter)
		verdict_say(sb, "%s has no front matter: the card declares nothing", cardname);

	if (!values->n && c->license_tags.n && !c->license_name) {
		values = &c->license_tags;
		from_tags = 1;
	}
	if (!values->n && c->license_name) {
		/* license_name without a license key: read as `other` */
		char *name = lower_dup(c->license_name);
		char *what = xstrfmt("license_name: %s (no license key)", c->license_name);

		e->anything = 1;
		claim_value(e, name, what, "card", cardname, SIDE_CARD);
		free(what);
		free(name);
	}
	for (size_t i = 0; i < values->n; i++) {
		const char *val = values->v[i];
		char *what;

		if (card_is_placeholder(val))
			continue;
		e->anything = 1;
		if (!strcmp(val, "other")) {
			if (c->license_name) {
				char *name = lower_dup(c->license_name);

				what = xstrfmt("license: other, license_name: %s", c->license_name);
				claim_value(e, name, what, "card", cardname, SIDE_CARD);
				free(name);
				free(what);
			} else if (c->license_link) {
				verdict_say(sb, "card declares license: other with license_link %s and no license_name (%s)",
				    c->license_link, cardname);
				e->other_pending = 1;
			} else {
				verdict_say(sb, "card declares license: other with no license_name or license_link (%s)",
				    cardname);
				e->other_pending = 1;
			}
			continue;
		}
		what = from_tags ? xstrfmt("tag license:%s (the license key is absent)", val)
				 : xstrfmt("license: %s", val);
		claim_value(e, val, what, "card", cardname, SIDE_CARD);
		free(what);
	}
	if (!e->anything && c->has_front_matter)
		verdict_say(sb, "card declares no license (%s)", cardname);
}

static void judge_gating(struct eval *e)
{
	const struct card *c = &e->m->card;
	struct strlist why = STRLIST_INIT;
	char *list;

	if (!e->m->has_card)
		return;
	if (gated_value(c->gated))
		strlist_add_nodup(&why, xstrfmt("gated: %s", c->gated));
	if (c->has_extra_gated_prompt)
		strlist_add(&why, "extra_gated_prompt");
	if (c->has_extra_gated_fields)
		strlist_add(&why, "extra_gated_fields");
	if (c->has_extra_gated_other)
		strlist_add(&why, "other extra_gated_* keys");
	if (!why.n)
		return;
	list = strlist_join(&why, ", ");
	verdict_say(&e->v->reasoning, "card is gated (%s): downloaders had to accept terms (gated)", list);
	strlist_add_unique(&e->v->review, "gated");
	free(list);
	strlist_clear(&why);
}

/* ---- files ------------------------------------------------------------ */

static void say_lines(struct strbuf *out, size_t a, size_t b)
{
	if (a == b)
		strbuf_addf(out, "line %zu", a);
	else
		strbuf_addf(out, "lines %zu-%zu", a, b);
}

/* Non-blank lines of f that no match of f covers. */
static size_t other_lines(const struct model_file *f)
{
	size_t n = 0, line = 1;
	int blank = 1;

	if (!f->data)
		return 0;
	for (size_t i = 0; i <= f->len; i++) {
		char ch = i < f->len ? f->data[i] : '\n';

		if (ch != '\n') {
			if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\f')
				blank = 0;
			continue;
		}
		if (!blank) {
			int covered = 0;

			for (size_t k = 0; k < f->matches.n && !covered; k++)
				covered = line >= f->matches.v[k].line_start &&
					  line <= f->matches.v[k].line_end;
			n += !covered;
		}
		line++;
		blank = 1;
	}
	return n;
}

/* Does the text of f hold a restriction phrase (found by the identify
 * stage)?  Returns 1 with the line. */
static int file_restriction(struct eval *e, const struct model_file *f,
			    size_t *line)
{
	(void)e;
	*line = f->restriction_line;
	return f->restriction_line != 0;
}

/*
 * A license file no rule identifies names no license, but a restriction
 * phrase in it ("research purposes only") is evidence all the same: next to
 * a recognised license it makes the verdict not-allowed.
 */
static void unidentified_restriction(struct eval *e, const struct model_file *f)
{
	size_t line;
	char *from;

	if (!file_restriction(e, f, &line))
		return;
	from = xstrfmt("%s line %zu", f->name, line);
	verdict_say(&e->v->reasoning, "%s: restricts commercial use -> this source says not-allowed%s%s",
	    from, f->restriction_quote ? ": " : "", f->restriction_quote ? f->restriction_quote : "");
	add_claim(e, CLAIM_POLICY, "restriction phrase", NULL, CU_NOT_ALLOWED, from,
		  SIDE_DETECTED);
	free(from);
}

/* Is mention mt part of a text f holds: a mention of that text's own
 * license, or one within its lines (the text citing itself)? */
static int mention_within_text(const struct model_file *f, const struct match *mt)
{
	for (size_t k = 0; k < f->matches.n; k++) {
		const struct match *x = &f->matches.v[k];

		if (x->kind == MATCH_MENTION)
			continue;
		if (x->rule == mt->rule ||
		    (mt->line_start >= x->line_start && mt->line_end <= x->line_end))
			return 1;
	}
	return 0;
}

/* Has this file a full or modified text of a license (not a policy)? */
static int file_has_text(const struct model_file *f)
{
	for (size_t k = 0; k < f->matches.n; k++) {
		struct rule_info ri;

		rule_info(f->matches.v[k].rule, &ri);
		if (!ri.policy_of && f->matches.v[k].kind != MATCH_MENTION)
			return 1;
	}
	return 0;
}

/* A match of policy rule r in file `from` (a use policy adds conditions). */
static void judge_policy_match(struct eval *e, const struct match *mt,
			       const char *from)
{
	struct strbuf *sb = &e->v->reasoning;
	struct rule_info ri;
	char *conds = conditions_text(mt->rule);

	rule_info(mt->rule, &ri);
	strbuf_addf(sb, "%s ", from);
	say_lines(sb, mt->line_start, mt->line_end);
	verdict_say(sb, ": use policy %s%s%s, %s (adds conditions: %s; not a second license)",
	    ri.id, ri.policy_of ? " of " : "", ri.policy_of ? ri.policy_of : "",
	    match_kind_name(mt->kind), conds);
	free(conds);
	add_claim(e, CLAIM_POLICY, ri.id, mt->rule, ri.commercial, from, SIDE_DETECTED);
}

/* A full or modified license text in a governing file or the card body. */
static void judge_text_match(struct eval *e, const struct match *mt,
			     const char *from)
{
	struct strbuf *sb = &e->v->reasoning;
	struct rule_info ri;
	enum commercial cu;

	rule_info(mt->rule, &ri);
	strbuf_addf(sb, "%s ", from);
	say_lines(sb, mt->line_start, mt->line_end);
	if (mt->kind == MATCH_FULL) {
		verdict_say(sb, ": %s, full text, coverage %.0f%%", ri.id, mt->coverage * 100.0);
		cu = ri.commercial;
	} else {
		cu = mt->restricts_commercial ? CU_NOT_ALLOWED
					      : cu_max(ri.commercial, CU_CONDITIONAL);
		strbuf_addf(sb, ": %s, modified text, coverage %.0f%%", ri.id,
			    mt->coverage * 100.0);
		if (mt->added_start) {
			strbuf_adds(sb, "; added ");
			say_lines(sb, mt->added_start, mt->added_end);
		}
		if (mt->restricts_commercial)
			strbuf_adds(sb, " restrict commercial use");
		if (mt->restricts_commercial && e->cur_quote)
			strbuf_addf(sb, " (%s)", e->cur_quote);
		verdict_say(sb, " -> this source says %s, never allowed (modified-text)",
		    commercial_name(cu));
		e->modified = 1;
	}
	add_claim(e, CLAIM_LICENSE, ri.id, mt->rule, cu, from, SIDE_DETECTED);
}

/*
 * A mention in a license file: a LICENSE that only says "Licensed under
 * the Apache License 2.0" declares its license in practice.  It says at
 * most conditional when the file holds much unidentified text beside the
 * mention, and not-allowed when that text restricts commercial use.
 */
static void judge_mention(struct eval *e, const struct model_file *f,
			  const struct match *mt, size_t others, int restr,
			  size_t restr_line)
{
	struct strbuf *sb = &e->v->reasoning;
	struct rule_info ri;
	enum commercial cu;

	rule_info(mt->rule, &ri);
	cu = ri.commercial;
	strbuf_addf(sb, "%s ", f->name);
	say_lines(sb, mt->line_start, mt->line_end);
	strbuf_addf(sb, ": %s, mention only (no license text); a license file that names its license declares it",
		    ri.id);
	if (restr) {
		cu = CU_NOT_ALLOWED;
		strbuf_addf(sb, "; but line %zu restricts commercial use -> this source says not-allowed (modified-text)",
			    restr_line);
		if (f->restriction_quote)
			strbuf_addf(sb, ": %s", f->restriction_quote);
		e->modified = 1;
	} else if (others > VERDICT_MENTION_OTHER_LINES) {
		cu = cu_max(cu, CU_CONDITIONAL);
		strbuf_addf(sb, "; but %zu other lines are not identified -> this source says %s, never allowed (modified-text)",
			    others, commercial_name(cu));
		e->modified = 1;
	}
	strbuf_addch(sb, '\n');
	add_claim(e, CLAIM_LICENSE, ri.id, mt->rule, cu, f->name, SIDE_DETECTED);
}

static void judge_license_file(struct eval *e, const struct model_file *f)
{
	struct strbuf *sb = &e->v->reasoning;
	int has_text = file_has_text(f);
	size_t others = 0, restr_line = 0;
	int restr = 0, mentions_checked = 0;
	size_t before = count_license_claims(e);

	if (!f->matches.n) {
		if (f->error)
			verdict_say(sb, "%s could not be read: %s (unrecognized-text)", f->name, f->error);
		else
			verdict_say(sb, "%s: no rule identifies its text (unrecognized-text)", f->name);
		e->unrecognized = 1;
		unidentified_restriction(e, f);
		return;
	}
	for (size_t k = 0; k < f->matches.n; k++) {
		const struct match *mt = &f->matches.v[k];
		struct rule_info ri;

		rule_info(mt->rule, &ri);
		if (ri.policy_of) {
			judge_policy_match(e, mt, f->name);
			continue;
		}
		if (mt->kind != MATCH_MENTION) {
			e->cur_quote = f->restriction_quote;
			judge_text_match(e, mt, f->name);
			e->cur_quote = NULL;
			continue;
		}
		if (has_text && mention_within_text(f, mt)) {
			strbuf_addf(sb, "%s ", f->name);
			say_lines(sb, mt->line_start, mt->line_end);
			verdict_say(sb, ": mentions %s within the license text the file holds; not counted again",
			    ri.id);
			continue;
		}
		/* a file that holds one license's text and names another ("the
		 * weights are released under CC BY-NC 4.0") binds by both */
		if (!mentions_checked) {
			others = other_lines(f);
			restr = file_restriction(e, f, &restr_line);
			mentions_checked = 1;
		}
		judge_mention(e, f, mt, others, restr, restr_line);
	}
	if (count_license_claims(e) == before)
		verdict_say(sb, "%s holds only a use policy: no license identified in it", f->name);
}

/* USE_POLICY.md: whatever it holds adds conditions to the license. */
static void judge_policy_file(struct eval *e, const struct model_file *f)
{
	struct strbuf *sb = &e->v->reasoning;

	if (!f->matches.n) {
		if (f->error)
			verdict_say(sb, "%s (use policy) could not be read: %s; counted as use restrictions (unrecognized-text)",
			    f->name, f->error);
		else
			verdict_say(sb, "%s: no rule identifies this use policy; counted as use restrictions, at least conditional (unrecognized-text)",
			    f->name);
		add_claim(e, CLAIM_POLICY, "an unidentified use policy", NULL, CU_CONDITIONAL, f->name, SIDE_DETECTED);
		strlist_add_unique(&e->extra_conditions, "use-restrictions");
		e->unrecognized = 1;
		unidentified_restriction(e, f);
		return;
	}
	for (size_t k = 0; k < f->matches.n; k++)
		judge_policy_match(e, &f->matches.v[k], f->name);
}

/* A NOTICE file, or the license of a data set beside the model: shown,
 * never governing. */
static void judge_notice(struct eval *e, const struct model_file *f)
{
	struct strbuf *sb = &e->v->reasoning;
	const char *why = f->role == ROLE_NOTICE ? "NOTICE files never govern"
						 : "a data set's license, not the model's";

	if (!f->matches.n) {
		verdict_say(sb, "%s: %s file, shown only (%s)", f->name,
		    file_role_name(f->role), why);
		return;
	}
	for (size_t k = 0; k < f->matches.n; k++) {
		const struct match *mt = &f->matches.v[k];

		strbuf_addf(sb, "%s ", f->name);
		say_lines(sb, mt->line_start, mt->line_end);
		verdict_say(sb, ": %s, %s; shown only (%s)",
		    rule_id(mt->rule), match_kind_name(mt->kind), why);
	}
}

static int is_license_role(enum file_role r)
{
	return r == ROLE_LICENSE || r == ROLE_WEIGHTS_LICENSE || r == ROLE_LINKED;
}

static void judge_files(struct eval *e)
{
	const struct model *m = e->m;
	struct strbuf *sb = &e->v->reasoning;
	struct strlist seen = STRLIST_INIT;
	const char *governs = NULL;

	for (size_t i = 0; i < m->nfiles; i++)
		if (m->files[i].role == ROLE_WEIGHTS_LICENSE &&
		    !strlist_has(&m->known_missing, m->files[i].name)) {
			governs = m->files[i].name;
			break;
		}
	for (size_t i = 0; i < m->known_missing.n; i++) {
		const char *name = m->known_missing.v[i];
		int role = file_role_for_name(name);

		if (role >= 0 && role != ROLE_CARD)
			verdict_say(sb, "%s: known absent on the Hub (not an unreadable file)", name);
	}
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct model_file *f = &m->files[i];

		if (f->role == ROLE_CARD || strlist_has(&m->known_missing, f->name))
			continue;
		if (!strlist_add_unique(&seen, f->name))
			continue;	/* the same file under two roles */
		if (f->role == ROLE_NOTICE || f->role == ROLE_DATA_LICENSE) {
			judge_notice(e, f);
			continue;
		}
		if (f->from_root && m->has_card && card_declares_license(&m->card)) {
			verdict_say(sb, "%s (the repository root's) not counted: the model's card names its license",
			    f->name);
			continue;
		}
		e->anything = 1;
		if (f->role == ROLE_LICENSE && governs) {
			struct strlist ids = STRLIST_INIT;
			char *list;

			for (size_t k = 0; k < f->matches.n; k++)
				strlist_add_unique(&ids, rule_id(f->matches.v[k].rule));
			list = strlist_join(&ids, ", ");
			verdict_say(sb, "%s ignored: %s governs%s%s%s", f->name, governs,
			    list ? " (it holds " : "", list ? list : "", list ? ")" : "");
			free(list);
			strlist_clear(&ids);
			continue;
		}
		if (f->role == ROLE_USE_POLICY)
			judge_policy_file(e, f);
		else if (is_license_role(f->role))
			judge_license_file(e, f);
	}
	strlist_clear(&seen);
}

/* ---- the card body ---------------------------------------------------- */

static void judge_body(struct eval *e)
{
	const struct model *m = e->m;
	struct strbuf *sb = &e->v->reasoning;
	/* the identify stage counts body lines from the file's first line */
	char *from = xstrfmt("%s body", m->card_name ? m->card_name : "card");

	for (size_t k = 0; k < m->body_matches.n; k++) {
		const struct match *mt = &m->body_matches.v[k];
		struct rule_info ri;

		rule_info(mt->rule, &ri);
		if (mt->kind == MATCH_MENTION) {
			strbuf_addf(sb, "%s ", from);
			say_lines(sb, mt->line_start, mt->line_end);
			verdict_say(sb, ": mentions %s; a mention in the card body does not count", ri.id);
			continue;
		}
		e->anything = 1;
		if (ri.policy_of) {
			judge_policy_match(e, mt, from);
			continue;
		}
		judge_text_match(e, mt, from);
	}
	free(from);
}

/* ---- checkpoints ------------------------------------------------------ */

/* The license value a header declares (lower-cased), or NULL; *other is
 * set for `other` with no name. */
static char *ckpt_value(const struct ckpt_meta *meta, int *other)
{
	const char *lic = meta->license, *name = meta->license_name;

	*other = 0;
	if (lic && (!*lic || card_is_placeholder(lic)))
		lic = NULL;
	if (name && (!*name || card_is_placeholder(name)))
		name = NULL;
	if (lic && str_iequal(lic, "other")) {
		if (name)
			return lower_dup(name);
		*other = 1;
		return NULL;
	}
	if (lic)
		return lower_dup(lic);
	if (name)
		return lower_dup(name);
	return NULL;
}

static void judge_checkpoints(struct eval *e)
{
	const struct model *m = e->m;
	struct strbuf *sb = &e->v->reasoning;
	struct strlist values = STRLIST_INIT;

	/* distinct values in shard order */
	for (size_t i = 0; i < m->nweights; i++) {
		int other;
		char *val = ckpt_value(&m->weights[i].meta, &other);

		if (other) {
			verdict_say(sb, "checkpoint %s declares license: other with no name",
			    m->weights[i].path);
			e->anything = 1;
			e->other_pending = 1;
		}
		if (val)
			strlist_add_unique(&values, val);
		free(val);
	}
	for (size_t k = 0; k < values.n; k++) {
		const char *first = NULL;
		size_t count = 0;
		char *from, *what;

		for (size_t i = 0; i < m->nweights; i++) {
			int other;
			char *val = ckpt_value(&m->weights[i].meta, &other);

			if (val && !strcmp(val, values.v[k])) {
				if (!first)
					first = m->weights[i].path;
				count++;
			}
			free(val);
		}
		from = count > 1 ? xstrfmt("checkpoint %s and %zu more", first, count - 1)
				 : xstrfmt("checkpoint %s", first);
		what = xstrfmt("license: %s", values.v[k]);
		e->anything = 1;
		claim_value(e, values.v[k], what, from, NULL, SIDE_CKPT + (int)k);
		free(from);
		free(what);
	}
	strlist_clear(&values);
}

/* ---- combining -------------------------------------------------------- */

/* A family id the card or a checkpoint gives, refined by members that a
 * file identified: the members' ids stand. */
static void refine_families(struct eval *e)
{
	struct strbuf *sb = &e->v->reasoning;
	size_t n = e->nclaims;

	for (size_t i = 0; i < n; i++) {
		struct claim *c = &e->claims[i];
		int replaced = 0;
		char *family;

		if (c->kind != CLAIM_LICENSE || c->side == SIDE_DETECTED ||
		    !is_family(e->rules, c->id))
			continue;
		family = xstrdup(c->id);
		for (size_t j = 0; j < n; j++) {
			struct claim *d = &e->claims[j];
			struct rule_info ri;

			if (d->kind != CLAIM_LICENSE || d->side != SIDE_DETECTED || !d->rule)
				continue;
			rule_info(d->rule, &ri);
			if (!ri.family || !str_iequal(ri.family, family))
				continue;
			verdict_say(sb, "%s's %s is refined by %s (%s): the member's id stands, no conflict",
			    e->claims[i].from, family, ri.id, d->from);
			if (!replaced) {
				c = &e->claims[i];
				free(c->id);
				c->id = xstrdup(ri.id);
				c->rule = d->rule;
				c->cu = ri.commercial;
				replaced = 1;
			} else {
				char *from = xstrdup(e->claims[i].from);
				int side = e->claims[i].side;

				add_claim(e, CLAIM_LICENSE, ri.id, d->rule, ri.commercial, from, side);
				free(from);
			}
		}
		free(family);
	}
}

/* The ids a side names, sorted; and a label of where it was found. */
static void side_ids(const struct eval *e, int side, struct strlist *ids,
		     struct strlist *froms)
{
	for (size_t i = 0; i < e->nclaims; i++) {
		const struct claim *c = &e->claims[i];

		if (c->kind != CLAIM_LICENSE || c->side != side)
			continue;
		strlist_add_unique(ids, c->id);
		strlist_add_unique(froms, c->from);
	}
	strlist_sort(ids);
}

static int strlist_equal(const struct strlist *a, const struct strlist *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return 0;
	return 1;
}

/*
 * A license whose text includes another's whole text (LGPL-3.0 ships with
 * the GPL-3.0 it supplements; a repo has COPYING and COPYING.LESSER) is one
 * license, not two: the included id is dropped where the including one is
 * named by the same side (the files, the card), as its rule's
 * `incorporates` says.  A card that declares gpl-3.0 beside an LGPL-3.0
 * file still disagrees with it.
 */
static void fold_incorporated(struct eval *e)
{
	size_t out = 0;

	for (size_t i = 0; i < e->nclaims; i++) {
		struct claim *c = &e->claims[i];
		const char *by = NULL;

		for (size_t j = 0; j < e->nclaims && !by && c->kind == CLAIM_LICENSE; j++) {
			struct rule_info ri;

			if (j == i || e->claims[j].kind != CLAIM_LICENSE || !e->claims[j].rule ||
			    e->claims[j].side != c->side)
				continue;
			rule_info(e->claims[j].rule, &ri);
			if (strlist_has(ri.incorporates, c->id))
				by = ri.id;
		}
		if (by) {
			verdict_say(&e->v->reasoning, "%s (%s) is the text %s includes: one license, %s",
			    c->id, c->from, by, by);
			free(c->id);
			free(c->from);
			continue;
		}
		e->claims[out++] = *c;
	}
	e->nclaims = out;
}

/* conflict: two sides (the card, the files and pasted texts, each distinct
 * checkpoint value) name different sets of licenses. */
static void find_conflict(struct eval *e)
{
	int max_side = SIDE_DETECTED;
	struct strlist desc = STRLIST_INIT;
	struct strlist first = STRLIST_INIT;
	int have_first = 0, differ = 0;
	char *line;

	for (size_t i = 0; i < e->nclaims; i++)
		if (e->claims[i].side > max_side)
			max_side = e->claims[i].side;
	for (int side = 0; side <= max_side; side++) {
		struct strlist ids = STRLIST_INIT, froms = STRLIST_INIT;
		char *idl, *froml;

		side_ids(e, side, &ids, &froms);
		if (!ids.n) {
			strlist_clear(&ids);
			strlist_clear(&froms);
			continue;
		}
		if (!have_first) {
			strlist_copy(&first, &ids);
			have_first = 1;
		} else if (!strlist_equal(&first, &ids)) {
			differ = 1;
		}
		idl = strlist_join(&ids, " AND ");
		froml = strlist_join(&froms, ", ");
		strlist_add_nodup(&desc, xstrfmt("%s (%s)", idl, froml));
		free(idl);
		free(froml);
		strlist_clear(&ids);
		strlist_clear(&froms);
	}
	if (differ) {
		line = strlist_join(&desc, " vs ");
		verdict_say(&e->v->reasoning, "sources disagree: %s -> %s (conflict)", line,
		    desc.n == 2 ? "both apply" : "all apply");
		free(line);
		strlist_add_unique(&e->v->review, "conflict");
	} else if (desc.n > 1) {
		verdict_say(&e->v->reasoning, "sources agree");
	}
	strlist_clear(&desc);
	strlist_clear(&first);
}

/*
 * A sentence of the card body that restricts commercial use means the
 * model is never allowed (docs/verdicts.md): one that forbids it or limits use
 * to research makes the verdict not-allowed, one that asks for permission,
 * an agreement or a fee makes it at least conditional.  Returns the
 * verdict after it; card-body-restriction is for the review when it was
 * allowed or conditional before.
 */
static enum commercial say_body_restriction(struct strbuf *sb, const struct model *m,
					    enum commercial cu)
{
	size_t line = m->body_restriction_line;	/* a line of the file */
	enum commercial after = m->body_restriction == RESTRICT_NEEDS_PERMISSION
					? CU_CONDITIONAL : CU_NOT_ALLOWED;

	if (m->body_restriction_quote)
		verdict_say(sb, "card body: %s", m->body_restriction_quote);
	if (cu == CU_ALLOWED)
		verdict_say(sb, BODY_RESTRICTION_LINE " (%s line %zu) while commercial_use is allowed -> %s, never allowed (card-body-restriction)",
		    m->card_name ? m->card_name : "card", line, commercial_name(after));
	else if (cu == CU_UNKNOWN && after == CU_NOT_ALLOWED)
		/* no license says anything; the card itself says what may not
		 * be done, and that is the only word there is */
		verdict_say(sb, BODY_RESTRICTION_LINE " (%s line %zu) and no recognised license says otherwise -> not-allowed (card-body-restriction)",
		    m->card_name ? m->card_name : "card", line);
	else if (cu == CU_CONDITIONAL)
		/* a conditional license keeps its class: a sentence such as the
		 * Stable Diffusion cards' "intended for research purposes only"
		 * sits beside licenses that permit commercial use on conditions */
		verdict_say(sb, BODY_RESTRICTION_LINE " (%s line %zu) while commercial_use is conditional: a reviewer must weigh it (card-body-restriction)",
		    m->card_name ? m->card_name : "card", line);
	else
		verdict_say(sb, BODY_RESTRICTION_LINE " (%s line %zu); commercial_use is %s",
		    m->card_name ? m->card_name : "card", line, commercial_name(cu));
	return cu == CU_ALLOWED || (cu == CU_UNKNOWN && after == CU_NOT_ALLOWED) ? after : cu;
}

/*
 * A card body that names a non-commercial license ("weights released under
 * CC BY-NC 4.0") restricts use as surely as the phrase "non-commercial": a
 * mention is not a license (docs/verdicts.md), but it is a reason to look.
 */
static void body_mentions_restricted(const struct model *m, struct verdict *out,
				     struct strbuf *sb)
{
	for (size_t i = 0; i < m->body_matches.n; i++) {
		const struct match *x = &m->body_matches.v[i];
		struct rule_info ri;

		rule_info(x->rule, &ri);
		if (x->kind != MATCH_MENTION || ri.commercial != CU_NOT_ALLOWED)
			continue;
		out->body_restriction = 1;
		verdict_say(sb, "the card body names %s, a license that does not allow commercial use (%s line %zu)%s",
		    ri.id, m->card_name ? m->card_name : "card", x->line_start,
		    out->commercial == CU_ALLOWED || out->commercial == CU_CONDITIONAL ?
		    " (card-body-restriction)" : "");
		if (out->commercial == CU_ALLOWED || out->commercial == CU_CONDITIONAL)
			strlist_add_unique(&out->review, "card-body-restriction");
		return;
	}
}

void verdict_own(const struct rules *rules, const struct model *m,
		 struct verdict *out)
{
	struct eval e;
	struct cu_acc acc;
	struct strbuf *sb;
	int recognised;

	verdict_init(out);
	memset(&e, 0, sizeof(e));
	memset(&acc, 0, sizeof(acc));
	e.rules = rules;
	e.m = m;
	e.v = out;
	sb = &out->reasoning;

	judge_card(&e);
	judge_files(&e);
	judge_body(&e);
	judge_checkpoints(&e);
	judge_gating(&e);

	if (e.other_pending) {
		if (has_license_claim(&e, SIDE_DETECTED))
			verdict_say(sb, "license: other is identified by the license file(s)");
		else {
			verdict_say(sb, "license: other is not identified by a name, link or license file (custom-license)");
			e.custom = 1;
		}
	}
	fold_incorporated(&e);
	refine_families(&e);
	find_conflict(&e);

	/* the effective license: every recognised id */
	for (size_t i = 0; i < e.nclaims; i++) {
		const struct claim *c = &e.claims[i];

		if (c->kind != CLAIM_LICENSE)
			continue;
		strlist_add_unique(&out->licenses, c->id);
		if (c->side == SIDE_DETECTED)
			strlist_add_unique(&out->detected, c->id);
	}
	recognised = out->licenses.n > 0;
	if (!recognised)
		strlist_copy(&out->licenses, &e.customs);
	strlist_sort_unique(&out->licenses);
	strlist_sort_unique(&out->detected);
	strlist_sort_unique(&out->declared);

	/* commercial_use: the most restrictive recognised source */
	for (size_t i = 0; i < e.nclaims; i++) {
		const struct claim *c = &e.claims[i];

		cu_add(&acc, c->cu, c->id, c->from);
		if (c->rule)
			verdict_rule_conditions(rules, c->rule, &out->conditions);
	}
	strlist_copy(&out->conditions, &e.extra_conditions);
	strlist_sort_unique(&out->conditions);
	if (recognised) {
		char *l = strlist_join(&out->licenses, " AND ");

		out->commercial = cu_result(&acc);
		verdict_say(sb, "license: %s", l);
		free(l);
		cu_say(sb, "commercial_use", &acc, out->commercial);
	} else {
		out->commercial = CU_UNKNOWN;
		if (out->licenses.n) {
			char *l = strlist_join(&out->licenses, " AND ");

			verdict_say(sb, "license: %s (no rule knows it)", l);
			free(l);
		} else {
			verdict_say(sb, "license: unknown (no source is recognised)");
		}
		verdict_say(sb, "commercial_use: unknown (no license identified)");
	}

	/* review */
	if (e.unrecognized)
		strlist_add_unique(&out->review, "unrecognized-text");
	if (e.custom)
		strlist_add_unique(&out->review, "custom-license");
	if (e.modified)
		strlist_add_unique(&out->review, "modified-text");
	if (!e.anything) {
		verdict_say(sb, "no license evidence at all: no card license, license file or checkpoint metadata (no-license)");
		strlist_add_unique(&out->review, "no-license");
	}
	if (m->body_restriction) {
		enum commercial after = say_body_restriction(sb, m, out->commercial);

		out->body_restriction = VERDICT_BODY_RESTRICTS;
		if (m->body_restriction != RESTRICT_NEEDS_PERMISSION)
			out->body_restriction |= VERDICT_BODY_FORBIDS;
		if (out->commercial != CU_NOT_ALLOWED || after != out->commercial)
			strlist_add_unique(&out->review, "card-body-restriction");
		if (after != out->commercial)
			out->body_restriction |= VERDICT_BODY_LOWERED;
		out->commercial = after;
	}
	body_mentions_restricted(m, out, sb);
	strlist_sort_unique(&out->review);

	strlist_clear(&acc.said);
	eval_release(&e);
}
