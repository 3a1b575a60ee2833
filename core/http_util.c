/* http_util.c -- small HTTP helpers shared by the engine and the modules:
 * header tables, method numbers, reason phrases, escaping and dates. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "request.h"

/* ---- header tables --------------------------------------------------- */

/* strcasecmp(a, b) == 0, with the first letters compared inline first:
 * most names in a table differ there, and these lookups run several
 * times per request.  (x | 0x20) folds ASCII letters, so a true match
 * always passes the first test. */
static inline int same_name(const char *a, const char *b)
{
    return (a[0] | 0x20) == (b[0] | 0x20) && strcasecmp(a, b) == 0;
}

const char *req_table_get(const req_table *t, const char *name)
{
    for (int i = 0; i < t->n; i++)
        if (same_name(t->v[i].name, name))
            return t->v[i].value;
    return NULL;
}

void req_table_add(arena *a, req_table *t, const char *name, const char *value)
{
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 16;
        req_header *v = arena_alloc(a, sizeof(*v) * (size_t)cap);
        if (t->n)
            memcpy(v, t->v, sizeof(*v) * (size_t)t->n);
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n].name = name;
    t->v[t->n].value = value;
    t->n++;
}

void req_table_unset(req_table *t, const char *name)
{
    int j = 0;
    for (int i = 0; i < t->n; i++)
        if (!same_name(t->v[i].name, name))
            t->v[j++] = t->v[i];
    t->n = j;
}

void req_table_set(arena *a, req_table *t, const char *name, const char *value)
{
    for (int i = 0; i < t->n; i++) {
        if (same_name(t->v[i].name, name)) {
            t->v[i].value = value;
            /* drop later duplicates, keep this position */
            int j = i + 1;
            for (int k = i + 1; k < t->n; k++)
                if (!same_name(t->v[k].name, name))
                    t->v[j++] = t->v[k];
            t->n = j;
            return;
        }
    }
    req_table_add(a, t, name, value);
}

void req_table_append(arena *a, req_table *t, const char *name,
                      const char *value)
{
    for (int i = 0; i < t->n; i++) {
        if (same_name(t->v[i].name, name)) {
            t->v[i].value =
                arena_strcat(a, t->v[i].value, ", ", value, (char *)NULL);
            return;
        }
    }
    req_table_add(a, t, name, value);
}

static int has_token(const char *list, const char *tok)
{
    size_t tl = strlen(tok);
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *s = p;
        while (*p && *p != ',')
            p++;
        const char *e = p;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if ((size_t)(e - s) == tl && strncasecmp(s, tok, tl) == 0)
            return 1;
    }
    return 0;
}

void req_table_merge(arena *a, req_table *t, const char *name,
                     const char *value)
{
    const char *old = req_table_get(t, name);
    if (old != NULL && has_token(old, value))
        return;
    req_table_append(a, t, name, value);
}

/* Apache's ap_get_list_item(): the next item of a comma-separated field,
 * NULL at the end.  Outside quoted strings and comments the item is
 * lower-cased, runs of blanks become one space and blanks around '=',
 * '/' and ';' go; a backslash escapes the next byte. */
