/* host/sys.c: the Linux side of kernel/coral/sys.h: malloc with a live
 * count, one pthread mutex as the big lock, a condition variable per
 * thread (on the monotonic clock) for its waits, detached pthreads killed
 * with a signal, stdout, and stdin through a reader thread. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "host/sys.h"
#include "kernel/coral/abi.h"
#include "kernel/coral/sys.h"
#include "wasm/platform.h"
#include "wasm/wasm.h"

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
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

/* ---- waiting ----
 * A waiter's sleeper is its thread's own condition variable, made on the
 * thread's first wait; a waiter is signaled under the big lock, so the
 * flag needs nothing more. The counters are test hooks (host/sys.h). */

static __thread bool my_cond_ready;
static __thread pthread_cond_t my_cond;
static long sleeping_now, wakeups;

static pthread_cond_t *thread_cond(void)
{
    if (!my_cond_ready) {
        pthread_condattr_t attr;
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&my_cond, &attr);
        pthread_condattr_destroy(&attr);
        my_cond_ready = true;
    }
    return &my_cond;
}

void sys_waiter_init(sys_waiter *w)
{
    w->links = NULL;
    w->signaled = 0;
    w->sleeping = 0;
    w->sleeper = thread_cond();
}

void sys_waiter_add(sys_waiter *w, sys_waitlink *link, sys_waitlist *list)
{
    link->w = w;
    link->next = w->links;
    w->links = link;
    lib_list_push_back(&list->links, &link->node);
}

void sys_waiter_done(sys_waiter *w)
{
    for (sys_waitlink *l = w->links; l; l = l->next)
        lib_list_remove(&l->node);
    w->links = NULL;
}

void sys_wait_event(sys_waiter *w, uint64_t deadline_ns)
{
    if (!w->signaled) {
        __atomic_add_fetch(&sleeping_now, 1, __ATOMIC_RELAXED);
        w->sleeping = 1;
        if (!deadline_ns) {
            pthread_cond_wait(w->sleeper, &big_lock);
        } else {
            struct timespec ts = { .tv_sec = deadline_ns / 1000000000u,
                                   .tv_nsec = deadline_ns % 1000000000u };
            pthread_cond_timedwait(w->sleeper, &big_lock, &ts);
        }
        w->sleeping = 0;
        __atomic_sub_fetch(&sleeping_now, 1, __ATOMIC_RELAXED);
        __atomic_add_fetch(&wakeups, 1, __ATOMIC_RELAXED);
    }
    w->signaled = 0;
}

void sys_wake(sys_waitlist *list)
{
    for (lib_list *n = list->links.next; n != &list->links; n = n->next) {
        sys_waiter *w = LIB_CONTAINER_OF(n, sys_waitlink, node)->w;
        w->signaled = 1;
        if (w->sleeping)
            pthread_cond_signal(w->sleeper);
    }
}

long sys_host_sleeping(void) { return __atomic_load_n(&sleeping_now, __ATOMIC_RELAXED); }
long sys_host_wakeups(void) { return __atomic_load_n(&wakeups, __ATOMIC_RELAXED); }

uint64_t sys_time_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sys_yield(void) { sched_yield(); }

/* ---- threads, and killing one that runs Wasm ----
 * A kill sends the thread a signal; if it lands in compiled Wasm code, the
 * handler makes the thread call the engine's trap stub with the trap
 * "killed" (as a fault would, see host/platform.c). Anywhere else (C code,
 * a coral call) it does nothing, and a helper thread sends it again every
 * few milliseconds until the thread ends: its next coral call traps anyway
 * (the component's kill flag), and a loop without calls is caught in Wasm
 * code on a later try. */

#define KILL_SIGNAL SIGUSR2

struct sys_thread {
    pthread_t tid;
    void (*fn)(void *arg);
    void *arg;
    bool killed;                    /* on the killed list */
    sys_thread *prev, *next;
};

static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t killed_cond = PTHREAD_COND_INITIALIZER;
static sys_thread *killed_list;     /* threads asked to stop, still running */
static pthread_once_t killer_once = PTHREAD_ONCE_INIT;

static void *thread_main(void *p)
{
    sys_thread *t = p;
    t->fn(t->arg);
    /* Nobody kills it any more (the caller forgets it before fn returns);
     * off the list before the thread ends, so no signal reaches a dead one. */
    pthread_mutex_lock(&threads_lock);
    if (t->killed) {
        if (t->prev)
            t->prev->next = t->next;
        else
            killed_list = t->next;
        if (t->next)
            t->next->prev = t->prev;
    }
    pthread_mutex_unlock(&threads_lock);
    free(t);
    return NULL;
}

sys_thread *sys_thread_start(void (*fn)(void *arg), void *arg)
{
    sys_thread *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->fn = fn;
    t->arg = arg;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* Wasm code wants a deep stack (DESIGN.md: at least 512 KiB). */
    pthread_attr_setstacksize(&attr, 8u << 20);
    int rc = pthread_create(&t->tid, &attr, thread_main, t);
    pthread_attr_destroy(&attr);
    if (rc) {
        free(t);
        return NULL;
    }
    return t;
}

