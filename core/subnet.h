/* subnet.h -- IP subnets as Apache's apr_ipsubnet_create() reads them
 * ("10.1.2.3", "10.1", "10.0.0.0/8", "10.0.0.0/255.0.0.0", "fe80::/10"),
 * shared by "Require ip" and the expression language's -R and -ipmatch. */
#ifndef HTTPD_SUBNET_H
#define HTTPD_SUBNET_H

#include <sys/socket.h>

/* Address and mask in network byte order. */
typedef struct net_subnet {
    int family;             /* AF_INET or AF_INET6 */
    unsigned char addr[16]; /* 4 bytes used for AF_INET */
    unsigned char mask[16];
} net_subnet;

/* Parse word.  Returns NULL, "" when word does not look like an address
 * at all (a host name), or the tail of Apache's message
 * (": The specified IP address is invalid."). */
const char *net_subnet_parse(const char *word, net_subnet *out);

/* True when addr (AF_INET or AF_INET6 sockaddr) is inside subnet; an
 * IPv4-mapped IPv6 address matches IPv4 subnets. */
int net_subnet_match(const net_subnet *subnet, const struct sockaddr *addr);

/* The same for an address in text form; 0 if it does not parse. */
int net_subnet_match_text(const net_subnet *subnet, const char *ip);

#endif
