/* check_mpm_queue.c -- the bounded queue between a child's listener and
 * its workers.  Run it under TSan too (CFLAGS=-fsanitize=thread). */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/mpm_queue.h"

static struct mpm_queue_item item_of(int v)
{
    struct mpm_queue_item it;
    memset(&it, 0, sizeof(it));
    it.fd = v;
    it.listener = v % 3;
    return it;
}

START_TEST(fifo_and_bounds)
{
    mpm_queue *q = mpm_queue_create(4);
    struct mpm_queue_item it;
    for (int i = 0; i < 4; i++) {
        it = item_of(i);
        ck_assert_int_eq(mpm_queue_trypush(q, &it), 0);
    }
    it = item_of(99);
    ck_assert_int_eq(mpm_queue_trypush(q, &it), -1); /* full */
    ck_assert_int_eq(mpm_queue_length(q), 4);
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(mpm_queue_pop(q, &it), 0);
        ck_assert_int_eq(it.fd, i);
        ck_assert_int_eq(it.listener, i % 3);
    }
    /* wraps around the ring */
    for (int round = 0; round < 10; round++) {
        it = item_of(round);
        ck_assert_int_eq(mpm_queue_push(q, &it), 0);
        ck_assert_int_eq(mpm_queue_pop(q, &it), 0);
        ck_assert_int_eq(it.fd, round);
    }
    mpm_queue_destroy(q);
}
END_TEST

START_TEST(batch_push_keeps_order_and_waits_for_room)
{
    mpm_queue *q = mpm_queue_create(3);
    struct mpm_queue_item items[2];
    items[0] = item_of(10);
    items[1] = item_of(11);
    ck_assert_int_eq(mpm_queue_push_batch(q, items, 2), 2);
    struct mpm_queue_item it;
    ck_assert_int_eq(mpm_queue_pop(q, &it), 0);
    ck_assert_int_eq(it.fd, 10);
    ck_assert_int_eq(mpm_queue_pop(q, &it), 0);
    ck_assert_int_eq(it.fd, 11);
    ck_assert_int_eq(mpm_queue_push_batch(q, items, 0), 0);
    mpm_queue_close(q);
    ck_assert_int_eq(mpm_queue_push_batch(q, items, 2), 0);
    mpm_queue_destroy(q);
}
END_TEST

/* A batch larger than the queue: the producer waits while consumers
 * make room, and nothing is lost. */
static void *drain_six(void *arg)
{
    mpm_queue *q = arg;
    struct mpm_queue_item it;
    long sum = 0;
    for (int i = 0; i < 6 && mpm_queue_pop(q, &it) == 0; i++)
        sum += it.fd;
    return (void *)sum;
}

START_TEST(batch_larger_than_queue)
{
    mpm_queue *q = mpm_queue_create(2);
    struct mpm_queue_item items[6];
    for (int i = 0; i < 6; i++)
        items[i] = item_of(i + 1);
    pthread_t t;
    pthread_create(&t, NULL, drain_six, q);
    ck_assert_int_eq(mpm_queue_push_batch(q, items, 6), 6);
    void *sum;
    pthread_join(t, &sum);
    ck_assert_int_eq((long)sum, 21);
    mpm_queue_destroy(q);
}
END_TEST

START_TEST(close_drains_then_fails)
{
    mpm_queue *q = mpm_queue_create(8);
    struct mpm_queue_item it = item_of(7);
    ck_assert_int_eq(mpm_queue_push(q, &it), 0);
    mpm_queue_close(q);
    ck_assert_int_eq(mpm_queue_push(q, &it), -1);
    ck_assert_int_eq(mpm_queue_trypush(q, &it), -1);
    ck_assert_int_eq(mpm_queue_pop(q, &it), 0);
    ck_assert_int_eq(it.fd, 7);
    ck_assert_int_eq(mpm_queue_pop(q, &it), -1);
    ck_assert_int_eq(mpm_queue_wait_idle(q, 10), -1);
    mpm_queue_destroy(q);
}
END_TEST

