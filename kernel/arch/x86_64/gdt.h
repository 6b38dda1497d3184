/* kernel/arch/x86_64/gdt.h: the GDT and the TSS. The TSS gives #DF, NMI and
 * #MC their own interrupt stacks (IST), so that a kernel stack overflow
 * panics cleanly instead of triple-faulting. */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#include <stdint.h>

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_TSS   0x18

/* IST slots (1-based, as the IDT entries name them). */
#define IST_DF  1
#define IST_NMI 2
#define IST_MC  3

void gdt_init(void);

/* The bounds of IST stack `ist`, for the backtrace's sanity checks. */
void gdt_ist_bounds(int ist, uint64_t *lo, uint64_t *hi);

#endif
