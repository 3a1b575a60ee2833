/* listen.c -- the listening sockets, opened once before any fork and kept
 * across restarts; see server.h. */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_BACKLOG 511

/* "[::1]" -> "::1" in buf; other hosts unchanged. */
static const char *strip_brackets(const char *host, char *buf, size_t size)
{
    size_t len = strlen(host);
    if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
        snprintf(buf, size, "%.*s", (int)(len - 2), host + 1);
        return buf;
    }
    return host;
}

static int resolve(const listener_conf *lc, struct sockaddr_storage *ss,
                   socklen_t *len)
{
    char hbuf[256], port[16];
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(port, sizeof(port), "%d", lc->port);
    const char *host = NULL;
    if (lc->host != NULL && strcmp(lc->host, "*") != 0 && lc->host[0])
        host = strip_brackets(lc->host, hbuf, sizeof(hbuf));
    if (host == NULL) {
        /* All addresses: one IPv6 socket that also takes IPv4, as Apache
         * does, unless the system has no IPv6. */
        hints.ai_family = AF_INET6;
        if (getaddrinfo(NULL, port, &hints, &res) != 0) {
            hints.ai_family = AF_INET;
            if (getaddrinfo(NULL, port, &hints, &res) != 0)
                return -1;
        }
    } else if (getaddrinfo(host, port, &hints, &res) != 0) {
        return -1;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

static void addr_name(const struct sockaddr_storage *ss, socklen_t len,
                      char *buf, size_t size)
{
    char host[INET6_ADDRSTRLEN + 1], serv[8];
    if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof(host), serv,
                    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(buf, size, "(unknown)");
    else if (ss->ss_family == AF_INET6)
        snprintf(buf, size, "[%s]:%s", host, serv);
    else
        snprintf(buf, size, "%s:%s", host, serv);
}

static int make_sock(mpm_listener *l, int backlog, FILE *err)
{
    int one = 1;
    int fd = socket(l->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        goto fail;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
        goto fail;
    if (l->addr.ss_family == AF_INET6) {
        const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&l->addr;
        int v6only = !IN6_IS_ADDR_UNSPECIFIED(&a6->sin6_addr);
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
    }
    if (bind(fd, (struct sockaddr *)&l->addr, l->addrlen) < 0)
        goto fail;
    if (listen(fd, backlog) < 0)
        goto fail;
    l->fd = fd;
    return 0;
fail:;
    int e = errno;
    if (err != NULL)
        fprintf(err,
                "(%d)%s: AH00072: make_sock: could not bind to address %s\n", e,
                strerror(e), l->name);
    if (fd >= 0)
        close(fd);
    return -1;
}

/* Apache's accept filters: on Linux, any filter but "none" defers accept
 * until the client has sent data (TCP_DEFER_ACCEPT, 30 s, as Apache
 * sets it); http and https default to "data".  Applied on every
 * (re)load, to kept sockets too, so taking the directive out takes
 * effect on a graceful restart. */
static void apply_accept_filter(const resolved_config *rc,
                                const mpm_listener *l)
{
    const char *proto = l->conf && l->conf->proto ? l->conf->proto : "http";
    const char *filter = NULL;
    for (const accept_filter *f = rc->accept_filters; f && !filter; f = f->next)
        if (strcmp(f->proto, proto) == 0)
            filter = f->filter;
    if (filter == NULL)
        filter = strcmp(proto, "http") == 0 || strcmp(proto, "https") == 0
                     ? "data"
                     : "none";
    int secs = strcmp(filter, "none") == 0 ? 0 : 30;
    setsockopt(l->fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs, sizeof(secs));
}

static int same_addr(const mpm_listener *a, const mpm_listener *b)
{
    return a->addrlen == b->addrlen &&
           memcmp(&a->addr, &b->addr, a->addrlen) == 0;
}

int listen_open(const resolved_config *rc, mpm_listener **ls, int *n, FILE *err)
{
    int count = 0;
    for (const listener_conf *lc = rc->listeners; lc != NULL; lc = lc->next)
        count++;
    mpm_listener *nl = calloc((size_t)(count ? count : 1), sizeof(*nl));
    if (nl == NULL)
        return -1;
    int backlog = rc->listen_backlog > 0 ? rc->listen_backlog : DEFAULT_BACKLOG;
    int i = 0, failed = 0;
    char *kept = calloc((size_t)(*n ? *n : 1), 1);
    for (const listener_conf *lc = rc->listeners; lc != NULL;
         lc = lc->next, i++) {
        mpm_listener *l = &nl[i];
        l->fd = -1;
        l->conf = lc;
        if (resolve(lc, &l->addr, &l->addrlen) < 0) {
            if (err != NULL)
                fprintf(err,
                        "AH00077: alloc_listener: failed to set up sockaddr "
                        "for %s\n",
                        lc->host ? lc->host : "*");
            failed = 1;
            break;
        }
        addr_name(&l->addr, l->addrlen, l->name, sizeof(l->name));
        for (int j = 0; j < *n; j++) {
            if (!kept[j] && (*ls)[j].fd >= 0 && same_addr(&(*ls)[j], l)) {
                l->fd = (*ls)[j].fd;
                kept[j] = 1;
                break;
            }
        }
        if (l->fd < 0 && make_sock(l, backlog, err) < 0) {
            failed = 1;
            break;
        }
        apply_accept_filter(rc, l);
    }
    if (failed || count == 0) {
        /* Close only what this call opened. */
        for (int k = 0; k < count; k++) {
            int reused = 0;
            for (int j = 0; j < *n; j++)
                reused |= nl[k].fd >= 0 && nl[k].fd == (*ls)[j].fd;
            if (nl[k].fd >= 0 && !reused)
                close(nl[k].fd);
        }
        if (err != NULL)
            fprintf(err, "no listening sockets available, shutting down\n");
        free(nl);
        free(kept);
        return -1;
    }
    for (int j = 0; j < *n; j++)
        if (!kept[j] && (*ls)[j].fd >= 0)
            close((*ls)[j].fd);
    free(kept);
    free(*ls);
    *ls = nl;
    *n = count;
    return 0;
}

void listen_close_all(mpm_listener *ls, int n)
{
    for (int i = 0; i < n; i++)
        if (ls[i].fd >= 0)
            close(ls[i].fd);
    free(ls);
}
