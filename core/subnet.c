/* subnet.c -- IP subnets with apr_ipsubnet_create()'s rules (subnet.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "subnet.h"

static int looks_like_ip(const char *s)
{
    if (*s == '\0')
        return 0;
    if (strchr(s, ':'))
        return 1;
    while (*s == '.' || isdigit((unsigned char)*s))
        s++;
    return *s == '\0';
}

/* "10.1." style network: each given octet is fully masked. */
static int parse_network(const char *s, net_subnet *out)
{
    int shift = 24, any = 0;
    unsigned long addr = 0, mask = 0;
    if (strlen(s) >= sizeof("255.255.255.255"))
        return -1;
    while (*s) {
        if (!isdigit((unsigned char)*s) || shift < 0)
            return -1;
        long octet = 0;
        while (isdigit((unsigned char)*s))
            octet = octet * 10 + (*s++ - '0');
        if (*s == '.')
            s++;
        else if (*s)
            return -1;
        if (octet > 255)
            return -1;
        addr |= (unsigned long)octet << shift;
        mask |= 0xFFUL << shift;
        shift -= 8;
        any = 1;
    }
    if (!any)
        return -1;
    out->family = AF_INET;
    for (int i = 0; i < 4; i++) {
        out->addr[i] = (unsigned char)(addr >> (24 - 8 * i));
        out->mask[i] = (unsigned char)(mask >> (24 - 8 * i));
    }
    return 0;
}

static const char *parse_mask(const char *m, net_subnet *out)
{
    char *end;
    long bits = strtol(m, &end, 10);
    long maxbits = out->family == AF_INET6 ? 128 : 32;
    if (*m != '\0' && *end == '\0' && bits > 0 && bits <= maxbits) {
        memset(out->mask, 0, sizeof(out->mask));
        for (long i = 0; i < bits; i++)
            out->mask[i / 8] |= (unsigned char)(0x80 >> (i % 8));
        return NULL;
    }
    struct in_addr a4;
    if (out->family == AF_INET && inet_pton(AF_INET, m, &a4) == 1) {
        memcpy(out->mask, &a4, 4);
        return NULL;
    }
    return ": The specified network mask is invalid.";
}

const char *net_subnet_parse(const char *word, net_subnet *out)
{
    char ip[128];
    const char *slash = strchr(word, '/');
    size_t len = slash ? (size_t)(slash - word) : strlen(word);
    if (len >= sizeof(ip))
        return ": The specified IP address is invalid.";
    memcpy(ip, word, len);
    ip[len] = '\0';
    memset(out, 0, sizeof(*out));
    if (!looks_like_ip(ip))
        return "";
    memset(out->mask, 0xFF, sizeof(out->mask));
    struct in6_addr a6;
    struct in_addr a4;
    if (inet_pton(AF_INET6, ip, &a6) == 1) {
        if (IN6_IS_ADDR_V4MAPPED(&a6))
            return ": The specified IP address is invalid.";
        out->family = AF_INET6;
        memcpy(out->addr, &a6, 16);
    } else if (inet_pton(AF_INET, ip, &a4) == 1) {
        out->family = AF_INET;
        memcpy(out->addr, &a4, 4);
    } else if (slash != NULL || parse_network(ip, out) != 0) {
        return ": The specified IP address is invalid.";
    }
    if (slash != NULL) {
        const char *err = parse_mask(slash + 1, out);
        if (err)
            return err;
    }
    for (int i = 0; i < 16; i++)
        out->addr[i] &= out->mask[i];
    return NULL;
}

int net_subnet_match(const net_subnet *sn, const struct sockaddr *sa)
{
    const unsigned char *a;
    int n;
    unsigned char mapped[4];
    if (sa->sa_family == AF_INET) {
        a = (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
        n = 4;
    } else if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a6 =
            &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a6) && sn->family == AF_INET) {
            memcpy(mapped, (const unsigned char *)a6 + 12, 4);
            a = mapped;
            n = 4;
        } else {
            a = (const unsigned char *)a6;
            n = 16;
        }
    } else {
        return 0;
    }
    if ((n == 4) != (sn->family == AF_INET))
        return 0;
    for (int i = 0; i < n; i++)
        if ((a[i] & sn->mask[i]) != sn->addr[i])
            return 0;
    return 1;
}

int net_subnet_match_text(const net_subnet *sn, const char *ip)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, ip, &s4->sin_addr) == 1)
        s4->sin_family = AF_INET;
    else if (inet_pton(AF_INET6, ip, &s6->sin6_addr) == 1)
        s6->sin6_family = AF_INET6;
    else
        return 0;
    return net_subnet_match(sn, (const struct sockaddr *)&ss);
}
