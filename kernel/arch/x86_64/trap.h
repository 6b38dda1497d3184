/* kernel/arch/x86_64/trap.h: the IDT, the trapframe that isr.S builds, and
 * the table of handlers that trap_dispatch calls. A CPU exception with no
 * handler, or whose handler declines it, is a kernel panic. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdint.h>
#include <stdbool.h>

/* Saved by isr.S, lowest address first. */
typedef struct trapframe {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
} trapframe;

#define T_DE 0
#define T_NMI 2
#define T_BP 3
#define T_UD 6
#define T_DF 8
#define T_GP 13
#define T_PF 14
#define T_MC 18

/* Returns true when it handled the trap. For an exception, false means a
 * panic; for an interrupt the return value is ignored. */
typedef bool trap_handler(trapframe *tf);

void trap_init(void);
void trap_set_handler(int vector, trap_handler *fn);

/* The name of an exception vector ("page fault"), or NULL past 31. */
const char *trap_name(uint64_t vector);

/* Prints the registers of `tf` (and CR2 for a page fault). */
void trap_dump(const trapframe *tf);

/* Fills `tf` with the caller's registers (for a panic outside a trap). */
void trap_capture(trapframe *tf);

#endif
