/* kernel/arch/x86_64/kwasm_arch.c: faults in compiled Wasm code become
 * Wasm traps; the trap stub is entered through kwasm_trap_entry; CPUID for
 * the compiler. */
#include "kernel/arch/x86_64/kwasm_arch.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/kwasm.h"
#include "wasm/platform.h"

extern char kwasm_trap_entry[];

void kwasm_redirect(trapframe *tf, uintptr_t to, uint64_t arg)
{
    tf->rsi = tf->rip;          /* kwasm_trap_entry pushes it ... */
    tf->rax = to;               /* ... and jumps here */
    tf->rdi = arg;
    tf->rip = (uint64_t)kwasm_trap_entry;
}

bool kwasm_fault(trapframe *tf)
{
    uint64_t addr = 0;
    int kind;
    switch (tf->vector) {
    case T_PF:
        /* Only a fault in a memory's guard (or past its committed part):
         * compiled code touching anything else is an engine bug. */
        addr = read_cr2();
        if (!kwasm_guard(addr))
            return false;
        kind = WASM_FAULT_MEMORY;
        break;
    case T_DE:
        kind = WASM_FAULT_ARITH;
        break;
    case T_UD:
        kind = WASM_FAULT_ILLEGAL;
        break;
    default:
        return false;
    }
    uint64_t arg;
    uintptr_t to = wasm_fault_to_trap(tf->rip, addr, kind, &arg);
    if (!to)
        return false;
    kwasm_redirect(tf, to, arg);
    return true;
}

unsigned wasm_platform_cpu_features(void)
{
    uint32_t r[4];
    unsigned f = 0;
    cpuid(0, 0, r);
    uint32_t max = r[0];
    cpuid(1, 0, r);
    if (r[2] & (1u << 9)) f |= WASM_CPU_SSSE3;
    if (r[2] & (1u << 19)) f |= WASM_CPU_SSE41;
    if (r[2] & (1u << 23)) f |= WASM_CPU_POPCNT;
    /* AVX only when the kernel turned its state on (XCR0, fpu.c). */
    if ((r[2] & (1u << 28)) && (r[2] & (1u << 27)) && (read_cr4() & CR4_OSXSAVE)) {
        uint32_t lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        if ((lo & 6) == 6)
            f |= WASM_CPU_AVX;
    }
    if (max >= 7) {
        cpuid(7, 0, r);
        if (r[1] & (1u << 3)) f |= WASM_CPU_BMI1;
    }
    cpuid(0x80000000, 0, r);
    if (r[0] >= 0x80000001) {
        cpuid(0x80000001, 0, r);
        if (r[2] & (1u << 5)) f |= WASM_CPU_LZCNT;
    }
    return f;
}
