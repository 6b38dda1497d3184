/* kernel/arch/x86_64/backtrace.c: the backtrace a panic prints. Every
 * function keeps rbp (-fno-omit-frame-pointer), so [rbp] is the caller's rbp
 * and [rbp+8] the return address. Each frame pointer is checked against the
 * page tables before it is read, so a corrupt chain ends the walk instead of
 * faulting inside the panic. */
#include "kernel/arch/x86_64/backtrace.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/kprintf.h"
#include "kernel/ksym.h"
#include "kernel/kwasm.h"

#define MAX_FRAMES 32
#define PTE_P  1ull
#define PTE_PS (1ull << 7)
#define PTE_ADDR 0x000ffffffffff000ull

bool arch_readable(uint64_t va)
{
    /* Canonical addresses only. */
    if ((uint64_t)((int64_t)(va << 16) >> 16) != va)
        return false;
    uint64_t table = read_cr3() & PTE_ADDR;
    for (int level = 3; level >= 0; level--) {
        uint64_t idx = (va >> (12 + 9 * level)) & 511;
        uint64_t e = ((uint64_t *)(table + DIRECT_MAP))[idx];
        if (!(e & PTE_P))
            return false;
        if (level == 0 || (level <= 2 && (e & PTE_PS)))
            return true;
        table = e & PTE_ADDR;
    }
    return true;
}

static void print_frame(int n, uint64_t pc)
{
    uint64_t off;
    char wasm[80];
    const char *name = ksym_lookup(pc, &off);
    if (name)
        kprintf("  #%-2d %016lx %s+0x%lx\n", n, pc, name, off);
    else if (kwasm_describe(pc, wasm, sizeof wasm))
        kprintf("  #%-2d %016lx [wasm] %s\n", n, pc, wasm);
    else
        kprintf("  #%-2d %016lx ?\n", n, pc);
}

/* A trap can stop a function before its frame exists: in a leaf function
 * that never sets one up (GCC omits it when nothing is on the stack), or in
 * the prologue. Then rbp is still the caller's, and the return address into
 * the caller sits on the stack: returns its location, or 0 when the frame
 * is complete. */
static uint64_t pending_return_slot(uint64_t rip, uint64_t rsp)
{
    uint64_t off;
    if (!rsp)
        return 0;
    if (!ksym_lookup(rip, &off))
        return rsp;         /* outside the kernel (generated code): try the top */
    const uint8_t *p = (const uint8_t *)(rip - off);
    int skip = 0;
    if (p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e && p[3] == 0xfa)
        skip = 4;                               /* endbr64 */
    p += skip;
    bool has_frame = p[0] == 0x55 && p[1] == 0x48 && p[2] == 0x89 && p[3] == 0xe5;
    if (has_frame && off >= (uint64_t)skip + 4)
        return 0;
    if (has_frame && off == (uint64_t)skip + 1)
        return rsp + 8;                         /* after push %rbp */
    return rsp;
}

/* Whether `ret` looks like a return address: in kernel text, just past a
 * call instruction (e8 rel32, or ff /2 through a register or memory, which
 * with prefixes, SIB and displacement is 2 to 8 bytes long). */
static bool is_return_address(uint64_t ret)
{
    uint64_t off;
    if (!ksym_lookup(ret - 1, &off) || !arch_readable(ret - 8))
        return false;
    const uint8_t *p = (const uint8_t *)ret;
    if (p[-5] == 0xe8)
        return true;
    for (int k = 2; k <= 8; k++)
        if (p[-k] == 0xff && ((p[-k + 1] >> 3) & 7) == 2)
            return true;
    return false;
}

static void print_return(int n, uint64_t ret)
{
    uint64_t off;
    /* A return address points just past the call: look up ret - 1. */
    char wasm[80];
    const char *name = ksym_lookup(ret - 1, &off);
    if (name)
        kprintf("  #%-2d %016lx %s+0x%lx\n", n, ret, name, off + 1);
    else if (kwasm_describe(ret - 1, wasm, sizeof wasm))
        kprintf("  #%-2d %016lx [wasm] %s (return address - 1)\n", n, ret, wasm);
    else
        kprintf("  #%-2d %016lx ?\n", n, ret);
}

void backtrace_print(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
    kprintf("backtrace:\n");
    print_frame(0, rip);
    int n = 1;
    uint64_t slot = pending_return_slot(rip, rsp);
    if (slot && arch_readable(slot) && is_return_address(*(uint64_t *)slot))
        print_return(n++, *(uint64_t *)slot);
    for (; n < MAX_FRAMES && rbp; n++) {
        if ((rbp & 7) || !arch_readable(rbp) || !arch_readable(rbp + 8))
            break;
        uint64_t next = ((uint64_t *)rbp)[0];
        uint64_t ret = ((uint64_t *)rbp)[1];
        if (!ret)
            break;
        print_return(n, ret);
        if (next <= rbp)
            break;
        rbp = next;
    }
}
