/* tests/kernel/ktest.c: the scenario table and the scenarios of the boot
 * path. Scenarios that must crash (panics, faults) never return; the test
 * step checks what the panic printed. */
#include "tests/kernel/ktest.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "kernel/multiboot.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/exit.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/trap.h"
#include "lib/string.h"
#include <stdint.h>

#define FAULT_ADDR ((uint64_t)0xdead0000)

typedef struct ktest {
    const char *name;
    bool (*fn)(void);
} ktest;

bool ktest_fail(const char *fmt, ...)
{
    kprintf("ktest: FAIL: ");
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    return false;
}

/* boot: reaching here is the test; also check the CPU state boot.S set. */
static bool test_boot(void)
{
    KTEST_CHECK(read_cr0() & CR0_WP);
    KTEST_CHECK(read_cr0() & (1 << 1));          /* MP */
    KTEST_CHECK(!(read_cr0() & (1 << 2)));       /* EM clear */
    KTEST_CHECK(read_cr4() & (1 << 9));          /* OSFXSR */
    KTEST_CHECK(read_cr4() & (1 << 10));         /* OSXMMEXCPT */
    KTEST_CHECK(rdmsr(0xC0000080) & (1 << 11));  /* EFER.NXE */
    return true;
}

/* panic-pf: a read from an unmapped address, two calls deep, so that the
 * backtrace must name both functions and their caller. */
__attribute__((noinline)) static uint64_t fault_inner(volatile uint64_t *p)
{
    return *p + 1;
}

__attribute__((noinline)) static uint64_t fault_outer(uint64_t addr)
{
    return fault_inner((volatile uint64_t *)addr) * 3;
}

static bool test_panic_pf(void)
{
    kprintf("ktest: reading %lx\n", FAULT_ADDR);
    fault_outer(FAULT_ADDR);
    return ktest_fail("the read did not fault");
}

/* panic-call: an explicit kpanic with a formatted reason. */
__attribute__((noinline)) static void panic_here(int n)
{
    kpanic("deliberate panic number %d", n);
}

static bool test_panic_call(void)
{
    panic_here(42);
    return false;
}

/* panic-ud: an invalid opcode goes through the IDT to a panic. */
static bool test_panic_ud(void)
{
    __asm__ volatile("ud2");
    return false;
}

/* stack-overflow: recursing with the stack pointer in unmapped memory makes
 * the page fault itself fault: a double fault, which must arrive on its own
 * IST stack and panic (without IST it would triple-fault). */
static bool test_stack_overflow(void)
{
    __asm__ volatile("mov %0, %%rsp\n\tpushq $0" :: "r"(FAULT_ADDR) : "memory");
    return false;
}

/* nmi: an NMI (sent by the local APIC to itself) is handled on its own
 * IST stack, whatever the stack of the code it interrupted. */
static volatile uint64_t nmi_frame;

static bool on_nmi(trapframe *tf)
{
    (void)tf;
    nmi_frame = (uint64_t)__builtin_frame_address(0);
    return true;
}

static bool test_nmi(void)
{
    trap_set_handler(T_NMI, on_nmi);
    lapic_self_nmi();
    for (int i = 0; i < 1000000 && !nmi_frame; i++)
        cpu_pause();
    trap_set_handler(T_NMI, 0);
    KTEST_CHECK(nmi_frame != 0);
    uint64_t lo, hi;
    gdt_ist_bounds(IST_NMI, &lo, &hi);
    kprintf("nmi: handled with its frame at %lx, IST stack %lx-%lx\n", nmi_frame, lo, hi);
    KTEST_CHECK(nmi_frame >= lo && nmi_frame < hi);
    return true;
}

/* triple-fault: no IDT at all; the wrapper must not call this a success. */
static bool test_triple_fault(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } none = { 0, 0 };
    __asm__ volatile("lidt %0\n\tint3" :: "m"(none));
    return false;
}

/* modules: lists the Multiboot modules with their size, command line and
 * first bytes, which the test step compares with the files it passed. */
static bool test_modules(void)
{
    KTEST_CHECK(boot.nmodules > 0);
    for (int i = 0; i < boot.nmodules; i++) {
        const boot_module *m = &boot.modules[i];
        KTEST_CHECK(m->end >= m->start && (m->start & 0xfff) == 0);
        const char *p = (const char *)(m->start + DIRECT_MAP);
        uint64_t n = m->end - m->start;
        kprintf("module %d: %lu bytes, cmdline '%s', starts '%.8s'\n", i, n, m->cmdline,
                n >= 8 ? p : "");
    }
    return true;
}

/* hang: never ends; the wrapper's time limit must turn it into a failure. */
static bool test_hang(void)
{
    for (;;)
        hlt();
    return false;
}

static const ktest tests[] = {
    { "boot", test_boot },
    { "panic-pf", test_panic_pf },
    { "panic-call", test_panic_call },
    { "panic-ud", test_panic_ud },
    { "stack-overflow", test_stack_overflow },
    { "nmi", test_nmi },
    { "triple-fault", test_triple_fault },
    { "modules", test_modules },
    { "pmm", ktest_pmm },
    { "pmm-double-free", ktest_pmm_double_free },
    { "pmm-bad-free", ktest_pmm_bad_free },
    { "vm", ktest_vm },
    { "vm-tables", ktest_vm_tables },
    { "wx", ktest_wx },
    { "wx-write", ktest_wx_write },
    { "wx-alias", ktest_wx_alias },
    { "nx", ktest_nx },
    { "guard", ktest_guard },
    { "heap", ktest_heap },
    { "heap-leak", ktest_heap_leak },
    { "heap-double-free", ktest_heap_double_free },
    { "heap-large-double-free", ktest_heap_large_double_free },
    { "heap-bad-free", ktest_heap_bad_free },
    { "timer", ktest_timer },
    { "irq", ktest_irq },
    { "threads", ktest_threads },
    { "preempt", ktest_preempt },
    { "nonpreempt", ktest_nonpreempt },
    { "sleep", ktest_sleep },
    { "waitq", ktest_waitq },
    { "sse", ktest_sse },
    { "stack-guard", ktest_stack_guard },
    { "main-stack-guard", ktest_main_stack_guard },
    { "sched-cost", ktest_sched_cost },
    { "wasm", ktest_wasm },
    { "wasm-traps", ktest_wasm_traps },
    { "wasm-reclaim", ktest_wasm_reclaim },
    { "wasm-preempt", ktest_wasm_preempt },
    { "wasm-kill", ktest_wasm_kill },
    { "coral-reclaim", ktest_coral_reclaim },
    { "coral-channels", ktest_coral_channels },
    { "coral-devices", ktest_coral_devices },
    { "wasm-guard-panic", ktest_wasm_guard_panic },
    { "wasm-compile", ktest_wasm_compile },
    { "wasm-cross", ktest_wasm_cross },
    { "wasm-kill-storm", ktest_wasm_kill_storm },
    { "wasm-host-nonpreempt", ktest_wasm_host_nonpreempt },
    { "wasm-fault-vectors", ktest_wasm_fault_vectors },
    { "wasm-fault-stray", ktest_wasm_fault_stray },
    { "hang", test_hang },
};

void ktest_run(const char *name)
{
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (lib_strcmp(tests[i].name, name) == 0) {
            kprintf("ktest: running %s\n", name);
            bool ok = tests[i].fn();
            kprintf("ktest: %s %s\n", name, ok ? "passed" : "FAILED");
            arch_exit(ok);
        }
    }
    kprintf("ktest: no scenario named '%s'\n", name);
    arch_exit(false);
}
