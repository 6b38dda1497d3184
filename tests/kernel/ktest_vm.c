/* tests/kernel/ktest_vm.c: scenarios for paging, virtual regions (commit,
 * decommit, guard pages, W^X) and the kernel heap. */
#include "tests/kernel/ktest.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/pmm.h"
#include "kernel/time.h"
#include "kernel/vm.h"
#include "kernel/arch/x86_64/paging.h"
#include "lib/string.h"

extern char _text_start[];

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t rand64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* One reserve/commit/use/decommit/release cycle; false on a failed check. */
static bool region_cycle(void)
{
    vm_region *r = vm_reserve((8ull << 30) + 65536, "wasm-like");   /* a Wasm memory's reservation */
    KTEST_CHECK(r != 0);
    KTEST_CHECK(r->size == (8ull << 30) + 65536);
    KTEST_CHECK(vm_commit(r, 0, 16 * 4096, VM_READ | VM_WRITE));
    KTEST_CHECK(r->committed == 16);
    uint64_t *p = (uint64_t *)r->base;
    for (int i = 0; i < 16 * 512; i++)
        p[i] = (uint64_t)i * 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 16 * 512; i++)
        KTEST_CHECK(p[i] == (uint64_t)i * 0x9e3779b97f4a7c15ull);
    /* Grow like memory.grow: committed pages keep their contents. */
    KTEST_CHECK(vm_commit(r, 0, 32 * 4096, VM_READ | VM_WRITE));
    KTEST_CHECK(r->committed == 32 && p[100] == 100 * 0x9e3779b97f4a7c15ull && p[16 * 512] == 0);
    vm_decommit(r, 8 * 4096, 8 * 4096);
    KTEST_CHECK(r->committed == 24);
    KTEST_CHECK(vm_committed(r->base) && !vm_committed(r->base + 8 * 4096));
    KTEST_CHECK(!vm_committed(r->base + (8ull << 30)));          /* the guard */
    KTEST_CHECK(vm_find(r->base + (8ull << 30)) == r);
    /* Bad requests are refused. */
    KTEST_CHECK(!vm_commit(r, 1, 4096, VM_READ));
    KTEST_CHECK(!vm_commit(r, r->size, 4096, VM_READ));
    KTEST_CHECK(!vm_commit(r, 0, 4096, VM_READ | VM_WRITE | VM_EXEC));
    KTEST_CHECK(!vm_protect(r, 8 * 4096, 4096, VM_READ));       /* not committed */
    vm_release(r);
    return true;
}

bool ktest_vm(void)
{
    uint64_t free0 = pmm_free_count();
    kmalloc_stats h0 = kmalloc_stats_get();
    /* Page tables go with the pages: even the first cycle gives back
     * every frame. */
    if (!region_cycle())
        return false;
    uint64_t free1 = pmm_free_count();
    kprintf("vm: first cycle kept %lu frames\n", free0 - free1);
    KTEST_CHECK(free1 == free0);
    for (int i = 0; i < 10; i++)
        if (!region_cycle())
            return false;
    KTEST_CHECK(pmm_free_count() == free1);
    kmalloc_stats h1 = kmalloc_stats_get();
    KTEST_CHECK(h1.blocks == h0.blocks && h1.bytes == h0.bytes);

    /* Out of memory: a commit larger than memory fails and maps nothing. */
    vm_region *big = vm_reserve(1ull << 40, "huge");
    KTEST_CHECK(big != 0);
    KTEST_CHECK(!vm_commit(big, 0, (pmm_free_count() + 1) * 4096, VM_READ | VM_WRITE));
    KTEST_CHECK(big->committed == 0 && pmm_free_count() == free1);
    vm_release(big);
    kprintf("vm: %lu frames free, as before\n", pmm_free_count());
    return true;
}

/* W^X: code written through a writable mapping, then made executable; the
 * direct map's alias follows. */
