/* kernel/arch/x86_64/acpi.c: the RSDP (found in the BIOS areas), then the
 * XSDT or RSDT, then the table asked for. Tables can lie outside usable
 * memory, so the pages they occupy are mapped (read-only) on demand. */
#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/backtrace.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/paging.h"
#include "lib/string.h"

typedef struct __attribute__((packed)) rsdp {
    char signature[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
} rsdp;

/* Makes [pa, pa + len) readable at DIRECT_MAP + pa; returns that address. */
static const void *map(uint64_t pa, uint64_t len)
{
    for (uint64_t p = pa & ~0xfffull; p < pa + len; p += 4096)
        if (!arch_readable(DIRECT_MAP + p) && !paging_map(DIRECT_MAP + p, p, PTE_NX))
            return 0;
    return (const void *)(DIRECT_MAP + pa);
}

static int sum(const void *p, uint64_t len)
{
    uint8_t s = 0;
    for (uint64_t i = 0; i < len; i++)
        s += ((const uint8_t *)p)[i];
    return s;
}

static const rsdp *scan(uint64_t pa, uint64_t len)
{
    const char *p = map(pa, len);
    for (uint64_t off = 0; p && off + 20 <= len; off += 16)
        if (lib_memcmp(p + off, "RSD PTR ", 8) == 0 && sum(p + off, 20) == 0)
            return (const rsdp *)(p + off);
    return 0;
}

static const rsdp *find_rsdp(void)
{
    const uint16_t *ebda_seg = map(0x40e, 2);
    const rsdp *r = 0;
    if (ebda_seg && *ebda_seg)
        r = scan((uint64_t)*ebda_seg << 4, 1024);
    return r ? r : scan(0xe0000, 0x20000);
}

static const acpi_header *table(uint64_t pa)
{
    const acpi_header *h = map(pa, sizeof *h);
    if (!h || h->length < sizeof *h || !map(pa, h->length) || sum(h, h->length) != 0)
        return 0;
    return h;
}

const acpi_header *acpi_find(const char *signature)
{
    const rsdp *r = find_rsdp();
    if (!r)
        return 0;
    bool x = r->revision >= 2 && r->xsdt;
    const acpi_header *root = table(x ? r->xsdt : r->rsdt);
    if (!root)
        return 0;
    int width = x ? 8 : 4;
    uint32_t n = (root->length - sizeof *root) / (uint32_t)width;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t pa = 0;
        lib_memcpy(&pa, entries + i * (uint32_t)width, (size_t)width);
        const acpi_header *h = table(pa);
        if (h && lib_memcmp(h->signature, signature, 4) == 0)
            return h;
    }
    return 0;
}
