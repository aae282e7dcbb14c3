/*
 * lineage.c: a model's final verdict from its own and its base models'
 * (lineage_final), and the lineage pass over the inventory
 * (lineage_update); lineage.h.
 *
 * Owns: the walk through base models, each resolved through the caller's
 * look-up (the inventory), else by a rule's base-model pattern, else by a
 * family its name carries (families.yaml); the bases the card's text names
 * (derive.h), resolved the same way, and the review `inherited` that such
 * weaker evidence always sets; cycles (each
 * model counted once, ids compared ignoring case) and depth (LINEAGE_DEPTH);
 * joining the bases' licenses, conditions and commercial_use with the
 * model's own.  The pass reads and writes only through the store's API and
 * holds at most LINEAGE_PAGE rows.  Deciding a model from its own evidence
 * is verdict.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "modelcensus/lineage.h"
#include "modelcensus/banned.h"

struct lineage {
	const struct rules *rules;
	const char *model_id;
	lineage_lookup_fn lookup;
	void *ctx;
	const struct strlist *own;	/* the model's own license ids */
	struct strlist visited;		/* lower-cased ids */
	struct strlist path;		/* the chain being walked */
	struct strlist ids;		/* recognised ids the bases give */
	struct strlist conditions;
	struct cu_acc acc;
	struct strbuf *sb;
	int weak;			/* bases resolved by weaker evidence */
	struct strlist weak_ids;	/* those bases */
};

static int visited_add(struct lineage *l, const char *id)
{
	char *low = str_trim(xstrdup(id));
	int added;

	str_lower(low);
	added = strlist_add_unique(&l->visited, low);
	free(low);
	return added;
}

static void say_chain(struct lineage *l)
{
	char *chain;

	if (l->path.n < 3)
		return;
	chain = strlist_join(&l->path, " -> ");
	verdict_say(l->sb, "chain: %s", chain);
	free(chain);
}

/*
 * The family the name of base id carries: its name after "org/"; for a
 * local path (the folder a base was loaded from:
 * "/kaggle/input/llama-3.1/transformers/8b-instruct/2"), the last of its
 * folders that names one with its version (a folder named for an org,
 * "meta-llama", says no version).  Never an org's name ("meta-llama/x").
 */
static int family_of_base(const struct rules *rules, const char *id, struct rule_family *f)
{
	const char *end = id + strlen(id), *name = strrchr(id, '/');
	int local = *id == '/' || *id == '.' || *id == '~' ||
		    (name && memchr(id, '/', (size_t)(name - id)));

	name = name ? name + 1 : id;
	if (rules_family_of(rules, name, (size_t)(end - name), NULL, f))
		return 1;
	while (local && name > id) {
		end = name - 1;		/* the '/' before the folder tried */
		for (name = end; name > id && name[-1] != '/'; name--)
			;
		if (end > name && rules_family_of(rules, name, (size_t)(end - name), NULL, f) &&
		    !f->unless->n)	/* unversioned: "llama" */
			return 1;
	}
	return 0;
}

/* Weaker evidence: a base that only its name ties to a family of
 * families.yaml (inferred from the base model's name). */
static int base_by_family(struct lineage *l, const char *id, const char *why,
			  const char *how)
{
	struct rule_family f;
	enum commercial cu = CU_UNKNOWN;
	char *lic;

	if (!family_of_base(l->rules, id, &f)) {
		verdict_say(l->sb, "base model %s: %s and no rule claims it", id, why);
		return 0;
	}
	/* an unversioned name ("llama") yields to a member of its family
	 * that binds the model already (a versioned base or its own license) */
	for (size_t k = 0; k < f.unless->n; k++) {
		if (strlist_has(&l->ids, f.unless->v[k]) || strlist_has(l->own, f.unless->v[k])) {
			verdict_say(l->sb, "base model %s: %s; family '%s' (families.yaml line %zu) yields to %s, which binds the model already",
			    id, why, f.pattern, f.line, f.unless->v[k]);
			return 0;
		}
	}
	for (size_t k = 0; k < f.rules->n; k++) {
		const struct rule *r = rules_by_id(l->rules, f.rules->v[k]);
		struct rule_info ri;

		if (!r)
			continue;
		rule_info(r, &ri);
		strlist_add_unique(&l->ids, ri.id);
		verdict_rule_conditions(l->rules, r, &l->conditions);
		cu = cu_max(cu, ri.commercial);
	}
	lic = strlist_join(f.rules, " AND ");
	verdict_say(l->sb, "base model %s: %s; %s: family '%s' (families.yaml line %zu) is %s (commercial_use %s; weaker evidence: inherited)",
	    id, why, how, f.pattern, f.line, lic, commercial_name(cu));
	cu_add(&l->acc, cu, lic, id);
	free(lic);
	l->weak++;
	return 1;
}

