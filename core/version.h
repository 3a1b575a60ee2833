/* version.h -- who we are, and which Apache we are compatible with. */
#ifndef HTTPD_VERSION_H
#define HTTPD_VERSION_H

#define HTTPD_PRODUCT "httpd-ng"
#define HTTPD_VERSION "0.1.0"
/* <IfVersion> compares against the Apache release whose configuration
 * language we implement, so configurations written for it keep working. */
#define HTTPD_COMPAT_MAJOR 2
#define HTTPD_COMPAT_MINOR 4
#define HTTPD_COMPAT_PATCH 71
#define HTTPD_COMPAT_VERSION "2.4.71"

#endif
