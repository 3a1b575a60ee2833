/* server.c -- from a loaded configuration to a running server, and the
 * restart loop; see server.h.
 *
 * Order, as Apache does it: listeners (before any fork, so a busy port is
 * reported to the person who started the server), the error log, detach,
 * the pid file, then the MPM.  On restart the configuration is loaded again
 * into a new generation; if that fails the errors are logged and the old
 * generation keeps serving (Apache's parent would exit).
 */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "sinks.h"
#include "version.h"

/* Apache's notices, whose numbers differ per MPM (facts from 2.4.71). */
struct mpm_notices {
    const char *mpm;
    const char *configured, *sigterm, *sigwinch, *sighup, *graceful;
};

static const struct mpm_notices notices[] = {
    {"prefork", "AH00163", "AH00169", "AH00170", "AH00173",
     "AH00171: Graceful restart requested, doing restart"},
    {"worker", "AH00292", "AH00295", "AH00296", "AH00298",
     "AH00297: SIGUSR1 received.  Doing graceful restart"},
    {"event", "AH00489", "AH00491", "AH00492", "AH00494",
     "AH00493: SIGUSR1 received.  Doing graceful restart"},
};

static const struct mpm_notices *notices_for(const struct mpm_module *m)
{
    for (size_t i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
        if (m != NULL && m->name != NULL &&
            strcmp(m->name, notices[i].mpm) == 0)
            return &notices[i];
    return &notices[0];
}

static void mpm_log_name(const struct mpm_module *m, char *buf, size_t size)
{
    snprintf(buf, size, "mpm_%s", m && m->name ? m->name : "unknown");
}

/* ---- pid file -------------------------------------------------------- */

const char *server_pid_path(const resolved_config *rc)
{
    const char *p = rc->pid_file ? rc->pid_file : "logs/httpd.pid";
    if (p[0] == '/')
        return p;
    /* Apache resolves a relative PidFile against ServerRoot. */
    const char *base = rc->server_root;
    if (base == NULL)
        return p;
    return arena_printf(rc->arena, "%s/%s", base, p);
}

long server_read_pid(const resolved_config *rc)
{
    FILE *f = fopen(server_pid_path(rc), "r");
    if (f == NULL)
        return 0;
    long pid = 0;
    if (fscanf(f, "%ld", &pid) != 1 || pid <= 0)
        pid = 0;
    fclose(f);
    return pid;
}

static int write_pid(const resolved_config *rc, const char *short_name)
{
    const char *path = server_pid_path(rc);
    long old = server_read_pid(rc);
    if (old > 0 && old != (long)getpid())
        log_error(APLOG_WARNING, "core", 0,
                  "AH00098: pid file %s overwritten -- Unclean shutdown of "
                  "previous %s run?",
                  path, HTTPD_PRODUCT);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        log_error(APLOG_ERR, "core", e, "AH00099: could not create %s", path);
        log_error(APLOG_ERR, "core", 0,
                  "AH00100: %s: could not log pid to file %s", short_name,
                  path);
        if (log_fileno() != 2) /* and tell whoever started us */
            fprintf(stderr,
                    "(%d)%s: AH00099: could not create %s\n"
                    "AH00100: %s: could not log pid to file %s\n",
                    e, strerror(e), path, short_name, path);
        return -1;
    }
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    ssize_t w = write(fd, buf, (size_t)n);
    close(fd);
    return w == n ? 0 : -1;
}

static void remove_pid(const resolved_config *rc)
{
    if (server_read_pid(rc) == (long)getpid())
        unlink(server_pid_path(rc));
}

/* ---- user ------------------------------------------------------------ */

/* The identity children take, resolved in the parent (name lookups are
 * not safe in a child forked from a threaded process) and applied in every
 * child by a fork handler, so no child serves as root whichever MPM forked
 * it.  The parent keeps root, as Apache's does, to reopen logs and bind new
 * Listen addresses on reload. */
