/* mod_status.c -- the server-status handler: what every process and worker
 * is doing, from the scoreboard (core/scoreboard.h), as apache2 2.4.71's
 * mod_status shows it.
 *
 * `SetHandler server-status` (or application/x-httpd-status) answers GET
 * with an HTML page; the query string picks variants by substring, as
 * Apache's does: "auto" the machine-readable text form, "notable" the
 * per-worker details without a table, "refresh[=N]" a Refresh header (10
 * when N is missing or below 1).
 *
 * ExtendedStatus (a core directive, conf.h) adds the totals, the CPU and
 * rate lines and the per-worker table; unset, it is On when the
 * configuration names the module in LoadModule (apache2's mod_status turns
 * it on when loaded) and Off otherwise.  Numbers are printed with APR's
 * %g, which drops the leading zero (".5") and writes exponents as "1.e+6";
 * tests/integration/test_status.py compares the page with apache2's.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http_internal.h"
#include "log.h"
#include "mod_util.h"
#include "scoreboard.h"
#include "version.h"

module status_module;

#define LINE_CHARS 64 /* scoreboard characters per line of the page */
#define KBYTE 1024
#define MBYTE 1048576L
#define GBYTE 1073741824L

static const char state_char[SB_NUM_STATES] = {
    [SB_DEAD] = '.',      [SB_STARTING] = 'S',   [SB_READY] = '_',
    [SB_BUSY_READ] = 'R', [SB_BUSY_WRITE] = 'W', [SB_BUSY_KEEPALIVE] = 'K',
    [SB_BUSY_LOG] = 'L',  [SB_BUSY_DNS] = 'D',   [SB_CLOSING] = 'C',
    [SB_GRACEFUL] = 'G',  [SB_IDLE_KILL] = 'I',
};
#define DISABLED ' ' /* a slot beyond MaxRequestWorkers: not shown */

/* ---- APR's %g ----------------------------------------------------------- */

/* value with ndigit significant digits as apr_snprintf's %g writes it: no
 * leading zero before the point, no trailing zeros, exponent form when the
 * decimal point is more than 4 places past the digits or the value is
 * below 1e-4, written "d.ddde+N" without padding.  An infinite value
 * (a rate over an uptime of 0 s) comes out as apr2 prints it, "0.e+79". */
static void apr_g(char *out, size_t size, double value, int ndigit)
{
    if (!isfinite(value)) {
        snprintf(out, size, "0.e+79");
        return;
    }
    char e[64], digits[32];
    snprintf(e, sizeof(e), "%.*e", ndigit - 1, value);
    const char *p = e;
    int neg = *p == '-';
    p += neg;
    int n = 0;
    for (; *p && *p != 'e'; p++)
        if (isdigit((unsigned char)*p) && n < (int)sizeof(digits) - 1)
            digits[n++] = *p;
    digits[n] = '\0';
    int decpt = value == 0 ? 0 : atoi(p + 1) + 1;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    char *o = out, *end = out + size - 1;
#define PUTC(ch)                                                               \
    do {                                                                       \
        if (o < end)                                                           \
            *o++ = (ch);                                                       \
    } while (0)
    if (neg)
        PUTC('-');
    if ((decpt >= 0 && decpt - n > 4) || decpt < -3) {
        int x = decpt - 1;
        PUTC(digits[0]);
        PUTC('.');
        for (int i = 1; i < n; i++)
            PUTC(digits[i]);
        PUTC('e');
        PUTC(x < 0 ? '-' : '+');
        x = x < 0 ? -x : x;
        if (x / 100 > 0)
            PUTC((char)('0' + x / 100));
        if (x / 10 > 0)
            PUTC((char)('0' + x % 100 / 10));
        PUTC((char)('0' + x % 10));
    } else {
        if (decpt <= 0) {
            if (digits[0] != '0')
                PUTC('.');
            for (int i = decpt; i < 0; i++)
                PUTC('0');
        }
        for (int i = 1; i <= n; i++) {
            PUTC(digits[i - 1]);
            if (i == decpt)
                PUTC('.');
        }
        for (int i = n; i < decpt; i++)
            PUTC('0');
        if (n < decpt)
            PUTC('.');
        if (o > out && o[-1] == '.')
            o--;
    }
#undef PUTC
    *o = '\0';
}

