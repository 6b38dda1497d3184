/* kernel/arch/x86_64/paging.c: building and editing the kernel page tables.
 * Intermediate entries are always present+writable; the leaf entry alone
 * decides the access (x86 ANDs the W bits and ORs NX along the walk).
 *
 * Page tables are given back. Each table's frame word (pmm_frame_word)
 * holds the number of its present entries; the unmap that leaves a table
 * empty frees it and clears its entry in the parent, up the levels (never
 * the PML4). Tables built at boot (the direct map of RAM, the image) and
 * those made by splitting a 2 MiB page of the direct map are pinned: the
 * direct map and the image are never torn down.
 *
 * Device pages mapped for drivers (paging_map_device) carry a count of the
 * mappings over them in bits 52-62 of their entry, which the CPU ignores
 * in a 4 KiB leaf while CR4.PKE and CR4.PKS are clear (boot.S sets
 * neither): the last paging_unmap_device over a page unmaps it. */
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/multiboot.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"

#define LARGE (2ull << 20)

#define T_PINNED 0x8000u        /* in a table's frame word: never freed */
#define T_COUNT  0x03ffu        /* in a table's frame word: present entries */

#define DEV_REFS  (0x7ffull << 52)
#define DEV_ONE   (1ull << 52)
#define DEV_FLAGS (PTE_W | PTE_PCD | PTE_PWT | PTE_NX)

extern char _text_start[], _text_end[], _rodata_end[], _bss_end[];
extern char boot_stack_bottom[];

static uint64_t *pml4;
static uint64_t pml4_phys;
static bool booting;            /* tables made now are pinned */
static uint64_t ntables;        /* page tables live now, the PML4 included */

static uint64_t *table_of(uint64_t e)
{
    return phys_to_virt(e & PTE_ADDR);
}

static int index_of(uint64_t va, int level)
{
    return (int)((va >> (12 + 9 * level)) & 511);
}

void paging_flush(uint64_t va)
{
    invlpg(va);
}

static uint16_t *word_of(uint64_t *table)
{
    return pmm_frame_word(virt_to_phys(table));
}

/* A zeroed table (pinned while booting), or NULL. */
static uint64_t *table_new(void)
{
    uint64_t pa = pmm_alloc_zero();
    if (!pa)
        return 0;
    *pmm_frame_word(pa) = booting ? T_PINNED : 0;
    ntables++;
    return phys_to_virt(pa);
}

/* Sets entry i of table t to v, keeping the table's count of present
 * entries; returns the table's word (0: empty and not pinned). Every
 * change of an entry's present bit goes through here. */
static uint16_t set_entry(uint64_t *t, int i, uint64_t v)
{
    uint16_t *w = word_of(t);
    if ((t[i] & PTE_P) && !(v & PTE_P)) {
        KASSERT(*w & T_COUNT);
        (*w)--;
    } else if (!(t[i] & PTE_P) && (v & PTE_P)) {
        (*w)++;
        KASSERT((*w & T_COUNT) <= 512);
    }
    t[i] = v;
    return *w;
}

/* Frees the tables on va's path (path[level] for each level, as walk
 * fills it), from `level` up, that no longer have a present entry and are
 * not pinned, clearing each one's entry in its parent; then invalidates va.
 *
 * TLB: one invlpg of va after the entries are cleared, before the frames
 * go back, is enough, also when a PD or PDPT goes. Intel's INVLPG drops
 * every paging-structure cache entry (whatever its address); AMD's drops
 * the upper-level entries used to translate va. Only those can point at a
 * table freed here: a table is empty only once each of its own entries
 * was cleared, and a lower table's clearing was followed by its own
 * invlpg (here, at the time), so nothing cached points below it; what
 * pointed at it lies on va's path. A non-present entry is never cached.
 * (On SMP, paging_flush becomes the shootdown.) */
static void free_empty(uint64_t va, uint64_t **path, int level)
{
    uint64_t freed[3];
    int n = 0;
    bool empty = *word_of(path[level]) == 0;
    for (; level < 3 && empty; level++) {
        empty = set_entry(path[level + 1], index_of(va, level + 1), 0) == 0;
        freed[n++] = virt_to_phys(path[level]);
    }
    paging_flush(va);
    for (int i = 0; i < n; i++) {
        pmm_free(freed[i]);
        ntables--;
    }
}

/* Replaces the 2 MiB page at *pde with a table of 512 4 KiB pages with the
 * same frames and flags (pinned: it is the direct map's). */
static bool split(uint64_t *pde)
{
    uint64_t *pt = table_new();
    if (!pt)
        return false;
    uint64_t base = *pde & PTE_ADDR & ~(LARGE - 1);
    uint64_t flags = *pde & (0xfffull | PTE_NX) & ~PTE_PS;
    for (int i = 0; i < 512; i++)
        pt[i] = (base + (uint64_t)i * 4096) | flags;
    *word_of(pt) = T_PINNED | 512;
    *pde = virt_to_phys(pt) | PTE_P | PTE_W;     /* present before and after */
    return true;
}

