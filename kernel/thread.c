/* kernel/thread.c: kernel threads, the run queue, sleeping and the tick.
 *
 * Everything here runs with interrupts off (the tick handler changes the
 * same lists). schedule() picks the next ready thread round-robin, or the
 * idle thread, and switches to it; a thread that has exited is freed by the
 * next thread to run, once nothing runs on its stack any more. */
#include "kernel/thread.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"
#include "kernel/time.h"
#include "kernel/kwasm.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/fpu.h"
#include "kernel/arch/x86_64/trap.h"
#include "lib/string.h"

extern void switch_context(uint64_t *save_rsp, uint64_t new_rsp);
extern char thread_start[];
extern char boot_stack_bottom[], boot_stack_top[];

static thread boot_thread;
static thread *current, *idle;
static lib_list runq, sleepers, zombies, all;
static int next_id, nthreads;
static uint64_t nswitches;
static int slice_left = SCHED_SLICE_TICKS;
static bool need_resched;

thread *thread_current(void) { return current; }
int sched_thread_count(void) { return nthreads; }
uint64_t sched_switch_count(void) { return nswitches; }

static void make_ready(thread *t)
{
    t->state = THREAD_READY;
    lib_list_push_back(&runq, &t->link);
}

/* Released Wasm-sized stacks kept for the next thread that wants one:
 * committing 128 zeroed pages is most of what starting a component costs
 * under TCG. A reused stack keeps its old bytes; nothing can read them:
 * compiled Wasm code reads only the frame slots it wrote (locals are
 * zeroed by the prologue) and kernel code likewise. Smaller stacks are
 * cheap and go back at once, so tests of exact reclaim see them. */
#define STACK_CACHE_MAX 4
static vm_region *stack_cache[STACK_CACHE_MAX];
static int nstack_cache;

static void release_stack(vm_region *r)
{
    if (r && r->size == THREAD_STACK_WASM + PAGE_SIZE && nstack_cache < STACK_CACHE_MAX) {
        r->name = "cached thread stack";
        stack_cache[nstack_cache++] = r;
        return;
    }
    vm_release(r);
}

/* A committed stack region of stack_size bytes plus the guard page below
 * it, from the cache when one fits; NULL when memory runs out. */
static vm_region *get_stack(uint64_t stack_size, const char *name)
{
    vm_region *r = 0;
    bool on = irq_save();
    if (stack_size == THREAD_STACK_WASM && nstack_cache > 0)
        r = stack_cache[--nstack_cache];
    irq_restore(on);
    if (r) {
        r->name = name;
        return r;
    }
    r = vm_reserve(stack_size + PAGE_SIZE, name);
    if (r && !vm_commit(r, PAGE_SIZE, stack_size, VM_READ | VM_WRITE)) {
        vm_release(r);
        return 0;
    }
    return r;
}

/* Gives the cached stacks back (for tests that count every frame). */
void thread_stack_cache_drain(void)
{
    bool on = irq_save();
    while (nstack_cache > 0)
        vm_release(stack_cache[--nstack_cache]);
    irq_restore(on);
}

static void reap(void)
{
    while (!lib_list_empty(&zombies)) {
        thread *t = LIB_CONTAINER_OF(lib_list_pop_front(&zombies), thread, link);
        lib_list_remove(&t->all_link);
        release_stack(t->stack);
        kfree(t->fpu_block);
        kwasm_thread_free(t);
        kfree(t);
    }
}

/* The SIMD registers hold the state of fpu_owner. A thread marked no_simd
 * (idle, kernel-only threads: kernel C code never touches SIMD registers)
 * runs with whatever is there; any other thread gets its own state back
 * before it runs, the owner's being saved first. So a thread that goes
 * to sleep and wakes with only no_simd threads run in between costs no
 * save or restore. */
static thread *fpu_owner;

static void fpu_switch(thread *next)
{
    if (next->no_simd || fpu_owner == next)
        return;
    if (fpu_owner)
        fpu_save(fpu_owner->fpu);
    fpu_restore(next->fpu);
    fpu_owner = next;
}