char *http_next_list_item(arena *a, const char **field)
{
    const char *p = *field;
    if (p == NULL)
        return NULL;
    for (;;) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        if (*p == '\0') {
            *field = NULL;
            return NULL;
        }
        char *out = arena_alloc(a, strlen(p) + 1), *o = out;
        int qpair = 0, qstr = 0, com = 0, space = 0;
        for (; *p && (qpair || qstr || com || *p != ','); p++) {
            char ch = *p;
            if (qpair) {
                qpair = 0;
                *o++ = ch;
                continue;
            }
            switch (ch) {
            case '\\':
            case '"':
            case '(':
                if (ch == '\\')
                    qpair = 1;
                else if (ch == '"' && !com)
                    qstr = !qstr;
                else if (ch == '(' && !qstr)
                    com++;
                if (space == 1)
                    *o++ = ' ';
                *o++ = ch;
                space = 0;
                break;
            case ')':
                if (com)
                    com--;
                *o++ = ch;
                space = 0;
                break;
            case ' ':
            case '\t':
                if (space)
                    break;
                if (com || qstr)
                    *o++ = ch;
                else
                    space = 1;
                break;
            case '=':
            case '/':
            case ';':
                if (!(com || qstr))
                    space = -1;
                *o++ = ch;
                break;
            default:
                if (space == 1)
                    *o++ = ' ';
                *o++ = (com || qstr) ? ch : (char)tolower((unsigned char)ch);
                space = 0;
                break;
            }
        }
        *o = '\0';
        *field = p;
        if (o != out)
            return out;
    }
}

void req_table_clear(req_table *t)
{
    t->n = 0;
}

/* ---- methods ---------------------------------------------------------- */

static const char *const method_names[] = {
    [M_GET] = "GET",
    [M_PUT] = "PUT",
    [M_POST] = "POST",
    [M_DELETE] = "DELETE",
    [M_CONNECT] = "CONNECT",
    [M_OPTIONS] = "OPTIONS",
    [M_TRACE] = "TRACE",
    [M_PATCH] = "PATCH",
    [M_PROPFIND] = "PROPFIND",
    [M_PROPPATCH] = "PROPPATCH",
    [M_MKCOL] = "MKCOL",
    [M_COPY] = "COPY",
    [M_MOVE] = "MOVE",
    [M_LOCK] = "LOCK",
    [M_UNLOCK] = "UNLOCK",
    [M_VERSION_CONTROL] = "VERSION-CONTROL",
    [M_CHECKOUT] = "CHECKOUT",
    [M_UNCHECKOUT] = "UNCHECKOUT",
    [M_CHECKIN] = "CHECKIN",
    [M_UPDATE] = "UPDATE",
    [M_LABEL] = "LABEL",
    [M_REPORT] = "REPORT",
    [M_MKWORKSPACE] = "MKWORKSPACE",
    [M_MKACTIVITY] = "MKACTIVITY",
    [M_BASELINE_CONTROL] = "BASELINE-CONTROL",
    [M_MERGE] = "MERGE",
};

int req_method_number(const char *name)
{
    if (name[0] == 'G' && name[1] == 'E' && name[2] == 'T' && name[3] == '\0')
        return M_GET; /* most requests: no string compares */
    if (strcmp(name, "HEAD") == 0)
        return M_GET;
    for (int i = 0; i < M_INVALID; i++)
        if (strcmp(method_names[i], name) == 0)
            return i;
    return M_INVALID;
}

/* ---- status lines ----------------------------------------------------- */

struct status_text {
    int code;
    const char *line;
};

/* apache2 2.4's table: a code it does not know (418, 425, 399...) goes out
 * with its 500 line */