/* A base resolved by a rule's base-model pattern, else by its name. */
static int base_by_rule(struct lineage *l, const char *id, const char *why)
{
	const struct rule *r = rules_by_base_model(l->rules, id);
	struct rule_info ri;

	if (!r)
		return base_by_family(l, id, why, "inferred from the base model's name");
	rule_info(r, &ri);
	verdict_say(l->sb, "base model %s: %s; rule %s claims it by pattern (commercial_use %s)",
	    id, why, ri.id, commercial_name(ri.commercial));
	strlist_add_unique(&l->ids, ri.id);
	verdict_rule_conditions(l->rules, r, &l->conditions);
	cu_add(&l->acc, ri.commercial, ri.id, id);
	return 1;
}

static void walk_bases(struct lineage *l, const struct strlist *bases, int text);

/* One base: a base_model id (text 0) or a base the card's text names
 * (text 1: a Hub id or a family name, always weaker evidence). */
static void walk_base(struct lineage *l, const char *id, int text)
{
	struct verdict bv;
	struct strlist bb = STRLIST_INIT, bt = STRLIST_INIT;
	int found = 0, weak = l->weak;

	if (!*id)
		return;
	if (l->model_id && str_iequal(id, l->model_id)) {
		verdict_say(l->sb, "base model %s is the model itself: ignored", id);
		return;
	}
	if (!visited_add(l, id)) {
		verdict_say(l->sb, "base model %s: already counted (cycle or shared base, cut here)", id);
		return;
	}
	if (l->path.n > LINEAGE_DEPTH) {
		verdict_say(l->sb, "base model %s: lineage deeper than %d models, cut here",
		    id, LINEAGE_DEPTH);
		return;
	}
	strlist_add(&l->path, id);
	verdict_init(&bv);
	if (text && !strchr(id, '/')) {
		base_by_family(l, id, "named in the card text",
			       "inferred from a card sentence saying the model derives from it");
		goto next;
	}
	if (l->lookup)
		found = l->lookup(l->ctx, id, &bv, &bb, &bt);
	if (found) {
		struct strlist rec = STRLIST_INIT;

		for (size_t k = 0; k < bv.licenses.n; k++)
			if (verdict_id_recognised(l->rules, bv.licenses.v[k]))
				strlist_add_unique(&rec, bv.licenses.v[k]);
		if (rec.n) {
			char *lic = strlist_join(&rec, " AND ");

			verdict_say(l->sb, "base model %s: %sin the inventory: license %s, commercial_use %s",
			    id, text ? "named in the card text, " : "", lic,
			    commercial_name(bv.commercial));
			for (size_t k = 0; k < rec.n; k++)
				strlist_add_unique(&l->ids, rec.v[k]);
			strlist_copy(&l->conditions, &bv.conditions);
			cu_add(&l->acc, bv.commercial, lic, id);
			if (text)
				l->weak++;
			free(lic);
		} else if (base_by_rule(l, id, text ? "named in the card text, in the inventory with no recognised license" :
							  "in the inventory with no recognised license") &&
			   text && l->weak == weak) {
			l->weak++;	/* from the text: weaker, however resolved */
		}
		strlist_clear(&rec);
	} else if (base_by_rule(l, id, text ? "named in the card text, not in the inventory" :
					  "not in the inventory") &&
		   text && l->weak == weak) {
		l->weak++;
	}
next:
	if (l->weak > weak)
		strlist_add_unique(&l->weak_ids, id);
	if (bb.n || bt.n) {
		walk_bases(l, &bb, 0);
		walk_bases(l, &bt, 1);
	} else {
		say_chain(l);
	}
	free(l->path.v[--l->path.n]);
	verdict_release(&bv);
	strlist_clear(&bb);
	strlist_clear(&bt);
}

static void walk_bases(struct lineage *l, const struct strlist *bases, int text)
{
	for (size_t i = 0; bases && i < bases->n; i++)
		walk_base(l, bases->v[i], text);
}

/* Did the model's own card body restrict commercial use?  A verdict read
 * back from the store keeps the flag (own_body_restriction) and the review. */
static int own_body_restriction(const struct verdict *own)
{
	return own->body_restriction ||
	       strlist_has(&own->review, "card-body-restriction");
}

static void strlist_remove(struct strlist *l, const char *s)
{
	size_t out = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i], s))
			free(l->v[i]);
		else
			l->v[out++] = l->v[i];
	}
	l->n = out;
}

