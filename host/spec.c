/* host/spec.c: the spec-suite runner's driver (build/spec-runner).
 *
 *   spec-runner [-v] [-j JOBS] [-t SECONDS] [-b guard|explicit|both] SCRIPT.json...
 *
 * Each script (wast2json's output for one .wast file) runs in a child
 * process of its own, so that an engine crash or hang costs that file's
 * remaining commands and nothing else: the child reports each command's
 * outcome through a pipe as it goes, and the parent counts what never
 * arrived as failed. Up to JOBS children run at once; a child past its time
 * limit is killed. Output, in the order of the arguments, per bounds mode:
 *
 *   NAME.wast: N passed, N failed, N skipped
 *   spec: N passed, N failed, N skipped (bounds: guard)
 *
 * with -v, every failure first as `  NAME.wast:LINE: message`. The exit
 * status is 0 when nothing failed, 1 otherwise, 2 on a usage error. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "host/spec_run.h"
#include "wasm/wasm.h"

static const struct { const char *name; unsigned flags; } modes[] = {
    { "guard", 0 },
    { "explicit", WASM_MODULE_EXPLICIT_BOUNDS },
};

typedef struct job {
    const char *script;
    int mode;
    pid_t pid;
    int fd;                   /* read end of the child's report pipe */
    double deadline;
    int state;                /* WAITING, RUNNING, FINISHED */
    int timed_out;
    char *in;                 /* partial record from the pipe */
    size_t inlen, incap;
    int total;                /* -1 until the child says */
    int passed, failed, skipped;
    int last_line;            /* of the last command reported */
    int ended;                /* the child reported it had finished */
    char *log;                /* failure messages, for -v */
    size_t loglen, logcap;
    char note[160];           /* why the child stopped early */
} job;

enum { WAITING, RUNNING, FINISHED };

static int verbose;
static int nscripts, first_mode;   /* jobs are mode-major: [mode][script] */
static long failed_total;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "build/spec/i32.json" -> "i32.wast" */
static void wast_name(const char *script, char *buf, size_t cap)
{
    const char *base = strrchr(script, '/');
    base = base ? base + 1 : script;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    snprintf(buf, cap, "%.*s.wast", (int)n, base);
}

static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 1024;
        while (*len + n + 1 > c)
            c *= 2;
        char *bigger = realloc(*buf, c);
        if (!bigger)
            return;   /* lose the text, keep the counts */
        *buf = bigger;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = 0;
}

static void log_failure(job *j, int line, const char *msg)
{
    char name[256], head[320];
    if (!verbose)
        return;
    wast_name(j->script, name, sizeof name);
    int n = snprintf(head, sizeof head, "  %s:%d: ", name, line);
    append(&j->log, &j->loglen, &j->logcap, head, (size_t)n);
    append(&j->log, &j->loglen, &j->logcap, msg, strlen(msg));
    append(&j->log, &j->loglen, &j->logcap, "\n", 1);
}

/* ---- the child: run one script, report through the pipe ---- */

/* Records are lines: "n TOTAL", then "p LINE" / "s LINE" / "f LINE MESSAGE"
 * per command, and "e" at the end. One write per record, so that whatever
 * was reported before a crash reaches the parent. */