/* Switches to the next ready thread (or idle). Interrupts are off. */
static void schedule(void)
{
    thread *prev = current;
    if (prev->state == THREAD_RUNNING && prev != idle)
        make_ready(prev);
    thread *next = lib_list_empty(&runq) ? idle : LIB_CONTAINER_OF(lib_list_pop_front(&runq), thread, link);
    need_resched = false;
    slice_left = SCHED_SLICE_TICKS;
    next->state = THREAD_RUNNING;
    if (next == prev)
        return;
    current = next;
    next->switches++;
    nswitches++;
    fpu_switch(next);
    kwasm_switch(prev, next);
    switch_context(&prev->rsp, next->rsp);
    /* Back in prev, switched to by someone else. */
    reap();
}

/* The first C code of a new thread (from switch.S's thread_start). */
void thread_main(thread *t)
{
    reap();
    sti();
    t->fn(t->arg);
    thread_exit();
}

static void idle_loop(void *arg)
{
    (void)arg;
    for (;;) {
        cli();
        if (!lib_list_empty(&runq))
            schedule();
        __asm__ volatile("sti; hlt" ::: "memory");   /* no wake-up lost in between */
    }
}

static void sleep_insert(thread *t)
{
    lib_list *pos = sleepers.next;
    while (pos != &sleepers && LIB_CONTAINER_OF(pos, thread, sleep_link)->wake_ns <= t->wake_ns)
        pos = pos->next;
    lib_list_push_back(pos, &t->sleep_link);     /* before pos */
}

/* Called on every tick, in the interrupt, after the EOI. A thread running
 * compiled Wasm code is preemptible there (kwasm_tick looks the
 * interrupted address up in the code registry). */
static void sched_tick(trapframe *tf)
{
    bool in_wasm = kwasm_tick(tf);
    uint64_t now = time_ns();
    while (!lib_list_empty(&sleepers)) {
        thread *t = LIB_CONTAINER_OF(sleepers.next, thread, sleep_link);
        if (t->wake_ns > now)
            break;
        lib_list_remove(&t->sleep_link);
        t->wake_ns = 0;
        if (t->waiting_on) {
            lib_list_remove(&t->link);
            t->waiting_on = 0;
        }
        t->timed_out = true;
        /* A thread whose time has come runs next, at once if the current
         * thread may be preempted: sleeps end on time beside spinners. */
        t->state = THREAD_READY;
        lib_list_push_front(&runq, &t->link);
        need_resched = true;
    }
    if (current == idle)
        need_resched = !lib_list_empty(&runq);
    else if (--slice_left <= 0 && !lib_list_empty(&runq))
        need_resched = true;
    if (need_resched && (current->preemptible || in_wasm)) {
        thread *t = current;
        t->preempted = tf;
        schedule();
        t->preempted = 0;
    }
}

void sched_block(uint64_t wake_ns)
{
    thread *t = current;
    t->state = THREAD_BLOCKED;
    t->timed_out = false;
    t->wake_ns = wake_ns;
    if (wake_ns)
        sleep_insert(t);
    schedule();
}

void sched_wake(thread *t)
{
    if (t->state != THREAD_BLOCKED)
        return;
    if (t->waiting_on) {
        lib_list_remove(&t->link);
        t->waiting_on = 0;
    }
    if (t->wake_ns) {
        lib_list_remove(&t->sleep_link);
        t->wake_ns = 0;
    }
    t->timed_out = false;
    make_ready(t);
}

static bool alloc_fpu(thread *t)
{
    t->fpu_block = kmalloc(fpu_area_size() + 63);
    if (!t->fpu_block)
        return false;
    t->fpu = (void *)(((uint64_t)t->fpu_block + 63) & ~63ull);
    fpu_area_init(t->fpu);
    return true;
}