bool ktest_wx(void)
{
    vm_region *warm = vm_reserve(4096, "warm-up");     /* a slab, the split below */
    KTEST_CHECK(warm && vm_commit(warm, 0, 4096, VM_READ | VM_WRITE));
    /* Making a frame executable splits its 2 MiB direct-map page (for the
     * read-only alias), and the split stays: do it here, on the frame the
     * region below gets next, or free0 depends on where the frame is. */
    KTEST_CHECK(vm_protect(warm, 0, 4096, VM_READ | VM_EXEC));
    vm_release(warm);
    uint64_t free0 = pmm_free_count();
    vm_region *r = vm_reserve(4096, "code");
    KTEST_CHECK(r && vm_commit(r, 0, 4096, VM_READ | VM_WRITE));
    static const uint8_t code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };    /* mov $42, %eax; ret */
    lib_memcpy((void *)r->base, code, sizeof code);
    uint64_t flags, pa = paging_query(r->base, &flags);
    uint64_t alias = (uint64_t)phys_to_virt(pa);
    KTEST_CHECK(pa && (flags & PTE_W) && (flags & PTE_NX));
    KTEST_CHECK(paging_query(alias, &flags) == pa && (flags & PTE_W));

    KTEST_CHECK(vm_protect(r, 0, 4096, VM_READ | VM_EXEC));
    KTEST_CHECK(paging_query(r->base, &flags) == pa && !(flags & PTE_W) && !(flags & PTE_NX));
    KTEST_CHECK(paging_query(alias, &flags) == pa && !(flags & PTE_W) && (flags & PTE_NX));
    int (*fn)(void) = (int (*)(void))r->base;
    KTEST_CHECK(fn() == 42);
    kprintf("wx: generated code returned %d\n", fn());

    KTEST_CHECK(vm_protect(r, 0, 4096, VM_READ | VM_WRITE));
    KTEST_CHECK(paging_query(alias, &flags) == pa && (flags & PTE_W));
    KTEST_CHECK(!vm_protect(r, 0, 4096, VM_READ | VM_WRITE | VM_EXEC));
    /* The kernel's own text has no writable alias either. */
    KTEST_CHECK(paging_query((uint64_t)phys_to_virt((uint64_t)_text_start - KERNEL_VMA), &flags) &&
                !(flags & PTE_W));
    vm_release(r);
    KTEST_CHECK(pmm_free_count() == free0);
    return true;
}

static vm_region *exec_page(void)
{
    vm_region *r = vm_reserve(4096, "code");
    if (!r || !vm_commit(r, 0, 4096, VM_READ | VM_WRITE))
        return 0;
    *(uint8_t *)r->base = 0xc3;
    vm_protect(r, 0, 4096, VM_READ | VM_EXEC);
    return r;
}

bool ktest_wx_write(void)
{
    vm_region *r = exec_page();
    KTEST_CHECK(r);
    *(volatile uint8_t *)r->base = 0x90;
    return ktest_fail("writing to an executable page did not fault");
}

bool ktest_wx_alias(void)
{
    vm_region *r = exec_page();
    KTEST_CHECK(r);
    volatile uint8_t *alias = phys_to_virt(paging_query(r->base, 0));
    kprintf("wx: writing through the direct-map alias %p\n", (void *)alias);
    *alias = 0x90;
    return ktest_fail("writing through the alias of an executable page did not fault");
}

bool ktest_nx(void)
{
    vm_region *r = vm_reserve(4096, "data");
    KTEST_CHECK(r && vm_commit(r, 0, 4096, VM_READ | VM_WRITE));
    *(uint8_t *)r->base = 0xc3;
    ((void (*)(void))r->base)();
    return ktest_fail("executing a data page did not fault");
}

bool ktest_guard(void)
{
    vm_region *r = vm_reserve(3 * 4096, "guarded");
    KTEST_CHECK(r && vm_commit(r, 4096, 4096, VM_READ | VM_WRITE));
    *(volatile uint64_t *)(r->base + 4096) = 1;
    kprintf("guard: reading below the committed page at %lx\n", r->base + 4088);
    (void)*(volatile uint64_t *)(r->base + 4088);
    return ktest_fail("reading a guard page did not fault");
}

/* The heap under stress: random sizes across every class and large blocks,
 * each filled with a pattern checked before it is freed in random order. */