static void put_record(int fd, const char *fmt, ...)
{
    char rec[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(rec, sizeof rec, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof rec) {
        n = sizeof rec - 1;
        rec[n - 1] = '\n';
    }
    for (char *p = rec; p < rec + n - 1; p++)
        if (*p == '\n')
            *p = ' ';
    const char *p = rec;
    while (n > 0) {
        ssize_t w = write(fd, p, (size_t)n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(3);
        p += w;
        n -= (int)w;
    }
}

static void child_total(void *ctx, int commands)
{
    put_record(*(int *)ctx, "n %d\n", commands);
}

static void child_result(void *ctx, int line, int outcome, const char *msg)
{
    put_record(*(int *)ctx, "%c %d %s\n", outcome, line, outcome == SPEC_FAIL && msg ? msg : "");
}

static void child_main(const char *script, unsigned flags, int fd)
{
    spec_reporter rep = { child_total, child_result, &fd };
    spec_run_file(script, flags, &rep);
    put_record(fd, "e\n");
    /* exit, not _exit: under ASan, LeakSanitizer runs at exit and makes the
     * status non-zero, which the parent notes. Nothing is left in stdio's
     * buffers: the parent flushed them before fork and the child prints
     * nothing through them. */
    exit(0);
}

/* ---- the parent ---- */

static void start(job *j, double timeout)
{
    int p[2];
    fflush(stdout);
    if (pipe(p) != 0) {
        snprintf(j->note, sizeof j->note, "pipe: %s", strerror(errno));
        j->failed = 1;
        j->state = FINISHED;
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(j->note, sizeof j->note, "fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        j->failed = 1;
        j->state = FINISHED;
        return;
    }
    if (pid == 0) {
        close(p[0]);
        child_main(j->script, modes[j->mode].flags, p[1]);
    }
    close(p[1]);
    j->pid = pid;
    j->fd = p[0];
    j->deadline = now() + timeout;
    j->state = RUNNING;
}

static void handle_record(job *j, char *rec)
{
    char kind = rec[0];
    char *end;
    long line = strtol(rec + 1, &end, 10);
    const char *msg = *end == ' ' ? end + 1 : end;
    switch (kind) {
    case 'n': j->total = (int)line; return;
    case 'e': j->ended = 1; return;
    case SPEC_PASS: j->passed++; break;
    case SPEC_SKIP: j->skipped++; break;
    case SPEC_FAIL: j->failed++; log_failure(j, (int)line, msg); break;
    default: return;
    }
    j->last_line = (int)line;
}

/* Reads what the child wrote; returns 0 at end of file. */
static int drain(job *j)
{
    char buf[8192];
    ssize_t n = read(j->fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return 1;
    if (n <= 0)
        return 0;
    append(&j->in, &j->inlen, &j->incap, buf, (size_t)n);
    size_t used = 0;
    for (char *nl; j->in && (nl = memchr(j->in + used, '\n', j->inlen - used)); ) {
        *nl = 0;
        handle_record(j, j->in + used);
        used = (size_t)(nl - j->in) + 1;
    }
    memmove(j->in, j->in + used, j->inlen - used);
    j->inlen -= used;
    return 1;
}

/* The child has closed its pipe (or was killed): reap it, and count what it
 * never reported as failed. */
static void finish(job *j)
{
    int status = 0;
    close(j->fd);
    while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
        ;
    j->state = FINISHED;
    if (j->ended && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return;
    if (j->timed_out)
        snprintf(j->note, sizeof j->note, "timed out");
    else if (WIFSIGNALED(status))
        snprintf(j->note, sizeof j->note, "crashed: %s", strsignal(WTERMSIG(status)));
    else
        snprintf(j->note, sizeof j->note, "exited with status %d", WEXITSTATUS(status));
    int reported = j->passed + j->failed + j->skipped;
    int missing = j->total > reported ? j->total - reported : 0;
    if (j->total < 0)
        missing = 1;
    char where[64], msg[256];
    if (j->last_line > 0)
        snprintf(where, sizeof where, "after the command at line %d", j->last_line);
    else
        snprintf(where, sizeof where, "in the first command");
    snprintf(msg, sizeof msg, "%s %s; %d command(s) not run", j->note, where, missing);
    log_failure(j, j->last_line, msg);
    j->failed += missing;
    strncat(j->note, " ", sizeof j->note - strlen(j->note) - 1);
    strncat(j->note, where, sizeof j->note - strlen(j->note) - 1);
}

static void print_job(job *j)
{
    char name[256];
    wast_name(j->script, name, sizeof name);
    if (j->log)
        fputs(j->log, stdout);
    printf("%s: %d passed, %d failed, %d skipped", name, j->passed, j->failed, j->skipped);
    if (j->note[0])
        printf(" (%s)", j->note);
    printf("\n");
    fflush(stdout);
}

/* After the last script of a bounds mode: that mode's totals. */
static void print_summary(job *jobs, int m)
{
    long p = 0, f = 0, s = 0;
    for (int i = 0; i < nscripts; i++) {
        job *j = &jobs[m * nscripts + i];
        p += j->passed, f += j->failed, s += j->skipped;
    }
    printf("spec: %ld passed, %ld failed, %ld skipped (bounds: %s)\n", p, f, s,
           modes[first_mode + m].name);
    fflush(stdout);
    failed_total += f;
}

/* Runs every job, at most `parallel` at a time, printing each in order.
 * All modes run as one batch, which keeps both cores busy. */
static void run_jobs(job *jobs, int njobs, int parallel, double timeout)
{
    struct pollfd *pfd = calloc((size_t)njobs, sizeof *pfd);
    int *who = calloc((size_t)njobs, sizeof *who);
    int next = 0, printed = 0, running = 0;

    while (printed < njobs) {
        while (running < parallel && next < njobs) {
            start(&jobs[next], timeout);
            running += jobs[next].state == RUNNING;
            next++;
        }
        int n = 0;
        double t = now(), wait = timeout;
        for (int i = 0; i < next; i++) {
            if (jobs[i].state != RUNNING)
                continue;
            if (jobs[i].deadline <= t && !jobs[i].timed_out) {
                kill(jobs[i].pid, SIGKILL);
                jobs[i].timed_out = 1;
            }
            if (jobs[i].deadline - t < wait)
                wait = jobs[i].deadline - t;
            pfd[n].fd = jobs[i].fd;
            pfd[n].events = POLLIN;
            who[n++] = i;
        }
        if (n > 0) {
            int ms = wait < 0 ? 0 : (int)(wait * 1000) + 10;
            if (poll(pfd, (nfds_t)n, ms) < 0 && errno != EINTR)
                break;
            for (int k = 0; k < n; k++) {
                if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
                    continue;
                job *j = &jobs[who[k]];
                if (!drain(j)) {
                    finish(j);
                    running--;
                }
            }
        }
        while (printed < next && jobs[printed].state == FINISHED) {
            print_job(&jobs[printed++]);
            if (printed % nscripts == 0)
                print_summary(jobs, printed / nscripts - 1);
        }
    }
    free(pfd);
    free(who);
}

static void usage(void)
{
    fprintf(stderr, "usage: spec-runner [-v] [-j JOBS] [-t SECONDS] [-b guard|explicit|both] SCRIPT.json...\n"
                    "  runs wast2json scripts against the engine; -v prints every failure,\n"
                    "  -j runs that many scripts at once (default 2), -t limits each script's\n"
                    "  time (default 120 s), -b picks the bounds-check mode(s) (default guard)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int parallel = 2, last_mode = 0, opt;
    double timeout = 120;
    while ((opt = getopt(argc, argv, "vj:t:b:h")) != -1) {
        switch (opt) {
        case 'v': verbose = 1; break;
        case 'j': parallel = atoi(optarg); break;
        case 't': timeout = atof(optarg); break;
        case 'b':
            if (strcmp(optarg, "guard") == 0)
                first_mode = last_mode = 0;
            else if (strcmp(optarg, "explicit") == 0)
                first_mode = last_mode = 1;
            else if (strcmp(optarg, "both") == 0)
                first_mode = 0, last_mode = 1;
            else
                usage();
            break;
        default: usage();
        }
    }
    if (optind >= argc || parallel < 1 || timeout <= 0)
        usage();

    nscripts = argc - optind;
    int nmodes = last_mode - first_mode + 1;
    int njobs = nscripts * nmodes;
    job *jobs = calloc((size_t)njobs, sizeof *jobs);
    if (!jobs)
        return 2;
    for (int m = 0; m < nmodes; m++)
        for (int i = 0; i < nscripts; i++) {
            job *j = &jobs[m * nscripts + i];
            j->script = argv[optind + i];
            j->mode = first_mode + m;
            j->total = -1;
            j->state = WAITING;
        }

    run_jobs(jobs, njobs, parallel, timeout);
    for (int i = 0; i < njobs; i++) {
        free(jobs[i].in);
        free(jobs[i].log);
    }
    free(jobs);
    return failed_total > 0;
}