void lineage_final(const struct rules *rules, const char *model_id,
		   const struct verdict *own, const struct strlist *base_models,
		   const struct strlist *text_bases,
		   lineage_lookup_fn lookup, void *ctx, struct verdict *out)
{
	struct lineage l;
	struct strlist own_rec = STRLIST_INIT;
	enum commercial own_cu = CU_UNKNOWN, base_cu, final;
	int body, lowered;

	verdict_copy(out, own);
	if ((!base_models || !base_models->n) && (!text_bases || !text_bases->n))
		return;

	memset(&l, 0, sizeof(l));
	l.rules = rules;
	l.model_id = model_id;
	l.lookup = lookup;
	l.ctx = ctx;
	l.own = &own->licenses;
	l.sb = &out->reasoning;
	strlist_add(&l.path, model_id ? model_id : "this model");
	if (model_id)
		visited_add(&l, model_id);

	walk_bases(&l, base_models, 0);
	walk_bases(&l, text_bases, 1);
	base_cu = cu_result(&l.acc);

	for (size_t k = 0; k < own->licenses.n; k++)
		if (verdict_id_recognised(rules, own->licenses.v[k]))
			strlist_add_unique(&own_rec, own->licenses.v[k]);
	if (own_rec.n)
		own_cu = own->commercial;

	if (!l.ids.n) {
		verdict_say(l.sb, "lineage: no base model resolves; the verdict is the model's own");
		goto done;
	}

	/* the effective license: own recognised ids and the bases' */
	strlist_clear(&out->licenses);
	strlist_copy(&out->licenses, &own_rec);
	strlist_copy(&out->licenses, &l.ids);
	strlist_sort_unique(&out->licenses);
	strlist_copy(&out->conditions, &l.conditions);
	strlist_sort_unique(&out->conditions);
	strlist_remove(&out->review, "no-license");

	if (own_rec.n) {
		char *lic = strlist_join(&own_rec, " AND ");

		cu_add(&l.acc, own_cu, lic, "own sources");
		free(lic);
	}
	final = cu_result(&l.acc);
	out->commercial = final;
	{
		char *lic = strlist_join(&out->licenses, " AND ");

		verdict_say(l.sb, "license with lineage: %s (a base model that differs from the card binds the model too; not a conflict)", lic);
		free(lic);
	}
	cu_say(l.sb, "commercial_use with lineage", &l.acc, final);

	if (!own_rec.n) {
		verdict_say(l.sb, "the model has no recognised source of its own: it takes its base's verdict (inherited)");
		strlist_add_unique(&out->review, "inherited");
	} else if (base_cu != CU_UNKNOWN && cu_max(base_cu, own_cu) != own_cu) {
		verdict_say(l.sb, "a base model is more restrictive (%s) than the model's own sources (%s) (inherited)",
		    commercial_name(base_cu), commercial_name(own_cu));
		strlist_add_unique(&out->review, "inherited");
	}
	if (l.weak) {
		char *w = strlist_join(&l.weak_ids, ", ");

		verdict_say(l.sb, "lineage rests on weaker evidence (%s: a base named in the card text or known only by its name) (inherited)", w);
		strlist_add_unique(&out->review, "inherited");
		free(w);
	}

	body = own_body_restriction(own);
	lowered = body && final == CU_ALLOWED;
	if (lowered) {
		/* the model's own body restricts what its base allows */
		final = own->body_restriction & VERDICT_BODY_FORBIDS ? CU_NOT_ALLOWED : CU_CONDITIONAL;
		out->commercial = final;
		verdict_say(l.sb, "the card body restricts commercial use: %s, never allowed",
		    commercial_name(final));
	}
	strlist_remove(&out->review, "card-body-restriction");
	if (body && (lowered || final == CU_CONDITIONAL || own->commercial == CU_CONDITIONAL ||
		     (own->body_restriction & VERDICT_BODY_LOWERED))) {
		verdict_say(l.sb, "the card body restricts commercial use while commercial_use with lineage is %s (card-body-restriction)",
		    commercial_name(final));
		strlist_add_unique(&out->review, "card-body-restriction");
	}
	strlist_sort_unique(&out->review);

done:
	strlist_clear(&own_rec);
	strlist_clear(&l.visited);
	strlist_clear(&l.path);
	strlist_clear(&l.ids);
	strlist_clear(&l.conditions);
	strlist_clear(&l.weak_ids);
	strlist_clear(&l.acc.said);
}

/* ---- the pass over the inventory ------------------------------------------ */

struct lookup_ctx {
	struct store *st;
	struct mc_error *err;
	int failed;
};

/* lineage_lookup_fn over the store. */
static int lookup(void *ctx, const char *model_id, struct verdict *own,
		  struct strlist *bases, struct strlist *text_bases)
{
	struct lookup_ctx *c = ctx;
	int rc = store_lineage_lookup(c->st, model_id, own, bases, text_bases, c->err);

	if (rc < 0)
		c->failed = 1;
	return rc > 0;
}

int lineage_update(struct store *st, const struct rules *rules,
		   struct mc_error *err)
{
	struct lookup_ctx ctx = { st, err, 0 };
	int64_t after = 0;
	int rc = 0, done = 0, pending;

	if (store_lineage_pending(st, &pending, err) < 0)
		return -1;
	if (!pending)
		return 0;	/* nothing changed since the last pass */
	while (!rc && !done) {
		struct lineage_rows rows = { 0 };

		rc = store_lineage_page(st, after, LINEAGE_PAGE, &rows, err);
		done = !rows.n;
		for (size_t i = 0; i < rows.n && !rc; i++) {
			const struct lineage_row *r = &rows.v[i];
			struct verdict final;

			verdict_init(&final);
			lineage_final(rules, r->model_id, &r->own, &r->base_models,
				      &r->text_bases, lookup, &ctx, &final);
			rc = ctx.failed ? -1 : store_set_final(st, r->rowid, &final, err);
			verdict_release(&final);
			after = r->rowid;
		}
		lineage_rows_clear(&rows);
	}
	if (rc < 0 || store_lineage_done(st, err) < 0)
		return -1;
	return 1;
}
