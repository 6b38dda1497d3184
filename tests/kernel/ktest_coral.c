/* tests/kernel/ktest_coral.c: components in the kernel (kernel/coral/),
 * without userboot: after 10 warm-up rounds, 1,000 components that trap or
 * exit, created one after another (each on its own kernel thread), leave
 * the free frame count and the heap where they were. The modules are
 * tests/kernel/wasm/coral_*.wat, embedded at build time. */
#include "tests/kernel/ktest.h"
#include "kernel/coral/abi.h"
#include "kernel/coral/component.h"
#include "kernel/coral/coral.h"
#include "kernel/coral/device.h"
#include "kernel/coral/sys.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/pmm.h"
#include "kernel/thread.h"
#include "kernel/time.h"
#include "kernel/waitq.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/paging.h"
#include "lib/string.h"

extern const unsigned char kwasm_mod_coral_trap[], kwasm_mod_coral_exit[];
extern const unsigned long kwasm_mod_coral_trap_len, kwasm_mod_coral_exit_len;

typedef struct churn {
    bool ok;
    volatile bool done;
    waitq q;
} churn;

static kmodule *compile(const unsigned char *bytes, unsigned long len)
{
    kmodule *m;
    wasm_error err;
    lib_memset(&err, 0, sizeof err);
    if (kmodule_new(bytes, len, &m) < 0)
        return 0;
    if (kmodule_compile(m, coral_engine(), 0, &err) < 0) {
        ktest_fail("module: %s", err.message);
        kobj_unref(&m->o);
        return 0;
    }
    return m;
}

/* One component of `m`, run to its end: its status, or a negative error. */
static int32_t run_one(kmodule *m)
{
    kcomponent *c;
    kinstance *ki;
    int32_t rc = comp_new(0, &c);
    if (rc < 0)
        return rc;
    rc = comp_add_instance(c, m, "churn", 5, 0, 0, &ki);
    if (rc >= 0)
        rc = comp_start(c, ki, "_start", 6);
    if (rc >= 0)
        rc = comp_wait(c, 0);
    kobj_unref(&c->o);
    return rc;
}

static bool churn_rounds(kmodule *trap, kmodule *exit, int rounds)
{
    for (int i = 0; i < rounds; i++) {
        int32_t st = run_one(trap);
        if (st != (CORAL_STATUS_TRAPPED | CORAL_TRAP_UNREACHABLE))
            return ktest_fail("round %d: the trapping component ended with %d", i, (int)st);
        st = run_one(exit);
        if (st != (CORAL_STATUS_EXITED | 3))
            return ktest_fail("round %d: the exiting component ended with %d", i, (int)st);
    }
    return true;
}

static void churn_main(void *arg)
{
    churn *ch = arg;
    wasm_engine *engine = wasm_engine_new();
    coral_init(engine);
    sys_lock();
    kmodule *trap = compile(kwasm_mod_coral_trap, kwasm_mod_coral_trap_len);
    kmodule *exit = compile(kwasm_mod_coral_exit, kwasm_mod_coral_exit_len);
    ch->ok = trap && exit && churn_rounds(trap, exit, 10);
    thread_yield();                      /* let the last component's thread be reaped */
    uint64_t frames = pmm_free_count();
    kmalloc_stats heap = kmalloc_stats_get();
    uint64_t t0 = time_ns();
    if (ch->ok)
        ch->ok = churn_rounds(trap, exit, 500);
    uint64_t t1 = time_ns();
    thread_yield();
    uint64_t frames2 = pmm_free_count();
    kmalloc_stats heap2 = kmalloc_stats_get();
    kprintf("coral-reclaim: 1000 components in %lu ms (%lu us each, TCG): free frames %lu -> %lu, "
            "heap blocks %lu -> %lu, bytes %lu -> %lu\n",
            (t1 - t0) / 1000000, (t1 - t0) / 1000 / 1000, frames, frames2, heap.blocks,
            heap2.blocks, heap.bytes, heap2.bytes);
    if (ch->ok && (frames2 != frames || heap2.blocks != heap.blocks || heap2.bytes != heap.bytes))
        ch->ok = ktest_fail("the components did not give everything back");
    if (ch->ok && kobj_live(0) != 2)
        ch->ok = ktest_fail("%ld kernel objects left, expected the 2 modules", kobj_live(0));
    kobj_unref(trap ? &trap->o : 0);
    kobj_unref(exit ? &exit->o : 0);
    sys_unlock();
    bool on = irq_save();
    ch->done = true;
    waitq_wake_all(&ch->q);
    irq_restore(on);
}

