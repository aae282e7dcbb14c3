/*
 * strmap.c: string -> uint64 hash map with linear probing (strmap.h).  The
 * table doubles when half full, so probes stay short.
 */
#include <stdlib.h>
#include <string.h>

#include "modelcensus/strmap.h"
#include "modelcensus/util.h"
#include "modelcensus/banned.h"

uint64_t fnv1a64(const char *s, int icase)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (icase && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 1099511628211ull;
	}
	return h;
}

void strmap_init(struct strmap *m, int icase)
{
	memset(m, 0, sizeof(*m));
	m->icase = icase;
}

void strmap_clear(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	strmap_init(m, m->icase);
}

static int same(const struct strmap *m, const char *a, const char *b)
{
	return m->icase ? str_iequal(a, b) : !strcmp(a, b);
}

static struct strmap_slot *find(const struct strmap *m, const char *key)
{
	size_t j = fnv1a64(key, m->icase) & (m->cap - 1);

	while (m->slots[j].key && !same(m, m->slots[j].key, key))
		j = (j + 1) & (m->cap - 1);
	return &m->slots[j];
}

static void grow(struct strmap *m)
{
	struct strmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key) = old.slots[i];
	free(old.slots);
}

int strmap_put(struct strmap *m, const char *key, uint64_t value, int keep_first)
{
	struct strmap_slot *s;

	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	s = find(m, key);
	if (s->key) {
		if (!keep_first)
			s->value = value;
		return 1;
	}
	s->key = xstrdup(key);
	s->value = value;
	m->n++;
	return 0;
}

int strmap_get(const struct strmap *m, const char *key, uint64_t *value)
{
	const struct strmap_slot *s;

	if (!m->cap)
		return 0;
	s = find(m, key);
	if (!s->key)
		return 0;
	*value = s->value;
	return 1;
}
