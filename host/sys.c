/* host/sys.c: the Linux side of kernel/coral/sys.h: malloc with a live
 * count, one pthread mutex as the big lock, one condition variable on the
 * monotonic clock as the wait queue, detached pthreads, stdout. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "host/sys.h"
#include "kernel/coral/sys.h"

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t cond_once = PTHREAD_ONCE_INIT;
static pthread_cond_t cond;
static long live_allocs;           /* atomics: sys_alloc runs with or without the lock */
static long fail_after = -1;
static void (*console_fn)(const char *s, size_t len);

void *sys_alloc(size_t size)
{
    if (__atomic_load_n(&fail_after, __ATOMIC_RELAXED) >= 0 &&
        __atomic_fetch_sub(&fail_after, 1, __ATOMIC_RELAXED) == 0)
        return NULL;
    void *p = calloc(1, size ? size : 1);
    if (p)
        __atomic_add_fetch(&live_allocs, 1, __ATOMIC_RELAXED);
    return p;
}

void sys_free(void *ptr)
{
    if (!ptr)
        return;
    __atomic_sub_fetch(&live_allocs, 1, __ATOMIC_RELAXED);
    free(ptr);
}

long sys_host_live_allocs(void) { return __atomic_load_n(&live_allocs, __ATOMIC_RELAXED); }
void sys_host_fail_after(long n) { __atomic_store_n(&fail_after, n < 0 ? -1 : n, __ATOMIC_RELAXED); }
void sys_host_set_console(void (*fn)(const char *s, size_t len)) { console_fn = fn; }

void sys_lock(void) { pthread_mutex_lock(&big_lock); }
void sys_unlock(void) { pthread_mutex_unlock(&big_lock); }

static void cond_init(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&cond, &attr);
    pthread_condattr_destroy(&attr);
}

void sys_wait(uint64_t deadline_ns)
{
    pthread_once(&cond_once, cond_init);
    if (!deadline_ns) {
        pthread_cond_wait(&cond, &big_lock);
        return;
    }
    struct timespec ts = { .tv_sec = deadline_ns / 1000000000u, .tv_nsec = deadline_ns % 1000000000u };
    pthread_cond_timedwait(&cond, &big_lock, &ts);
}

void sys_wake_all(void)
{
    pthread_once(&cond_once, cond_init);
    pthread_cond_broadcast(&cond);
}

uint64_t sys_time_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sys_yield(void) { sched_yield(); }

typedef struct start_args {
    void (*fn)(void *arg);
    void *arg;
} start_args;

static void *thread_main(void *p)
{
    start_args a = *(start_args *)p;
    free(p);
    a.fn(a.arg);
    return NULL;
}

/* The handle is the thread's start record: it is never looked at after
 * the start (sys_thread_kill has nothing to do on the host yet). */
sys_thread *sys_thread_start(void (*fn)(void *arg), void *arg)
{
    start_args *a = malloc(sizeof *a);
    if (!a)
        return NULL;
    a->fn = fn;
    a->arg = arg;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* Wasm code wants a deep stack (DESIGN.md: at least 512 KiB). */
    pthread_attr_setstacksize(&attr, 8u << 20);
    pthread_t t;
    int rc = pthread_create(&t, &attr, thread_main, a);
    pthread_attr_destroy(&attr);
    if (rc) {
        free(a);
        return NULL;
    }
    return (sys_thread *)a;
}

/* The host engine has no way yet to interrupt a thread in compiled code;
 * the thread stops at its next coral call (which checks the kill flag). */
void sys_thread_kill(sys_thread *t)
{
    (void)t;
}

void sys_console_write(const char *s, size_t len)
{
    if (console_fn) {
        console_fn(s, len);
        return;
    }
    fwrite(s, 1, len, stdout);
    fflush(stdout);
}