bool ktest_coral_reclaim(void)
{
    churn ch;
    lib_memset(&ch, 0, sizeof ch);
    waitq_init(&ch.q);
    if (!thread_create("churn", churn_main, &ch, THREAD_STACK_WASM))
        return ktest_fail("no memory for a thread");
    bool on = irq_save();
    while (!ch.done)
        waitq_wait(&ch.q, WAIT_FOREVER);
    irq_restore(on);
    return ch.ok;
}

/* coral-devices: device VMAs map and unmap. 1,000 of them over a few
 * reserved ranges and holes (the HPET, whose page table the kernel's I/O
 * APIC keeps; holes that need a new PT, PD or PDPT; a range across 4 GiB;
 * the last page below 2^46), all open at once, then closed in another
 * order: the pages are shared while open, unmapped after the last close,
 * and free frames (less the heap's slab pages), page tables and the heap
 * come back exactly. Then the per-page limit, undone cleanly. */
static const struct { uint64_t pa; uint32_t size; } dev_ranges[] = {
    { 0xfed00000u, 0x400 },             /* the HPET's registers */
    { 0xfed000f0u, 8 },                 /* its main counter, the same page */
    { 0x80000000u, 3 * 4096 },          /* a hole: a new PD and PT */
    { 0xffffe000u, 3 * 4096 },          /* firmware ROM, then 4 GiB: 1 PT, 1 PD + PT */
    { 1ull << 42, 2 * 4096 },           /* 4 TiB: a new PDPT, PD and PT */
    { (1ull << 46) - 4096, 4096 },      /* the last page drivers may map */
};
#define NDEV (sizeof dev_ranges / sizeof dev_ranges[0])

static bool dev_mapped(uint64_t pa)
{
    uint64_t flags;
    return paging_query((uint64_t)phys_to_virt(pa), &flags) == pa && (flags & PTE_PCD);
}

/* Free frames plus the heap's slab pages: what must come back. */
static uint64_t frames_now(void)
{
    return pmm_free_count() + kmalloc_stats_get().slab_pages;
}

static bool dev_limit(kiocap *root)
{
    static vma *v[2047];
    uint64_t frames = frames_now(), tables = paging_tables_live();
    for (int i = 0; i < 2047; i++) {
        int32_t rc = dev_vma_new(root, 0x80001000u, 4, &v[i]);
        if (rc < 0)
            return ktest_fail("vma %d over one page: error %d", i, (int)rc);
    }
    vma *w;
    KTEST_CHECK(dev_vma_new(root, 0x80001000u, 4, &w) == CORAL_ELIMIT);
    /* Its first page maps, its second is full: the first is undone. */
    KTEST_CHECK(dev_vma_new(root, 0x80000000u, 0x2000, &w) == CORAL_ELIMIT);
    KTEST_CHECK(!dev_mapped(0x80000000u) && dev_mapped(0x80001000u));
    for (int i = 0; i < 2047; i++)
        kobj_unref(&v[i]->o);
    KTEST_CHECK(!dev_mapped(0x80001000u));
    KTEST_CHECK(frames_now() == frames && paging_tables_live() == tables);
    kprintf("coral-devices: 2047 VMAs over one page, the next one refused (CORAL_ELIMIT)\n");
    return true;
}