static const struct status_text status_lines[] = {
    {100, "100 Continue"},
    {101, "101 Switching Protocols"},
    {102, "102 Processing"},
    {103, "103 Early Hints"},
    {200, "200 OK"},
    {201, "201 Created"},
    {202, "202 Accepted"},
    {203, "203 Non-Authoritative Information"},
    {204, "204 No Content"},
    {205, "205 Reset Content"},
    {206, "206 Partial Content"},
    {207, "207 Multi-Status"},
    {208, "208 Already Reported"},
    {226, "226 IM Used"},
    {300, "300 Multiple Choices"},
    {301, "301 Moved Permanently"},
    {302, "302 Found"},
    {303, "303 See Other"},
    {304, "304 Not Modified"},
    {305, "305 Use Proxy"},
    {307, "307 Temporary Redirect"},
    {308, "308 Permanent Redirect"},
    {400, "400 Bad Request"},
    {401, "401 Unauthorized"},
    {402, "402 Payment Required"},
    {403, "403 Forbidden"},
    {404, "404 Not Found"},
    {405, "405 Method Not Allowed"},
    {406, "406 Not Acceptable"},
    {407, "407 Proxy Authentication Required"},
    {408, "408 Request Timeout"},
    {409, "409 Conflict"},
    {410, "410 Gone"},
    {411, "411 Length Required"},
    {412, "412 Precondition Failed"},
    {413, "413 Request Entity Too Large"},
    {414, "414 Request-URI Too Long"},
    {415, "415 Unsupported Media Type"},
    {416, "416 Requested Range Not Satisfiable"},
    {417, "417 Expectation Failed"},
    {421, "421 Misdirected Request"},
    {422, "422 Unprocessable Entity"},
    {423, "423 Locked"},
    {424, "424 Failed Dependency"},
    {426, "426 Upgrade Required"},
    {428, "428 Precondition Required"},
    {429, "429 Too Many Requests"},
    {431, "431 Request Header Fields Too Large"},
    {451, "451 Unavailable For Legal Reasons"},
    {500, "500 Internal Server Error"},
    {501, "501 Not Implemented"},
    {502, "502 Bad Gateway"},
    {503, "503 Service Unavailable"},
    {504, "504 Gateway Timeout"},
    {505, "505 HTTP Version Not Supported"},
    {506, "506 Variant Also Negotiates"},
    {507, "507 Insufficient Storage"},
    {508, "508 Loop Detected"},
    {510, "510 Not Extended"},
    {511, "511 Network Authentication Required"},
};

const char *http_status_line(int status)
{
    if (status == 200) /* nearly every answer: no search */
        return "200 OK";
    int lo = 0, hi = (int)(sizeof(status_lines) / sizeof(status_lines[0])) - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (status_lines[mid].code == status)
            return status_lines[mid].line;
        if (status_lines[mid].code < status)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

const char *http_reason_phrase(int status)
{
    const char *line = http_status_line(status);
    return line ? line + 4 : NULL;
}

/* ---- escaping --------------------------------------------------------- */

char *req_escape_html(arena *a, const char *s)
{
    size_t extra = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '<' || *p == '>')
            extra += 3;
        else if (*p == '&')
            extra += 4;
        else if (*p == '"')
            extra += 5;
    }
    char *out = arena_alloc(a, strlen(s) + extra + 1), *o = out;
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '<':
            memcpy(o, "&lt;", 4);
            o += 4;
            break;
        case '>':
            memcpy(o, "&gt;", 4);
            o += 4;
            break;
        case '&':
            memcpy(o, "&amp;", 5);
            o += 5;
            break;
        case '"':
            memcpy(o, "&quot;", 6);
            o += 6;
            break;
        default:
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

/* Characters a path may carry unescaped (Apache's T_OS_ESCAPE_PATH). */
static int path_safe(unsigned char c)
{
    /* Apache's T_OS_ESCAPE_PATH: pchar plus '/' and ';' stay */
    return isalnum(c) || (c && strchr("$-_.+!*'(),:;@&=/~", c) != NULL);
}

