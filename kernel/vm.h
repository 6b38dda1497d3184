/* kernel/vm.h: virtual regions of the kernel address space (VM_BASE up),
 * for what needs more than a frame: large heap blocks, thread stacks, and
 * Wasm memories and code. A region is reserved whole (nothing mapped), then
 * committed and decommitted page by page; pages never committed stay
 * unmapped, which is what guard pages are. Protection follows W^X: a page is
 * never writable and executable at once, and while a page is executable
 * the direct map's alias of its frame is read-only. */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <stdint.h>
#include <stdbool.h>
#include "lib/list.h"

#define VM_READ  1u
#define VM_WRITE 2u
#define VM_EXEC  4u

typedef struct vm_region {
    lib_list link;          /* in the sorted list of regions */
    uint64_t base, size;    /* page-aligned */
    uint64_t committed;     /* pages mapped */
    const char *name;       /* for fault reports */
} vm_region;

void vm_init(void);

/* Reserves `size` bytes (rounded up to pages) of address space; NULL when
 * there is no room or no memory for the bookkeeping. */
vm_region *vm_reserve(uint64_t size, const char *name);

/* Maps fresh zeroed frames over [off, off + len) with `prot`; pages already
 * committed keep their contents and take `prot`. False (with nothing new
 * left mapped) when memory runs out or the arguments are bad. */
bool vm_commit(vm_region *r, uint64_t off, uint64_t len, unsigned prot);

/* Unmaps [off, off + len) and frees its frames. */
void vm_decommit(vm_region *r, uint64_t off, uint64_t len);

/* Sets the protection of committed pages in [off, off + len). False for
 * write+exec, for a range outside the region or not committed. */
bool vm_protect(vm_region *r, uint64_t off, uint64_t len, unsigned prot);

/* Decommits everything and gives the address space back. */
void vm_release(vm_region *r);

/* The region containing `va`, or NULL. */
vm_region *vm_find(uint64_t va);

/* Whether the page at `va` is committed. */
bool vm_committed(uint64_t va);

#endif
