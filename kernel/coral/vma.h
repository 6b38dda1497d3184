/* kernel/coral/vma.h: VMAs, areas of kernel memory that programs fill,
 * read and pass around by handle (boot modules arrive as VMAs, modules are
 * made from them). Fixed size, zeroed at creation. Bounds are checked
 * here; pointer checks against a program's memory are the caller's. */
#ifndef CORAL_VMA_H
#define CORAL_VMA_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/coral/kobj.h"

typedef struct vma {
    kobj o;
    uint32_t size;
    uint8_t *bytes;
    bool device;        /* bytes is an uncached mapping of device memory
                           (kernel/coral/device.c): reached only through
                           vma_load, vma_store and vma_copy */
    uint64_t phys;      /* a device VMA's physical address (for the unmap) */
} vma;

/* A zeroed VMA of `size` bytes (1..CORAL_VMA_MAX): 0, or CORAL_EINVAL,
 * CORAL_ENOMEM. */
int32_t vma_new(uint32_t size, vma **out);

/* A VMA over `size` bytes of device memory at `phys`, which
 * sys_device_map mapped at `map`; it takes over that mapping and undoes it
 * when it goes (sys_device_unmap). 0, or CORAL_ENOMEM (the caller then
 * still owns the mapping). */
int32_t vma_new_device(uint8_t *map, uint64_t phys, uint32_t size, vma **out);

/* Copies between VMA bytes [off, off+len) (in bounds) and plain memory. */
void vma_load(const vma *v, uint32_t off, uint8_t *dst, uint32_t len);
void vma_store(vma *v, uint32_t off, const uint8_t *src, uint32_t len);

/* Whether [off, off+len) lies inside the VMA. */
int vma_in_bounds(const vma *v, uint32_t off, uint32_t len);

/* Copies `len` bytes between VMAs (overlap allowed): len, or CORAL_ERANGE. */
int32_t vma_copy(vma *src, vma *dst, uint32_t src_off, uint32_t dst_off, uint32_t len);

/* Called by kobj_unref only. */
void vma_destroy(vma *v);

#endif
