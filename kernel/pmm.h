/* kernel/pmm.h: the physical frame allocator. Frames are 4 KiB; the free
 * set comes from the Multiboot memory map minus the first MiB, the kernel
 * image and the boot modules (the loader's structures are copied first). Accounting is exact:
 * pmm_free_count() is the number of frames pmm_alloc() can still return. */
#ifndef KERNEL_PMM_H
#define KERNEL_PMM_H

#include <stdint.h>
#include <stdbool.h>
#include "kernel/arch/x86_64/layout.h"

#define PAGE_SIZE 4096ull

void pmm_init(void);

/* A free frame's physical address, or 0 when memory is exhausted (frame 0
 * is never handed out). The contents are undefined; pmm_alloc_zero clears. */
uint64_t pmm_alloc(void);
uint64_t pmm_alloc_zero(void);

/* Returns a frame. Freeing a frame that is free, or that the allocator
 * does not manage, is a kernel bug: it panics. */
void pmm_free(uint64_t pa);

/* A 16-bit word of per-frame data for the frame's current holder (paging
 * keeps a page table's count of present entries there). Its value when the
 * frame is handed out is whatever the last holder left: set it first. */
uint16_t *pmm_frame_word(uint64_t pa);

uint64_t pmm_free_count(void);
uint64_t pmm_total_count(void);    /* frames managed (free or handed out) */

/* One past the highest usable physical address (the direct map's extent). */
uint64_t pmm_max_phys(void);

/* Whether `pa` lies in a frame the allocator manages. */
bool pmm_managed(uint64_t pa);

static inline void *phys_to_virt(uint64_t pa) { return (void *)(pa + DIRECT_MAP); }
static inline uint64_t virt_to_phys(const void *va) { return (uint64_t)va - DIRECT_MAP; }

#endif
