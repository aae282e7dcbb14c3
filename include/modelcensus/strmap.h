/*
 * strmap.h: a string -> uint64 hash map (open addressing, util.h's
 * hash_bytes()), used to index models by path or by model id.  Keys are
 * copied.  Not thread-safe: build it first, then share it read-only.
 */
#ifndef MODELCENSUS_STRMAP_H
#define MODELCENSUS_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap {
	struct strmap_slot {
		char *key;
		uint64_t hash;	/* of key: probes and growth look at this first */
		uint64_t value;
	} *slots;
	size_t cap, n;
	int icase;		/* keys compare ASCII case-insensitively */
};

void strmap_init(struct strmap *m, int icase);
void strmap_clear(struct strmap *m);
/* Sets key's value; returns 0 when it was new, 1 when it existed (and
 * keep_first leaves the old value). */
int strmap_put(struct strmap *m, const char *key, uint64_t value, int keep_first);
/* 1 and *value when key is present, else 0. */
int strmap_get(const struct strmap *m, const char *key, uint64_t *value);

#endif