static const char *g(request *r, double v, int ndigit)
{
    char *buf = arena_alloc(r->arena, 48);
    apr_g(buf, 48, v, ndigit);
    return buf;
}

/* ---- small formatters --------------------------------------------------- */

static void byte_out(request *r, double bytes)
{
    if (bytes < 5 * KBYTE)
        request_printf(r, "%d B", (int)bytes);
    else if (bytes < MBYTE / 2)
        request_printf(r, "%.1f kB", (float)bytes / KBYTE);
    else if (bytes < GBYTE / 2)
        request_printf(r, "%.1f MB", (float)bytes / MBYTE);
    else
        request_printf(r, "%.1f GB", (float)bytes / GBYTE);
}

static void kbyte_out(request *r, long long kbytes)
{
    if (kbytes < KBYTE)
        request_printf(r, "%d kB", (int)kbytes);
    else if (kbytes < MBYTE)
        request_printf(r, "%.1f MB", (float)kbytes / KBYTE);
    else
        request_printf(r, "%.1f GB", (float)kbytes / MBYTE);
}

static void show_time(request *r, unsigned secs)
{
    static const struct {
        unsigned div;
        const char *name;
    } units[] = {{86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};
    for (int i = 0; i < 4; i++) {
        unsigned v = secs / units[i].div;
        if (i > 0)
            v %= i == 1 ? 24 : 60;
        if (v)
            request_printf(r, " %u %s%s", v, units[i].name, v == 1 ? "" : "s");
    }
}

static const char *ht_time(request *r, int64_t us)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    localtime_r(&t, &tm);
    char *buf = arena_alloc(r->arena, 80);
    strftime(buf, 80, "%A, %d-%b-%Y %H:%M:%S %Z", &tm);
    return buf;
}

/* ap_escape_logitem: quotes, backslashes and control bytes escaped. */
static const char *escape_logitem(request *r, const char *s)
{
    char *out = arena_alloc(r->arena, strlen(s) * 4 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        static const char named[] = "\b\bb\n\nn\r\rr\t\tt\v\vv";
        const char *hit = *p < 32 ? memchr(named, *p, sizeof(named) - 1) : NULL;
        if (*p == '"' || *p == '\\') {
            *o++ = '\\';
            *o++ = (char)*p;
        } else if (hit != NULL && (hit - named) % 3 == 0) {
            *o++ = '\\';
            *o++ = hit[2];
        } else if (*p < 32 || *p > 126) {
            o += sprintf(o, "\\x%02x", *p);
        } else {
            *o++ = (char)*p;
        }
    }
    *o = '\0';
    return out;
}

static const char *html(request *r, const char *s)
{
    return req_escape_html(r->arena, s);
}

/* ---- CPU times (ticks) ------------------------------------------------------
 * As Apache's: each worker shows the times(2) its process had as the
 * worker's last request ended (ExtendedStatus, scoreboard.h); a process
 * counts with the latest of its workers', the parent with its own. */

struct cpu {
    double u, s, cu, cs;
};

static int proc_times(pid_t pid, struct cpu *c)
{
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    unsigned long long v[4];
    /* after the name: state ppid pgrp session tty tpgid flags minflt
     * cminflt majflt cmajflt utime stime cutime cstime */
    if (p == NULL || sscanf(p + 2,
                            "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
                            "%*u %llu %llu %llu %llu",
                            &v[0], &v[1], &v[2], &v[3]) != 4)
        return -1;
    c->u = (double)v[0];
    c->s = (double)v[1];
    c->cu = (double)v[2];
    c->cs = (double)v[3];
    return 0;
}

static struct cpu worker_cpu(const sb_worker *w)
{
    struct cpu c;
    c.u = (double)__atomic_load_n(&w->cpu[0], __ATOMIC_RELAXED);
    c.s = (double)__atomic_load_n(&w->cpu[1], __ATOMIC_RELAXED);
    c.cu = (double)__atomic_load_n(&w->cpu[2], __ATOMIC_RELAXED);
    c.cs = (double)__atomic_load_n(&w->cpu[3], __ATOMIC_RELAXED);
    return c;
}

static void cpu_max(struct cpu *into, const struct cpu *c)
{
    if (c->u > into->u)
        into->u = c->u;
    if (c->s > into->s)
        into->s = c->s;
    if (c->cu > into->cu)
        into->cu = c->cu;
    if (c->cs > into->cs)
        into->cs = c->cs;
}

