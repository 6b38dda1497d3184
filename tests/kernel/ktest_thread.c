/* tests/kernel/ktest_thread.c: scenarios for threads, the scheduler, sleep,
 * wait queues and SIMD state, and the TCG cost figures of a context switch
 * and of a timer interrupt. Timing tolerances are wide (never early, late by
 * up to a few hundred ms): QEMU under TCG on a loaded host stalls now and
 * then. The figures printed show how late things really were. */
#include "tests/kernel/ktest.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/pmm.h"
#include "kernel/thread.h"
#include "kernel/time.h"
#include "kernel/waitq.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/fpu.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/tsc.h"

#define MS 1000000ull

static waitq done_q;
static volatile int done;

/* Waits until `n` threads have called finished(). */
static bool wait_done(int n, uint64_t timeout_ns)
{
    uint64_t end = time_ns() + timeout_ns;
    bool on = irq_save();
    while (done < n && time_ns() < end)
        waitq_wait(&done_q, end - time_ns());
    irq_restore(on);
    return done >= n;
}

static void finished(void)
{
    bool on = irq_save();
    done++;
    waitq_wake_all(&done_q);
    irq_restore(on);
}

static void reset(void)
{
    waitq_init(&done_q);
    done = 0;
}

/* threads: three threads yield in turn; round-robin interleaves them. */
static char order[64];
static volatile int norder;

static void yielder(void *arg)
{
    for (int i = 0; i < 5; i++) {
        order[norder++] = (char)(uintptr_t)arg;
        thread_yield();
    }
    finished();
}

bool ktest_threads(void)
{
    reset();
    norder = 0;
    /* No warm-up: stacks give their page tables back, and slab pages
     * the first threads take are counted. */
    uint64_t free0 = pmm_free_count() + kmalloc_stats_get().slab_pages;
    kmalloc_stats h0 = kmalloc_stats_get();

    KTEST_CHECK(thread_create("a", yielder, (void *)'a', 0));
    KTEST_CHECK(thread_create("b", yielder, (void *)'b', 0));
    KTEST_CHECK(thread_create("c", yielder, (void *)'c', 0));
    KTEST_CHECK(sched_thread_count() == 4);
    KTEST_CHECK(wait_done(3, 10000 * MS));
    order[norder] = 0;
    kprintf("threads: order %s\n", order);
    KTEST_CHECK(norder == 15);
    for (int i = 0; i < 15; i++)
        KTEST_CHECK(order[i] == "abc"[i % 3]);
    thread_yield();
    KTEST_CHECK(sched_thread_count() == 1);
    /* Exited threads gave back their stacks, SIMD areas and structs. */
    kmalloc_stats h1 = kmalloc_stats_get();
    KTEST_CHECK(h1.blocks == h0.blocks && h1.bytes == h0.bytes);
    KTEST_CHECK(pmm_free_count() + h1.slab_pages == free0);

    /* A Wasm-sized stack is mapped up front: its deepest byte is usable. */
    thread *big = thread_create("big-stack", yielder, (void *)'x', THREAD_STACK_WASM);
    KTEST_CHECK(big && big->stack_hi - big->stack_lo == THREAD_STACK_WASM);
    KTEST_CHECK(vm_committed(big->stack_lo) && !vm_committed(big->stack_lo - 1));
    *(volatile uint8_t *)big->stack_lo = 1;
    reset();
    KTEST_CHECK(wait_done(1, 10000 * MS));
    thread_yield();                 /* reaped: its stack goes to the cache */

    /* The next Wasm-sized thread reuses that stack: no frame is taken for
     * it, and it is still mapped to its deepest byte with the guard below. */
    uint64_t free1 = pmm_free_count();
    thread *again = thread_create("again", yielder, (void *)'y', THREAD_STACK_WASM);
    KTEST_CHECK(again && again->stack_hi - again->stack_lo == THREAD_STACK_WASM);
    KTEST_CHECK(pmm_free_count() == free1);
    KTEST_CHECK(vm_committed(again->stack_lo) && !vm_committed(again->stack_lo - 1));
    reset();
    KTEST_CHECK(wait_done(1, 10000 * MS));
    thread_yield();
    /* Draining the cache gives its 128 pages back. */
    thread_stack_cache_drain();
    KTEST_CHECK(pmm_free_count() >= free1 + THREAD_STACK_WASM / 4096);
    return true;
}

/* preempt: two spinning preemptible threads both progress, and a thread
 * sleeping beside them wakes on time. */
static volatile uint64_t spins[2];
static volatile bool stop;
static volatile uint64_t slept_ns;