static struct {
    int active;    /* running as root with a User: children switch */
    int suspended; /* forks that must keep root (piped loggers) */
    uid_t uid;
    gid_t gid;
    gid_t groups[256];
    int ngroups;
} child_identity;

static int resolve_identity(const resolved_config *rc)
{
    memset(&child_identity, 0, sizeof(child_identity));
    if (geteuid() != 0 || rc->user == NULL)
        return 0;
    const char *name = rc->user;
    struct passwd *pw = name[0] == '#' ? NULL : getpwnam(name);
    if (name[0] != '#' && pw == NULL) {
        log_error(APLOG_ALERT, "unixd", 0, "AH02155: getpwnam: unknown user %s",
                  name);
        return -1;
    }
    child_identity.uid = pw ? pw->pw_uid : (uid_t)strtol(name + 1, NULL, 10);
    child_identity.gid = pw ? pw->pw_gid : (gid_t)-1;
    if (rc->group != NULL) {
        struct group *gr = rc->group[0] == '#' ? NULL : getgrnam(rc->group);
        if (rc->group[0] != '#' && gr == NULL) {
            log_error(APLOG_ALERT, "unixd", 0,
                      "AH00024: getgrnam: unknown group %s", rc->group);
            return -1;
        }
        child_identity.gid =
            gr ? gr->gr_gid : (gid_t)strtol(rc->group + 1, NULL, 10);
    }
    if (child_identity.gid == (gid_t)-1)
        child_identity.gid = getegid();
    child_identity.ngroups = 1;
    child_identity.groups[0] = child_identity.gid;
    if (pw != NULL) {
        int n = (int)(sizeof(child_identity.groups) / sizeof(gid_t));
        if (getgrouplist(name, child_identity.gid, child_identity.groups, &n) >=
            0)
            child_identity.ngroups = n;
    }
    child_identity.active = 1;
    return 0;
}

/* Switch to the prepared identity: only system calls, safe after fork. */
static int apply_identity(void)
{
    if (!child_identity.active || geteuid() != 0)
        return 0;
    if (setgroups((size_t)child_identity.ngroups, child_identity.groups) < 0 ||
        setgid(child_identity.gid) < 0 || setuid(child_identity.uid) < 0)
        return -1;
    return 0;
}

static void child_after_fork(void)
{
    if (child_identity.suspended || apply_identity() == 0)
        return;
    static const char msg[] = "AH02161: setuid: unable to change to the "
                              "User/Group of the configuration\n";
    ssize_t w = write(2, msg, sizeof(msg) - 1);
    (void)w;
    _exit(1); /* never serve as root by accident */
}

int server_drop_privileges(const resolved_config *rc)
{
    if (geteuid() != 0)
        return 0;
    if (resolve_identity(rc) < 0)
        return -1;
    if (apply_identity() < 0) {
        log_error(APLOG_ALERT, "unixd", errno,
                  "AH02161: setuid: unable to change to uid: %ld",
                  (long)child_identity.uid);
        return -1;
    }
    return 0;
}

/* ---- detaching ------------------------------------------------------- */

/* Fork into the background.  The invoking process waits until the daemon
 * says it is ready (pid file written) or failed, so `httpd -k start`
 * returns with the server up, or with exit status 1.  Returns the fd the
 * daemon writes its readiness to (or -1 in the foreground). */
static int detach(void)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid > 0) {
        close(fds[1]);
        char c = 0;
        ssize_t r;
        do
            r = read(fds[0], &c, 1);
        while (r < 0 && errno == EINTR);
        _exit(r == 1 && c == 'y' ? 0 : 1);
    }
    close(fds[0]);
    setsid();
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        if (null > 2)
            close(null);
    }
    return fds[1];
}

static void ready(int *fd, int ok)
{
    if (*fd < 0)
        return;
    ssize_t w = write(*fd, ok ? "y" : "n", 1);
    (void)w;
    close(*fd);
    *fd = -1;
}

