/* kernel/ksym.h: the kernel's own symbol table, for backtraces. The build
 * links the kernel twice: the second link embeds a table of the first one's
 * function symbols (scripts/ksyms-gen), in the .ksyms section. */
#ifndef KERNEL_KSYM_H
#define KERNEL_KSYM_H

#include <stdint.h>

/* The function containing `addr` and the offset into it, or NULL. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#endif