static void spinner(void *arg)
{
    int i = (int)(uintptr_t)arg;
    thread_set_preemptible(true);
    while (!stop)
        spins[i]++;
    thread_set_preemptible(false);
    finished();
}

static void sleeper(void *arg)
{
    (void)arg;
    uint64_t t0 = time_ns();
    thread_sleep_ns(100 * MS);
    slept_ns = time_ns() - t0;
    finished();
}

bool ktest_preempt(void)
{
    reset();
    stop = false;
    KTEST_CHECK(thread_create("spin-0", spinner, (void *)0, 0));
    KTEST_CHECK(thread_create("spin-1", spinner, (void *)1, 0));
    KTEST_CHECK(thread_create("sleeper", sleeper, 0, 0));
    /* main sleeps; the spinners never yield, so only preemption lets the
     * other spinner, the sleeper and main itself run again. */
    thread_sleep_ns(150 * MS);
    /* Both have run by now, unless the host stalled TCG: then give them
     * up to 5 s to start (each start needs a preemption too). */
    for (int i = 0; i < 100 && (!spins[0] || !spins[1]); i++)
        thread_sleep_ns(50 * MS);
    uint64_t a0 = spins[0], b0 = spins[1];
    /* Then both must progress again. Under TCG on a loaded host a tick can
     * come late, so this waits for it (up to 5 s) instead of expecting it
     * within a fixed stretch. */
    uint64_t a1 = a0, b1 = b0;
    for (int i = 0; i < 100 && (a1 == a0 || b1 == b0); i++) {
        thread_sleep_ns(50 * MS);
        a1 = spins[0];
        b1 = spins[1];
    }
    stop = true;
    KTEST_CHECK(wait_done(3, 10000 * MS));
    kprintf("preempt: spinner 0 %lu -> %lu, spinner 1 %lu -> %lu; sleeper slept %lu us for 100000\n",
            a0, a1, b0, b1, slept_ns / 1000);
    KTEST_CHECK(a0 > 0 && b0 > 0);
    KTEST_CHECK(a1 > a0 && b1 > b0);            /* both progressed in each stretch */
    KTEST_CHECK(slept_ns >= 100 * MS && slept_ns < 500 * MS);
    return true;
}

/* nonpreempt: a spinning thread that is not preemptible keeps the CPU
 * until it reaches a safe point. */
static volatile bool other_ran;

static void other(void *arg)
{
    (void)arg;
    other_ran = true;
    finished();
}

bool ktest_nonpreempt(void)
{
    reset();
    other_ran = false;
    KTEST_CHECK(thread_create("other", other, 0, 0));
    /* Spin through two time slices' worth of ticks. */
    uint64_t t0 = time_ticks(), end = time_ns() + 5000 * MS;
    while (time_ticks() - t0 < 2 * SCHED_SLICE_TICKS && time_ns() < end)
        cpu_pause();
    KTEST_CHECK(time_ticks() - t0 >= 2 * SCHED_SLICE_TICKS);   /* ticks came... */
    KTEST_CHECK(!other_ran);                                    /* ...but did not switch */
    thread_safe_point();                        /* the slice is used up: yields */
    KTEST_CHECK(other_ran);
    KTEST_CHECK(wait_done(1, 10000 * MS));
    return true;
}

/* sleep: N ms measured by the TSC. */
bool ktest_sleep(void)
{
    static const uint64_t ms[] = { 1, 10, 50, 100 };
    for (int i = 0; i < 4; i++) {
        uint64_t t0 = time_ns();
        thread_sleep_ns(ms[i] * MS);
        uint64_t took = time_ns() - t0;
        kprintf("sleep: %lu ms took %lu us\n", ms[i], took / 1000);
        KTEST_CHECK(took >= ms[i] * MS && took < ms[i] * MS + 250 * MS);
    }
    return true;
}

/* waitq: a time-out, a wake before the time-out, wake_all. */
static waitq q;
static volatile int woken, timed_out;

static void waiter(void *arg)
{
    if (waitq_wait(&q, (uint64_t)(uintptr_t)arg))
        woken++;
    else
        timed_out++;
    finished();
}