static void on_kill(int sig, siginfo_t *info, void *ctxp)
{
    ucontext_t *uc = ctxp;
    greg_t *g = uc->uc_mcontext.gregs;
    uint64_t arg = 0;
    uintptr_t pc = (uintptr_t)g[REG_RIP];
    uintptr_t to = wasm_interrupt_to_trap(pc, WASM_TRAP_KILLED, &arg);
    if (!to)
        return;                     /* not in Wasm code: tried again later */
    g[REG_RSP] -= 8;                /* as if the instruction at pc called the stub */
    *(uint64_t *)g[REG_RSP] = pc;
    g[REG_RDI] = (greg_t)arg;
    g[REG_RIP] = (greg_t)to;
}

/* Sends the signal again to every thread still on the killed list. */
static void *killer_main(void *unused)
{
    pthread_mutex_lock(&threads_lock);
    for (;;) {
        if (!killed_list) {
            pthread_cond_wait(&killed_cond, &threads_lock);
            continue;
        }
        for (sys_thread *t = killed_list; t; t = t->next)
            pthread_kill(t->tid, KILL_SIGNAL);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 5 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&killed_cond, &threads_lock, &ts);
    }
    return NULL;
}

static void killer_init(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_kill;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(KILL_SIGNAL, &sa, NULL);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t tid;
    pthread_create(&tid, &attr, killer_main, NULL);
    pthread_attr_destroy(&attr);
}

void sys_thread_kill(sys_thread *t)
{
    pthread_once(&killer_once, killer_init);
    pthread_mutex_lock(&threads_lock);
    if (!t->killed) {
        t->killed = true;
        t->prev = NULL;
        t->next = killed_list;
        if (killed_list)
            killed_list->prev = t;
        killed_list = t;
    }
    pthread_kill(t->tid, KILL_SIGNAL);
    pthread_cond_signal(&killed_cond);
    pthread_mutex_unlock(&threads_lock);
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

/* ---- console input ----
 * A thread started by the first read moves stdin into a buffer under the
 * big lock and wakes the readers; it waits while the buffer is full. */
static char in_buf[4096];
static size_t in_len;
static bool in_started, in_eof;
static sys_waitlist in_readers = { { &in_readers.links, &in_readers.links } };
static sys_waitlist in_room = { { &in_room.links, &in_room.links } };

sys_waitlist *sys_console_waitlist(void) { return &in_readers; }

static void *stdin_reader(void *arg)
{
    (void)arg;
    char b[1024];
    for (;;) {
        ssize_t n = read(0, b, sizeof b);
        sys_lock();
        if (n <= 0) {
            in_eof = true;
        } else {
            for (ssize_t done = 0; done < n;) {
                if (in_len == sizeof in_buf) {
                    sys_waiter w;
                    sys_waitlink l;
                    sys_waiter_init(&w);
                    sys_waiter_add(&w, &l, &in_room);
                    while (in_len == sizeof in_buf)
                        sys_wait_event(&w, 0);
                    sys_waiter_done(&w);
                }
                size_t k = sizeof in_buf - in_len;
                if (k > (size_t)(n - done))
                    k = (size_t)(n - done);
                memcpy(in_buf + in_len, b + done, k);
                in_len += k;
                done += (ssize_t)k;
                sys_wake(&in_readers);
            }
        }
        sys_wake(&in_readers);
        sys_unlock();
        if (n <= 0)
            return NULL;
    }
}

static void start_input(void)
{
    if (!in_started) {
        pthread_t t;
        in_started = true;
        if (pthread_create(&t, NULL, stdin_reader, NULL) != 0)
            in_eof = true;
        else
            pthread_detach(t);
    }
}

int sys_console_ready(void)
{
    start_input();
    return in_len > 0 || in_eof;
}

int sys_console_read(char *buf, size_t cap)
{
    start_input();
    if (in_len) {
        size_t n = in_len < cap ? in_len : cap;
        memcpy(buf, in_buf, n);
        memmove(in_buf, in_buf + n, in_len - n);
        in_len -= n;
        sys_wake(&in_room);         /* the reader may wait for room */
        return (int)n;
    }
    return in_eof ? -1 : 0;
}

/* Devices: a Linux process has none to give. Every device call of the
 * coral module checks its capability and then fails here. */
int32_t sys_io_read(uint32_t port, int width, uint32_t *value)
{
    (void)port;
    (void)width;
    *value = 0;
    return CORAL_EUNSUPPORTED;
}

int32_t sys_io_write(uint32_t port, int width, uint32_t value)
{
    (void)port;
    (void)width;
    (void)value;
    return CORAL_EUNSUPPORTED;
}

int32_t sys_irq_attach(int line, void (*fn)(int line, void *arg), void *arg)
{
    (void)line;
    (void)fn;
    (void)arg;
    return CORAL_EUNSUPPORTED;
}

void sys_irq_detach(int line) { (void)line; }
void sys_irq_mask(int line) { (void)line; }
void sys_irq_unmask(int line) { (void)line; }

int32_t sys_device_map(uint64_t phys, uint32_t size, uint8_t **out)
{
    (void)phys;
    (void)size;
    *out = NULL;
    return CORAL_EUNSUPPORTED;
}

/* Never called: nothing is ever mapped on Linux. */
void sys_device_unmap(uint64_t phys, uint32_t size)
{
    (void)phys;
    (void)size;
}
