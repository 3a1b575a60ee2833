/* check_http_conn.c -- the connection state machine driven over a
 * socketpair, with a configuration loaded by conf_load(): responses,
 * resumption at every byte, keep-alive, pipelining, bodies, 100-continue,
 * timeouts and the wait states the event MPM relies on. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http_internal.h"
#include "mpm.h"

static char root[64];
static resolved_config *rc;

static void quiet(diag_sink *s, const struct diag *d)
{
    (void)s;
    if (d->severity == DIAG_ERROR)
        fprintf(stderr, "config: %s\n", d->message);
}

static void write_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static const char *mpm_name(void)
{
    if (mpm_static_module)
        return mpm_static_module->name;
    const char *m = getenv("DEFAULT_MPM");
    return m && *m ? m : "event";
}

static void setup(void)
{
    snprintf(root, sizeof(root), "/tmp/check_http_conn_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(root));
    char path[256];
    snprintf(path, sizeof(path), "%s/htdocs", root);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/logs", root);
    mkdir(path, 0755);
    write_file("htdocs/a.txt", "hello\n");
    write_file("htdocs/index.html", "<p>index</p>\n");
    write_file("mime.types", "text/plain txt\ntext/html html\n");
    char conf[1024];
    snprintf(conf, sizeof(conf),
             "LoadModule mpm_%s_module modules/mod_mpm_%s.so\n"
             "ServerName localhost\nListen 127.0.0.1:1\n"
             "DocumentRoot %s/htdocs\nErrorLog %s/logs/error_log\n"
             "TypesConfig %s/mime.types\nKeepAliveTimeout 3\nTimeout 7\n"
             "MaxKeepAliveRequests 3\nLimitRequestBody 100\n"
             "<Directory %s/htdocs>\nRequire all granted\n</Directory>\n",
             mpm_name(), mpm_name(), root, root, root, root);
    write_file("httpd.conf", conf);
    snprintf(path, sizeof(path), "%s/httpd.conf", root);
    const char *b = getenv("BUILDDIR");
    conf_options o = {
        .argv0 = "httpd", .server_root = b ? b : ".", .conf_file = path};
    diag_sink sink = {.emit = quiet};
    rc = conf_load(&o, &sink);
    ck_assert_ptr_nonnull(rc);
}

static void teardown(void)
{
    conf_release(rc);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
    ck_assert_int_eq(system(cmd), 0);
}

/* ---- a client on the other end -------------------------------------- */

struct pair {
    http_conn *c;
    int client;
};

static struct pair open_pair(void)
{
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct pair p = {http_conn_create(sv[0], NULL, 0, NULL, rc), sv[1]};
    ck_assert_ptr_nonnull(p.c);
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    return p;
}

static void close_pair(struct pair *p)
{
    if (p->c)
        http_conn_destroy(p->c);
    close(p->client);
}

static void send_str(struct pair *p, const char *s, size_t n)
{
    ck_assert_int_eq(write(p->client, s, n), (ssize_t)n);
}

/* Everything the server wrote so far. */
static char *recv_all(struct pair *p, char *buf, size_t size)
{
    size_t have = 0;
    for (;;) {
        ssize_t n = read(p->client, buf + have, size - 1 - have);
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    buf[have] = '\0';
    return buf;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

START_TEST(get_keeps_alive)
{
    struct pair p = open_pair();
    const char *req = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    send_str(&p, req, strlen(req));
    ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_KEEPALIVE);
    char buf[4096];
    recv_all(&p, buf, sizeof(buf));
    ck_assert_msg(strncmp(buf, "HTTP/1.1 200 OK\r\n", 17) == 0, "%s", buf);
    ck_assert_ptr_nonnull(strstr(buf, "\r\nContent-Length: 6\r\n"));
    ck_assert_ptr_nonnull(strstr(buf, "\r\nContent-Type: text/plain\r\n"));
    ck_assert_ptr_nonnull(strstr(buf, "\r\n\r\nhello\n"));
    ck_assert_int_eq(http_conn_requests(p.c), 1);
    ck_assert_int_eq(http_conn_wait_ms(p.c), 3000); /* KeepAliveTimeout */
    close_pair(&p);
}
END_TEST

/* Any split of the request gives the same answer: the engine never needs
 * the whole head in one read. */
START_TEST(resumes_at_every_byte)
{
    struct pair p = open_pair();
    const char *req =
        "POST /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        "\r\n3\r\nabc\r\n0\r\n\r\n";
    size_t n = strlen(req);
    for (size_t i = 0; i + 1 < n; i++) {
        send_str(&p, req + i, 1);
        ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_READ);
        ck_assert_int_eq(http_conn_wait_ms(p.c), 7000); /* Timeout */
    }
    send_str(&p, req + n - 1, 1);
    ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_KEEPALIVE);
    char buf[4096];
    recv_all(&p, buf, sizeof(buf));
    ck_assert_msg(strncmp(buf, "HTTP/1.1 200 OK\r\n", 17) == 0, "%s", buf);
    close_pair(&p);
}
END_TEST

