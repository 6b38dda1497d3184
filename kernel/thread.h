/* kernel/thread.h: kernel threads and the scheduler.
 *
 * Round-robin over ready threads, with a time slice of SCHED_SLICE_TICKS
 * ticks. The kernel is not preemptible: a thread leaves the CPU when it
 * yields, sleeps, waits or exits, or (only if it is marked preemptible, as
 * compiled Wasm code will be) when a tick finds its slice used up. For a
 * thread that is not preemptible the tick only sets a flag, acted on at
 * the next safe point (thread_safe_point(), thread_yield()).
 *
 * Each thread has its own stack in a virtual region, mapped up front, with
 * an unmapped guard page below it (Wasm-sized stacks are reused), and its own SIMD state (fpu.h), which
 * is saved and restored only when a thread that uses it takes the CPU
 * from another that does. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdint.h>
#include <stdbool.h>
#include "lib/list.h"
#include "kernel/vm.h"

#define SCHED_SLICE_TICKS 10
#define THREAD_STACK_DEFAULT (64 * 1024)
#define THREAD_STACK_WASM (512 * 1024)      /* at least, for threads that run Wasm */

typedef enum thread_state {
    THREAD_READY, THREAD_RUNNING, THREAD_BLOCKED, THREAD_DEAD
} thread_state;

struct waitq;
struct trapframe;

typedef struct thread {
    uint64_t rsp;                   /* saved by switch_context */
    int id;
    char name[24];
    thread_state state;
    bool preemptible;
    bool no_simd;                   /* never touches SIMD registers */
    lib_list link;                  /* on the run queue or a wait queue */
    lib_list all_link;              /* on the list of every thread */
    lib_list sleep_link;            /* on the sleep list while wake_ns != 0 */
    uint64_t wake_ns;
    bool timed_out;
    struct waitq *waiting_on;
    vm_region *stack;               /* NULL for the boot thread */
    uint64_t stack_lo, stack_hi;
    void *fpu;                      /* SIMD state, 64-byte aligned */
    void *fpu_block;                /* what kmalloc returned for it */
    uint64_t switches;              /* times switched to */
    void (*fn)(void *);
    void *arg;
    /* Set while a tick has switched the thread out: the interrupt frame
     * it will return through (kwasm_kill rewrites it). */
    struct trapframe *preempted;
    /* Wasm (kernel/kwasm.c): the engine's per-thread state (its copy,
     * while the thread is switched out), and a kill request. */
    void *wasm;
    volatile bool wasm_kill;
} thread;

/* Makes the running boot code thread 0 ("main"), creates the idle thread
 * and hooks the scheduler to the tick. */
void sched_init(void);

/* A new ready thread running fn(arg) on a stack of `stack_size` bytes
 * (0: THREAD_STACK_DEFAULT); NULL when memory runs out. */
thread *thread_create(const char *name, void (*fn)(void *), void *arg, uint64_t stack_size);
/* Up to 4 released THREAD_STACK_WASM stacks are kept for reuse; this gives
 * them back to the page allocator. */
void thread_stack_cache_drain(void);

thread *thread_current(void);
void thread_yield(void);
void thread_exit(void) __attribute__((noreturn));
void thread_sleep_ns(uint64_t ns);

/* Marks the current thread preemptible or not (see above). */
void thread_set_preemptible(bool on);

/* Marks a thread that will never touch the SIMD registers (kernel-only
 * code, no Wasm, no SIMD asm): switching to and from it then saves and
 * restores nothing. Threads are assumed to use them unless marked. */
void thread_set_no_simd(thread *t);

/* Yields if a tick asked for it. */
void thread_safe_point(void);

/* Live threads (not counting idle) and context switches so far. */
int sched_thread_count(void);
uint64_t sched_switch_count(void);

/* For waitq.c and kernel/coral/kernel/sys_kernel.c, with interrupts off:
 * blocks the current thread (woken by sched_wake, or at deadline `wake_ns`
 * if non-zero, then with timed_out set), and makes a blocked thread ready
 * (a thread that is not blocked is left alone). */
void sched_block(uint64_t wake_ns);
void sched_wake(thread *t);

#endif
