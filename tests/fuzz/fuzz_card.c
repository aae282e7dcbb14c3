/*
 * fuzz_card.c: libFuzzer target for the model-card reader (card.h): the
 * input is a README as read from disk (any bytes, not NUL-terminated), fed
 * to card_parse(), then to card_declared_values() and, as one line of text,
 * to card_normalize_model_ref() and card_is_placeholder().
 *
 * Besides what the sanitizers catch, it checks what card.h promises: the
 * body points into the text given, license values are trimmed, lower-cased
 * and never placeholders, and so are license tags.  The input is handed over
 * exactly as libFuzzer gives it (no NUL after it), so a read past the end
 * is an AddressSanitizer report.
 */
#include "fuzz.h"

#include "modelcensus/card.h"
#include "modelcensus/util.h"
#include "modelcensus/banned.h"

static int fuzz_card_init(void)
{
	return 0;
}

static void fuzz_card_check_values(const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		FUZZ_CHECK(l->v[i] != NULL);
		FUZZ_CHECK(!fuzz_has_upper(l->v[i]));
		FUZZ_CHECK(!fuzz_untrimmed(l->v[i]));
		FUZZ_CHECK(!card_is_placeholder(l->v[i]));
	}
}

static int fuzz_card_one(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct card card;
	struct strlist declared = STRLIST_INIT;
	char *line, *ref;
	size_t n;

	card_parse(&card, text, size);

	/* the body is a part of the text given (or "" for no text) */
	FUZZ_CHECK(card.body != NULL);
	if (size) {
		FUZZ_CHECK(card.body >= text && card.body <= text + size);
		FUZZ_CHECK(card.body_len == (size_t)(text + size - card.body));
	}
	FUZZ_CHECK(card.body_line >= 1 && card.body_line <= size + 1);
	/* no front matter, no values (an error may say why there is none) */
	if (!card.has_front_matter)
		FUZZ_CHECK(!card.licenses.n && !card.license_name && !card.base_models.n);

	fuzz_card_check_values(&card.licenses);
	fuzz_card_check_values(&card.license_tags);
	if (card.license_name)
		FUZZ_CHECK(!fuzz_untrimmed(card.license_name) && *card.license_name);
	if (card.license_link)
		FUZZ_CHECK(!fuzz_untrimmed(card.license_link) && *card.license_link);
	for (size_t i = 0; i < card.base_models.n; i++)
		FUZZ_CHECK(!card_is_placeholder(card.base_models.v[i]));
	if (card.error)
		FUZZ_CHECK(strlen(card.error) > 0);

	card_declared_values(&card, &declared);
	for (size_t i = 0; i < declared.n; i++) {
		FUZZ_CHECK(!card_is_placeholder(declared.v[i]));
		/* `other` is replaced by license_name, when there is one */
		if (!strcmp(declared.v[i], "other"))
			FUZZ_CHECK(!card.license_name || str_iequal(card.license_name, "other"));
	}
	strlist_clear(&declared);
	card_release(&card);

	/* the first line of the input as a model reference */
	for (n = 0; n < size && text[n] != '\n' && text[n] != '\0'; n++)
		;
	line = xstrndup(text, n);
	ref = card_normalize_model_ref(line);
	/* trimmed, also for a Hub URL whose path starts with white space
	 * (regressions/card/untrimmed-model-ref) */
	FUZZ_CHECK(ref != NULL);
	FUZZ_CHECK(!fuzz_untrimmed(ref));
	(void)card_is_placeholder(line);
	free(ref);
	free(line);
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return fuzz_card_init();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_card_one(data, size);
}
#endif
