/* kernel/arch/x86_64/trap.c: the IDT (all 256 vectors point at isr.S's
 * stubs), handler registration and dispatch, and the register dump that a
 * panic prints. */
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "kernel/arch/x86_64/kwasm_arch.h"
#include <stddef.h>

_Static_assert(offsetof(trapframe, rax) == 0x70 && offsetof(trapframe, rip) == 0x88 &&
               offsetof(trapframe, ss) == 0xa8, "trapframe layout must match isr.S and trap_capture");

typedef struct __attribute__((packed)) idt_entry {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t zero;
} idt_entry;

extern char isr_stubs[];
static idt_entry idt[256];
static trap_handler *handlers[256];

static const char *const names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
    "invalid opcode", "device not available", "double fault",
    "coprocessor segment overrun", "invalid TSS", "segment not present",
    "stack fault", "general protection fault", "page fault", "reserved 15",
    "x87 floating-point error", "alignment check", "machine check",
    "SIMD floating-point error", "virtualization exception",
    "control protection", "reserved 22", "reserved 23", "reserved 24",
    "reserved 25", "reserved 26", "reserved 27", "hypervisor injection",
    "VMM communication", "security exception", "reserved 31",
};

const char *trap_name(uint64_t vector)
{
    return vector < 32 ? names[vector] : NULL;
}

static void set_gate(int v, int ist)
{
    uint64_t addr = (uint64_t)(isr_stubs + 16 * v);
    idt[v] = (idt_entry){
        .off_lo = addr & 0xffff,
        .sel = GDT_KCODE,
        .ist = (uint8_t)ist,
        .type = 0x8e,               /* present, ring 0, interrupt gate */
        .off_mid = (addr >> 16) & 0xffff,
        .off_hi = (uint32_t)(addr >> 32),
    };
}

void trap_init(void)
{
    for (int v = 0; v < 256; v++)
        set_gate(v, 0);
    set_gate(T_DF, IST_DF);
    set_gate(T_NMI, IST_NMI);
    set_gate(T_MC, IST_MC);
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } ptr = {
        sizeof idt - 1, (uint64_t)idt
    };
    __asm__ volatile("lidt %0" :: "m"(ptr));
}

void trap_set_handler(int vector, trap_handler *fn)
{
    handlers[vector] = fn;
}

/* Called by isr.S with interrupts off. */
void trap_dispatch(trapframe *tf)
{
    /* A fault at a trap site of compiled Wasm code is a Wasm trap, not
     * the kernel's: resume at the engine's trap stub. */
    if (tf->vector < 32 && kwasm_fault(tf))
        return;
    trap_handler *fn = handlers[tf->vector];
    bool handled = fn && fn(tf);
    if (tf->vector < 32 && !handled)
        panic_trap(tf);
    if (tf->vector >= 32 && !fn)
        kprintf("trap: spurious interrupt %lu\n", tf->vector);
}

void trap_dump(const trapframe *tf)
{
    kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
    kprintf("  rsi %016lx  rdi %016lx  rbp %016lx  rsp %016lx\n", tf->rsi, tf->rdi, tf->rbp, tf->rsp);
    kprintf("  r8  %016lx  r9  %016lx  r10 %016lx  r11 %016lx\n", tf->r8, tf->r9, tf->r10, tf->r11);
    kprintf("  r12 %016lx  r13 %016lx  r14 %016lx  r15 %016lx\n", tf->r12, tf->r13, tf->r14, tf->r15);
    kprintf("  rip %016lx  rflags %08lx  cs %04lx  ss %04lx  error %lx\n",
            tf->rip, tf->rflags, tf->cs, tf->ss, tf->error);
    kprintf("  cr0 %016lx  cr2 %016lx  cr3 %016lx  cr4 %016lx\n",
            read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

void trap_capture(trapframe *tf)
{
    __asm__ volatile(
        "mov %%rax, 0x70(%0)\n\t"
        "mov %%rbx, 0x68(%0)\n\t"
        "mov %%rcx, 0x60(%0)\n\t"
        "mov %%rdx, 0x58(%0)\n\t"
        "mov %%rsi, 0x50(%0)\n\t"
        "mov %%rdi, 0x48(%0)\n\t"
        "mov %%rbp, 0x40(%0)\n\t"
        "mov %%r8, 0x38(%0)\n\t"
        "mov %%r9, 0x30(%0)\n\t"
        "mov %%r10, 0x28(%0)\n\t"
        "mov %%r11, 0x20(%0)\n\t"
        "mov %%r12, 0x18(%0)\n\t"
        "mov %%r13, 0x10(%0)\n\t"
        "mov %%r14, 0x08(%0)\n\t"
        "mov %%r15, 0x00(%0)\n\t"
        "mov %%rsp, 0xa0(%0)\n\t"
        "pushfq\n\t"
        "popq 0x98(%0)\n\t"
        "mov %%cs, %%rax\n\t"
        "mov %%rax, 0x90(%0)\n\t"
        "mov %%ss, %%rax\n\t"
        "mov %%rax, 0xa8(%0)\n\t"
        "leaq 0(%%rip), %%rax\n\t"
        "mov %%rax, 0x88(%0)\n\t"
        :: "r"(tf) : "rax", "memory");
    tf->vector = tf->error = 0;
}
