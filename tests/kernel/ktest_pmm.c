/* tests/kernel/ktest_pmm.c: scenarios for the frame allocator. */
#include "tests/kernel/ktest.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot.h"
#include "kernel/pmm.h"

extern char _bss_end_phys[];

/* Whether frame `pa` may legitimately be handed out. */
static bool frame_ok(uint64_t pa)
{
    if (pa < (1 << 20) || (pa & 0xfff))
        return false;
    if (pa < (uint64_t)_bss_end_phys && pa + 4096 > KERNEL_PHYS)
        return false;
    for (int i = 0; i < boot.nmodules; i++)
        if (pa < boot.modules[i].end && pa + 4096 > boot.modules[i].start)
            return false;
    for (int i = 0; i < boot.nregions; i++) {
        const boot_region *r = &boot.regions[i];
        if (r->type == BOOT_MEM_USABLE && pa >= r->base && pa + 4096 <= r->base + r->len)
            return true;
    }
    return false;
}

/* Takes every free frame, chaining them through their own first words:
 * {own address, next}. A frame handed out twice breaks the chain. */
static uint64_t drain(uint64_t *count, uint64_t limit)
{
    uint64_t head = 0;
    *count = 0;
    while (*count < limit) {
        uint64_t pa = pmm_alloc();
        if (!pa)
            break;
        if (!frame_ok(pa)) {
            ktest_fail("pmm handed out frame %lx, which is reserved or not usable", pa);
            return 0;
        }
        uint64_t *p = phys_to_virt(pa);
        p[0] = pa;
        p[1] = head;
        head = pa;
        (*count)++;
    }
    return head;
}

/* Walks the chain, checks every frame, frees them; returns how many. */
static uint64_t release(uint64_t head)
{
    uint64_t n = 0;
    while (head) {
        uint64_t *p = phys_to_virt(head);
        if (p[0] != head) {
            ktest_fail("frame %lx was overwritten: handed out twice?", head);
            return n;
        }
        uint64_t next = p[1];
        pmm_free(head);
        head = next;
        n++;
    }
    return n;
}

bool ktest_pmm(void)
{
    uint64_t free0 = pmm_free_count(), total = pmm_total_count();
    kprintf("pmm: %lu frames managed, %lu free\n", total, free0);
    KTEST_CHECK(free0 > 0 && free0 <= total);
    KTEST_CHECK(total * 4096 <= boot_usable_bytes());

    /* Everything, then everything back: the count is exact. */
    uint64_t n, head = drain(&n, ~0ull);
    kprintf("pmm: drained %lu frames\n", n);
    KTEST_CHECK(n == free0);
    KTEST_CHECK(pmm_free_count() == 0);
    KTEST_CHECK(pmm_alloc() == 0);
    KTEST_CHECK(release(head) == n);
    KTEST_CHECK(pmm_free_count() == free0);

    /* Churn: interleaved allocations and frees in several rounds. */
    for (int round = 0; round < 20; round++) {
        uint64_t a, b;
        uint64_t ha = drain(&a, 3000 + round * 100);
        uint64_t hb = drain(&b, 1000);
        KTEST_CHECK(a == 3000 + (uint64_t)round * 100 && b == 1000);
        KTEST_CHECK(pmm_free_count() == free0 - a - b);
        KTEST_CHECK(release(ha) == a);
        uint64_t c, hc = drain(&c, 2000);
        KTEST_CHECK(release(hb) == b && release(hc) == c);
        KTEST_CHECK(pmm_free_count() == free0);
    }
    kprintf("pmm: churn done, %lu free\n", pmm_free_count());
    return true;
}

bool ktest_pmm_double_free(void)
{
    uint64_t pa = pmm_alloc();
    KTEST_CHECK(pa != 0);
    pmm_free(pa);
    pmm_free(pa);
    return ktest_fail("the second free was not caught");
}

bool ktest_pmm_bad_free(void)
{
    pmm_free(KERNEL_PHYS);
    return ktest_fail("freeing a frame of the kernel image was not caught");
}