bool ktest_heap(void)
{
    enum { N = 3000 };
    static uint8_t *blocks[N];
    static uint32_t sizes[N];
    uint64_t free0 = pmm_free_count();
    kmalloc_stats s0 = kmalloc_stats_get();
    KTEST_CHECK(kmalloc(0) == 0);
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < N; i++) {
            uint32_t size = (uint32_t)(rand64() % 8 == 0 ? 1 + rand64() % 20000 : 1 + rand64() % 1024);
            blocks[i] = kmalloc(size);
            KTEST_CHECK(blocks[i] != 0 && ((uint64_t)blocks[i] & 15) == 0);
            sizes[i] = size;
            lib_memset(blocks[i], (uint8_t)i, size);
        }
        /* Free a random half, reallocate it, then free everything. */
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < N; i++) {
                int j = (int)(rand64() % N);
                if (!blocks[j] || (k == 0 && rand64() % 2))
                    continue;
                for (uint32_t b = 0; b < sizes[j]; b++)
                    if (blocks[j][b] != (uint8_t)j)
                        return ktest_fail("block %d (size %u) corrupted at byte %u", j, sizes[j], b);
                kfree(blocks[j]);
                blocks[j] = 0;
            }
            for (int i = 0; i < N && k == 0; i++) {
                if (blocks[i])
                    continue;
                sizes[i] = (uint32_t)(1 + rand64() % 2048);
                blocks[i] = kmalloc(sizes[i]);
                KTEST_CHECK(blocks[i] != 0);
                lib_memset(blocks[i], (uint8_t)i, sizes[i]);
            }
        }
        for (int i = 0; i < N; i++) {
            if (blocks[i])
                kfree(blocks[i]);
            blocks[i] = 0;
        }
        kmalloc_stats s = kmalloc_stats_get();
        KTEST_CHECK(s.blocks == s0.blocks && s.bytes == s0.bytes);
        kprintf("heap: round %d: every block freed, %lu slab pages kept\n", round, s.slab_pages);
    }
    /* Frames: only the slabs kept (one per class) may stay; the page
     * tables of the large blocks' regions went with them. */
    kmalloc_stats s1 = kmalloc_stats_get();
    kprintf("heap: %lu frames kept, %lu of them slab pages\n", free0 - pmm_free_count(),
            s1.slab_pages - s0.slab_pages);
    KTEST_CHECK(free0 - pmm_free_count() == s1.slab_pages - s0.slab_pages);
    return true;
}

/* heap-leak: blocks left live by a function are reported with its name. */
static void *kept[3];

__attribute__((noinline)) static void leaky_helper(void)
{
    kept[0] = kmalloc(40);
    kept[1] = kzalloc(300);
    kept[2] = kmalloc(10000);
    void *freed = kmalloc(64);
    kfree(freed);
}

bool ktest_heap_leak(void)
{
    uint32_t since = kmalloc_seq();
    KTEST_CHECK(kmalloc_report(since) == 0);
    leaky_helper();
    kprintf("heap-leak: live blocks since the start of the test:\n");
    /* Three blocks, and the region record behind the large one. */
    KTEST_CHECK(kmalloc_report(since) == 4);
    for (int i = 0; i < 3; i++)
        kfree(kept[i]);
    KTEST_CHECK(kmalloc_report(since) == 0);
    /* The table under churn: many blocks in and out, none left behind. */
    static void *many[5000];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5000; i++)
            KTEST_CHECK((many[i] = kmalloc(16 + (size_t)(rand64() % 600))) != 0);
        for (int i = 0; i < 5000; i++)
            kfree(many[(i * 7919) % 5000]);
    }
    KTEST_CHECK(kmalloc_report(since) == 0);
    return true;
}

bool ktest_heap_double_free(void)
{
    void *p = kmalloc(100);
    KTEST_CHECK(p);
    kfree(p);
    kfree(p);
    return ktest_fail("the second kfree was not caught");
}

bool ktest_heap_large_double_free(void)
{
    void *p = kmalloc(50000);
    KTEST_CHECK(p);
    kfree(p);
    kfree(p);
    return ktest_fail("the second kfree was not caught");
}

bool ktest_heap_bad_free(void)
{
    char *p = kmalloc(64);
    KTEST_CHECK(p);
    kfree(p + 16);
    return ktest_fail("kfree of an interior pointer was not caught");
}

