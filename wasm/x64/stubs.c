/* wasm/x64/stubs.c: the engine-wide machine code that sits between C and
 * compiled Wasm:
 *
 *   entry      C-callable: saves the callee-saved registers, records the
 *              stack pointer in the entry record (the unwinding target),
 *              keeps the thread's stack limit where the callee's
 *              prologue looks for it ([rbp-16] of its caller's frame),
 *              copies the argument slots onto the stack, calls the function
 *              with its context in r15, copies the result slots back.
 *   trap stub  reached by a `call` from a trap site (or, for a hardware
 *              fault, by the signal handler faking one) with the trap kind
 *              in edi; asks wasm_rt_trap to record the trap and backtrace,
 *              then unwinds to the innermost entry and returns 1 from it.
 *   host stub  what an imported host function's code pointer is: calls
 *              wasm_rt_host_call(func, caller context, slots) and turns a
 *              non-zero result into a trap; loads the first result slot
 *              into rax and xmm0 (where a single result is returned).
 */
#include "wasm/compile.h"
#include "wasm/x64/asm.h"

int wasm_arch_emit_stubs(x64_asm *a, uint32_t *entry, uint32_t *trap_stub,
                         uint32_t *host_stub, uintptr_t trap_fn, uintptr_t host_fn)
{
    uint32_t l_exit = x64_label(a), l_trap = x64_label(a), l_host_trap = x64_label(a);

    /* entry(code=rdi, ctx=rsi, slots=rdx, nslots=rcx, rec=r8, limits=r9).
     * Frame: [rbp-8] rec, [rbp-16] limits->stack_limit (where compiled
     * code looks for its caller's stack limit: every Wasm frame that
     * calls keeps a copy there, so an instance entered from several
     * threads checks each one's own stack), then the callee-saved
     * registers. */
    *entry = (uint32_t)a->len;
    x64_push(a, RBP);
    x64_mov_rr(a, true, RBP, RSP);
    x64_push(a, R8);
    x64_load(a, true, R9, x64_m(R9, 0));
    x64_push(a, R9);
    x64_push(a, RBX);
    x64_push(a, R12);
    x64_push(a, R13);
    x64_push(a, R14);
    x64_push(a, R15);
    x64_alu_ri(a, ALU_SUB, true, RSP, 8);  /* 16-byte alignment */
    x64_store(a, true, x64_m(R8, 0), RSP); /* rec->saved_rsp = rbp - 64 */
    x64_mov_rr(a, true, RBX, RDI);
    x64_mov_rr(a, true, R12, RDX);
    x64_mov_rr(a, true, R13, RCX);
    x64_mov_rr(a, true, R15, RSI);
    x64_load(a, true, R14, x64_m(R15, CTX_MEM_BASE));
    x64_mov_rr(a, true, RAX, RCX);
    x64_shift_ri(a, SH_SHL, true, RAX, 3);
    x64_alu_rr(a, ALU_SUB, true, RSP, RAX);
    x64_mov_rr(a, true, RSI, R12);
    x64_mov_rr(a, true, RDI, RSP);
    x64_rep_movsq(a);                      /* rcx = nslots already */
    x64_call_r(a, RBX);
    x64_mov_rr(a, true, RSI, RSP);
    x64_mov_rr(a, true, RDI, R12);
    x64_mov_rr(a, true, RCX, R13);
    x64_rep_movsq(a);
    x64_alu_rr(a, ALU_XOR, false, RAX, RAX);
    x64_bind(a, l_exit);
    x64_lea(a, true, RSP, x64_m(RBP, -56));
    x64_pop(a, R15);
    x64_pop(a, R14);
    x64_pop(a, R13);
    x64_pop(a, R12);
    x64_pop(a, RBX);
    x64_leave(a);
    x64_ret(a);

    /* trap stub: edi = kind, [rsp] = trap pc, rbp = the trapping frame */
    *trap_stub = (uint32_t)a->len;
    x64_bind(a, l_trap);
    x64_load(a, true, RSI, x64_m(RSP, 0));
    x64_mov_rr(a, true, RDX, RBP);
    x64_alu_ri(a, ALU_AND, true, RSP, -16);
    x64_mov_ri(a, true, RAX, trap_fn);
    x64_call_r(a, RAX);                    /* returns the entry's saved rsp */
    x64_mov_rr(a, true, RSP, RAX);
    x64_lea(a, true, RBP, x64_m(RSP, 64));
    x64_mov_ri(a, false, RAX, 1);
    x64_jmp(a, l_exit);

    /* host stub: r15 = the wasm_func, args at [rbp+16] */
    *host_stub = (uint32_t)a->len;
    x64_push(a, RBP);
    x64_mov_rr(a, true, RBP, RSP);
    x64_mov_rr(a, true, RDI, R15);
    x64_load(a, true, RSI, x64_m(RBP, 0));
    x64_load(a, true, RSI, x64_m(RSI, -8));  /* the caller's saved context */
    x64_lea(a, true, RDX, x64_m(RBP, 16));
    /* Compiled code keeps pinned locals in xmm9-14 and r10 across calls;
     * C does not preserve them. */
    x64_alu_ri(a, ALU_SUB, true, RSP, 64);
    for (int k = 0; k < 6; k++)
        x64_fstore(a, true, x64_m(RSP, 8 * k), 9 + k);
    x64_store(a, true, x64_m(RSP, 48), R10);
    x64_mov_ri(a, true, RAX, host_fn);
    x64_call_r(a, RAX);
    for (int k = 0; k < 6; k++)
        x64_fload(a, true, 9 + k, x64_m(RSP, 8 * k));
    x64_load(a, true, R10, x64_m(RSP, 48));
    x64_test_rr(a, false, RAX, RAX);
    x64_jcc(a, CC_NE, l_host_trap);
    /* A single result is also returned in rax or xmm0 (compiled callers
     * take it from there, codegen.c's call_results): load both. */
    x64_load(a, true, RAX, x64_m(RBP, 16));
    x64_fload(a, true, 0, x64_m(RBP, 16));
    x64_leave(a);
    x64_ret(a);
    x64_bind(a, l_host_trap);
    x64_mov_rr(a, false, RDI, RAX);
    x64_call_label(a, l_trap);

    return x64_resolve(a);
}
