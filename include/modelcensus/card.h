/*
 * card.h: a model card's YAML front matter, extracted the way the Hugging
 * Face Hub does it and parsed with libyaml.
 *
 * card.c owns: finding the front matter in a README (optional UTF-8 BOM and
 * blank lines, then a line "---", up to the next "---" line; CRLF and lone CR
 * folded), loading it with libyaml under hard caps (see CARD_MAX_*), and
 * reading the keys docs/verdicts.md names into a struct card.  Every scalar stays
 * a string: `no`, `on` and `1.0` are not booleans or numbers here.  It never
 * reads files, maps ids through rules, or decides anything.
 */
#ifndef MODELCENSUS_CARD_H
#define MODELCENSUS_CARD_H

#include <stddef.h>
#include "util.h"

/*
 * Caps on what a front matter may cost.  A document that exceeds one is
 * recorded as an error on the card (and the rest of the model is still
 * read): this is what stops alias bombs and absurd nesting.
 */
#define CARD_MAX_DEPTH 64		/* nesting of mappings and sequences */
#define CARD_MAX_EVENTS 2000000		/* libyaml events for one document */
#define CARD_MAX_ALIAS_EXPANSION 10000	/* nodes reached through aliases */

struct card {
	int has_front_matter;	/* a front matter block was found */
	int is_dataset;		/* dataset_info or configs: a dataset card */

	/*
	 * `license` (also the `licence` and `licenses` spellings): every
	 * value as written, trimmed, lower-cased, in order.  Placeholders
	 * (`[More Information Needed]`, `license`, `unknown`, empty) are
	 * dropped here, so an empty list means "declares nothing".
	 * `other` is kept: the caller replaces it with license_name.
	 */
	struct strlist licenses;
	char *license_name;	/* trimmed; NULL when absent or a placeholder */
	char *license_link;	/* trimmed; NULL when absent */
	struct strlist license_tags;	/* ids from `license:<id>` tags, lower-cased */

	/* base_model (string or list); URLs of the Hub read as org/name */
	struct strlist base_models;
	char *base_model_relation;

	/* gating: `gated` as written, and whether extra_gated_* is present */
	char *gated;
	int has_extra_gated_prompt;
	int has_extra_gated_fields;
	int has_extra_gated_other;	/* any other extra_gated_* key with a value */

	/* what export's ML-BOM says of the model: `pipeline_tag` (the
	 * task) and the `datasets` it was trained on, as written, trimmed */
	char *pipeline_tag;
	struct strlist datasets;

	/* the body below the front matter (the whole text when there is
	 * none), pointing into the text given to card_parse() */
	const char *body;
	size_t body_len;
	size_t body_line;	/* 1-based line of the file where body starts */

	/* NULL, or why the front matter could not be read (libyaml's
	 * message with line and column, or the cap that was hit) */
	char *error;
};

/*
 * Parses text (len bytes; need not be NUL-terminated) into *card, which the
 * caller owns afterwards and releases with card_release().  Never fails: a
 * problem is recorded in card->error and what could be read is kept.
 */
void card_parse(struct card *card, const char *text, size_t len);
void card_release(struct card *card);

/*
 * The declared license values of the card in the sense of labels.tsv:
 * lower-cased license values with `other` replaced by license_name (when
 * present; `other` with no name is dropped), placeholders dropped.  Adds
 * to out in card order; the caller sorts if it wants to.
 */
void card_declared_values(const struct card *card, struct strlist *out);

/* The files a card is read from, in order of preference (docs/verdicts.md):
 * README.md, then the others in any case. */
#define CARD_FILE_COUNT 5
extern const char *const card_file_names[CARD_FILE_COUNT];
/* Is name one of them (any case)? */
int card_is_file_name(const char *name);

/* Does text open with a "---" line (after an optional UTF-8 BOM and blank
 * lines)?  The cheap test by which the walker and the reader find a card;
 * card_parse() decides whether the block is also closed. */
int card_opens_front_matter(const char *text, size_t len);

/* Does the card name a license: an id other than a bare `other`, a
 * license_name or a `license:<id>` tag? */
int card_declares_license(const struct card *c);

/* Is value a placeholder meaning "nothing declared"? (case-insensitive) */
int card_is_placeholder(const char *value);

/* A base_model value as the model id it names (hub_id_parse(): an id or a
 * Hub model URL), else as written, trimmed; a new string either way. */
char *card_normalize_model_ref(const char *id);

#endif