START_TEST(pipelined_in_order)
{
    struct pair p = open_pair();
    const char *req = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                      "HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n";
    send_str(&p, req, strlen(req));
    ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_KEEPALIVE);
    char buf[8192];
    recv_all(&p, buf, sizeof(buf));
    const char *a = strstr(buf, "HTTP/1.1 200 OK"),
               *b = strstr(buf, "HTTP/1.1 404 Not Found");
    const char *c = a ? strstr(a + 1, "HTTP/1.1 200 OK") : NULL;
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(c);
    ck_assert(a < b && b < c);
    ck_assert_int_eq(count(buf, "<p>index</p>"), 0); /* HEAD: no body */
    ck_assert_int_eq(http_conn_requests(p.c), 3);
    close_pair(&p);
}
END_TEST

START_TEST(max_keepalive_requests)
{
    struct pair p = open_pair();
    const char *req = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    char buf[8192];
    for (int i = 0; i < 3; i++) {
        send_str(&p, req, strlen(req));
        enum http_wait w = http_conn_run(p.c);
        recv_all(&p, buf, sizeof(buf));
        ck_assert_ptr_nonnull(strstr(buf, "200 OK"));
        ck_assert_int_eq(w, HTTP_WAIT_KEEPALIVE);
    }
    /* MaxKeepAliveRequests 3: the 4th response closes */
    send_str(&p, req, strlen(req));
    enum http_wait w = http_conn_run(p.c);
    recv_all(&p, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "\r\nConnection: close\r\n"));
    ck_assert(w == HTTP_WAIT_LINGER || w == HTTP_DONE);
    close_pair(&p);
}
END_TEST

START_TEST(http10_closes_unless_asked)
{
    struct pair p = open_pair();
    const char *req = "GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    send_str(&p, req, strlen(req));
    ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_KEEPALIVE);
    char buf[4096];
    recv_all(&p, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(
        buf, "\r\nKeep-Alive: timeout=3, max=3\r\nConnection: Keep-Alive\r\n"));
    req = "GET /a.txt HTTP/1.0\r\n\r\n";
    send_str(&p, req, strlen(req));
    enum http_wait w = http_conn_run(p.c);
    recv_all(&p, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "\r\nConnection: close\r\n"));
    ck_assert(w == HTTP_WAIT_LINGER || w == HTTP_DONE);
    close_pair(&p);
}
END_TEST

START_TEST(expect_100_continue)
{
    struct pair p = open_pair();
    const char *head =
        "POST /a.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
        "Content-Length: 5\r\n\r\n";
    send_str(&p, head, strlen(head));
    ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_READ);
    char buf[4096];
    recv_all(&p, buf, sizeof(buf));
    ck_assert_str_eq(buf, "HTTP/1.1 100 Continue\r\n\r\n");
    send_str(&p, "hello", 5);
    ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_KEEPALIVE);
    recv_all(&p, buf, sizeof(buf));
    ck_assert_msg(strncmp(buf, "HTTP/1.1 200 OK\r\n", 17) == 0, "%s", buf);
    close_pair(&p);
}
END_TEST

START_TEST(body_over_limit_is_413)
{
    struct pair p = open_pair();
    const char *req =
        "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n";
    send_str(&p, req, strlen(req));
    enum http_wait w = http_conn_run(p.c);
    char buf[4096];
    recv_all(&p, buf, sizeof(buf));
    ck_assert_msg(strncmp(buf, "HTTP/1.1 413 ", 13) == 0, "%s", buf);
    ck_assert(w == HTTP_WAIT_LINGER || w == HTTP_DONE);
    close_pair(&p);
}
END_TEST

START_TEST(chunked_over_limit_is_413)
{
    struct pair p = open_pair();
    const char *req =
        "POST /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "64\r\n";
    send_str(&p, req, strlen(req));
    ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_READ);
    char data[101];
    memset(data, 'x', sizeof(data));
    send_str(&p, data, 100);
    send_str(&p, "\r\n1\r\nx\r\n", 8);
    http_conn_run(p.c);
    char buf[4096];
    recv_all(&p, buf, sizeof(buf));
    ck_assert_msg(strncmp(buf, "HTTP/1.1 413 ", 13) == 0, "%s", buf);
    close_pair(&p);
}
END_TEST

START_TEST(timeout_in_headers_is_408)
{
    struct pair p = open_pair();
    const char *req = "GET /a.txt HTTP/1.1\r\nHost: x\r\n";
    send_str(&p, req, strlen(req));
    ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_READ);
    enum http_wait w = http_conn_timeout(p.c);
    char buf[4096];
    recv_all(&p, buf, sizeof(buf));
    ck_assert_msg(strncmp(buf, "HTTP/1.1 408 Request Timeout\r\n", 30) == 0,
                  "%s", buf);
    ck_assert_ptr_nonnull(strstr(
        buf, "Server timeout waiting for the HTTP request from the client."));
    ck_assert(w == HTTP_WAIT_LINGER || w == HTTP_DONE);
    close_pair(&p);
}
END_TEST

