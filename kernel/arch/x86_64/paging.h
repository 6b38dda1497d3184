/* kernel/arch/x86_64/paging.h: x86-64 4-level page tables for the kernel's
 * one address space: the higher-half image with per-section permissions, a
 * direct map of all usable physical memory at DIRECT_MAP (2 MiB pages, split
 * to 4 KiB on demand), and 4 KiB mappings made by vm.c.
 *
 * Page tables that an unmap leaves empty are freed (paging.c).
 *
 * One CPU: a change flushes the local TLB entry only. With SMP, every
 * change below goes through paging_flush(), the one place that will need a
 * shootdown. */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdint.h>
#include <stdbool.h>

#define PTE_P   (1ull << 0)
#define PTE_W   (1ull << 1)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS  (1ull << 7)
#define PTE_NX  (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

/* Builds the kernel's page tables and switches to them. */
void paging_init(void);

/* Maps the 4 KiB page at `va` to frame `pa` with `flags` (PTE_P implied).
 * Returns false when a page table could not be allocated. */
bool paging_map(uint64_t va, uint64_t pa, uint64_t flags);

/* Unmaps the page at `va`; returns the frame it mapped (and its flags in
 * *flags, if not NULL), or 0. Page tables left empty are freed (but never
 * the direct map's or the image's). */
uint64_t paging_unmap(uint64_t va, uint64_t *flags);

/* The lowest page-aligned address in [va, end) (va page-aligned) that is
 * mapped, or `end`: missing tables are skipped whole, so the cost follows
 * what is mapped, not the size of the range. */
uint64_t paging_next_mapped(uint64_t va, uint64_t end);

/* Changes the flags of the mapped page at `va` (splitting a 2 MiB page of
 * the direct map if needed). Returns false if `va` is not mapped. */
bool paging_protect(uint64_t va, uint64_t flags);

/* The frame and flags mapping `va`, or 0 if unmapped. */
uint64_t paging_query(uint64_t va, uint64_t *flags);

/* Maps device memory (uncached) at DIRECT_MAP + pa for the kernel's own
 * use, for good (it panics when out of memory, and the range is remembered
 * as the kernel's); returns its address. */
void *paging_map_mmio(uint64_t pa, uint64_t len);

#define PAGING_ENOMEM (-1)      /* no memory for a page table */
#define PAGING_ELIMIT (-2)      /* 2047 driver mappings over one page already */

/* Maps device memory (uncached) at DIRECT_MAP + pa for a driver, never
 * over the kernel's own registers (the caller checks paging_mmio_kernel).
 * Each page counts the mappings over it: a second one over the same
 * registers shares the first's entries. 0, or PAGING_ENOMEM or
 * PAGING_ELIMIT with nothing new left mapped. */
int paging_map_device(uint64_t pa, uint64_t len);

/* Undoes one paging_map_device(pa, len): a page whose last mapping this
 * was is unmapped, and the page tables it leaves empty are freed. */
void paging_unmap_device(uint64_t pa, uint64_t len);

/* Whether [pa, pa + len) touches a page paging_map_mmio mapped. */
bool paging_mmio_kernel(uint64_t pa, uint64_t len);

/* Page tables in use now, the boot ones included. Tables are freed when
 * an unmap leaves them empty, except those of the direct map and the image
 * (boot's, and the splits of 2 MiB pages), which stay for good: a test of
 * exact reclaim allows for the splits its frames cause. */
uint64_t paging_tables_live(void);

/* Invalidates the translation of `va` (on every CPU, once there are more). */
void paging_flush(uint64_t va);

#endif
