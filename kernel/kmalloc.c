/* kernel/kmalloc.c: the kernel heap.
 *
 * Small blocks: each size class (16 << k up to 1024) has a list of slabs
 * with free slots. A slab is one frame, used through the direct map: a
 * header, then equal slots. The header's bitmap says which slots are live,
 * which catches a double free exactly; a freed slot is poisoned (0xdf) to
 * make a use after free visible. A slab that becomes empty goes back to
 * the frame allocator unless it is its class's only slab.
 *
 * Large blocks: a virtual region each, with a 16-byte header at its start
 * (so that the block is at page offset 16, where no slab slot ever is). */
#include "kernel/kmalloc.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"
#include "kernel/vm.h"
#include "kernel/kprintf.h"
#include "kernel/ksym.h"
#include "kernel/arch/x86_64/backtrace.h"
#include "lib/list.h"
#include "lib/string.h"

#define NCLASSES 7                  /* 16, 32, ..., 1024 */
#define SLAB_MAGIC  0x51ab51ab
#define LARGE_MAGIC 0x1a29e000
#define HEADER_SIZE 64

typedef struct slab {
    uint32_t magic;
    uint16_t cls, nfree;
    lib_list link;                  /* in its class's list while it has room */
    uint64_t live[4];               /* one bit per slot */
} slab;

typedef struct large {
    uint32_t magic;
    uint32_t pad;
    vm_region *region;
} large;

_Static_assert(sizeof(slab) <= HEADER_SIZE, "slab header too big");
_Static_assert(sizeof(large) == 16, "large header must be 16 bytes");

static lib_list partial[NCLASSES];
static uint32_t nslabs[NCLASSES];
static kmalloc_stats stats;
static bool ready;

static void init(void)
{
    for (int i = 0; i < NCLASSES; i++)
        lib_list_init(&partial[i]);
    ready = true;
}

static size_t class_size(int cls) { return (size_t)16 << cls; }
static int slots(int cls) { return (int)((PAGE_SIZE - HEADER_SIZE) / class_size(cls)); }

static slab *new_slab(int cls)
{
    uint64_t pa = pmm_alloc();
    if (!pa)
        return 0;
    slab *s = phys_to_virt(pa);
    lib_memset(s, 0, HEADER_SIZE);
    s->magic = SLAB_MAGIC;
    s->cls = (uint16_t)cls;
    s->nfree = (uint16_t)slots(cls);
    lib_list_push_back(&partial[cls], &s->link);
    nslabs[cls]++;
    stats.slab_pages++;
    return s;
}

static void *slab_alloc(int cls)
{
    slab *s = lib_list_empty(&partial[cls]) ? new_slab(cls)
            : LIB_CONTAINER_OF(partial[cls].next, slab, link);
    if (!s)
        return 0;
    int n = slots(cls);
    for (int i = 0; i < n; i++) {
        if (!(s->live[i / 64] >> (i % 64) & 1)) {
            s->live[i / 64] |= 1ull << (i % 64);
            if (--s->nfree == 0)
                lib_list_remove(&s->link);
            stats.blocks++;
            stats.bytes += class_size(cls);
            return (char *)s + HEADER_SIZE + (size_t)i * class_size(cls);
        }
    }
    kpanic("kmalloc: slab %p of class %zu has no free slot but claims %u", (void *)s,
           class_size(cls), s->nfree);
}

static void slab_free(slab *s, void *ptr)
{
    int cls = s->cls;
    uint64_t off = (uint64_t)ptr - (uint64_t)s - HEADER_SIZE;
    if (cls >= NCLASSES || off % class_size(cls) || off / class_size(cls) >= (uint64_t)slots(cls))
        kpanic("kfree: %p is not a block kmalloc returned", ptr);
    uint64_t i = off / class_size(cls);
    if (!(s->live[i / 64] >> (i % 64) & 1))
        kpanic("kfree: double free of %p (%zu-byte block)", ptr, class_size(cls));
    s->live[i / 64] &= ~(1ull << (i % 64));
    lib_memset(ptr, 0xdf, class_size(cls));
    stats.blocks--;
    stats.bytes -= class_size(cls);
    if (s->nfree++ == 0)
        lib_list_push_back(&partial[cls], &s->link);
    if (s->nfree == slots(cls) && nslabs[cls] > 1) {
        lib_list_remove(&s->link);
        s->magic = 0;
        nslabs[cls]--;
        stats.slab_pages--;
        pmm_free(virt_to_phys(s));
    }
}

static void *large_alloc(size_t size)
{
    vm_region *r = vm_reserve(size + sizeof(large), "kmalloc");
    if (!r)
        return 0;
    if (!vm_commit(r, 0, size + sizeof(large), VM_READ | VM_WRITE)) {
        vm_release(r);
        return 0;
    }
    large *h = (large *)r->base;
    h->magic = LARGE_MAGIC;
    h->region = r;
    stats.blocks++;
    stats.bytes += r->size;
    return h + 1;
}

