/*
 * identify.c: the identify stage (identify.h): every licensing file read,
 * then the card body, through the thread's matcher.
 */
#include <stdlib.h>

#include "modelcensus/identify.h"
#include "modelcensus/banned.h"

void identify_model(struct matcher *mt, struct model *m)
{
	struct mc_error err;

	for (size_t i = 0; i < m->nfiles; i++) {
		struct model_file *f = &m->files[i];

		if (!f->data)
			continue;
		if (match_text(mt, f->data, f->len, &f->matches, &err) < 0) {
			if (!f->error)
				f->error = xstrdup(err.msg);
			model_set_error(m, "'%s': %s", f->name, err.msg);
		}
		if (!match_restriction_last(mt, &f->restriction_line))
			f->restriction_line = 0;
	}
	if (m->has_card && m->card.body_len) {
		size_t line;

		if (match_text(mt, m->card.body, m->card.body_len,
			       &m->body_matches, &err) < 0)
			model_set_error(m, "card body: %s", err.msg);
		/* lines of the body are counted from the file's first line */
		for (size_t i = 0; i < m->body_matches.n; i++) {
			struct match *x = &m->body_matches.v[i];
			size_t off = m->card.body_line - 1;

			x->line_start += off;
			x->line_end += off;
			if (x->added_start) {
				x->added_start += off;
				x->added_end += off;
			}
		}
		if (match_restriction_last(mt, &line)) {
			m->body_restriction = 1;
			m->body_restriction_line = line + m->card.body_line - 1;
		}
	}
}