/* The modules' logs (mod_log_config's CustomLog files and programs), once
 * the error log is open: as in Apache, whose stderr is the error log by
 * then, what they say and AH00015 go there (nowhere with syslog). */
static int open_module_logs(resolved_config *rc)
{
    const char *startup;
    if (conf_open_logs(rc, &startup) == 0)
        return 0;
    fflush(stderr);
    log_redirect_stderr();
    if (startup != NULL)
        fprintf(stderr, "%s\n", startup);
    fprintf(stderr, "AH00015: Unable to open logs\n");
    fflush(stderr);
    return -1;
}

/* ---- the loop -------------------------------------------------------- */

static void log_configured(const resolved_config *rc,
                           const struct server_options *so)
{
    char mod[64];
    mpm_log_name(rc->mpm, mod, sizeof(mod));
    log_error(APLOG_NOTICE, mod, 0,
              "%s: %s/%s (Unix) configured -- resuming normal operations",
              notices_for(rc->mpm)->configured, HTTPD_PRODUCT, HTTPD_VERSION);
    log_error(APLOG_NOTICE, "core", 0, "AH00094: Command line: '%s'",
              so->command_line);
}

static void log_exit_reason(const resolved_config *rc, enum mpm_exit why)
{
    const struct mpm_notices *n = notices_for(rc->mpm);
    char mod[64];
    mpm_log_name(rc->mpm, mod, sizeof(mod));
    switch (why) {
    case MPM_EXIT_STOP:
        log_error(APLOG_NOTICE, mod, 0, "%s: caught SIGTERM, shutting down",
                  n->sigterm);
        break;
    case MPM_EXIT_GRACEFUL_STOP:
        log_error(APLOG_NOTICE, mod, 0,
                  "%s: caught SIGWINCH, shutting down gracefully", n->sigwinch);
        break;
    case MPM_EXIT_RESTART:
        log_error(APLOG_NOTICE, mod, 0,
                  "%s: SIGHUP received.  Attempting to restart", n->sighup);
        break;
    case MPM_EXIT_GRACEFUL:
        log_error(APLOG_NOTICE, mod, 0, "%s", n->graceful);
        break;
    case MPM_EXIT_ERROR:
    default:
        log_error(APLOG_ALERT, mod, 0, "the %s MPM could not continue; exiting",
                  rc->mpm && rc->mpm->name ? rc->mpm->name : "selected");
        break;
    }
}

/* Load the next generation.  On success the listeners and the error log
 * follow it and it is returned; on failure everything is logged and NULL
 * is returned (the caller keeps serving the old one). */
static resolved_config *reload(resolved_config *old, conf_options *opts,
                               const struct server_options *so,
                               mpm_listener **ls, int *n)
{
    diag_sink sink;
    sink_apache_init(&sink, so->short_name, NULL, 1);
    sink.keep_going = 1; /* a running server logs every problem at once */
    opts->generation = old->generation + 1;
    opts->check_only = 0;
    resolved_config *rc = conf_load(opts, &sink);
    if (rc == NULL) {
        log_error(APLOG_ERR, "core", 0,
                  "configuration reload failed (%d error%s): still serving "
                  "generation %u of %s",
                  sink.errors > 0 ? sink.errors : 1,
                  sink.errors == 1 ? "" : "s", old->generation,
                  old->conf_file ? old->conf_file : "the configuration");
        return NULL;
    }
    rc->generation = opts->generation;
    fflush(stderr);
    if (listen_open(rc, ls, n, stderr) < 0) {
        fflush(stderr);
        log_error(APLOG_ERR, "core", 0,
                  "configuration reload failed: could not open its listeners; "
                  "still serving generation %u",
                  old->generation);
        conf_release(rc);
        return NULL;
    }
    const char *err;
    child_identity.suspended = 1;
    if (log_open(rc, &err) < 0)
        log_error(APLOG_ERR, "core", 0, "%s (keeping the previous error log)",
                  err);
    else
        log_redirect_stderr();
    int logs_failed = open_module_logs(rc) < 0;
    child_identity.suspended = 0;
    if (logs_failed) {
        log_error(APLOG_ERR, "core", 0,
                  "configuration reload failed: could not open its logs; "
                  "still serving generation %u",
                  old->generation);
        conf_release(rc);
        return NULL;
    }
    if (resolve_identity(rc) < 0) {
        log_error(APLOG_ERR, "core", 0,
                  "configuration reload failed: its User/Group cannot be used; "
                  "still serving generation %u",
                  old->generation);
        resolve_identity(old);
        conf_release(rc);
        return NULL;
    }
    return rc;
}

