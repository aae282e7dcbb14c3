/* match.c: placeholder until the rule engine lands (see match.h). */
#include <stdlib.h>
#include "modelcensus/match.h"
void match_list_clear(struct match_list *l) { free(l->v); l->v = NULL; l->n = l->alloc = 0; }