START_TEST(timeout_in_request_line_is_silent)
{
    struct pair p = open_pair();
    send_str(&p, "GET /a.t", 8);
    ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_READ);
    ck_assert_int_eq(http_conn_timeout(p.c), HTTP_DONE);
    char buf[64];
    ck_assert_str_eq(recv_all(&p, buf, sizeof(buf)), "");
    close_pair(&p);
}
END_TEST

START_TEST(idle_timeout_closes)
{
    struct pair p = open_pair();
    ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_READ);
    ck_assert_int_eq(http_conn_timeout(p.c), HTTP_DONE);
    close_pair(&p);
}
END_TEST

START_TEST(client_close_is_done)
{
    struct pair p = open_pair();
    send_str(&p, "GET /a", 6);
    shutdown(p.client, SHUT_WR);
    ck_assert_int_eq(http_conn_run(p.c), HTTP_DONE);
    close_pair(&p);
}
END_TEST

START_TEST(smuggling_is_not_served)
{
    struct pair p = open_pair();
    const char *req =
        "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 37\r\n"
        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n";
    send_str(&p, req, strlen(req));
    http_conn_run(p.c);
    char buf[8192];
    recv_all(&p, buf, sizeof(buf));
    ck_assert_int_eq(count(buf, "HTTP/1.1 "), 1);
    ck_assert_int_eq(count(buf, "<p>index</p>"), 0);
    ck_assert_ptr_nonnull(strstr(buf, "\r\nConnection: close\r\n"));
    close_pair(&p);
}
END_TEST

/* A client that does not read: the engine parks on HTTP_WAIT_WRITE and
 * resumes where it stopped, for sendfile and for read+write. */
static void blocked_write(int sendfile_on)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/htdocs/big.bin", root);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 1000000; i++)
        fputc((i * 7 + i / 251) & 0xff, f);
    fclose(f);
    core_dir_conf *d = core_dir(rc->main_server->lookup_defaults);
    if (d)
        d->enable_sendfile = sendfile_on;
    for (section_conf *s = rc->main_server->dir_sections; s; s = s->next)
        if ((d = core_dir(s->module_config)) != NULL)
            d->enable_sendfile = sendfile_on;
    struct pair p = open_pair();
    int small = 8192;
    setsockopt(p.client, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    setsockopt(http_conn_fd(p.c), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
    const char *req = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n";
    send_str(&p, req, strlen(req));
    static char buf[1100000];
    size_t have = 0;
    int waits = 0;
    enum http_wait w;
    while ((w = http_conn_run(p.c)) == HTTP_WAIT_WRITE) {
        waits++;
        ssize_t n = read(p.client, buf + have, sizeof(buf) - have);
        ck_assert_int_gt(n, 0);
        have += (size_t)n;
    }
    ck_assert_int_eq(w, HTTP_WAIT_KEEPALIVE);
    ck_assert_int_gt(waits, 10);
    for (;;) {
        ssize_t n = read(p.client, buf + have, sizeof(buf) - have);
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    char *body = strstr(buf, "\r\n\r\n");
    ck_assert_ptr_nonnull(body);
    body += 4;
    ck_assert_int_eq(have - (size_t)(body - buf), 1000000);
    for (int i = 0; i < 1000000; i++)
        if ((unsigned char)body[i] != ((i * 7 + i / 251) & 0xff))
            ck_abort_msg("byte %d differs", i);
    close_pair(&p);
}

START_TEST(blocked_write_sendfile)
{
    blocked_write(1);
}
END_TEST

START_TEST(blocked_write_copy)
{
    blocked_write(0);
}
END_TEST

START_TEST(shutdown_closes_idle)
{
    struct pair p = open_pair();
    const char *req = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    send_str(&p, req, strlen(req));
    ck_assert_int_eq(http_conn_run(p.c), HTTP_WAIT_KEEPALIVE);
    http_conn_shutdown(p.c);
    ck_assert_int_eq(http_conn_run(p.c), HTTP_DONE);
    close_pair(&p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_conn");
    TCase *tc = tcase_create("conn");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, get_keeps_alive);
    tcase_add_test(tc, resumes_at_every_byte);
    tcase_add_test(tc, pipelined_in_order);
    tcase_add_test(tc, max_keepalive_requests);
    tcase_add_test(tc, http10_closes_unless_asked);
    tcase_add_test(tc, expect_100_continue);
    tcase_add_test(tc, body_over_limit_is_413);
    tcase_add_test(tc, chunked_over_limit_is_413);
    tcase_add_test(tc, timeout_in_headers_is_408);
    tcase_add_test(tc, timeout_in_request_line_is_silent);
    tcase_add_test(tc, idle_timeout_closes);
    tcase_add_test(tc, client_close_is_done);
    tcase_add_test(tc, smuggling_is_not_served);
    tcase_add_test(tc, shutdown_closes_idle);
    tcase_add_test(tc, blocked_write_sendfile);
    tcase_add_test(tc, blocked_write_copy);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