/* The level-0 entry for `va`, with the tables on the way in path[3..0]
 * (path[0], the page table, only when an entry is returned without
 * *large). With `create`, missing tables are allocated and 2 MiB pages
 * split (a failure frees what it made); without, NULL when there is none
 * (a 2 MiB leaf is returned as is, with *large set). */
static uint64_t *walk(uint64_t va, bool create, bool *large, uint64_t **path)
{
    uint64_t *own[4];
    if (!path)
        path = own;
    uint64_t *t = pml4;
    if (large)
        *large = false;
    for (int level = 3; level > 0; level--) {
        path[level] = t;
        int i = index_of(va, level);
        if (!(t[i] & PTE_P)) {
            if (!create)
                return 0;
            uint64_t *n = table_new();
            if (!n) {
                free_empty(va, path, level);
                return 0;
            }
            set_entry(t, i, virt_to_phys(n) | PTE_P | PTE_W);
        } else if (t[i] & PTE_PS) {
            if (!create) {
                if (large)
                    *large = true;
                return &t[i];
            }
            if (level != 1 || !split(&t[i]))
                return 0;
        }
        t = table_of(t[i]);
    }
    path[0] = t;
    return &t[index_of(va, 0)];
}

bool paging_map(uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *path[4];
    if (!walk(va, true, 0, path))
        return false;
    set_entry(path[0], index_of(va, 0), (pa & PTE_ADDR) | flags | PTE_P);
    paging_flush(va);
    return true;
}

uint64_t paging_unmap(uint64_t va, uint64_t *flags)
{
    uint64_t *path[4];
    bool large;
    uint64_t *pte = walk(va, false, &large, path);
    if (!pte || !(*pte & PTE_P))
        return 0;
    KASSERT(!large);
    uint64_t pa = *pte & PTE_ADDR;
    if (flags)
        *flags = *pte & ~PTE_ADDR & ~DEV_REFS;
    set_entry(path[0], index_of(va, 0), 0);
    free_empty(va, path, 0);
    return pa;
}

uint64_t paging_next_mapped(uint64_t va, uint64_t end)
{
    while (va < end) {
        uint64_t *t = pml4;
        int level = 3;
        for (;;) {
            uint64_t e = t[index_of(va, level)];
            if (!(e & PTE_P))
                break;
            if (level == 0 || (e & PTE_PS))
                return va;
            t = table_of(e);
            level--;
        }
        /* Nothing mapped up to the end of the missing entry's span. */
        uint64_t next = (va | ((1ull << (12 + 9 * level)) - 1)) + 1;
        if (next <= va)
            break;
        va = next;
    }
    return end;
}

bool paging_protect(uint64_t va, uint64_t flags)
{
    bool large;
    if (!walk(va, false, &large, 0))
        return false;
    uint64_t *pte = walk(va, true, 0, 0);
    if (!pte || !(*pte & PTE_P))
        return false;
    *pte = (*pte & (PTE_ADDR | DEV_REFS)) | flags | PTE_P;
    paging_flush(va);
    return true;
}

uint64_t paging_query(uint64_t va, uint64_t *flags)
{
    bool large;
    uint64_t *e = walk(va, false, &large, 0);
    if (!e || !(*e & PTE_P))
        return 0;
    if (flags)
        *flags = *e & ~PTE_ADDR & ~PTE_PS & ~DEV_REFS;
    if (large)
        return (*e & PTE_ADDR & ~(LARGE - 1)) + (va & (LARGE - 1) & ~0xfffull);
    return *e & PTE_ADDR;
}

/* The table entry i of t points at, made if missing (at boot: pinned). */
static uint64_t *child(uint64_t *t, int i)
{
    if (!(t[i] & PTE_P)) {
        uint64_t *n = table_new();
        if (!n)
            kpanic("paging: no memory for the page tables");
        set_entry(t, i, virt_to_phys(n) | PTE_P | PTE_W);
    }
    return table_of(t[i]);
}

/* Maps [pa, pa + len) at DIRECT_MAP + pa with 2 MiB pages (rounded out). */
static void direct_map(uint64_t pa, uint64_t len)
{
    for (uint64_t c = pa & ~(LARGE - 1); c < pa + len; c += LARGE) {
        uint64_t va = DIRECT_MAP + c;
        uint64_t *pd = child(child(pml4, index_of(va, 3)), index_of(va, 2));
        int i = index_of(va, 1);
        if (!(pd[i] & PTE_P))
            set_entry(pd, i, c | PTE_P | PTE_W | PTE_PS | PTE_NX);
    }
}

/* The kernel's own device registers (paging_map_mmio), which drivers may
 * not map (paging_mmio_kernel). A handful: the local and I/O APICs. */
#define KERNEL_MMIO_MAX 8
static struct { uint64_t pa, len; } kernel_mmio[KERNEL_MMIO_MAX];
static int nkernel_mmio;

