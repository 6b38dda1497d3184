/* kernel/coral/vma.h: VMAs, areas of kernel memory that programs fill,
 * read and pass around by handle (boot modules arrive as VMAs, modules are
 * made from them). Fixed size, zeroed at creation. Bounds are checked
 * here; pointer checks against a program's memory are the caller's. */
#ifndef CORAL_VMA_H
#define CORAL_VMA_H

#include <stdint.h>
#include "kernel/coral/kobj.h"

typedef struct vma {
    kobj o;
    uint32_t size;
    uint8_t *bytes;
} vma;

/* A zeroed VMA of `size` bytes (1..CORAL_VMA_MAX): 0, or CORAL_EINVAL,
 * CORAL_ENOMEM. */
int32_t vma_new(uint32_t size, vma **out);

/* Whether [off, off+len) lies inside the VMA. */
int vma_in_bounds(const vma *v, uint32_t off, uint32_t len);

/* Copies `len` bytes between VMAs (overlap allowed): len, or CORAL_ERANGE. */
int32_t vma_copy(vma *src, vma *dst, uint32_t src_off, uint32_t dst_off, uint32_t len);

/* Called by kobj_unref only. */
void vma_destroy(vma *v);

#endif
