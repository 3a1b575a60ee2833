/* mpm_queue.h -- a bounded queue between a listener thread and worker
 * threads.  No MPM uses it at present: the worker MPM's listener parks
 * connections in the child's epoll set instead (mpm/worker.c), and the
 * event MPM's threads accept themselves.  Kept with its unit test.
 *
 * A fixed ring of items guarded by one mutex, with three condition
 * variables: not_empty (workers wait), not_full (the listener waits) and
 * idle (the listener waits for an idle worker before accepting, so a busy
 * child leaves new connections in the kernel's backlog for a less busy
 * one).  Closing wakes everyone: pop() hands out what is left, then fails.
 * No other state is shared between the threads.
 */
#ifndef HTTPD_MPM_QUEUE_H
#define HTTPD_MPM_QUEUE_H

#include <sys/socket.h>

struct mpm_queue_item {
    int fd;                       /* accepted socket, or -1 */
    int listener;                 /* index into ctx->listeners */
    void *conn;                   /* event: an http_conn to resume */
    int event;                    /* event: what woke it (read/write/timeout) */
    socklen_t peerlen;
    struct sockaddr_storage peer;
};

typedef struct mpm_queue mpm_queue;

mpm_queue *mpm_queue_create(int capacity);
void mpm_queue_destroy(mpm_queue *q);

/* Add an item, waiting while the queue is full.  0, or -1 if closed. */
int mpm_queue_push(mpm_queue *q, const struct mpm_queue_item *item);
/* Add n items under one lock, waking a worker for each; waits while the
 * queue is full.  Returns how many were added (fewer only if closed). */
int mpm_queue_push_batch(mpm_queue *q, const struct mpm_queue_item *items,
                         int n);
/* Add without waiting: 0, or -1 if full or closed. */
int mpm_queue_trypush(mpm_queue *q, const struct mpm_queue_item *item);
/* Take the oldest item, waiting while empty.  0, or -1 once the queue is
 * closed and drained. */
int mpm_queue_pop(mpm_queue *q, struct mpm_queue_item *item);
/* Wait up to timeout_ms (< 0: no limit) until some worker waits in pop()
 * with nothing queued for it.  Returns the number of such idle workers
 * (0 on timeout, -1 if closed). */
int mpm_queue_wait_idle(mpm_queue *q, int timeout_ms);
/* Idle workers not yet promised an item (for the event MPM's admission). */
int mpm_queue_idle(mpm_queue *q);
int mpm_queue_length(mpm_queue *q);
/* Wake every waiter; pushes fail from now on. */
void mpm_queue_close(mpm_queue *q);

#endif