/* ---- the snapshot
 * ------------------------------------------------------------ */

struct proc_view {
    pid_t pid;
    unsigned generation;
    int quiescing;
    int busy, graceful, idle; /* its threads, for the async table */
    long conns[SB_NUM_CONNS];
    struct cpu cpu; /* the latest of its workers' */
};

struct status {
    scoreboard *sb;
    int servers, threads;       /* ServerLimit, ThreadLimit */
    int max_servers, per_child; /* shown unless in use */
    char *chars;                /* [servers * threads] */
    struct proc_view *procs;
    int ready, busy, graceful;
    unsigned long count;
    long long kbytes;
    int64_t duration_us;
    struct cpu cpu;
    unsigned uptime;
    int64_t now_us;
};

static int64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void count_worker(struct status *st, struct proc_view *pv, int i, int j,
                         int extended, uint64_t *bytes)
{
    scoreboard *sb = st->sb;
    const sb_worker *w = sb_worker_at(sb, i, j);
    int res = __atomic_load_n(&w->state, __ATOMIC_RELAXED);
    if (res < 0 || res >= SB_NUM_STATES)
        res = SB_DEAD;
    int disabled =
        (i >= st->max_servers || j >= st->per_child) && res == SB_DEAD;
    st->chars[(long)i * st->threads + j] =
        disabled ? DISABLED : state_char[res];
    if (pv->pid != 0 && !pv->quiescing) {
        if (res == SB_READY) {
            if (pv->generation == sb->generation)
                st->ready++;
            pv->idle++;
        } else if (res == SB_GRACEFUL) {
            st->graceful++;
            pv->graceful++;
        } else if (sb_state_busy(res)) {
            st->busy++;
            pv->busy++;
        }
    }
    if (pv->pid != 0)
        for (int k = 0; k < SB_NUM_CONNS; k++)
            pv->conns[k] += __atomic_load_n(&w->conns[k], __ATOMIC_RELAXED);
    if (extended && pv->pid != 0) {
        struct cpu c = worker_cpu(w);
        cpu_max(&pv->cpu, &c);
    }
    unsigned long acc = __atomic_load_n(&w->access_count, __ATOMIC_RELAXED);
    if (extended && (acc != 0 || (res != SB_READY && res != SB_DEAD))) {
        st->count += acc;
        *bytes += __atomic_load_n(&w->bytes_served, __ATOMIC_RELAXED);
        st->duration_us += __atomic_load_n(&w->duration_us, __ATOMIC_RELAXED);
    }
}

static void take_snapshot(request *r, struct status *st, int extended)
{
    scoreboard *sb = st->sb;
    const sb_global *gl = sb->global;
    st->servers = sb->server_limit;
    st->threads = sb->thread_limit;
    st->max_servers = gl->daemons_limit > 0 ? gl->daemons_limit : st->servers;
    st->per_child = gl->threads_per_child > 0 ? gl->threads_per_child : 1;
    st->chars =
        arena_alloc(r->arena, (size_t)st->servers * (size_t)st->threads);
    st->procs =
        arena_calloc(r->arena, sizeof(*st->procs) * (size_t)st->servers);
    uint64_t bytes = 0;
    for (int i = 0; i < st->servers; i++) {
        struct proc_view *pv = &st->procs[i];
        pv->pid = __atomic_load_n(&sb->procs[i].pid, __ATOMIC_RELAXED);
        pv->generation = sb->procs[i].generation;
        pv->quiescing =
            __atomic_load_n(&sb->procs[i].quiescing, __ATOMIC_RELAXED);
        for (int j = 0; j < st->threads; j++)
            count_worker(st, pv, i, j, extended, &bytes);
        st->cpu.u += pv->cpu.u;
        st->cpu.s += pv->cpu.s;
        st->cpu.cu += pv->cpu.cu;
        st->cpu.cs += pv->cpu.cs;
    }
    struct cpu parent;
    if (gl->parent_pid > 0 && proc_times(gl->parent_pid, &parent) == 0) {
        /* the parent's own time; its children's reaped ones are theirs */
        st->cpu.u += parent.u;
        st->cpu.s += parent.s;
    }
    st->kbytes = (long long)(bytes >> 10);
    st->now_us = wall_us();
    int64_t up = (st->now_us - gl->restart_time_us) / 1000000;
    st->uptime = up > 0 ? (unsigned)up : 0;
}

