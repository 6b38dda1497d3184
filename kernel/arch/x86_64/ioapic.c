/* kernel/arch/x86_64/ioapic.c: reading the MADT and programming the
 * redirection table of the (first) I/O APIC. */
#include "kernel/arch/x86_64/ioapic.h"
#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/kprintf.h"
#include <stdint.h>

#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2
#define REG_VERSION 1
#define REG_REDIR 0x10
#define RED_MASKED (1u << 16)
#define RED_LEVEL (1u << 15)
#define RED_ACTIVE_LOW (1u << 13)

typedef struct __attribute__((packed)) madt {
    acpi_header h;
    uint32_t lapic_addr, flags;
} madt;

static volatile uint32_t *regs;
static uint32_t gsi_base, nredir;
static uint32_t line_gsi[16];
static uint32_t line_flags[16];     /* RED_LEVEL | RED_ACTIVE_LOW */

static uint32_t rd(uint32_t reg) { regs[0] = reg; return regs[4]; }
static void wr(uint32_t reg, uint32_t v) { regs[0] = reg; regs[4] = v; }

static void set_entry(int line, bool masked)
{
    uint32_t pin = line_gsi[line] - gsi_base;
    if (line_gsi[line] < gsi_base || pin >= nredir)
        return;
    uint32_t lo = (IOAPIC_VECTOR + (uint32_t)line) | line_flags[line] | (masked ? RED_MASKED : 0);
    wr(REG_REDIR + 2 * pin + 1, 0);         /* destination: APIC ID 0, the boot CPU */
    wr(REG_REDIR + 2 * pin, lo);
}

bool ioapic_init(void)
{
    const madt *m = (const madt *)acpi_find("APIC");
    if (!m)
        return false;
    uint64_t base = 0;
    for (int i = 0; i < 16; i++)
        line_gsi[i] = (uint32_t)i;          /* ISA lines map 1:1 unless overridden */
    const uint8_t *p = (const uint8_t *)(m + 1), *end = (const uint8_t *)m + m->h.length;
    while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
        if (p[0] == MADT_IOAPIC && p[1] >= 12 && !base) {
            base = *(const uint32_t *)(p + 4);
            gsi_base = *(const uint32_t *)(p + 8);
        } else if (p[0] == MADT_OVERRIDE && p[1] >= 10 && p[2] == 0 && p[3] < 16) {
            uint16_t flags = *(const uint16_t *)(p + 8);
            line_gsi[p[3]] = *(const uint32_t *)(p + 4);
            line_flags[p[3]] = ((flags & 3) == 3 ? RED_ACTIVE_LOW : 0) |
                               (((flags >> 2) & 3) == 3 ? RED_LEVEL : 0);
        }
        p += p[1];
    }
    if (!base)
        return false;
    regs = paging_map_mmio(base, 4096);
    nredir = ((rd(REG_VERSION) >> 16) & 0xff) + 1;
    for (uint32_t pin = 0; pin < nredir; pin++)
        wr(REG_REDIR + 2 * pin, RED_MASKED);
    for (int line = 0; line < 16; line++)
        set_entry(line, true);
    kprintf("ioapic: at %lx, %u inputs from GSI %u; ISA line 0 on GSI %u\n", base, nredir,
            gsi_base, line_gsi[0]);
    return true;
}

void ioapic_mask(int line)
{
    set_entry(line, true);
}

void ioapic_unmask(int line)
{
    set_entry(line, false);
}
