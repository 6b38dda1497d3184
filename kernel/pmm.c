/* kernel/pmm.c: a bitmap of physical frames (bit set = free), one bit per
 * frame up to the highest usable address, itself stored in usable memory
 * found at boot. A second bitmap remembers which frames are managed at all,
 * so that freeing a reserved frame is caught like a double free. A third
 * array holds a 16-bit word per frame for whoever has the frame.
 * Allocation is next-fit over 64-bit words. */
#include "kernel/pmm.h"
#include "kernel/multiboot.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "lib/string.h"

extern char _bss_end_phys[];

typedef struct range { uint64_t start, end; } range;

static uint64_t *free_map;      /* 1 = free */
static uint64_t *managed_map;   /* 1 = usable and not reserved */
static uint16_t *frame_words;   /* one per frame, for its owner (pmm_frame_word) */
static uint64_t nframes;        /* frames covered by the maps */
static uint64_t nfree, ntotal;
static uint64_t next_word;      /* where the next search starts */

#define MAX_RESERVED (BOOT_MAX_MODULES + 4)
static range reserved[MAX_RESERVED];
static int nreserved;

static uint64_t align_up(uint64_t x) { return (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); }
static uint64_t align_down(uint64_t x) { return x & ~(PAGE_SIZE - 1); }

static void reserve(uint64_t start, uint64_t end)
{
    KASSERT(nreserved < MAX_RESERVED);
    reserved[nreserved++] = (range){ align_down(start), align_up(end) };
}

/* The lowest page-aligned run of `size` bytes inside a usable region and
 * outside every reserved range, below `limit`; 0 if none. */
static uint64_t find_free_run(uint64_t size, uint64_t limit)
{
    for (int i = 0; i < boot.nregions; i++) {
        const boot_region *r = &boot.regions[i];
        if (r->type != BOOT_MEM_USABLE)
            continue;
        uint64_t start = align_up(r->base), end = align_down(r->base + r->len);
        bool moved = true;
        while (moved) {
            moved = false;
            for (int j = 0; j < nreserved; j++) {
                if (start < reserved[j].end && start + size > reserved[j].start) {
                    start = reserved[j].end;
                    moved = true;
                }
            }
        }
        if (start + size <= end && start + size <= limit)
            return start;
    }
    return 0;
}

static void set_bit(uint64_t *map, uint64_t i) { map[i / 64] |= 1ull << (i % 64); }
static void clear_bit(uint64_t *map, uint64_t i) { map[i / 64] &= ~(1ull << (i % 64)); }
static bool test_bit(const uint64_t *map, uint64_t i) { return (map[i / 64] >> (i % 64)) & 1; }

static uint64_t popcount(uint64_t x)
{
    uint64_t n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

static void mark_range(uint64_t start, uint64_t end, bool usable)
{
    for (uint64_t pa = align_up(start); pa + PAGE_SIZE <= end && pa / PAGE_SIZE < nframes; pa += PAGE_SIZE) {
        uint64_t f = pa / PAGE_SIZE;
        if (usable) {
            set_bit(managed_map, f);
        } else {
            clear_bit(managed_map, f);
        }
    }
}

void pmm_init(void)
{
    uint64_t max = 0;
    for (int i = 0; i < boot.nregions; i++)
        if (boot.regions[i].type == BOOT_MEM_USABLE && boot.regions[i].base + boot.regions[i].len > max)
            max = boot.regions[i].base + boot.regions[i].len;
    nframes = align_down(max) / PAGE_SIZE;

    /* What must never be handed out. */
    reserve(0, 1 << 20);                                   /* BIOS, real-mode leftovers */
    reserve(KERNEL_PHYS, (uint64_t)_bss_end_phys);         /* the kernel image */
    for (int i = 0; i < boot.nmodules; i++)
        reserve(boot.modules[i].start, boot.modules[i].end);

    /* The two bitmaps and the frames' words, below 4 GiB (the boot direct
     * map's reach). The words cost 2 bytes per frame (0.05%). */
    uint64_t words = (nframes + 63) / 64;
    uint64_t bytes = align_up(2 * words * 8 + nframes * 2);
    uint64_t at = find_free_run(bytes, 4ull << 30);
    if (!at)
        kpanic("pmm: no room for the frame bitmaps (%lu bytes)", bytes);
    reserve(at, at + bytes);
    free_map = phys_to_virt(at);
    managed_map = free_map + words;
    frame_words = (uint16_t *)(managed_map + words);
    lib_memset(free_map, 0, bytes);

    for (int i = 0; i < boot.nregions; i++)
        if (boot.regions[i].type == BOOT_MEM_USABLE)
            mark_range(boot.regions[i].base, boot.regions[i].base + boot.regions[i].len, true);
    /* Reserved and non-usable ranges win over usable ones that overlap. */
    for (int i = 0; i < boot.nregions; i++)
        if (boot.regions[i].type != BOOT_MEM_USABLE)
            mark_range(align_down(boot.regions[i].base), align_up(boot.regions[i].base + boot.regions[i].len), false);
    for (int i = 0; i < nreserved; i++)
        mark_range(reserved[i].start, reserved[i].end, false);

    for (uint64_t w = 0; w < words; w++) {
        free_map[w] = managed_map[w];
        ntotal += popcount(managed_map[w]);
    }
    nfree = ntotal;
}

uint64_t pmm_alloc(void)
{
    uint64_t words = (nframes + 63) / 64;
    for (uint64_t n = 0; n < words; n++) {
        uint64_t w = (next_word + n) % words;
        if (free_map[w]) {
            uint64_t f = w * 64 + (uint64_t)__builtin_ctzll(free_map[w]);
            clear_bit(free_map, f);
            nfree--;
            next_word = w;
            return f * PAGE_SIZE;
        }
    }
    return 0;
}

uint64_t pmm_alloc_zero(void)
{
    uint64_t pa = pmm_alloc();
    if (pa)
        lib_memset(phys_to_virt(pa), 0, PAGE_SIZE);
    return pa;
}

bool pmm_managed(uint64_t pa)
{
    uint64_t f = pa / PAGE_SIZE;
    return f < nframes && test_bit(managed_map, f);
}

void pmm_free(uint64_t pa)
{
    uint64_t f = pa / PAGE_SIZE;
    if ((pa & (PAGE_SIZE - 1)) || !pmm_managed(pa))
        kpanic("pmm: freeing %016lx, which is not a frame the allocator manages", pa);
    if (test_bit(free_map, f))
        kpanic("pmm: double free of frame %016lx", pa);
    set_bit(free_map, f);
    nfree++;
}

uint16_t *pmm_frame_word(uint64_t pa)
{
    KASSERT(pa / PAGE_SIZE < nframes);
    return &frame_words[pa / PAGE_SIZE];
}

uint64_t pmm_free_count(void) { return nfree; }
uint64_t pmm_total_count(void) { return ntotal; }
uint64_t pmm_max_phys(void) { return nframes * PAGE_SIZE; }