/* ---- the page's parts
 * --------------------------------------------------------- */

static void put_head(request *r, const struct status *st, int short_report)
{
    const sb_global *gl = st->sb->global;
    const char *desc = HTTPD_PRODUCT "/" HTTPD_VERSION " (Unix)";
    double load[3] = {-1, -1, -1};
    if (getloadavg(load, 3) < 0)
        load[0] = load[1] = load[2] = -1;
    const char *name = http_request_host_name(r);
    if (!short_report) {
        request_printf(
            r,
            "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" "
            "\"http://www.w3.org/TR/html4/strict.dtd\">\n"
            "<html><head>\n<title>Apache Status</title>\n</head><body>\n"
            "<h1>Apache Server Status for %s (via %s)</h1>\n\n",
            html(r, name), r->connection->local_ip);
        request_printf(r,
                       "<dl><dt>Server Version: %s</dt>\n"
                       "<dt>Server MPM: %s</dt>\n"
                       "<dt>Server Built: %s\n</dt></dl><hr /><dl>\n",
                       desc, gl->mpm_name, http_server_built());
        request_printf(r,
                       "<dt>Current Time: %s</dt>\n"
                       "<dt>Restart Time: %s</dt>\n"
                       "<dt>Parent Server Config. Generation: %d</dt>\n"
                       "<dt>Parent Server MPM Generation: %u</dt>\n"
                       "<dt>Server uptime: ",
                       ht_time(r, st->now_us), ht_time(r, gl->restart_time_us),
                       gl->config_generation, st->sb->generation);
        show_time(r, st->uptime);
        request_printf(r, "</dt>\n<dt>Server load: %.2f %.2f %.2f</dt>\n",
                       load[0], load[1], load[2]);
        return;
    }
    request_printf(r,
                   "%s\nServerVersion: %s\nServerMPM: %s\n"
                   "Server Built: %s\nCurrentTime: %s\nRestartTime: %s\n"
                   "ParentServerConfigGeneration: %d\n"
                   "ParentServerMPMGeneration: %u\n"
                   "ServerUptimeSeconds: %u\nServerUptime:",
                   name, desc, gl->mpm_name, http_server_built(),
                   ht_time(r, st->now_us), ht_time(r, gl->restart_time_us),
                   gl->config_generation, st->sb->generation, st->uptime);
    show_time(r, st->uptime);
    request_printf(r, "\nLoad1: %.2f\nLoad5: %.2f\nLoad15: %.2f\n", load[0],
                   load[1], load[2]);
}

static void put_totals(request *r, const struct status *st, int short_report)
{
    double tick = (double)sysconf(_SC_CLK_TCK);
    const struct cpu *c = &st->cpu;
    double cpu = c->u + c->s + c->cu + c->cs;
    double load = cpu / tick / st->uptime * 100.;
    long long dur_ms = (long long)(st->duration_us / 1000);
    float up = (float)st->uptime, count = (float)st->count;
    if (short_report) {
        request_printf(r,
                       "Total Accesses: %lu\nTotal kBytes: %lld\n"
                       "Total Duration: %lld\n",
                       st->count, st->kbytes, dur_ms);
        request_printf(r,
                       "CPUUser: %s\nCPUSystem: %s\nCPUChildrenUser: %s\n"
                       "CPUChildrenSystem: %s\n",
                       g(r, c->u / tick, 6), g(r, c->s / tick, 6),
                       g(r, c->cu / tick, 6), g(r, c->cs / tick, 6));
        if (cpu > 0)
            request_printf(r, "CPULoad: %s\n", g(r, load, 6));
        request_printf(r, "Uptime: %u\n", st->uptime);
        if (st->uptime > 0)
            request_printf(r, "ReqPerSec: %s\nBytesPerSec: %s\n",
                           g(r, count / up, 6),
                           g(r, KBYTE * (float)st->kbytes / up, 6));
        if (st->count > 0)
            request_printf(r, "BytesPerReq: %s\nDurationPerReq: %s\n",
                           g(r, KBYTE * (float)st->kbytes / count, 6),
                           g(r, (float)dur_ms / count, 6));
        return;
    }
    request_printf(r, "<dt>Total accesses: %lu - Total Traffic: ", st->count);
    kbyte_out(r, st->kbytes);
    request_printf(r, " - Total Duration: %lld</dt>\n", dur_ms);
    request_printf(r, "<dt>CPU Usage: u%s s%s cu%s cs%s", g(r, c->u / tick, 6),
                   g(r, c->s / tick, 6), g(r, c->cu / tick, 6),
                   g(r, c->cs / tick, 6));
    if (cpu > 0)
        request_printf(r, " - %s%% CPU load</dt>\n", g(r, load, 3));
    else
        request_puts(r, "</dt>\n");
    request_puts(r, "<dt>");
    if (st->uptime > 0) {
        request_printf(r, "%s requests/sec - ", g(r, count / up, 3));
        byte_out(r, (double)(unsigned long)(KBYTE * (float)st->kbytes / up));
        request_puts(r, "/second");
    }
    if (st->count > 0) {
        if (st->uptime > 0)
            request_puts(r, " - ");
        byte_out(r, (double)(unsigned long)(KBYTE * (float)st->kbytes / count));
        request_printf(r, "/request - %s ms/request",
                       g(r, (float)dur_ms / count, 6));
    }
    request_puts(r, "</dt>\n");
}

