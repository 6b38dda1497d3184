/* kernel/kmalloc.h: the kernel heap. Small sizes (up to 1 KiB) come from
 * slabs of one size class each (16, 32, ..., 1024 bytes) carved from
 * frames of the direct map; larger ones get their own virtual region.
 * Every block is 16-byte aligned. kfree of a block that is not live (a
 * double free, a pointer kmalloc never returned) panics; every live block
 * is recorded with the function that allocated it, for leak reports. */
#ifndef KERNEL_KMALLOC_H
#define KERNEL_KMALLOC_H

#include <stddef.h>
#include <stdint.h>

/* NULL when out of memory (or for size 0). */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *ptr);            /* kfree(NULL) does nothing */

/* How many bytes the live block at ptr can hold (its size class, or its
 * region for a large one): a block may grow in place up to this. */
size_t kmalloc_usable(void *ptr);

/* Live blocks and their bytes (as requested, rounded to the class): a test
 * that frees what it took sees the same numbers before and after. */
typedef struct kmalloc_stats {
    uint64_t blocks, bytes, slab_pages;
} kmalloc_stats;

kmalloc_stats kmalloc_stats_get(void);

/* Leak reports. Each allocation gets the next sequence number; this is the
 * last one given. kmalloc_report(since) prints every live block allocated
 * after `since`, with the function that allocated it, and returns how many
 * there are (call it with kmalloc_seq() from before the code under test). */
uint32_t kmalloc_seq(void);
int kmalloc_report(uint32_t since);

#endif
