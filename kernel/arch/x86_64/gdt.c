/* kernel/arch/x86_64/gdt.c: the long-mode GDT (flat code and data) and the
 * TSS, whose only use in ring 0 is the IST stacks for #DF, NMI and #MC. */
#include "kernel/arch/x86_64/gdt.h"
#include <stddef.h>

#define IST_STACK_SIZE 16384

typedef struct __attribute__((packed)) tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} tss;

static tss the_tss;
static uint64_t gdt[5];
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

static void load_gdt(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } ptr = {
        sizeof gdt - 1, (uint64_t)gdt
    };
    /* Reload CS with a far return, then the data segments and the TSS. */
    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "ltr %w3\n\t"
        :: "m"(ptr), "i"(GDT_KCODE), "i"(GDT_KDATA), "r"((uint16_t)GDT_TSS)
        : "rax", "memory");
}

void gdt_init(void)
{
    for (int i = 0; i < 3; i++)
        the_tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
    the_tss.iomap_base = sizeof the_tss;   /* no I/O bitmap */

    gdt[0] = 0;
    gdt[1] = 0x00209a0000000000ull;        /* kernel code: present, L */
    gdt[2] = 0x0000920000000000ull;        /* kernel data */
    uint64_t base = (uint64_t)&the_tss, limit = sizeof the_tss - 1;
    gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[4] = base >> 32;
    load_gdt();
}

void gdt_ist_bounds(int ist, uint64_t *lo, uint64_t *hi)
{
    *lo = (uint64_t)ist_stacks[ist - 1];
    *hi = *lo + IST_STACK_SIZE;
}