char *req_escape_uri(arena *a, const char *path)
{
    static const char hex[] = "0123456789abcdef";
    char *out = arena_alloc(a, strlen(path) * 3 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (path_safe(*p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

/* ---- dates ------------------------------------------------------------ */

static const char wday_names[7][4] = {"Sun", "Mon", "Tue", "Wed",
                                      "Thu", "Fri", "Sat"};
static const char month_names[12][4] = {"Jan", "Feb", "Mar", "Apr",
                                        "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec"};

static char *put2(char *p, int v)
{
    v = v < 0 ? 0 : v % 100;
    *p++ = (char)('0' + v / 10);
    *p++ = (char)('0' + v % 10);
    return p;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT": fixed width, built by hand. */
/* gmtime_r() for 1970-01-01 to 9999-12-31 by arithmetic (days to civil
 * date, after H. Hinnant's algorithm): glibc's takes a process-wide lock
 * (tzset_lock) on every call, and this runs for every file served. */
static int civil_time(time_t t, struct tm *tm)
{
    if (t < 0 || t > (time_t)253402300799LL)
        return -1;
    long long days = (long long)t / 86400, secs = (long long)t % 86400;
    tm->tm_hour = (int)(secs / 3600);
    tm->tm_min = (int)(secs / 60 % 60);
    tm->tm_sec = (int)(secs % 60);
    tm->tm_wday = (int)((days + 4) % 7); /* 1970-01-01 was a Thursday */
    long long z = days + 719468;
    long long era = z / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int month = (int)(mp < 10 ? mp + 3 : mp - 9);
    tm->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    tm->tm_mon = month - 1;
    tm->tm_year = (int)(yoe + era * 400 + (month <= 2)) - 1900;
    return 0;
}

void http_format_date(char buf[32], time_t t)
{
    struct tm tm;
    if (civil_time(t, &tm) != 0 && gmtime_r(&t, &tm) == NULL)
        memset(&tm, 0, sizeof(tm));
    int year = tm.tm_year + 1900;
    if (year < 0 || year > 9999)
        year = 9999;
    char *p = buf;
    memcpy(p, wday_names[(unsigned)tm.tm_wday % 7], 3);
    p += 3;
    *p++ = ',';
    *p++ = ' ';
    p = put2(p, tm.tm_mday);
    *p++ = ' ';
    memcpy(p, month_names[(unsigned)tm.tm_mon % 12], 3);
    p += 3;
    *p++ = ' ';
    p = put2(p, year / 100);
    p = put2(p, year % 100);
    *p++ = ' ';
    p = put2(p, tm.tm_hour);
    *p++ = ':';
    p = put2(p, tm.tm_min);
    *p++ = ':';
    p = put2(p, tm.tm_sec);
    memcpy(p, " GMT", 5);
}

static int month_index(const char *m)
{
    for (int i = 0; i < 12; i++)
        if (strncasecmp(m, month_names[i], 3) == 0)
            return i;
    return -1;
}

static time_t tm_to_time(struct tm *tm)
{
    if (tm->tm_mon < 0 || tm->tm_mday < 1 || tm->tm_mday > 31 ||
        tm->tm_hour > 23 || tm->tm_min > 59 || tm->tm_sec > 61)
        return (time_t)-1;
    return timegm(tm);
}

time_t http_parse_date(const char *s)
{
    struct tm tm;
    char wd[16], mon[8];
    int day, year, h, m, sec;
    memset(&tm, 0, sizeof(tm));
    if (s == NULL)
        return (time_t)-1;
    while (*s == ' ' || *s == '\t')
        s++;
    /* RFC 1123: Sun, 06 Nov 1994 08:49:37 GMT */
    if (sscanf(s, "%15[A-Za-z], %d %3s %d %d:%d:%d GMT", wd, &day, mon, &year,
               &h, &m, &sec) == 7 &&
        year >= 1000) {
        tm.tm_year = year - 1900;
    } else if (sscanf(s, "%15[A-Za-z], %d-%3s-%d %d:%d:%d GMT", wd, &day, mon,
                      &year, &h, &m, &sec) == 7) {
        /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
        tm.tm_year = year < 70 ? year + 100 : (year < 100 ? year : year - 1900);
    } else if (sscanf(s, "%15s %3s %d %d:%d:%d %d", wd, mon, &day, &h, &m, &sec,
                      &year) == 7) {
        /* asctime: Sun Nov  6 08:49:37 1994 */
        tm.tm_year = year - 1900;
    } else {
        return (time_t)-1;
    }
    tm.tm_mon = month_index(mon);
    tm.tm_mday = day;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = sec;
    return tm_to_time(&tm);
}