bool ktest_waitq(void)
{
    waitq_init(&q);
    /* Nobody wakes it: false after the time-out. */
    uint64_t t0 = time_ns();
    KTEST_CHECK(!waitq_wait(&q, 30 * MS));
    uint64_t took = time_ns() - t0;
    KTEST_CHECK(took >= 30 * MS && took < 330 * MS);
    /* Woken before its (long) time-out. */
    reset();
    woken = timed_out = 0;
    KTEST_CHECK(thread_create("w1", waiter, (void *)(uintptr_t)(5000 * MS), 0));
    thread_sleep_ns(20 * MS);
    KTEST_CHECK(waitq_wake_one(&q) == 1);
    KTEST_CHECK(wait_done(1, 10000 * MS) && woken == 1 && timed_out == 0);
    /* Three waiters: two forever, one that times out first; wake_all. */
    reset();
    woken = timed_out = 0;
    KTEST_CHECK(thread_create("w2", waiter, (void *)(uintptr_t)WAIT_FOREVER, 0));
    KTEST_CHECK(thread_create("w3", waiter, (void *)(uintptr_t)WAIT_FOREVER, 0));
    KTEST_CHECK(thread_create("w4", waiter, (void *)(uintptr_t)(10 * MS), 0));
    thread_sleep_ns(50 * MS);
    KTEST_CHECK(timed_out == 1);
    KTEST_CHECK(waitq_wake_all(&q) == 2);
    KTEST_CHECK(waitq_wake_all(&q) == 0);
    KTEST_CHECK(wait_done(3, 10000 * MS) && woken == 2 && timed_out == 1);
    kprintf("waitq: time-out, wake_one and wake_all behaved\n");
    return true;
}

/* sse: threads with different XMM values, switched by yields and by
 * preemption, keep them, with a thread that has no SIMD state (so the
 * registers are not always saved at the switch) running between them. */
static void load_xmm(const uint64_t *v)
{
    __asm__ volatile(
        "movdqu 0x00(%0), %%xmm0\n\t movdqu 0x10(%0), %%xmm1\n\t movdqu 0x20(%0), %%xmm2\n\t"
        "movdqu 0x30(%0), %%xmm3\n\t movdqu 0x40(%0), %%xmm4\n\t movdqu 0x50(%0), %%xmm5\n\t"
        "movdqu 0x60(%0), %%xmm6\n\t movdqu 0x70(%0), %%xmm7\n\t movdqu 0x80(%0), %%xmm8\n\t"
        "movdqu 0x90(%0), %%xmm9\n\t movdqu 0xa0(%0), %%xmm10\n\t movdqu 0xb0(%0), %%xmm11\n\t"
        "movdqu 0xc0(%0), %%xmm12\n\t movdqu 0xd0(%0), %%xmm13\n\t movdqu 0xe0(%0), %%xmm14\n\t"
        "movdqu 0xf0(%0), %%xmm15\n\t" :: "r"(v) : "memory");
}

static void store_xmm(uint64_t *v)
{
    __asm__ volatile(
        "movdqu %%xmm0, 0x00(%0)\n\t movdqu %%xmm1, 0x10(%0)\n\t movdqu %%xmm2, 0x20(%0)\n\t"
        "movdqu %%xmm3, 0x30(%0)\n\t movdqu %%xmm4, 0x40(%0)\n\t movdqu %%xmm5, 0x50(%0)\n\t"
        "movdqu %%xmm6, 0x60(%0)\n\t movdqu %%xmm7, 0x70(%0)\n\t movdqu %%xmm8, 0x80(%0)\n\t"
        "movdqu %%xmm9, 0x90(%0)\n\t movdqu %%xmm10, 0xa0(%0)\n\t movdqu %%xmm11, 0xb0(%0)\n\t"
        "movdqu %%xmm12, 0xc0(%0)\n\t movdqu %%xmm13, 0xd0(%0)\n\t movdqu %%xmm14, 0xe0(%0)\n\t"
        "movdqu %%xmm15, 0xf0(%0)\n\t" :: "r"(v) : "memory");
}

static volatile int sse_bad;
static volatile uint64_t sse_rounds[3];

static void sse_thread(void *arg)
{
    int id = (int)(uintptr_t)arg;
    uint64_t want[32], got[32];
    for (int i = 0; i < 32; i++)
        want[i] = 0x0101010101010101ull * (uint64_t)(id + 1) ^ ((uint64_t)i << 56) ^ (uint64_t)i;
    load_xmm(want);
    thread_set_preemptible(true);
    uint64_t end = time_ns() + 200 * MS;
    while (time_ns() < end) {
        if (sse_rounds[id] % 64 == 0)
            thread_yield();
        store_xmm(got);
        for (int i = 0; i < 32; i++)
            if (got[i] != want[i])
                sse_bad = id + 1;
        sse_rounds[id]++;
    }
    thread_set_preemptible(false);
    finished();
}