/* event: the processes' connections and threads. */
static void put_async(request *r, const struct status *st, int short_report)
{
    long sum[SB_NUM_CONNS] = {0};
    int procs = 0, stopping = 0, busy = 0, graceful = 0, idle = 0;
    if (!short_report)
        request_puts(
            r,
            "\n\n<table rules=\"all\" cellpadding=\"1%\">\n"
            "<tr><th rowspan=\"2\">Slot</th><th rowspan=\"2\">PID</th>"
            "<th rowspan=\"2\">Stopping</th><th "
            "colspan=\"2\">Connections</th>\n"
            "<th colspan=\"3\">Threads</th><th colspan=\"4\">Async "
            "connections</th></tr>\n"
            "<tr><th>total</th><th>accepting</th><th>busy</th><th>graceful</th>"
            "<th>idle</th><th>wait-io</th><th>writing</th><th>keep-alive</th>"
            "<th>closing</th></tr>\n");
    for (int i = 0; i < st->servers; i++) {
        const struct proc_view *pv = &st->procs[i];
        if (pv->pid == 0)
            continue;
        long c[SB_NUM_CONNS];
        for (int k = 0; k < SB_NUM_CONNS; k++) {
            c[k] = pv->conns[k] > 0 ? pv->conns[k] : 0;
            sum[k] += c[k];
        }
        procs++;
        stopping += pv->quiescing != 0;
        busy += pv->busy;
        graceful += pv->graceful;
        idle += pv->idle;
        if (short_report)
            continue;
        request_printf(
            r,
            "<tr><td>%d</td><td>%d</td><td>%s%s</td><td>%ld</td><td>%s</td>"
            "<td>%d</td><td>%d</td><td>%d</td><td>%ld</td><td>%ld</td>"
            "<td>%ld</td><td>%ld</td></tr>\n",
            i, (int)pv->pid, pv->quiescing ? "yes" : "no",
            pv->generation != st->sb->generation ? " (old gen)" : "",
            c[SB_CONNS_TOTAL], pv->quiescing ? "no" : "yes", pv->busy,
            pv->graceful, pv->idle, c[SB_CONNS_WAITIO], c[SB_CONNS_WRITING],
            c[SB_CONNS_KEEPALIVE], c[SB_CONNS_CLOSING]);
    }
    if (short_report) {
        request_printf(r,
                       "Processes: %d\nStopping: %d\nConnsTotal: %ld\n"
                       "ConnsAsyncWaitIO: %ld\nConnsAsyncWriting: %ld\n"
                       "ConnsAsyncKeepAlive: %ld\nConnsAsyncClosing: %ld\n",
                       procs, stopping, sum[SB_CONNS_TOTAL],
                       sum[SB_CONNS_WAITIO], sum[SB_CONNS_WRITING],
                       sum[SB_CONNS_KEEPALIVE], sum[SB_CONNS_CLOSING]);
        return;
    }
    request_printf(
        r,
        "<tr><td>Sum</td><td>%d</td><td>%d</td><td>%ld</td><td>&nbsp;</td>"
        "<td>%d</td><td>%d</td><td>%d</td><td>%ld</td><td>%ld</td><td>%ld</td>"
        "<td>%ld</td></tr>\n</table>\n",
        procs, stopping, sum[SB_CONNS_TOTAL], busy, graceful, idle,
        sum[SB_CONNS_WAITIO], sum[SB_CONNS_WRITING], sum[SB_CONNS_KEEPALIVE],
        sum[SB_CONNS_CLOSING]);
}

