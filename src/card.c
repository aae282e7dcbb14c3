/* card.c: placeholder until the card parser lands (see card.h). */
#include <stdlib.h>
#include <string.h>
#include "modelcensus/card.h"
void card_parse(struct card *card, const char *text, size_t len) { memset(card, 0, sizeof(*card)); card->body = text; card->body_len = len; card->body_line = 1; }
void card_release(struct card *card) { strlist_clear(&card->licenses); }
void card_declared_values(const struct card *card, struct strlist *out) { (void)card; (void)out; }
