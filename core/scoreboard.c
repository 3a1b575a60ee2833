/* scoreboard.c -- the core's writes into the scoreboard (scoreboard.h). */
#include <string.h>
#include <sys/times.h>
#include <time.h>

#include "http_internal.h"
#include "scoreboard.h"

scoreboard *sb_image;

__thread sb_worker *sb_self;

void sb_bind(sb_worker *w)
{
    sb_self = w;
}

/* Only the bound thread writes its record: a relaxed load and store, no
 * locked instruction. */
#define BUMP(field, by)                                                        \
    __atomic_store_n(&(field),                                                 \
                     __atomic_load_n(&(field), __ATOMIC_RELAXED) + (by),       \
                     __ATOMIC_RELAXED)
#define PUT(field, v) __atomic_store_n(&(field), (v), __ATOMIC_RELAXED)

static void text_store(uint64_t *field, size_t size, const char *s, size_t len)
{
    union {
        uint64_t w[SB_REQUEST_LEN / 8];
        char c[SB_REQUEST_LEN];
    } buf;
    if (len > size - 1)
        len = size - 1;
    memset(buf.c, 0, size);
    memcpy(buf.c, s, len);
    for (size_t i = 0; i < size / 8; i++)
        __atomic_store_n(&field[i], buf.w[i], __ATOMIC_RELAXED);
}

void sb_text_load(const uint64_t *field, size_t size, char *out)
{
    for (size_t i = 0; i < size / 8; i++) {
        uint64_t w = __atomic_load_n(&field[i], __ATOMIC_RELAXED);
        memcpy(out + 8 * i, &w, 8);
    }
    out[size - 1] = '\0';
}

void sb_worker_load(const sb_worker *w, sb_worker *o)
{
#define GET(f) o->f = __atomic_load_n(&w->f, __ATOMIC_RELAXED)
    GET(state);
    GET(served);
    GET(access_count);
    GET(my_access_count);
    GET(conn_count);
    GET(bytes_served);
    GET(my_bytes_served);
    GET(conn_bytes);
    GET(start_us);
    GET(stop_us);
    GET(last_used_us);
    GET(duration_us);
    GET(cpu_at_us);
    for (int i = 0; i < 4; i++)
        GET(cpu[i]);
    for (int i = 0; i < SB_NUM_CONNS; i++)
        GET(conns[i]);
#undef GET
    sb_text_load(w->request, SB_REQUEST_LEN, (char *)o->request);
    sb_text_load(w->client, SB_CLIENT_LEN, (char *)o->client);
    sb_text_load(w->vhost, SB_VHOST_LEN, (char *)o->vhost);
    sb_text_load(w->protocol, SB_PROTOCOL_LEN, (char *)o->protocol);
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The request line as Apache's copy_request(): its first 63 bytes, or
 * with SeeRequestTail its last 63. */
static void store_request(sb_worker *w, const char *line, int tail)
{
    size_t len = strlen(line);
    if (tail && len > SB_REQUEST_LEN - 1) {
        line += len - (SB_REQUEST_LEN - 1);
        len = SB_REQUEST_LEN - 1;
    }
    text_store(w->request, SB_REQUEST_LEN, line, len);
}

void sb_conn_begin(const conn_info *c)
{
    sb_worker *w = sb_self;
    if (w == NULL)
        return;
    text_store(w->client, SB_CLIENT_LEN, c->peer_ip, strlen(c->peer_ip));
    /* an empty text is a zero first word */
    PUT(w->request[0], (uint64_t)0);
    PUT(w->vhost[0], (uint64_t)0);
    text_store(w->protocol, SB_PROTOCOL_LEN, "http/1.1", 8);
}

void sb_request_begin(const request *r)
{
    sb_worker *w = sb_self;
    if (w == NULL)
        return;
    __atomic_store_n(&w->state, SB_BUSY_WRITE, __ATOMIC_RELAXED);
    if (r->rc->extended_status <= 0)
        return;
    PUT(w->start_us, r->request_time_us);
    PUT(w->last_used_us, r->request_time_us);
    PUT(w->stop_us, (int64_t)0);
    const char *line = r->the_request ? r->the_request : "NULL";
    store_request(w, line, r->rc->see_request_tail > 0);
    const char *ip = r->connection->peer_ip;
    text_store(w->client, SB_CLIENT_LEN, ip, strlen(ip));
    /* "name:port" (Apache's server_hostname and local port) */
    char vhost[SB_VHOST_LEN], digits[12];
    const char *name = r->server && r->server->server_name
                           ? r->server->server_name
                           : http_request_host_name((request *)r);
    size_t n = strlen(name), nd = 0;
    if (n > sizeof(vhost) - 1)
        n = sizeof(vhost) - 1;
    memcpy(vhost, name, n);
    unsigned port = (unsigned)r->connection->local_port;
    do
        digits[nd++] = (char)('0' + port % 10);
    while ((port /= 10) > 0 && nd < sizeof(digits));
    if (n < sizeof(vhost) - 1)
        vhost[n++] = ':';
    while (nd > 0 && n < sizeof(vhost) - 1)
        vhost[n++] = digits[--nd];
    text_store(w->vhost, SB_VHOST_LEN, vhost, n);
    text_store(w->protocol, SB_PROTOCOL_LEN, "http/1.1", 8);
}

void sb_request_end(const request *r, int64_t bytes,
                    unsigned long conn_requests, uint64_t conn_bytes)
{
    sb_worker *w = sb_self;
    if (w == NULL)
        return;
    if (r->rc->extended_status > 0) {
        int64_t now = now_us();
        int64_t start = __atomic_load_n(&w->start_us, __ATOMIC_RELAXED);
        PUT(w->stop_us, now);
        PUT(w->last_used_us, now);
        if (start > 0 && now > start)
            BUMP(w->duration_us, now - start);
        BUMP(w->access_count, 1);
        BUMP(w->my_access_count, 1);
        PUT(w->conn_count, conn_requests);
        BUMP(w->bytes_served, (uint64_t)bytes);
        BUMP(w->my_bytes_served, (uint64_t)bytes);
        PUT(w->conn_bytes, conn_bytes);
        if (now - __atomic_load_n(&w->cpu_at_us, __ATOMIC_RELAXED) >=
            SB_CPU_SAMPLE_US) {
            struct tms t;
            times(&t);
            PUT(w->cpu[0], (unsigned long)t.tms_utime);
            PUT(w->cpu[1], (unsigned long)t.tms_stime);
            PUT(w->cpu[2], (unsigned long)t.tms_cutime);
            PUT(w->cpu[3], (unsigned long)t.tms_cstime);
            PUT(w->cpu_at_us, now);
        }
    }
    __atomic_store_n(&w->state, SB_BUSY_LOG, __ATOMIC_RELAXED);
}