static void put_scoreboard(request *r, const struct status *st,
                           int short_report)
{
    long n = (long)st->servers * st->threads, written = 0;
    char *line = arena_alloc(r->arena, (size_t)n + (size_t)n / LINE_CHARS + 2);
    char *o = line;
    for (long k = 0; k < n; k++) {
        if (st->chars[k] == DISABLED)
            continue;
        *o++ = st->chars[k];
        if (written % LINE_CHARS == LINE_CHARS - 1 && !short_report)
            *o++ = '\n';
        written++;
    }
    *o = '\0';
    request_printf(r, short_report ? "Scoreboard: %s\n" : "<pre>%s</pre>\n",
                   line);
}

static void put_key(request *r, const struct status *st, int extended)
{
    request_puts(
        r, "<p>Scoreboard Key:<br />\n"
           "\"<b><code>_</code></b>\" Waiting for Connection, \n"
           "\"<b><code>S</code></b>\" Starting up, \n"
           "\"<b><code>R</code></b>\" Reading Request,<br />\n"
           "\"<b><code>W</code></b>\" Sending Reply, \n"
           "\"<b><code>K</code></b>\" Keepalive (read), \n"
           "\"<b><code>D</code></b>\" DNS Lookup,<br />\n"
           "\"<b><code>C</code></b>\" Closing connection, \n"
           "\"<b><code>L</code></b>\" Logging, \n"
           "\"<b><code>G</code></b>\" Gracefully finishing,<br /> \n"
           "\"<b><code>I</code></b>\" Idle cleanup of worker, \n"
           "\"<b><code>.</code></b>\" Open slot with no current process<br />\n"
           "</p>\n");
    if (extended)
        return;
    /* as apache2: every slot not '.', the disabled ones (' ') included */
    request_puts(r, "PID Key: <br />\n<pre>\n");
    int k = 0;
    for (int i = 0; i < st->servers; i++)
        for (int j = 0; j < st->threads; j++) {
            char ch = st->chars[(long)i * st->threads + j];
            if (ch == '.')
                continue;
            request_printf(r, "   %d in state: %c ", (int)st->procs[i].pid, ch);
            if (++k >= 3) {
                request_puts(r, "\n");
                k = 0;
            } else {
                request_puts(r, ",");
            }
        }
    request_puts(r, "\n</pre>\n");
}

static const char *const mode_text[SB_NUM_STATES][2] = {
    /* table cell, notable word */
    [SB_DEAD] = {".", "Dead"},
    [SB_STARTING] = {"<b>S</b>", "Starting"},
    [SB_READY] = {"_", "Ready"},
    [SB_BUSY_READ] = {"<b>R</b>", "<b>Read</b>"},
    [SB_BUSY_WRITE] = {"<b>W</b>", "<b>Write</b>"},
    [SB_BUSY_KEEPALIVE] = {"<b>K</b>", "<b>Keepalive</b>"},
    [SB_BUSY_LOG] = {"<b>L</b>", "<b>Logging</b>"},
    [SB_BUSY_DNS] = {"<b>D</b>", "<b>DNS lookup</b>"},
    [SB_CLOSING] = {"<b>C</b>", "<b>Closing</b>"},
    [SB_GRACEFUL] = {"G", "Graceful"},
    [SB_IDLE_KILL] = {"I", "Dying"},
};

