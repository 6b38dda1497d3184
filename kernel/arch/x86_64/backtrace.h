/* kernel/arch/x86_64/backtrace.h: walking the rbp frame chain. */
#ifndef ARCH_BACKTRACE_H
#define ARCH_BACKTRACE_H

#include <stdint.h>
#include <stdbool.h>

/* Prints the backtrace that starts at `rip` with frame pointer `rbp`, one
 * line per frame with the function's name from the kernel symbol table.
 * Stops at a null, misaligned, unmapped or non-increasing frame pointer.
 * `rsp` (0 when unknown) is the stack pointer at `rip`, used when a trap
 * stopped a function before its frame was set up. */
void backtrace_print(uint64_t rip, uint64_t rbp, uint64_t rsp);

/* Whether the 8 bytes at `va` are mapped in the current page tables. */
bool arch_readable(uint64_t va);

#endif