/* One more driver mapping over the device page at p. */
static int device_ref(uint64_t p)
{
    uint64_t va = DIRECT_MAP + p;
    bool large;
    uint64_t *pte = walk(va, false, &large, 0);
    if (pte && !large && (*pte & PTE_P) && (*pte & DEV_REFS)) {
        if ((*pte & DEV_REFS) == DEV_REFS)
            return PAGING_ELIMIT;
        *pte += DEV_ONE;        /* bits the CPU ignores: no flush */
        return 0;
    }
    /* Not mapped for a driver yet. Whatever maps it now (a 2 MiB page of
     * the direct map that also covers a hole, the ACPI tables read at
     * boot) gives way to an uncached mapping, which the last unmap
     * removes. */
    return paging_map(va, p, DEV_FLAGS | DEV_ONE) ? 0 : PAGING_ENOMEM;
}

/* One driver mapping less over the device page at p; the last one goes
 * (unless the kernel has since taken the page for itself). */
static void device_unref(uint64_t p)
{
    uint64_t va = DIRECT_MAP + p;
    bool large;
    uint64_t *pte = walk(va, false, &large, 0);
    if (!pte || large || !(*pte & PTE_P) || !(*pte & DEV_REFS))
        kpanic("paging: device page %lx unmapped more often than mapped", p);
    *pte -= DEV_ONE;
    if (!(*pte & DEV_REFS) && !paging_mmio_kernel(p, 4096))
        paging_unmap(va, 0);
}

int paging_map_device(uint64_t pa, uint64_t len)
{
    uint64_t first = pa & ~0xfffull;
    KASSERT(!paging_mmio_kernel(pa, len));
    for (uint64_t p = first; p < pa + len; p += 4096) {
        int rc = device_ref(p);
        if (rc) {
            paging_unmap_device(first, p - first);
            return rc;
        }
    }
    return 0;
}

void paging_unmap_device(uint64_t pa, uint64_t len)
{
    for (uint64_t p = pa & ~0xfffull; p < pa + len; p += 4096)
        device_unref(p);
}

void *paging_map_mmio(uint64_t pa, uint64_t len)
{
    if (nkernel_mmio == KERNEL_MMIO_MAX)
        kpanic("paging: more than %d device ranges for the kernel", KERNEL_MMIO_MAX);
    for (uint64_t p = pa & ~0xfffull; p < pa + len; p += 4096) {
        /* A driver's count on the page (if any) stays: its unmap then
         * finds the page the kernel's and leaves it. */
        uint64_t *pte = walk(DIRECT_MAP + p, false, 0, 0);
        uint64_t refs = pte && (*pte & PTE_P) ? *pte & DEV_REFS : 0;
        if (!paging_map(DIRECT_MAP + p, p, DEV_FLAGS | refs))
            kpanic("paging: out of memory mapping device memory at %lx", pa);
    }
    kernel_mmio[nkernel_mmio].pa = pa & ~0xfffull;
    kernel_mmio[nkernel_mmio].len = ((pa + len + 0xfff) & ~0xfffull) - (pa & ~0xfffull);
    nkernel_mmio++;
    return phys_to_virt(pa);
}

bool paging_mmio_kernel(uint64_t pa, uint64_t len)
{
    for (int i = 0; i < nkernel_mmio; i++)
        if (pa < kernel_mmio[i].pa + kernel_mmio[i].len && kernel_mmio[i].pa < pa + len)
            return true;
    return false;
}

void paging_init(void)
{
    booting = true;
    pml4 = table_new();
    if (!pml4)
        kpanic("paging: no memory for the page tables");
    pml4_phys = virt_to_phys(pml4);

    for (int i = 0; i < boot.nregions; i++)
        if (boot.regions[i].type == BOOT_MEM_USABLE)
            direct_map(boot.regions[i].base, boot.regions[i].len);

    /* The image: text read+exec, rodata read-only, data and bss read+write;
     * the page below the boot stack (the last boot page directory, unused
     * once these tables are live) stays unmapped: the boot thread's guard. */
    for (uint64_t va = (uint64_t)_text_start; va < (uint64_t)_bss_end; va += 4096) {
        if (va == (uint64_t)boot_stack_bottom - 4096)
            continue;
        uint64_t flags = 0;
        if (va >= (uint64_t)_rodata_end)
            flags = PTE_W | PTE_NX;
        else if (va >= (uint64_t)_text_end)
            flags = PTE_NX;
        if (!paging_map(va, va - KERNEL_VMA, flags))
            kpanic("paging: no memory for the page tables");
    }
    write_cr3(pml4_phys);

    /* No writable alias of the kernel's code and read-only data. */
    for (uint64_t va = (uint64_t)_text_start; va < (uint64_t)_rodata_end; va += 4096)
        if (!paging_protect(DIRECT_MAP + va - KERNEL_VMA, PTE_NX))
            kpanic("paging: cannot protect the direct map of the kernel image");
    booting = false;
}

uint64_t paging_tables_live(void)
{
    return ntables;
}
