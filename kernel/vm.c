/* kernel/vm.c: virtual regions. The regions live in a list sorted by base
 * address; reserving takes the first gap that fits (one CPU, few regions:
 * a list is enough). Page state lives in the page tables themselves. */
#include "kernel/vm.h"
#include "kernel/kmalloc.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/kprintf.h"

#define VM_BASE 0xffffc00000000000ull
#define VM_END  0xffffe00000000000ull     /* 32 TiB of room */

static lib_list regions;

/* A page fault inside a region: say which region and why before the
 * panic (a later handler, such as the Wasm engine's, may claim it first). */
static bool page_fault(trapframe *tf)
{
    uint64_t va = read_cr2();
    vm_region *r = vm_find(va);
    if (r)
        kprintf("vm: fault at %016lx is in region '%s' at offset 0x%lx: %s\n", va, r->name,
                va - r->base, paging_query(va & ~(PAGE_SIZE - 1), 0)
                    ? "the page does not allow this access" : "the page is not committed (a guard page)");
    return false;
}

void vm_init(void)
{
    lib_list_init(&regions);
    trap_set_handler(T_PF, page_fault);
}

static uint64_t round_up(uint64_t x) { return (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); }

vm_region *vm_reserve(uint64_t size, const char *name)
{
    size = round_up(size);
    if (size == 0 || size > VM_END - VM_BASE)
        return 0;
    uint64_t at = VM_BASE;
    lib_list *pos;
    for (pos = regions.next; pos != &regions; pos = pos->next) {
        vm_region *r = LIB_CONTAINER_OF(pos, vm_region, link);
        if (r->base - at >= size)
            break;
        at = r->base + r->size;
    }
    if (pos == &regions && VM_END - at < size)
        return 0;
    vm_region *r = kzalloc(sizeof *r);
    if (!r)
        return 0;
    r->base = at;
    r->size = size;
    r->name = name;
    lib_list_push_back(pos, &r->link);     /* before pos: keeps the order */
    return r;
}

static bool range_ok(const vm_region *r, uint64_t off, uint64_t len)
{
    return (off & (PAGE_SIZE - 1)) == 0 && off <= r->size && len <= r->size - off;
}

static uint64_t pte_flags(unsigned prot)
{
    uint64_t f = 0;
    if (prot & VM_WRITE)
        f |= PTE_W;
    if (!(prot & VM_EXEC))
        f |= PTE_NX;
    return f;
}

/* The direct map's alias of frame `pa`: read-only while the frame is
 * executable somewhere, read+write otherwise. */
static void set_alias(uint64_t pa, bool writable)
{
    if (!paging_protect((uint64_t)phys_to_virt(pa), writable ? PTE_W | PTE_NX : PTE_NX))
        kpanic("vm: frame %lx has no direct-map alias", pa);
}

static void unmap_page(uint64_t va)
{
    uint64_t flags;
    uint64_t pa = paging_unmap(va, &flags);
    if (!pa)
        return;
    if (!(flags & PTE_NX))
        set_alias(pa, true);
    pmm_free(pa);
}

bool vm_commit(vm_region *r, uint64_t off, uint64_t len, unsigned prot)
{
    len = round_up(len);
    if (!range_ok(r, off, len) || (prot & VM_WRITE && prot & VM_EXEC))
        return false;
    /* Check first that the frames (and, generously, the page tables) are
     * there, so that a failure leaves nothing half done. */
    uint64_t missing = 0;
    for (uint64_t o = off; o < off + len; o += PAGE_SIZE)
        if (!paging_query(r->base + o, 0))
            missing++;
    if (pmm_free_count() < missing + missing / 512 + missing / (512 * 512) + 8)
        return false;
    for (uint64_t o = off; o < off + len; o += PAGE_SIZE) {
        uint64_t va = r->base + o;
        if (paging_query(va, 0))
            continue;
        uint64_t pa = pmm_alloc_zero();
        if (pa && (prot & VM_EXEC))
            set_alias(pa, false);
        if (!pa || !paging_map(va, pa, pte_flags(prot)))
            kpanic("vm: out of memory although %lu frames were free", pmm_free_count());
        r->committed++;
    }
    return vm_protect(r, off, len, prot);
}

void vm_decommit(vm_region *r, uint64_t off, uint64_t len)
{
    len = round_up(len);
    KASSERT(range_ok(r, off, len));
    /* Visits only what is mapped (paging_next_mapped skips missing page
     * tables whole) and stops once nothing is committed: releasing a
     * mostly empty 8 GiB reservation (a Wasm memory) must not walk its 2
     * million pages. Each unmap frees the page tables it leaves empty. */
    uint64_t end = r->base + off + len;
    for (uint64_t va = paging_next_mapped(r->base + off, end); va < end && r->committed;
         va = paging_next_mapped(va + PAGE_SIZE, end)) {
        unmap_page(va);
        r->committed--;
    }
}

bool vm_protect(vm_region *r, uint64_t off, uint64_t len, unsigned prot)
{
    len = round_up(len);
    if (!range_ok(r, off, len) || (prot & VM_WRITE && prot & VM_EXEC))
        return false;
    for (uint64_t o = off; o < off + len; o += PAGE_SIZE)
        if (!paging_query(r->base + o, 0))
            return false;
    for (uint64_t o = off; o < off + len; o += PAGE_SIZE) {
        uint64_t va = r->base + o, flags;
        uint64_t pa = paging_query(va, &flags);
        bool was_exec = !(flags & PTE_NX), exec = prot & VM_EXEC;
        /* Alias first read-only, then the page executable: at no moment
         * is the frame writable and executable through two addresses. */
        if (exec && !was_exec)
            set_alias(pa, false);
        paging_protect(va, pte_flags(prot));
        if (!exec && was_exec)
            set_alias(pa, true);
    }
    return true;
}

void vm_release(vm_region *r)
{
    if (!r)
        return;
    vm_decommit(r, 0, r->size);
    lib_list_remove(&r->link);
    kfree(r);
}

vm_region *vm_find(uint64_t va)
{
    for (lib_list *p = regions.next; p != &regions; p = p->next) {
        vm_region *r = LIB_CONTAINER_OF(p, vm_region, link);
        if (va >= r->base && va - r->base < r->size)
            return r;
    }
    return 0;
}

bool vm_committed(uint64_t va)
{
    return vm_find(va) && paging_query(va & ~(PAGE_SIZE - 1), 0);
}
