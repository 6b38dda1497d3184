/* kernel/kwasm.c: the kernel side of wasm/platform.h, and the Wasm parts of
 * the scheduler's tick and of killing a thread.
 *
 * - Allocation on kmalloc, with a 16-byte header holding the size (for
 *   realloc; blocks stay 16-byte aligned).
 * - Reservations are virtual regions (kernel/vm.h): nothing is mapped until
 *   committed, so a memory's 4 GiB guard (and the part memory.grow has not
 *   reached) is never mapped. Code pages are committed read/write for
 *   emission, then switched to read+execute; vm.c makes the direct map's
 *   alias of those frames read-only at the same time (W^X everywhere).
 * - Per-thread state hangs off the kernel thread (thread->wasm); stack
 *   bounds are the thread's stack.
 * - The code-region registry is a sorted array changed with interrupts off,
 *   so the tick and the fault handlers (which run with interrupts off, on
 *   one CPU) always see it whole, and look it up without a lock. */
#include "kernel/kwasm.h"
#include "kernel/kmalloc.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"
#include "kernel/thread.h"
#include "kernel/vm.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/kwasm_arch.h"
#include "kernel/arch/x86_64/trap.h"
#include "lib/string.h"
#include "wasm/platform.h"
#include "wasm/runtime.h"

/* Region names: fault reports say which kind of Wasm region it was, and
 * kwasm_guard recognizes Wasm memories by the pointer. */
static const char name_memory[] = "wasm memory";
static const char name_code[] = "wasm code";

/* ---- allocation ---- */

#define HDR 16

void *wasm_platform_alloc(size_t size)
{
    if (size > ((size_t)1 << 40))
        return NULL;
    uint64_t *p = kmalloc(size + HDR);
    if (!p)
        return NULL;
    p[0] = size;
    return (char *)p + HDR;
}

void *wasm_platform_calloc(size_t count, size_t size)
{
    if (size && count > ((size_t)1 << 40) / size)
        return NULL;
    void *p = wasm_platform_alloc(count * size);
    if (p)
        lib_memset(p, 0, count * size);
    return p;
}

void wasm_platform_free(void *ptr)
{
    if (ptr)
        kfree((char *)ptr - HDR);
}

void *wasm_platform_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return wasm_platform_alloc(size);
    size_t old = *(uint64_t *)((char *)ptr - HDR);
    /* Within the block's size class or region it grows (or shrinks) in
     * place: the compiler's buffers grow by doubling, and copying them
     * each time cost 8-15% of a compile. */
    if (size + HDR <= kmalloc_usable((char *)ptr - HDR)) {
        *(uint64_t *)((char *)ptr - HDR) = size;
        return ptr;
    }
    void *p = wasm_platform_alloc(size);
    if (!p)
        return NULL;
    lib_memcpy(p, ptr, old < size ? old : size);
    wasm_platform_free(ptr);
    return p;
}

/* ---- virtual memory ---- */

size_t wasm_platform_page_size(void)
{
    return PAGE_SIZE;
}

/* A Wasm memory reserves 8 GiB + 64 KiB; code is far smaller. */
#define MEMORY_MIN_RESERVE (4ull << 30)

void *wasm_platform_reserve(size_t size)
{
    vm_region *r = vm_reserve(size, size >= MEMORY_MIN_RESERVE ? name_memory : name_code);
    return r ? (void *)r->base : NULL;
}

/* The region that `addr` starts a part of, if the engine reserved it. */
static vm_region *region_of(const void *addr, size_t size)
{
    vm_region *r = vm_find((uint64_t)addr);
    if (!r || (r->name != name_memory && r->name != name_code))
        return NULL;
    if (size > r->size - ((uint64_t)addr - r->base))
        return NULL;
    return r;
}

void wasm_platform_release(void *base, size_t size)
{
    vm_region *r = region_of(base, size);
    if (!r || r->base != (uint64_t)base)
        kpanic("kwasm: release of %p, which is not a reservation", base);
    vm_release(r);
}

int wasm_platform_commit(void *addr, size_t size)
{
    if (size == 0)
        return 0;
    vm_region *r = region_of(addr, size);
    if (!r)
        return -1;
    return vm_commit(r, (uint64_t)addr - r->base, size, VM_READ | VM_WRITE) ? 0 : -1;
}

int wasm_platform_decommit(void *addr, size_t size)
{
    if (size == 0)
        return 0;
    vm_region *r = region_of(addr, size);
    if (!r || ((uint64_t)addr & (PAGE_SIZE - 1)))
        return -1;
    vm_decommit(r, (uint64_t)addr - r->base, size);
    return 0;
}

int wasm_platform_protect_exec(void *addr, size_t size)
{
    vm_region *r = region_of(addr, size);
    if (!r)
        return -1;
    return vm_protect(r, (uint64_t)addr - r->base, size, VM_READ | VM_EXEC) ? 0 : -1;
}

bool kwasm_guard(uint64_t va)
{
    vm_region *r = vm_find(va);
    return r && r->name == name_memory && !vm_committed(va);
}

/* ---- per-thread state ----
 * The engine's per-thread state (wasm/runtime.h: the limits record with
 * the stack limit, the innermost entry record and the kill flag) lives in
 * one place for the thread on the CPU, cpu_state, and the slot the engine
 * asks for always points there. So every instance context's limits pointer
 * (set to &cpu_state.limits) is right for whichever thread runs: an
 * instance made by one thread and reached from another's instance through
 * an import checks the running thread's stack. The scheduler swaps the
 * contents on every switch (kwasm_switch); each kernel thread keeps its own
 * copy in thread->wasm while it is switched out. One CPU: with SMP this
 * becomes per-CPU state, reached through a per-CPU pointer. */