/* vm-tables: page tables come back. 1,000 regions, each with three pages
 * committed far from everything else (its own PT, PD and PDPT), at
 * addresses spread over the 32 TiB of regions: the pages straddle a
 * 512 GiB, 1 GiB or 2 MiB boundary (or none), so a decommit of the lowest
 * page frees exactly 3, 2, 1 or 0 tables, and the release gives back the
 * rest: free frames, live tables and the heap return exactly to their
 * values before, with no warm-up. Then the cost of releasing a big
 * memory (64 MiB committed). */
bool ktest_vm_tables(void)
{
    static const uint64_t aligns[4] = { 512ull << 30, 1ull << 30, 2ull << 20, 2ull << 20 };
    uint64_t free0 = pmm_free_count(), tables0 = paging_tables_live();
    kmalloc_stats h0 = kmalloc_stats_get();
    uint64_t made = 0, most = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = (1ull << 40) + (uint64_t)i * (37ull << 30) % (29ull << 40);
        uint64_t size = x + (600ull << 30);
        vm_region *r = vm_reserve(size, "far");
        KTEST_CHECK(r);
        uint64_t a = (r->base + x + aligns[i % 4] - 1) & ~(aligns[i % 4] - 1);
        if (i % 4 == 3)
            a += 64 << 10;                      /* inside one page table */
        uint64_t off = a - PAGE_SIZE - r->base;
        KTEST_CHECK(off + 3 * PAGE_SIZE <= size);
        KTEST_CHECK(vm_commit(r, off, 3 * PAGE_SIZE, VM_READ | VM_WRITE));
        /* How many levels of tables the lowest page does not share with
         * the two above it. */
        uint64_t low = a - PAGE_SIZE;
        int split = (low >> 39) != (a >> 39) ? 3 : (low >> 30) != (a >> 30) ? 2 :
                    (low >> 21) != (a >> 21) ? 1 : 0;
        uint64_t tables = paging_tables_live() - tables0;
        made += tables;
        most = tables > most ? tables : most;
        /* A PT, a PD and a PDPT of their own, and more where they straddle. */
        if (tables != (uint64_t)(3 + split))
            return ktest_fail("region %d at %lx: the commit made %lu tables, expected %d", i, a,
                              tables, 3 + split);
        for (int k = 0; k < 3; k++)
            *(volatile uint64_t *)(low + (uint64_t)k * PAGE_SIZE) = (uint64_t)i;
        vm_decommit(r, off, PAGE_SIZE);
        uint64_t freed = tables - (paging_tables_live() - tables0);
        if (freed != (uint64_t)split)
            return ktest_fail("region %d at %lx: the decommit freed %lu tables, expected %d", i, a,
                              freed, split);
        KTEST_CHECK(*(volatile uint64_t *)(a + PAGE_SIZE) == (uint64_t)i);
        vm_release(r);
        if (pmm_free_count() != free0 || paging_tables_live() != tables0)
            return ktest_fail("region %d at %lx: free frames %lu -> %lu, tables %lu -> %lu", i, a,
                              free0, pmm_free_count(), tables0, paging_tables_live());
    }
    kmalloc_stats h1 = kmalloc_stats_get();
    kprintf("vm-tables: 1000 far regions made %lu page tables (up to %lu at once); "
            "free frames %lu -> %lu, tables %lu -> %lu, heap blocks %lu -> %lu, bytes %lu -> %lu\n",
            made, most, free0, pmm_free_count(), tables0, paging_tables_live(), h0.blocks,
            h1.blocks, h0.bytes, h1.bytes);
    KTEST_CHECK(h1.blocks == h0.blocks && h1.bytes == h0.bytes);

    /* A big memory: 64 MiB committed in a Wasm-sized reservation. */
    uint64_t best = ~0ull;
    for (int round = 0; round < 3; round++) {
        vm_region *r = vm_reserve((8ull << 30) + 65536, "big");
        KTEST_CHECK(r && vm_commit(r, 0, 64ull << 20, VM_READ | VM_WRITE));
        uint64_t t0 = time_ns();
        vm_release(r);
        uint64_t ns = time_ns() - t0;
        best = ns < best ? ns : best;
        KTEST_CHECK(pmm_free_count() == free0 && paging_tables_live() == tables0);
    }
    kprintf("vm-tables: releasing 64 MiB committed (16384 pages, 32 page tables) takes %lu us "
            "(best of 3, TCG)\n", best / 1000);
    return true;
}