static void put_worker(request *r, const struct status *st, int i,
                       const sb_worker *w, int notable)
{
    const struct proc_view *pv = &st->procs[i];
    double tick = (double)sysconf(_SC_CLK_TCK);
    long req_ms =
        w->start_us == 0 ? 0 : (long)((w->stop_us - w->start_us) / 1000);
    if (req_ms < 0)
        req_ms = 0;
    long ss = (long)((st->now_us - w->last_used_us) / 1000000);
    long long dur = (long long)(w->duration_us / 1000);
    int dead = w->state == SB_DEAD;
    struct cpu wc = worker_cpu(w);
    const struct cpu *c = &wc;
    const char *request = html(r, escape_logitem(r, (const char *)w->request));
    const char *client = html(r, (const char *)w->client);
    const char *proto = html(r, (const char *)w->protocol);
    const char *vhost = html(r, (const char *)w->vhost);
    if (notable) {
        if (dead)
            request_printf(r, "<b>Server %d-%u</b> (-): %d|%lu|%lu [", i,
                           pv->generation, (int)w->conn_count,
                           w->my_access_count, w->access_count);
        else
            request_printf(r, "<b>Server %d-%u</b> (%d): %d|%lu|%lu [", i,
                           pv->generation, (int)pv->pid, (int)w->conn_count,
                           w->my_access_count, w->access_count);
        request_printf(r, "%s] u%s s%s cu%s cs%s\n %ld %ld %lld(",
                       mode_text[w->state][1], g(r, c->u / tick, 6),
                       g(r, c->s / tick, 6), g(r, c->cu / tick, 6),
                       g(r, c->cs / tick, 6), ss, req_ms, dur);
        byte_out(r, (double)w->conn_bytes);
        request_puts(r, "|");
        byte_out(r, (double)w->my_bytes_served);
        request_puts(r, "|");
        byte_out(r, (double)w->bytes_served);
        request_printf(r,
                       ")\n <i>%s {%s}</i> <i>(%s)</i> <b>[%s]</b><br />\n\n",
                       client, request, proto, vhost);
        return;
    }
    if (dead)
        request_printf(r, "<tr><td><b>%d-%u</b></td><td>-</td><td>%d/%lu/%lu",
                       i, pv->generation, (int)w->conn_count,
                       w->my_access_count, w->access_count);
    else
        request_printf(r, "<tr><td><b>%d-%u</b></td><td>%d</td><td>%d/%lu/%lu",
                       i, pv->generation, (int)pv->pid, (int)w->conn_count,
                       w->my_access_count, w->access_count);
    request_printf(r,
                   "</td><td>%s\n</td><td>%.2f</td><td>%ld</td><td>%ld</td>"
                   "<td>%lld",
                   mode_text[w->state][0], (c->u + c->s + c->cu + c->cs) / tick,
                   ss, req_ms, dur);
    request_printf(r, "</td><td>%-1.1f</td><td>%-2.2f</td><td>%-2.2f\n",
                   (float)w->conn_bytes / KBYTE,
                   (float)w->my_bytes_served / MBYTE,
                   (float)w->bytes_served / MBYTE);
    request_printf(r,
                   "</td><td>%s</td><td>%s</td><td nowrap>%s</td>"
                   "<td nowrap>%s</td></tr>\n\n",
                   client, proto, vhost, request);
}

static void put_workers(request *r, const struct status *st, int notable)
{
    if (notable)
        request_puts(r, "<hr /><h2>Server Details</h2>\n\n");
    else
        request_puts(r, "\n\n<table border=\"0\"><tr><th>Srv</th><th>PID</th>"
                        "<th>Acc</th><th>M</th><th>CPU\n</th><th>SS</th>"
                        "<th>Req</th><th>Dur</th><th>Conn</th><th>Child</th>"
                        "<th>Slot</th><th>Client</th><th>Protocol</th>"
                        "<th>VHost</th><th>Request</th></tr>\n\n");
    for (int i = 0; i < st->servers; i++)
        for (int j = 0; j < st->threads; j++) {
            sb_worker w;
            sb_worker_load(sb_worker_at(st->sb, i, j), &w);
            if (w.state < 0 || w.state >= SB_NUM_STATES)
                w.state = SB_DEAD;
            if (w.access_count == 0 &&
                (w.state == SB_READY || w.state == SB_DEAD))
                continue;
            put_worker(r, st, i, &w, notable);
        }
    if (notable)
        return;
    request_puts(
        r, "</table>\n"
           " <hr /> <table>\n"
           " <tr><th>Srv</th><td>Child Server number - generation</td></tr>\n"
           " <tr><th>PID</th><td>OS process ID</td></tr>\n"
           " <tr><th>Acc</th><td>Number of accesses this connection / this "
           "child / this slot</td></tr>\n"
           " <tr><th>M</th><td>Mode of operation</td></tr>\n"
           "<tr><th>CPU</th><td>CPU usage, number of seconds</td></tr>\n"
           "<tr><th>SS</th><td>Seconds since beginning of most recent "
           "request</td></tr>\n"
           " <tr><th>Req</th><td>Milliseconds required to process most recent "
           "request</td></tr>\n"
           " <tr><th>Dur</th><td>Sum of milliseconds required to process all "
           "requests</td></tr>\n"
           " <tr><th>Conn</th><td>Kilobytes transferred this "
           "connection</td></tr>\n"
           " <tr><th>Child</th><td>Megabytes transferred this child</td></tr>\n"
           " <tr><th>Slot</th><td>Total megabytes transferred this "
           "slot</td></tr>\n"
           " </table>\n");
}

