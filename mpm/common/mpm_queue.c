/* mpm_queue.c -- bounded FIFO with a mutex and condition variables. */
#include "mpm_queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct mpm_queue {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full, idle_cond;
    struct mpm_queue_item *ring;
    int capacity, head, count;
    int waiting;   /* workers blocked in pop() */
    int closed;
};

mpm_queue *mpm_queue_create(int capacity)
{
    if (capacity < 1)
        capacity = 1;
    mpm_queue *q = calloc(1, sizeof(*q));
    if (q == NULL)
        return NULL;
    q->ring = calloc((size_t)capacity, sizeof(*q->ring));
    if (q->ring == NULL) {
        free(q);
        return NULL;
    }
    q->capacity = capacity;
    pthread_mutex_init(&q->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&q->not_empty, &ca);
    pthread_cond_init(&q->not_full, &ca);
    pthread_cond_init(&q->idle_cond, &ca);
    pthread_condattr_destroy(&ca);
    return q;
}

void mpm_queue_destroy(mpm_queue *q)
{
    if (q == NULL)
        return;
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->not_empty);
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->idle_cond);
    free(q->ring);
    free(q);
}

static void put(mpm_queue *q, const struct mpm_queue_item *item)
{
    q->ring[(q->head + q->count) % q->capacity] = *item;
    q->count++;
    pthread_cond_signal(&q->not_empty);
}

int mpm_queue_push(mpm_queue *q, const struct mpm_queue_item *item)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == q->capacity && !q->closed)
        pthread_cond_wait(&q->not_full, &q->lock);
    int rc = -1;
    if (!q->closed) {
        put(q, item);
        rc = 0;
    }
    pthread_mutex_unlock(&q->lock);
    return rc;
}

int mpm_queue_push_batch(mpm_queue *q, const struct mpm_queue_item *items,
                         int n)
{
    int done = 0;
    pthread_mutex_lock(&q->lock);
    while (done < n) {
        while (q->count == q->capacity && !q->closed)
            pthread_cond_wait(&q->not_full, &q->lock);
        if (q->closed)
            break;
        put(q, &items[done]);
        done++;
    }
    pthread_mutex_unlock(&q->lock);
    return done;
}

int mpm_queue_trypush(mpm_queue *q, const struct mpm_queue_item *item)
{
    pthread_mutex_lock(&q->lock);
    int rc = -1;
    if (!q->closed && q->count < q->capacity) {
        put(q, item);
        rc = 0;
    }
    pthread_mutex_unlock(&q->lock);
    return rc;
}

int mpm_queue_pop(mpm_queue *q, struct mpm_queue_item *item)
{
    pthread_mutex_lock(&q->lock);
    q->waiting++;
    if (q->waiting > q->count)
        pthread_cond_signal(&q->idle_cond);
    while (q->count == 0 && !q->closed)
        pthread_cond_wait(&q->not_empty, &q->lock);
    q->waiting--;
    int rc = -1;
    if (q->count > 0) {
        *item = q->ring[q->head];
        q->head = (q->head + 1) % q->capacity;
        q->count--;
        pthread_cond_signal(&q->not_full);
        rc = 0;
    }
    pthread_mutex_unlock(&q->lock);
    return rc;
}

static void deadline_after(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

int mpm_queue_wait_idle(mpm_queue *q, int timeout_ms)
{
    struct timespec until;
    if (timeout_ms >= 0)
        deadline_after(&until, timeout_ms);
    pthread_mutex_lock(&q->lock);
    while (q->waiting <= q->count && !q->closed) {
        if (timeout_ms < 0) {
            pthread_cond_wait(&q->idle_cond, &q->lock);
        } else if (pthread_cond_timedwait(&q->idle_cond, &q->lock, &until) ==
                   ETIMEDOUT) {
            break;
        }
    }
    int rc = q->closed ? -1 : q->waiting > q->count ? q->waiting - q->count : 0;
    pthread_mutex_unlock(&q->lock);
    return rc;
}

int mpm_queue_idle(mpm_queue *q)
{
    pthread_mutex_lock(&q->lock);
    int n = q->waiting > q->count ? q->waiting - q->count : 0;
    pthread_mutex_unlock(&q->lock);
    return n;
}

int mpm_queue_length(mpm_queue *q)
{
    pthread_mutex_lock(&q->lock);
    int n = q->count;
    pthread_mutex_unlock(&q->lock);
    return n;
}

void mpm_queue_close(mpm_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_cond_broadcast(&q->not_full);
    pthread_cond_broadcast(&q->idle_cond);
    pthread_mutex_unlock(&q->lock);
}
