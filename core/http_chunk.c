/* http_chunk.c -- chunked request-body decoder (RFC 9112 section 7.1), with
 * the leniency apache2 2.4.71 shows: leading zeroes, whitespace after the
 * size, chunk extensions of any shape up to the CR; but a bare LF, a
 * missing size, a sign or "0x", data longer than announced or a trailer
 * line that would not pass as a request header field are 400, and a size
 * that overflows is 413. */
#include <ctype.h>
#include <string.h>

#include "http_proto.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* One byte of the size line (CHUNK_SIZE / CHUNK_EXT). */
static long size_byte(http_chunk *c, unsigned char ch)
{
    int h;
    if (c->state == CHUNK_SIZE && c->trailer_len == 0 &&
        (h = hexval(ch)) >= 0) {
        if (c->size > (INT64_MAX >> 4))
            return -413;
        c->size = c->size * 16 + h;
        c->ndigits++;
        return 0;
    }
    if (c->ndigits == 0)
        return -400;
    if (ch == '\r') {
        c->state = CHUNK_SIZE_LF;
        return 0;
    }
    if (ch == '\n' || (ch < 0x20 && ch != '\t') || ch == 0x7f)
        return -400;
    if (c->state == CHUNK_SIZE) {
        /* whitespace after the digits, then ';' */
        if (ch == ' ' || ch == '\t') {
            c->trailer_len = 1; /* digits are over */
            return 0;
        }
        if (ch != ';')
            return -400;
        c->state = CHUNK_EXT;
    }
    return 0;
}

/* One byte of the trailer section.  Its lines are judged as apache2
 * judges request header fields: no whitespace in or before the name's
 * colon, a continuation line only after a field, and with Strict (the
 * default) only token characters in the name and no control characters
 * in the value. */
static long trailer_byte(http_chunk *c, unsigned char ch, int limit)
{
    if (c->state == CHUNK_TRAILER_LF) {
        if (ch != '\n')
            return -400;
        if (c->trailer_len == 0) {
            c->state = CHUNK_DONE;
            return 0;
        }
        if (!c->trailer_colon && !c->trailer_cont)
            return -400;
        /* trailers count against LimitRequestFields, as in apache2 */
        if (!c->trailer_cont && c->max_fields > 0 &&
            ++c->trailer_fields > c->max_fields) {
            c->trailer_error = CHUNK_TRAILER_TOO_MANY;
            return -400;
        }
        c->trailer_field = 1;
        c->trailer_len = 0;
        c->trailer_colon = 0;
        c->trailer_cont = 0;
        c->state = CHUNK_TRAILER;
        return 0;
    }
    if (ch == '\r') {
        c->state = CHUNK_TRAILER_LF;
        return 0;
    }
    if (ch == '\n' || ch == 0)
        return -400;
    if (c->trailer_len == 0 && (ch == ' ' || ch == '\t')) {
        if (!c->trailer_field)
            return -400; /* folding with no field before it */
        c->trailer_cont = 1;
    } else if (!c->trailer_colon && !c->trailer_cont) {
        if (ch == ':') {
            if (c->trailer_len == 0)
                return -400;
            c->trailer_colon = 1;
        } else if (ch == ' ' || ch == '\t') {
            return -400; /* whitespace in or after the name */
        } else if (!c->unsafe && !http_is_tchar(ch)) {
            return -400;
        }
    } else if (!c->unsafe && ch != '\t' && (ch < 0x20 || ch == 0x7f)) {
        return -400;
    }
    if (c->trailer_len < (int)sizeof(c->trailer_head))
        c->trailer_head[c->trailer_len] = (char)ch;
    if (++c->trailer_len > limit) {
        c->trailer_error = CHUNK_TRAILER_TOO_LONG;
        return -400;
    }
    return 0;
}

long http_chunk_feed(http_chunk *c, const char *in, size_t len,
                     int64_t *data_bytes, int trailer_limit)
{
    size_t i = 0;
    *data_bytes = 0;
    while (i < len && c->state != CHUNK_DONE) {
        unsigned char ch = (unsigned char)in[i];
        long rc = 0;
        switch (c->state) {
        case CHUNK_SIZE:
        case CHUNK_EXT:
            rc = size_byte(c, ch);
            i++;
            break;
        case CHUNK_SIZE_LF:
            if (ch != '\n')
                return -400;
            i++;
            c->state = c->size == 0 ? CHUNK_TRAILER : CHUNK_DATA;
            c->trailer_len = 0;
            c->trailer_colon = 0;
            break;
        case CHUNK_DATA: {
            size_t n = len - i;
            if ((int64_t)n > c->size)
                n = (size_t)c->size;
            if (c->on_data != NULL && n > 0)
                c->on_data(c->on_data_ctx, in + i, n);
            c->size -= (int64_t)n;
            c->total += (int64_t)n;
            *data_bytes += (int64_t)n;
            i += n;
            if (c->size == 0)
                c->state = CHUNK_DATA_CR;
            break;
        }
        case CHUNK_DATA_CR:
            if (ch != '\r')
                return -400;
            c->state = CHUNK_DATA_LF;
            i++;
            break;
        case CHUNK_DATA_LF:
            if (ch != '\n')
                return -400;
            c->state = CHUNK_SIZE;
            c->size = 0;
            c->ndigits = 0;
            c->trailer_len = 0;
            i++;
            break;
        case CHUNK_TRAILER:
        case CHUNK_TRAILER_LF:
            rc = trailer_byte(c, ch, trailer_limit > 0 ? trailer_limit : 8192);
            if (rc < 0 && c->trailer_error == 0)
                c->trailer_error = CHUNK_TRAILER_BAD;
            i++;
            break;
        case CHUNK_DONE:
            break;
        }
        if (rc < 0)
            return rc;
    }
    return (long)i;
}