thread *thread_create(const char *name, void (*fn)(void *), void *arg, uint64_t stack_size)
{
    if (!stack_size)
        stack_size = THREAD_STACK_DEFAULT;
    stack_size = (stack_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    thread *t = kzalloc(sizeof *t);
    if (!t)
        return 0;
    lib_strlcpy(t->name, name, sizeof t->name);
    t->stack = get_stack(stack_size, t->name);
    if (!t->stack || !alloc_fpu(t)) {
        release_stack(t->stack);
        kfree(t);
        return 0;
    }
    t->stack_lo = t->stack->base + PAGE_SIZE;
    t->stack_hi = t->stack_lo + stack_size;
    t->fn = fn;
    t->arg = arg;
    /* What switch_context pops: r15 r14 r13 r12 rbx rbp, then thread_start;
     * thread_start then runs with rsp 16-byte aligned. */
    uint64_t *sp = (uint64_t *)(t->stack_hi - 16 - 7 * 8);
    lib_memset(sp, 0, 7 * 8);
    sp[3] = (uint64_t)t;
    sp[6] = (uint64_t)thread_start;
    t->rsp = (uint64_t)sp;

    bool on = irq_save();
    t->id = ++next_id;
    lib_list_push_back(&all, &t->all_link);
    if (fn != idle_loop) {
        nthreads++;
        make_ready(t);
    }
    irq_restore(on);
    return t;
}

void thread_exit(void)
{
    cli();
    thread *t = current;
    KASSERT(t != &boot_thread && t != idle);
    t->state = THREAD_DEAD;
    if (fpu_owner == t)
        fpu_owner = 0;              /* its SIMD state dies with it */
    lib_list_push_back(&zombies, &t->link);
    nthreads--;
    schedule();
    kpanic("thread: a dead thread ran again");
}

void thread_yield(void)
{
    bool on = irq_save();
    schedule();
    irq_restore(on);
}

void thread_safe_point(void)
{
    if (need_resched)
        thread_yield();
}

void thread_sleep_ns(uint64_t ns)
{
    bool on = irq_save();
    sched_block(time_ns() + ns);
    irq_restore(on);
}

void thread_set_preemptible(bool on)
{
    current->preemptible = on;
}

void thread_set_no_simd(thread *t)
{
    bool on = irq_save();
    t->no_simd = true;
    if (fpu_owner == t)
        fpu_owner = 0;
    irq_restore(on);
}

/* A double fault with rsp in (or just above) a thread's guard page is a
 * kernel stack overflow: say so before the panic. */
static bool double_fault(trapframe *tf)
{
    for (lib_list *p = all.next; p != &all; p = p->next) {
        thread *t = LIB_CONTAINER_OF(p, thread, all_link);
        if (t->stack_lo && tf->rsp >= t->stack_lo - PAGE_SIZE - 64 && tf->rsp < t->stack_lo + 256)
            kprintf("thread: kernel stack overflow in thread %d '%s' (rsp %016lx, stack %016lx-%016lx)\n",
                    t->id, t->name, tf->rsp, t->stack_lo, t->stack_hi);
    }
    return false;
}

void sched_init(void)
{
    fpu_init();
    lib_list_init(&runq);
    lib_list_init(&sleepers);
    lib_list_init(&zombies);
    lib_list_init(&all);
    thread *b = &boot_thread;
    lib_strlcpy(b->name, "main", sizeof b->name);
    b->state = THREAD_RUNNING;
    b->stack_lo = (uint64_t)boot_stack_bottom;
    b->stack_hi = (uint64_t)boot_stack_top;
    if (!alloc_fpu(b))
        kpanic("thread: no memory for the boot thread");
    fpu_owner = b;                  /* the registers hold main's state */
    lib_list_push_back(&all, &b->all_link);
    nthreads = 1;
    current = b;
    idle = thread_create("idle", idle_loop, 0, 16 * 1024);
    if (!idle)
        kpanic("thread: no memory for the idle thread");
    idle->preemptible = true;
    idle->no_simd = true;
    trap_set_handler(T_DF, double_fault);
    time_set_tick_hook(sched_tick);
}