static int serve(resolved_config *rc, conf_options *opts,
                 const struct server_options *so, mpm_listener **ls, int *n)
{
    mpm_context ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.one_process = so->one_process;
    ctx.foreground = so->foreground || so->one_process;
    resolved_config *retired = NULL;
    int status = 0;
    for (;;) {
        ctx.rc = rc;
        ctx.listeners = *ls;
        ctx.nlisteners = *n;
        log_configured(rc, so);
        enum mpm_exit why = rc->mpm->run(&ctx);
        /* The generation before this run is now unused by this process. */
        if (retired != NULL) {
            conf_release(retired);
            retired = NULL;
        }
        log_exit_reason(rc, why);
        if (why != MPM_EXIT_RESTART && why != MPM_EXIT_GRACEFUL) {
            status = why == MPM_EXIT_ERROR ? 1 : 0;
            break;
        }
        ctx.restart_count++;
        ctx.last_exit = why;
        resolved_config *next = reload(rc, opts, so, ls, n);
        if (next != NULL) {
            if (server_pid_path(next) != NULL &&
                strcmp(server_pid_path(next), server_pid_path(rc)) != 0) {
                remove_pid(rc);
                write_pid(next, so->short_name);
            }
            retired = rc;
            rc = next;
        }
    }
    remove_pid(rc);
    if (retired != NULL)
        conf_release(retired);
    conf_release(rc);
    return status;
}

int server_main(resolved_config *rc, conf_options *opts,
                const struct server_options *so)
{
    mpm_listener *ls = NULL;
    int n = 0;
    int ready_fd = -1;
    const char *err;
    if (rc->mpm == NULL || rc->mpm->run == NULL) {
        fprintf(stderr, "%s: no MPM to run\n", so->short_name);
        goto fail;
    }
    if (listen_open(rc, &ls, &n, stderr) < 0) {
        fprintf(stderr, "AH00015: Unable to open logs\n");
        goto fail;
    }
    if (log_check(rc, &err) < 0 || log_open(rc, &err) < 0) {
        fprintf(stderr, "%s\nAH00015: Unable to open logs\n", err);
        goto fail;
    }
    if (open_module_logs(rc) < 0)
        goto fail;
    if (!so->foreground && !so->one_process)
        ready_fd = detach();
    if (write_pid(rc, so->short_name) < 0)
        goto fail;
    if (so->one_process ? server_drop_privileges(rc) < 0
                        : resolve_identity(rc) < 0) {
        remove_pid(rc);
        goto fail;
    }
    if (!so->one_process) {
        static int registered;
        if (!registered && pthread_atfork(NULL, NULL, child_after_fork) == 0)
            registered = 1;
    }
    fflush(stderr);
    log_redirect_stderr();
    ready(&ready_fd, 1);
    int status = serve(rc, opts, so, &ls, &n);
    listen_close_all(ls, n);
    log_close();
    return status;
fail:
    ready(&ready_fd, 0);
    listen_close_all(ls, n);
    conf_release(rc);
    log_close();
    return 1;
}
