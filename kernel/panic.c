/* kernel/panic.c: kpanic() and the panic for unhandled CPU exceptions.
 * A panic inside a panic (a fault while printing) stops at once. */
#include "kernel/panic.h"
#include "kernel/kprintf.h"
#include "kernel/ksym.h"
#include "kernel/kwasm.h"
#include "kernel/thread.h"
#include "kernel/arch/x86_64/backtrace.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/exit.h"

static int panicking;

static void enter(void)
{
    cli();
    if (panicking++) {
        kprintf("\nPANIC while panicking: stopping\n");
        arch_exit(false);
    }
}

__attribute__((noreturn)) static void finish(const trapframe *tf, bool from_trap)
{
    const thread *t = thread_current();
    if (t)
        kprintf("  in thread %d '%s'\n", t->id, t->name);
    trap_dump(tf);
    backtrace_print(tf->rip, tf->rbp, from_trap ? tf->rsp : 0);
    kprintf("end of panic: exiting with failure\n");
    arch_exit(false);
}

void kpanic(const char *fmt, ...)
{
    trapframe tf;
    trap_capture(&tf);
    enter();
    /* Report from the caller's point of view: its call site and frame. */
    tf.rip = (uint64_t)__builtin_return_address(0);
    tf.rbp = *(uint64_t *)__builtin_frame_address(0);
    kprintf("\nPANIC: ");
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    finish(&tf, false);
}

void panic_trap(trapframe *tf)
{
    enter();
    uint64_t off;
    char wasm[80];
    const char *fn = ksym_lookup(tf->rip, &off);
    if (!fn && kwasm_describe(tf->rip, wasm, sizeof wasm))
        kprintf("\nPANIC: %s (vector %lu, error 0x%lx) at %016lx [wasm] %s\n",
                trap_name(tf->vector), tf->vector, tf->error, tf->rip, wasm);
    else
        kprintf("\nPANIC: %s (vector %lu, error 0x%lx) at %016lx %s+0x%lx\n",
                trap_name(tf->vector), tf->vector, tf->error, tf->rip,
                fn ? fn : "?", fn ? off : 0);
    if (tf->vector == T_PF) {
        kprintf("  page fault at address %016lx: %s, %s, %s\n", read_cr2(),
                tf->error & 1 ? "protection violation" : "page not present",
                tf->error & 2 ? "write" : (tf->error & 16 ? "instruction fetch" : "read"),
                tf->error & 4 ? "user mode" : "kernel mode");
    }
    finish(tf, true);
}
