/* kernel/arch/x86_64/paging.c: building and editing the kernel page tables.
 * Intermediate entries are always present+writable; the leaf entry alone
 * decides the access (x86 ANDs the W bits and ORs NX along the walk). */
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/multiboot.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"

#define LARGE (2ull << 20)

extern char _text_start[], _text_end[], _rodata_end[], _bss_end[];
extern char boot_stack_bottom[];

static uint64_t *pml4;
static uint64_t pml4_phys;

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

static uint64_t ntables_made;        /* tables made after boot (never freed) */

/* Replaces the 2 MiB page at *pde with a table of 512 4 KiB pages with the
 * same frames and flags. */
static bool split(uint64_t *pde)
{
    uint64_t pa = pmm_alloc_zero();
    if (!pa)
        return false;
    ntables_made++;
    uint64_t *pt = phys_to_virt(pa);
    uint64_t base = *pde & PTE_ADDR & ~(LARGE - 1);
    uint64_t flags = *pde & (0xfffull | PTE_NX) & ~PTE_PS;
    for (int i = 0; i < 512; i++)
        pt[i] = (base + (uint64_t)i * 4096) | flags;
    *pde = pa | PTE_P | PTE_W;
    return true;
}

/* The level-0 entry for `va`. With `create`, missing tables are allocated
 * and 2 MiB pages split; without, NULL when there is none (a 2 MiB leaf is
 * returned as is, with *large set). */
static uint64_t *walk(uint64_t va, bool create, bool *large)
{
    uint64_t *t = pml4;
    if (large)
        *large = false;
    for (int level = 3; level > 0; level--) {
        uint64_t *e = &t[index_of(va, level)];
        if (!(*e & PTE_P)) {
            if (!create)
                return 0;
            uint64_t pa = pmm_alloc_zero();
            if (!pa)
                return 0;
            ntables_made++;
            *e = pa | PTE_P | PTE_W;
        } else if (*e & PTE_PS) {
            if (!create) {
                if (large)
                    *large = true;
                return e;
            }
            if (level != 1 || !split(e))
                return 0;
        }
        t = table_of(*e);
    }
    return &t[index_of(va, 0)];
}

bool paging_map(uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *pte = walk(va, true, 0);
    if (!pte)
        return false;
    *pte = (pa & PTE_ADDR) | flags | PTE_P;
    paging_flush(va);
    return true;
}

uint64_t paging_unmap(uint64_t va)
{
    bool large;
    uint64_t *pte = walk(va, false, &large);
    if (!pte || !(*pte & PTE_P))
        return 0;
    KASSERT(!large);
    uint64_t pa = *pte & PTE_ADDR;
    *pte = 0;
    paging_flush(va);
    return pa;
}

bool paging_protect(uint64_t va, uint64_t flags)
{
    bool large;
    if (!walk(va, false, &large))
        return false;
    uint64_t *pte = walk(va, true, 0);
    if (!pte || !(*pte & PTE_P))
        return false;
    *pte = (*pte & PTE_ADDR) | flags | PTE_P;
    paging_flush(va);
    return true;
}

uint64_t paging_query(uint64_t va, uint64_t *flags)
{
    bool large;
    uint64_t *e = walk(va, false, &large);
    if (!e || !(*e & PTE_P))
        return 0;
    if (flags)
        *flags = *e & ~PTE_ADDR & ~PTE_PS;
    if (large)
        return (*e & PTE_ADDR & ~(LARGE - 1)) + (va & (LARGE - 1) & ~0xfffull);
    return *e & PTE_ADDR;
}

/* Maps [pa, pa + len) at DIRECT_MAP + pa with 2 MiB pages (rounded out). */
static void direct_map(uint64_t pa, uint64_t len)
{
    for (uint64_t c = pa & ~(LARGE - 1); c < pa + len; c += LARGE) {
        uint64_t va = DIRECT_MAP + c;
        uint64_t *pdpt_e = &pml4[index_of(va, 3)];
        if (!(*pdpt_e & PTE_P))
            *pdpt_e = pmm_alloc_zero() | PTE_P | PTE_W;
        uint64_t *pd_e = &table_of(*pdpt_e)[index_of(va, 2)];
        if (!(*pd_e & PTE_P))
            *pd_e = pmm_alloc_zero() | PTE_P | PTE_W;
        uint64_t *e = &table_of(*pd_e)[index_of(va, 1)];
        if (!(*e & PTE_P))
            *e = c | PTE_P | PTE_W | PTE_PS | PTE_NX;
    }
}

/* The kernel's own device registers (paging_map_mmio), which drivers may
 * not map (paging_mmio_kernel). A handful: the local and I/O APICs. */
#define KERNEL_MMIO_MAX 8
static struct { uint64_t pa, len; } kernel_mmio[KERNEL_MMIO_MAX];
static int nkernel_mmio;

bool paging_map_device(uint64_t pa, uint64_t len)
{
    for (uint64_t p = pa & ~0xfffull; p < pa + len; p += 4096)
        if (!paging_map(DIRECT_MAP + p, p, PTE_W | PTE_PCD | PTE_PWT | PTE_NX))
            return false;
    return true;
}

void *paging_map_mmio(uint64_t pa, uint64_t len)
{
    if (!paging_map_device(pa, len))
        kpanic("paging: out of memory mapping device memory at %lx", pa);
    if (nkernel_mmio == KERNEL_MMIO_MAX)
        kpanic("paging: more than %d device ranges for the kernel", KERNEL_MMIO_MAX);
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
    pml4_phys = pmm_alloc_zero();
    if (!pml4_phys)
        kpanic("paging: no memory for the page tables");
    pml4 = phys_to_virt(pml4_phys);

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
}

uint64_t paging_tables_made(void)
{
    return ntables_made;
}