/* ---- the handler
 * ------------------------------------------------------------- */

/* The query's options, found as substrings anywhere (Apache's strstr). */
static void read_options(request *r, int *short_report, int *notable)
{
    const char *a = r->args;
    if (a == NULL)
        return;
    const char *loc = strstr(a, "refresh");
    if (loc != NULL) {
        long t = loc[7] == '=' ? atol(loc + 8) : 0;
        request_set_header(r, "Refresh",
                           arena_printf(r->arena, "%ld", t < 1 ? 10 : t));
    }
    if (strstr(a, "notable"))
        *notable = 1;
    if (strstr(a, "auto")) {
        request_set_content_type(r, "text/plain; charset=ISO-8859-1");
        *short_report = 1;
    }
}

/* The page itself; status_handler() has checked the handler's name. */
static __attribute__((noinline)) int status_page(request *r)
{
    if (sb_image == NULL || sb_image->global == NULL) {
        log_rerror(r, APLOG_ERR, "status", 0,
                   "AH01237: Server status unavailable in inetd mode");
        return 500;
    }
    if (r->method_number != M_GET)
        return DECLINED;
    int extended = r->rc->extended_status > 0;
    int short_report = 0, notable = 0;
    request_set_content_type(r, "text/html; charset=ISO-8859-1");
    read_options(r, &short_report, &notable);
    struct status st = {.sb = sb_image};
    take_snapshot(r, &st, extended);
    put_head(r, &st, short_report);
    if (extended)
        put_totals(r, &st, short_report);
    if (!short_report)
        request_printf(r,
                       "<dt>%d requests currently being processed, %d "
                       "workers gracefully restarting, %d idle workers</dt>\n"
                       "</dl>",
                       st.busy, st.graceful, st.ready);
    else
        request_printf(r,
                       "BusyWorkers: %d\nGracefulWorkers: %d\n"
                       "IdleWorkers: %d\n",
                       st.busy, st.graceful, st.ready);
    if (sb_image->global->is_async)
        put_async(r, &st, short_report);
    put_scoreboard(r, &st, short_report);
    if (short_report)
        return OK;
    put_key(r, &st, extended);
    if (extended)
        put_workers(r, &st, notable);
    else
        request_puts(r, "<hr />To obtain a full report with current status "
                        "information you need to use the "
                        "<code>ExtendedStatus On</code> directive.\n");
    request_puts(r, http_signature(r, "<hr />\n"));
    request_puts(r, "</body></html>\n");
    return OK;
}

/* ExtendedStatus left unset: On when LoadModule names the module, as
 * apache2's mod_status turns it on when it is loaded. */
static int status_post_config(resolved_config *rc, diag_sink *diag)
{
    (void)diag;
    if (rc->extended_status >= 0)
        return 0;
    rc->extended_status = 0;
    for (const loaded_module *lm = rc->modules; lm != NULL; lm = lm->next)
        if (lm->mod == &status_module && lm->conf_file != NULL)
            rc->extended_status = 1;
    return 0;
}

/* Runs for every request: the handler's first byte spares the others
 * both string compares (and the page's frame). */
static int status_handler(request *r)
{
    const char *h = r->handler;
    if (h == NULL || (h[0] != 's' && h[0] != 'a') ||
        (strcmp(h, "server-status") != 0 &&
         strcmp(h, "application/x-httpd-status") != 0))
        return DECLINED;
    return status_page(r);
}

module status_module = {
    .name = "status_module",
    .file = "mod_status.c",
    .post_config = status_post_config,
    .handler = status_handler,
};
