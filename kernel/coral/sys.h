/* kernel/coral/sys.h: what the kernel objects and the `coral` module need
 * from where they run, and nothing more. Implemented twice: host/sys.c
 * (Linux: malloc, pthreads, clock_gettime) and, later, by the kernel core
 * (heap, kernel threads, the timer).
 *
 * Concurrency model: one big lock. Every entry into kernel/coral/ from a
 * program (a `coral` call) or from the embedder takes it; it is dropped
 * only while waiting and while running Wasm code (which may call back in).
 * In the kernel, which is not preemptible on one CPU, the lock can be
 * empty; on the host, threads of different components really do run at
 * the same time, so it is a mutex. */
#ifndef CORAL_SYS_H
#define CORAL_SYS_H

#include <stddef.h>
#include <stdint.h>
#include "lib/list.h"

/* Zeroed allocation; NULL on failure. sys_free(NULL) does nothing. Used for
 * objects and for the bytes of VMAs and module copies (the kernel may back
 * large requests with page frames). */
void *sys_alloc(size_t size);
void sys_free(void *ptr);

/* The big lock (not recursive). */
void sys_lock(void);
void sys_unlock(void);

/* ---- waiting ----
 * Each object that can be waited on (a channel end, a component, an
 * interrupt object, the console input) has a sys_waitlist, and a wake-up
 * signals only the waiters on that object's list. A thread that waits:
 *
 *     sys_waiter w;  sys_waitlink l[2];
 *     sys_waiter_init(&w);
 *     sys_waiter_add(&w, &l[0], &obj->waiters);     one link per object
 *     sys_waiter_add(&w, &l[1], &self->stop_waiters);  its kill, too
 *     while (!condition && !deadline passed)
 *         sys_wait_event(&w, deadline);
 *     sys_waiter_done(&w);
 *
 * The waiter and its links live on the waiting thread's stack; the
 * objects must outlive the registration (the caller holds references).
 * A signal that comes between a check and sys_wait_event is not lost: it
 * stays set, and sys_wait_event then returns at once. Wake-ups may still
 * be spurious (a signal for an earlier condition): callers loop.
 *
 * Everything runs with the big lock held, except that the kernel's
 * interrupt handlers (console input, interrupt objects) call sys_wake:
 * the kernel makes the list operations and the signal safe against them
 * (interrupts off around each), and sys_wake never blocks or allocates. */
typedef struct sys_waitlist {
    lib_list links;             /* sys_waitlink.node */
} sys_waitlist;

typedef struct sys_waiter sys_waiter;

typedef struct sys_waitlink {
    lib_list node;              /* on one object's list */
    sys_waiter *w;
    struct sys_waitlink *next;  /* the waiter's other links */
} sys_waitlink;

struct sys_waiter {
    sys_waitlink *links;        /* the lists it is on */
    volatile int signaled;      /* set by sys_wake, consumed by sys_wait_event */
    int sleeping;               /* the platform's: inside sys_wait_event */
    void *sleeper;              /* the platform's: the thread that waits */
};

static inline void sys_waitlist_init(sys_waitlist *l) { lib_list_init(&l->links); }

/* Makes `w` the calling thread's waiter, on no list yet. */
void sys_waiter_init(sys_waiter *w);
/* Registers `w` on `list` through `link` (unused until sys_waiter_done). */
void sys_waiter_add(sys_waiter *w, sys_waitlink *link, sys_waitlist *list);
/* Takes `w` off every list it was added to. */
void sys_waiter_done(sys_waiter *w);

/* Drops the big lock, sleeps until `w` is signaled or the monotonic clock
 * passes `deadline_ns` (0: no deadline), takes the lock again; consumes
 * the signal. Returns at once when `w` was signaled already. */
void sys_wait_event(sys_waiter *w, uint64_t deadline_ns);

/* Signals every waiter on `list` (and wakes its thread). */
void sys_wake(sys_waitlist *list);

/* Monotonic time in nanoseconds since an arbitrary start. */
uint64_t sys_time_ns(void);

/* Gives up the CPU to other runnable threads (without the big lock). */
void sys_yield(void);

/* Starts a thread, with a stack big enough for Wasm, that runs fn(arg) and
 * then ends; returns it, or NULL when no thread can be made. Called with
 * the big lock held; the new thread does not hold it. The handle stays
 * valid until fn returns. */
typedef struct sys_thread sys_thread;
sys_thread *sys_thread_start(void (*fn)(void *arg), void *arg);

/* Asks thread `t` (running fn) to stop running Wasm: its current or next
 * call into Wasm code ends with a trap, even in a loop without calls (the
 * kernel: kwasm_kill; the host: a signal, sent again until the thread is
 * caught in Wasm code or ends). Called with the big lock held. */
void sys_thread_kill(sys_thread *t);

/* Writes bytes to the console, as they are. */
void sys_console_write(const char *s, size_t len);

/* Console input, without waiting: moves up to `cap` bytes typed so far
 * into buf and returns how many; 0 when none is there yet (the arrival of
 * more, or the end, signals sys_console_waitlist()); -1 at the end of
 * input (the host's stdin closed; the kernel's serial line never ends) or
 * when this machine has no console input. Called with the big lock held. */
int sys_console_read(char *buf, size_t cap);
/* The list a console reader waits on. */
sys_waitlist *sys_console_waitlist(void);
/* Whether sys_console_read would return at once (bytes are there, or the
 * end of input), without taking anything; turns input on like a read. */
int sys_console_ready(void);

/* ---- devices (kernel/coral/device.c) ----
 * The kernel implements these over kernel/irq.c, port I/O and its page
 * tables; on the host each returns CORAL_EUNSUPPORTED (or does nothing).
 * The capability checks are device.c's; these refuse only what the kernel
 * keeps for itself, with CORAL_EDENIED. */

/* Port I/O of `width` bytes (1, 2, 4) at `port`: 0, or CORAL_EDENIED (a
 * port of a device the kernel drives), CORAL_EUNSUPPORTED. */
int32_t sys_io_read(uint32_t port, int width, uint32_t *value);
int32_t sys_io_write(uint32_t port, int width, uint32_t value);

/* Claims ISA line `line` (0..15) for fn(line, arg), which then runs in
 * interrupt context, once per interrupt, before the end of interrupt; it
 * may call sys_wake (a wake-up between a waiter's check and its
 * sys_wait_event is not lost). The line is left masked. 0, or CORAL_EDENIED
 * (the timer's line, the cascade, the console's), CORAL_EBUSY (taken),
 * CORAL_EUNSUPPORTED. */
int32_t sys_irq_attach(int line, void (*fn)(int line, void *arg), void *arg);
/* Masks the line and gives it up: fn is not called any more. */
void sys_irq_detach(int line);
void sys_irq_mask(int line);
void sys_irq_unmask(int line);

/* Maps physical device memory [phys, phys+size) uncached for the kernel:
 * 0 and *out, or CORAL_EDENIED (it overlaps RAM, the kernel's image or
 * modules, or device registers the kernel drives), CORAL_ENOMEM,
 * CORAL_ELIMIT (too many mappings over one page), CORAL_EUNSUPPORTED.
 * Mappings over the same registers share the kernel's page entries; each
 * is undone by one sys_device_unmap with the same arguments. */
int32_t sys_device_map(uint64_t phys, uint32_t size, uint8_t **out);
/* Undoes a successful sys_device_map(phys, size): the last mapping over a
 * page unmaps it and frees the page tables that leaves empty. */
void sys_device_unmap(uint64_t phys, uint32_t size);

#endif
