/* kernel/coral/vma.c: VMAs. */
#include "kernel/coral/abi.h"
#include "kernel/coral/device.h"
#include "kernel/coral/sys.h"
#include "kernel/coral/vma.h"
#include "lib/string.h"

int32_t vma_new(uint32_t size, vma **out)
{
    *out = NULL;
    if (size == 0 || size > CORAL_VMA_MAX)
        return CORAL_EINVAL;
    vma *v = sys_alloc(sizeof *v);
    if (!v)
        return CORAL_ENOMEM;
    v->bytes = sys_alloc(size);
    if (!v->bytes) {
        sys_free(v);
        return CORAL_ENOMEM;
    }
    v->size = size;
    kobj_init(&v->o, CORAL_KIND_VMA);
    *out = v;
    return 0;
}

int32_t vma_new_device(uint8_t *map, uint64_t phys, uint32_t size, vma **out)
{
    *out = NULL;
    vma *v = sys_alloc(sizeof *v);
    if (!v)
        return CORAL_ENOMEM;
    v->bytes = map;
    v->phys = phys;
    v->size = size;
    v->device = true;
    kobj_init(&v->o, CORAL_KIND_VMA);
    *out = v;
    return 0;
}

void vma_load(const vma *v, uint32_t off, uint8_t *dst, uint32_t len)
{
    if (v->device)
        dev_copy(dst, false, v->bytes + off, true, len);
    else
        lib_memmove(dst, v->bytes + off, len);
}

void vma_store(vma *v, uint32_t off, const uint8_t *src, uint32_t len)
{
    if (v->device)
        dev_copy(v->bytes + off, true, src, false, len);
    else
        lib_memmove(v->bytes + off, src, len);
}

int vma_in_bounds(const vma *v, uint32_t off, uint32_t len)
{
    return (uint64_t)off + len <= v->size;
}

int32_t vma_copy(vma *src, vma *dst, uint32_t src_off, uint32_t dst_off, uint32_t len)
{
    if (!vma_in_bounds(src, src_off, len) || !vma_in_bounds(dst, dst_off, len))
        return CORAL_ERANGE;
    if (len > INT32_MAX)
        return CORAL_EINVAL;   /* cannot happen below CORAL_VMA_MAX; keeps the result >= 0 */
    if (src->device || dst->device)
        dev_copy(dst->bytes + dst_off, dst->device, src->bytes + src_off, src->device, len);
    else
        lib_memmove(dst->bytes + dst_off, src->bytes + src_off, len);
    return (int32_t)len;
}

void vma_destroy(vma *v)
{
    if (v->device)
        sys_device_unmap(v->phys, v->size);
    else
        sys_free(v->bytes);
    sys_free(v);
}