/* ---- live-block tracking: which code allocated what is still live ----
 * Every block is recorded in an open-addressing table (pointer -> caller,
 * size, sequence number), so that a leak can be reported by the function
 * that made it. Past 3/4 full, new blocks go unrecorded (and are counted). */

#define TRACK_SLOTS 16384            /* a power of two */

typedef struct track {
    uint64_t ptr, caller;
    uint32_t seq, size;
} track;

static track table[TRACK_SLOTS];
static uint32_t ntracked, untracked, next_seq;

static uint32_t slot_of(uint64_t ptr)
{
    return (uint32_t)(((ptr >> 4) * 0x9e3779b97f4a7c15ull) >> 50) & (TRACK_SLOTS - 1);
}

static void track_add(void *ptr, size_t size, uint64_t caller)
{
    next_seq++;
    if (ntracked >= TRACK_SLOTS / 4 * 3) {
        untracked++;
        return;
    }
    uint32_t i = slot_of((uint64_t)ptr);
    while (table[i].ptr)
        i = (i + 1) & (TRACK_SLOTS - 1);
    table[i] = (track){ (uint64_t)ptr, caller, next_seq, (uint32_t)size };
    ntracked++;
}

/* Linear probing with backward-shift deletion (no tombstones). */
static void track_remove(void *ptr)
{
    uint32_t i = slot_of((uint64_t)ptr);
    while (table[i].ptr && table[i].ptr != (uint64_t)ptr)
        i = (i + 1) & (TRACK_SLOTS - 1);
    if (!table[i].ptr)
        return;                         /* an unrecorded block */
    for (uint32_t j = i;;) {
        j = (j + 1) & (TRACK_SLOTS - 1);
        if (!table[j].ptr)
            break;
        uint32_t k = slot_of(table[j].ptr);
        /* Move the entry at j back to i unless its home k lies in (i, j]. */
        bool stays = i <= j ? (k > i && k <= j) : (k > i || k <= j);
        if (!stays) {
            table[i] = table[j];
            i = j;
        }
    }
    table[i].ptr = 0;
    ntracked--;
}

uint32_t kmalloc_seq(void)
{
    return next_seq;
}

int kmalloc_report(uint32_t since)
{
    int n = 0;
    for (uint32_t i = 0; i < TRACK_SLOTS; i++) {
        const track *t = &table[i];
        if (!t->ptr || t->seq <= since)
            continue;
        uint64_t off;
        const char *fn = ksym_lookup(t->caller - 1, &off);
        kprintf("kmalloc: live block %016lx, %u bytes, allocated by %s+0x%lx (#%u)\n", t->ptr,
                t->size, fn ? fn : "?", fn ? off + 1 : 0, t->seq);
        n++;
    }
    if (untracked)
        kprintf("kmalloc: %u blocks were not recorded (table full)\n", untracked);
    return n;
}

static void *alloc(size_t size, uint64_t caller)
{
    if (!ready)
        init();
    if (size == 0)
        return 0;
    void *p = 0;
    for (int cls = 0; cls < NCLASSES && !p; cls++)
        if (size <= class_size(cls))
            p = slab_alloc(cls);
    if (!p && size > class_size(NCLASSES - 1) && size <= (1ull << 40))
        p = large_alloc(size);
    if (p)
        track_add(p, size, caller);
    return p;
}

void *kmalloc(size_t size)
{
    return alloc(size, (uint64_t)__builtin_return_address(0));
}

void *kzalloc(size_t size)
{
    void *p = alloc(size, (uint64_t)__builtin_return_address(0));
    if (p)
        lib_memset(p, 0, size);
    return p;
}

void kfree(void *ptr)
{
    if (!ptr)
        return;
    uint64_t page = (uint64_t)ptr & ~(PAGE_SIZE - 1);
    if (!arch_readable(page))
        kpanic("kfree: %p is not a block kmalloc returned (or was freed already)", ptr);
    if (((uint64_t)ptr & (PAGE_SIZE - 1)) == sizeof(large)) {
        large *h = (large *)page;
        if (h->magic != LARGE_MAGIC || h->region->base != page)
            kpanic("kfree: %p is not a block kmalloc returned (or a double free)", ptr);
        h->magic = 0;
        track_remove(ptr);
        stats.blocks--;
        stats.bytes -= h->region->size;
        vm_release(h->region);
        return;
    }
    slab *s = (slab *)page;
    if (s->magic != SLAB_MAGIC)
        kpanic("kfree: %p is not a block kmalloc returned", ptr);
    slab_free(s, ptr);
    track_remove(ptr);
}

size_t kmalloc_usable(void *ptr)
{
    uint64_t page = (uint64_t)ptr & ~(PAGE_SIZE - 1);
    if (((uint64_t)ptr & (PAGE_SIZE - 1)) == sizeof(large)) {
        large *h = (large *)page;
        if (h->magic == LARGE_MAGIC && h->region->base == page)
            return h->region->size - sizeof(large);
        return 0;
    }
    slab *s = (slab *)page;
    return s->magic == SLAB_MAGIC ? class_size(s->cls) : 0;
}

kmalloc_stats kmalloc_stats_get(void)
{
    return stats;
}
