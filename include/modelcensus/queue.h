/*
 * queue.h: the bounded queue between pipeline stages (walker -> workers ->
 * writer), after git grep's ring buffer: a fixed number of slots, so a fast
 * producer waits instead of growing memory with the number of models.
 * Any number of producers and consumers; queue_close() wakes every waiter.
 */
#ifndef MODELCENSUS_QUEUE_H
#define MODELCENSUS_QUEUE_H

#include <pthread.h>
#include <stddef.h>

struct queue {
	pthread_mutex_t lock;	/* guards every field below */
	pthread_cond_t not_empty, not_full;
	void **slots;
	size_t cap, head, len;
	int closed;
};

void queue_init(struct queue *q, size_t cap);
void queue_destroy(struct queue *q);
/* Blocks while full; returns -1 (item not taken) once the queue is closed. */
int queue_push(struct queue *q, void *item);
/* Blocks while empty; returns NULL once the queue is closed and drained. */
void *queue_pop(struct queue *q);
/* No more pushes: consumers drain what is left, then get NULL. */
void queue_close(struct queue *q);

#endif