/* VGA memory lies in the first 2 MiB page of the direct map (RAM below it
 * too): a device VMA there splits that page once (the table stays: the
 * direct map's), maps its pages uncached, and the close unmaps them while
 * the RAM beside them stays mapped. */
static bool dev_in_direct_map(kiocap *root)
{
    uint64_t tables = paging_tables_live();
    vma *v;
    KTEST_CHECK(dev_vma_new(root, 0xb8000u, 4000, &v) == 0);
    KTEST_CHECK(dev_mapped(0xb8000u) && paging_tables_live() - tables <= 1);
    kobj_unref(&v->o);
    KTEST_CHECK(!paging_query((uint64_t)phys_to_virt(0xb8000u), 0));
    KTEST_CHECK(paging_query((uint64_t)phys_to_virt(0x9e000u), 0) == 0x9e000u);
    kprintf("coral-devices: VGA memory inside the direct map's first 2 MiB page: "
            "mapped uncached, unmapped at the close (%lu new table, for a split)\n",
            paging_tables_live() - tables);
    return true;
}

bool ktest_coral_devices(void)
{
    enum { N = 1000 };
    static vma *v[N];
    kiocap *root = iocap_new_root();
    KTEST_CHECK(root);
    if (!dev_in_direct_map(root))
        return false;
    uint64_t frames = frames_now(), tables = paging_tables_live();
    kmalloc_stats heap = kmalloc_stats_get();
    for (int i = 0; i < N; i++) {
        int32_t rc = dev_vma_new(root, dev_ranges[i % NDEV].pa, dev_ranges[i % NDEV].size, &v[i]);
        if (rc < 0)
            return ktest_fail("vma %d over %lx: error %d", i, dev_ranges[i % NDEV].pa, (int)rc);
    }
    uint64_t made = paging_tables_live() - tables;
    for (unsigned r = 0; r < NDEV; r++)
        for (uint64_t p = dev_ranges[r].pa & ~0xfffull; p < dev_ranges[r].pa + dev_ranges[r].size; p += 4096)
            KTEST_CHECK(dev_mapped(p));
    uint32_t id = 0;
    vma_load(v[0], 0, (uint8_t *)&id, 4);
    kprintf("coral-devices: %d VMAs over %d ranges made %lu page tables; HPET id %08x\n", N,
            (int)NDEV, made, id);
    KTEST_CHECK(id >> 16 == 0x8086);            /* QEMU's HPET: Intel's vendor id */
    /* Close all but the last over the HPET's counter, in a stride. */
    int keep = N - 1;
    while (keep % (int)NDEV != 1)
        keep--;
    for (int k = 0; k < N; k++) {
        int i = (k * 7) % N;
        if (i != keep)
            kobj_unref(&v[i]->o);
    }
    KTEST_CHECK(dev_mapped(0xfed00000u) && !dev_mapped(0x80000000u) && !dev_mapped(1ull << 42));
    uint64_t counter[2];
    vma_load(v[keep], 0, (uint8_t *)counter, 8);
    vma_load(v[keep], 0, (uint8_t *)(counter + 1), 8);
    kobj_unref(&v[keep]->o);
    KTEST_CHECK(!dev_mapped(0xfed00000u));
    uint64_t frames2 = frames_now(), tables2 = paging_tables_live();
    kmalloc_stats heap2 = kmalloc_stats_get();
    kprintf("coral-devices: all closed: free frames %lu -> %lu, page tables %lu -> %lu, "
            "heap blocks %lu -> %lu, bytes %lu -> %lu\n",
            frames, frames2, tables, tables2, heap.blocks, heap2.blocks, heap.bytes, heap2.bytes);
    KTEST_CHECK(frames2 == frames && tables2 == tables);
    KTEST_CHECK(heap2.blocks == heap.blocks && heap2.bytes == heap.bytes);
    if (!dev_limit(root))
        return false;
    kobj_unref(&root->o);
    return true;
}
