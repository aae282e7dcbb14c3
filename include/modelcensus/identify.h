/*
 * identify.h: the identify stage of the pipeline.  identify.c runs a
 * thread's matcher over every licensing file a model's reader read and
 * over the card body (pasted license texts and restriction phrases), and
 * stores the matches in the model.  It reads nothing from disk.
 */
#ifndef MODELCENSUS_IDENTIFY_H
#define MODELCENSUS_IDENTIFY_H

#include "model.h"
#include "match.h"

/* Fills each file's matches, m->body_matches and m->body_restriction.
 * A rule that fails on a file (a PCRE2 limit) is recorded as that file's
 * error; the other rules' matches are kept. */
void identify_model(struct matcher *mt, struct model *m);

#endif