/* What the engine keeps below the stack limit: host functions called from
 * Wasm and interrupt frames run there (the engine's own choice on Linux). */
#define STACK_RESERVE (128u * 1024)

static wasm_thread cpu_state;
static void *cpu_slot = &cpu_state;

/* For a thread whose state could not be allocated: every call into Wasm
 * is a stack-exhaustion trap. Never written back. */
static wasm_thread no_state = { .limits = { .stack_limit = UINTPTR_MAX } };

void **wasm_platform_thread_slot(void)
{
    thread *t = thread_current();
    if (t && !t->wasm) {
        /* First use on this thread: its stack limit. A stack too small
         * for the reserve gets a limit that every call fails. */
        wasm_thread *w = kzalloc(sizeof *w);
        t->wasm = w ? w : &no_state;
        cpu_state = (wasm_thread){ 0 };
        uint64_t lo = t->stack_lo, hi = t->stack_hi;
        cpu_state.limits.stack_limit = !w ? UINTPTR_MAX
                                     : hi - lo > 2 * STACK_RESERVE ? lo + STACK_RESERVE : hi;
        cpu_state.limits.kill = t->wasm_kill;       /* a kill that came first */
    }
    return &cpu_slot;
}

void kwasm_switch(thread *prev, thread *next)
{
    if (prev->wasm && prev->wasm != &no_state)
        *(wasm_thread *)prev->wasm = cpu_state;
    cpu_state = next->wasm ? *(wasm_thread *)next->wasm : (wasm_thread){ 0 };
}

int wasm_platform_stack_bounds(uintptr_t *lo, uintptr_t *hi)
{
    thread *t = thread_current();
    if (!t || !t->stack_hi)
        return -1;
    *lo = t->stack_lo;
    *hi = t->stack_hi;
    return 0;
}

void kwasm_thread_free(thread *t)
{
    if (t->wasm != &no_state)
        kfree(t->wasm);
    t->wasm = NULL;
}

/* The limits record of thread t: live in cpu_state while it runs. */
static wasm_limits *limits_of(thread *t)
{
    if (t == thread_current())
        return &cpu_state.limits;
    return t->wasm && t->wasm != &no_state ? &((wasm_thread *)t->wasm)->limits : NULL;
}

/* ---- code regions ---- */

typedef struct code_region {
    uintptr_t start, end;
    void *owner;
} code_region;

static code_region *regions;        /* sorted by start, disjoint */
static int nregions, cap_regions;

/* The index of the first region starting above pc. */
static int upper(uintptr_t pc)
{
    int lo = 0, hi = nregions;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (regions[mid].start <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int wasm_platform_code_register(const void *start, size_t size, void *owner)
{
    if (nregions == cap_regions) {
        /* Grow outside the critical section; swap inside it. */
        int cap = cap_regions ? 2 * cap_regions : 16;
        code_region *n = kmalloc((size_t)cap * sizeof *n);
        if (!n)
            return -1;
        bool on = irq_save();
        if (nregions)
            lib_memcpy(n, regions, (size_t)nregions * sizeof *n);
        code_region *old = regions;
        regions = n;
        cap_regions = cap;
        irq_restore(on);
        kfree(old);
    }
    bool on = irq_save();
    int i = upper((uintptr_t)start);
    lib_memmove(&regions[i + 1], &regions[i], (size_t)(nregions - i) * sizeof *regions);
    regions[i] = (code_region){ (uintptr_t)start, (uintptr_t)start + size, owner };
    nregions++;
    irq_restore(on);
    return 0;
}

void wasm_platform_code_unregister(const void *start)
{
    bool on = irq_save();
    int i = upper((uintptr_t)start) - 1;
    if (i >= 0 && regions[i].start == (uintptr_t)start) {
        lib_memmove(&regions[i], &regions[i + 1], (size_t)(nregions - i - 1) * sizeof *regions);
        nregions--;
    }
    irq_restore(on);
}

void *wasm_platform_code_lookup(uintptr_t pc, uintptr_t *start)
{
    int i = upper(pc) - 1;
    if (i < 0 || pc >= regions[i].end)
        return NULL;
    if (start)
        *start = regions[i].start;
    return regions[i].owner;
}

bool kwasm_describe(uint64_t pc, char *buf, unsigned long cap)
{
    return wasm_describe_code(pc, buf, cap);
}

int kwasm_code_regions(void)
{
    return nregions;
}

/* ---- the tick and kills ---- */

/* Redirects frame `tf`, interrupted at a Wasm instruction, to the trap
 * stub with the trap "killed"; false if its pc is not in a module's code
 * (the engine's stubs, or C), where a trap cannot be forced. */
static bool force_kill(trapframe *tf)
{
    uint64_t arg;
    uintptr_t to = wasm_interrupt_to_trap(tf->rip, WASM_TRAP_KILLED, &arg);
    if (!to)
        return false;
    kwasm_redirect(tf, to, arg);
    return true;
}

bool kwasm_tick(trapframe *tf)
{
    if (!wasm_platform_code_lookup(tf->rip, NULL))
        return false;
    thread *t = thread_current();
    if (t && t->wasm_kill)
        force_kill(tf);
    return true;
}

void kwasm_kill(thread *t)
{
    bool on = irq_save();
    t->wasm_kill = true;
    wasm_limits *l = limits_of(t);
    if (l)
        l->kill = 1;
    if (t != thread_current() && t->preempted)
        force_kill(t->preempted);
    irq_restore(on);
}

void kwasm_kill_clear(thread *t)
{
    bool on = irq_save();
    t->wasm_kill = false;
    wasm_limits *l = limits_of(t);
    if (l)
        l->kill = 0;
    irq_restore(on);
}
