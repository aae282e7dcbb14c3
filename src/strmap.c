/*
 * strmap.c: string -> uint64 hash map with linear probing (strmap.h).  The
 * table doubles when half full, so probes stay short; each slot keeps its
 * key's hash, so a probe past another key and a doubling never touch the
 * keys themselves.
 */
#include <stdlib.h>
#include <string.h>

#include "modelcensus/strmap.h"
#include "modelcensus/util.h"
#include "modelcensus/banned.h"

/* A key's hash: util.c's hash_bytes, over the key folded to lower case
 * when the map ignores case. */
static uint64_t key_hash(const struct strmap *m, const char *key)
{
	char small[256], *folded;
	size_t n = strlen(key);
	uint64_t h;

	if (!m->icase)
		return hash_bytes(HASH_SEED, key, n);
	folded = n < sizeof(small) ? small : xmalloc(n + 1);
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)key[i];

		folded[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	h = hash_bytes(HASH_SEED, folded, n);
	if (folded != small)
		free(folded);
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

/* The slot of key (hash h): its own, or the empty one it would take. */
static struct strmap_slot *find(const struct strmap *m, const char *key, uint64_t h)
{
	size_t j = h & (m->cap - 1);

	while (m->slots[j].key &&
	       (m->slots[j].hash != h || !same(m, m->slots[j].key, key)))
		j = (j + 1) & (m->cap - 1);
	return &m->slots[j];
}

static void grow(struct strmap *m)
{
	struct strmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < old.cap; i++) {
		size_t j = old.slots[i].hash & (m->cap - 1);

		if (!old.slots[i].key)
			continue;
		while (m->slots[j].key)	/* keys are distinct: the first free */
			j = (j + 1) & (m->cap - 1);
		m->slots[j] = old.slots[i];
	}
	free(old.slots);
}

int strmap_put(struct strmap *m, const char *key, uint64_t value, int keep_first)
{
	uint64_t h = key_hash(m, key);
	struct strmap_slot *s;

	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	s = find(m, key, h);
	if (s->key) {
		if (!keep_first)
			s->value = value;
		return 1;
	}
	s->key = xstrdup(key);
	s->hash = h;
	s->value = value;
	m->n++;
	return 0;
}

int strmap_get(const struct strmap *m, const char *key, uint64_t *value)
{
	const struct strmap_slot *s;

	if (!m->cap)
		return 0;
	s = find(m, key, key_hash(m, key));
	if (!s->key)
		return 0;
	*value = s->value;
	return 1;
}