/* Runs between the SIMD threads without touching SIMD registers. */
static void plain_thread(void *arg)
{
    (void)arg;
    uint64_t end = time_ns() + 200 * MS;
    while (time_ns() < end)
        thread_yield();
    finished();
}

bool ktest_sse(void)
{
    reset();
    sse_bad = 0;
    uint64_t s0 = sched_switch_count();
    for (int i = 0; i < 3; i++)
        KTEST_CHECK(thread_create("sse", sse_thread, (void *)(uintptr_t)i, 0));
    thread *plain = thread_create("plain", plain_thread, 0, 0);
    KTEST_CHECK(plain);
    thread_set_no_simd(plain);
    KTEST_CHECK(wait_done(4, 5000 * MS));
    uint64_t sw = sched_switch_count() - s0;
    kprintf("sse: %lu + %lu + %lu checks over %lu switches\n", sse_rounds[0], sse_rounds[1],
            sse_rounds[2], sw);
    KTEST_CHECK(sw > 20);
    if (sse_bad)
        return ktest_fail("thread %d found its XMM registers changed", sse_bad - 1);
    return true;
}

/* stack-guard: a runaway recursion hits the guard page below a thread's
 * stack; the double fault on its IST stack names the thread. */
__attribute__((noinline)) static uint64_t recurse(volatile uint64_t n)
{
    volatile uint8_t pad[256];
    pad[0] = (uint8_t)n;
    if (n == ~0ull)             /* never: keeps the compiler from calling it infinite */
        return 0;
    return recurse(n + 1) + pad[0];
}

static void runaway(void *arg)
{
    (void)arg;
    recurse(0);
}

bool ktest_stack_guard(void)
{
    KTEST_CHECK(thread_create("runaway", runaway, 0, 16 * 1024));
    /* Generous: a loaded host can starve QEMU for a long while, and the
     * passing run panics long before this. */
    thread_sleep_ns(10000 * MS);
    return ktest_fail("the stack overflow went unnoticed");
}

/* main-stack-guard: the same on the boot thread, whose stack (in .bss) has
 * an unmapped page below it too. */
bool ktest_main_stack_guard(void)
{
    recurse(0);
    return ktest_fail("the stack overflow went unnoticed");
}

/* sched-cost: TCG figures for a context switch (two threads yielding to
 * each other; SIMD state saved and restored each time) and a timer
 * interrupt (the tick's whole path, entered with int $LAPIC_TIMER_VECTOR),
 * beside an interrupt that does nothing. */
#define PINGS 20000
static void pinger(void *arg)
{
    (void)arg;
    for (int i = 0; i < PINGS; i++)
        thread_yield();
    finished();
}

static bool nothing(trapframe *tf)
{
    (void)tf;
    return true;
}

static uint64_t ns_per(uint64_t ticks, uint64_t n)
{
    return tsc_to_ns(ticks) / n;
}

static uint64_t switch_cost(bool simd, uint64_t *switches)
{
    reset();
    thread *a = thread_create("ping", pinger, 0, 0);
    thread *b = thread_create("pong", pinger, 0, 0);
    if (!a || !b)
        return 0;
    if (!simd) {
        thread_set_no_simd(a);
        thread_set_no_simd(b);
    }
    uint64_t s0 = sched_switch_count();
    uint64_t t0 = rdtsc();
    if (!wait_done(2, 60000 * MS))
        return 0;
    uint64_t t1 = rdtsc();
    *switches = sched_switch_count() - s0;
    return ns_per(t1 - t0, *switches);
}

bool ktest_sched_cost(void)
{
    uint64_t n1, n2;
    uint64_t plain = switch_cost(false, &n1), simd = switch_cost(true, &n2);
    KTEST_CHECK(plain && simd && n1 >= 2 * PINGS && n2 >= 2 * PINGS);

    enum { N = 20000 };
    bool on = irq_save();
    uint64_t a = rdtsc();
    for (int i = 0; i < N; i++)
        __asm__ volatile("int %0" :: "i"(LAPIC_TIMER_VECTOR) : "memory");
    uint64_t b = rdtsc();
    trap_set_handler(0x50, nothing);
    for (int i = 0; i < N; i++)
        __asm__ volatile("int $0x50" ::: "memory");
    uint64_t c = rdtsc();
    irq_restore(on);
    kprintf("cost (TCG figures): context switch %lu ns with SIMD state (%s), %lu ns without; "
            "timer interrupt %lu ns, empty interrupt %lu ns\n", simd,
            fpu_uses_xsave() ? "XSAVE" : "FXSAVE", plain, ns_per(b - a, N), ns_per(c - b, N));
    return true;
}
