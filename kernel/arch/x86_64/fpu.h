/* kernel/arch/x86_64/fpu.h: per-thread x87/SSE/AVX state. Kernel C code never
 * touches these registers (-mgeneral-regs-only), so the scheduler saves the
 * outgoing thread's state and restores the incoming one's at each switch,
 * with XSAVE when the CPU has it (FXSAVE otherwise). */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <stdint.h>

/* Enables XSAVE (and AVX state when present) and sizes the save area. */
void fpu_init(void);

/* Bytes of a save area (allocate with 64-byte alignment). */
uint64_t fpu_area_size(void);

/* A clean state: default control words, all registers zero. */
void fpu_area_init(void *area);

void fpu_save(void *area);
void fpu_restore(const void *area);

/* Whether XSAVE is in use (false: FXSAVE). */
int fpu_uses_xsave(void);

#endif