START_TEST(wait_idle_times_out_without_workers)
{
    mpm_queue *q = mpm_queue_create(2);
    ck_assert_int_eq(mpm_queue_wait_idle(q, 20), 0);
    ck_assert_int_eq(mpm_queue_idle(q), 0);
    mpm_queue_destroy(q);
}
END_TEST

/* Many producers and consumers: every item is delivered exactly once. */
#define PRODUCERS 3
#define CONSUMERS 4
#define PER_PRODUCER 5000

struct shared {
    mpm_queue *q;
    int seen[PRODUCERS * PER_PRODUCER];
    pthread_mutex_t lock;
    int base;
};

static void *producer(void *arg)
{
    struct shared *s = arg;
    pthread_mutex_lock(&s->lock);
    int base = s->base;
    s->base += PER_PRODUCER;
    pthread_mutex_unlock(&s->lock);
    for (int i = 0; i < PER_PRODUCER; i++) {
        struct mpm_queue_item it = item_of(base + i);
        ck_assert_int_eq(mpm_queue_push(s->q, &it), 0);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    struct shared *s = arg;
    struct mpm_queue_item it;
    while (mpm_queue_pop(s->q, &it) == 0) {
        pthread_mutex_lock(&s->lock);
        s->seen[it.fd]++;
        pthread_mutex_unlock(&s->lock);
    }
    return NULL;
}

START_TEST(threads_deliver_everything_once)
{
    static struct shared s;
    memset(&s, 0, sizeof(s));
    pthread_mutex_init(&s.lock, NULL);
    s.q = mpm_queue_create(5); /* small: producers block on not_full */
    pthread_t p[PRODUCERS], c[CONSUMERS];
    for (int i = 0; i < CONSUMERS; i++)
        pthread_create(&c[i], NULL, consumer, &s);
    for (int i = 0; i < PRODUCERS; i++)
        pthread_create(&p[i], NULL, producer, &s);
    for (int i = 0; i < PRODUCERS; i++)
        pthread_join(p[i], NULL);
    mpm_queue_close(s.q);
    for (int i = 0; i < CONSUMERS; i++)
        pthread_join(c[i], NULL);
    for (int i = 0; i < PRODUCERS * PER_PRODUCER; i++)
        ck_assert_msg(s.seen[i] == 1, "item %d seen %d times", i, s.seen[i]);
    mpm_queue_destroy(s.q);
    pthread_mutex_destroy(&s.lock);
}
END_TEST

/* The listener's view: wait_idle returns once a worker waits in pop(). */
static void *one_pop(void *arg)
{
    mpm_queue *q = arg;
    struct mpm_queue_item it;
    mpm_queue_pop(q, &it);
    return NULL;
}

START_TEST(wait_idle_sees_a_waiting_worker)
{
    mpm_queue *q = mpm_queue_create(2);
    pthread_t t;
    pthread_create(&t, NULL, one_pop, q);
    /* Bounded: the worker blocks in pop() within the 10 s deadline. */
    ck_assert_int_eq(mpm_queue_wait_idle(q, 10000), 1);
    struct mpm_queue_item it = item_of(1);
    ck_assert_int_eq(mpm_queue_push(q, &it), 0);
    pthread_join(t, NULL);
    ck_assert_int_eq(mpm_queue_idle(q), 0);
    mpm_queue_destroy(q);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mpm_queue");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, fifo_and_bounds);
    tcase_add_test(tc, close_drains_then_fails);
    tcase_add_test(tc, batch_push_keeps_order_and_waits_for_room);
    tcase_add_test(tc, batch_larger_than_queue);
    tcase_add_test(tc, wait_idle_times_out_without_workers);
    tcase_add_test(tc, threads_deliver_everything_once);
    tcase_add_test(tc, wait_idle_sees_a_waiting_worker);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
