/* kernel/panic.h: the kernel's last words. A panic prints the reason, every
 * general register, CR2 on a page fault, and a symbolized backtrace on the
 * serial console, then ends the run with a failure (arch/x86_64/exit.h). */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/arch/x86_64/trap.h"

void kpanic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* A CPU exception that nobody handled. */
void panic_trap(trapframe *tf) __attribute__((noreturn));

/* Asserts that hold in every build; failing one is a panic. */
#define KASSERT(cond) \
    do { if (!(cond)) kpanic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); } while (0)

#endif
