/* mod_reqtimeout.h -- RequestReadTimeout: how long a request's head and
 * body may take to arrive, for the connection engine (core/http_conn.c). */
#ifndef HTTPD_MOD_REQTIMEOUT_H
#define HTTPD_MOD_REQTIMEOUT_H

#include <stdint.h>

#include "conf.h"

/* One stage's limit: init seconds from its start (0: none), growing by a
 * second for every rate bytes received (rate 0: fixed), up to max. */
typedef struct reqtimeout_stage {
    int init, max, rate;
} reqtimeout_stage;

enum reqtimeout_kind { REQTIMEOUT_HEADER, REQTIMEOUT_BODY };

/* The limit for s (a server's configuration; Apache's defaults,
 * header=20-40,MinRate=500 body=20,MinRate=500, unless it says otherwise). */
reqtimeout_stage reqtimeout_limit(const server_conf *s, enum reqtimeout_kind k);

/* Milliseconds after the stage's start at which it times out, for bytes
 * received so far; -1 when the stage has no limit. */
int64_t reqtimeout_deadline_ms(reqtimeout_stage st, int64_t bytes);

#endif
