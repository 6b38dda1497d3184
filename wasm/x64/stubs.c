/* wasm/x64/stubs.c: the engine-wide machine code that sits between C and
 * compiled Wasm:
 *
 *   entry      C-callable: saves the callee-saved registers, records the
 *              stack pointer in the entry record (the unwinding target),
 *              keeps the thread's limits where the callee's prologue
 *              looks for them ([rbp-16] of its caller's frame),
 *              copies the argument slots onto the stack, calls the function
 *              with its context in r15, copies the result slots back.
 *   trap stub  reached by a `call` from a trap site (or, for a hardware
 *              fault, by the signal handler faking one) with the trap kind
 *              in edi; asks wasm_rt_trap to record the trap and backtrace,
 *              then unwinds to the innermost entry and returns 1 from it.
 *   host stub  what an imported host function's code pointer is: calls
 *              wasm_rt_host_call(func, caller context, slots) and turns a
 *              non-zero result into a trap.
 *   copy, fill memory.copy and memory.fill: called from compiled code with
 *              their operands in fixed registers (see below); they check
 *              the bounds, then copy or fill without calling C, and touch
 *              only the registers they document, so that the call site
 *              keeps its other values in registers.
 */
#include "wasm/compile.h"
#include "wasm/x64/asm.h"
#include "wasm/x64/asm_simd.h"

/* From this many bytes on, `rep movsb` / `rep stosb` beat the 16-byte
 * loops (measured on an AMD EPYC with ERMS/FSRM: both are close from 512
 * bytes on, and the string instructions win on big blocks). */
#define COPY_REP_MIN 512
#define FILL_REP_MIN 2048

static void ld16(x64_asm *a, int x, x64_mem m) { x64_sse_m(a, P_MOVDQU_LOAD, x, m); }
static void st16(x64_asm *a, x64_mem m, int x) { x64_sse_m(a, P_MOVDQU_STORE, x, m); }

/* The bounds check of both stubs: traps unless reg + rcx <= memory size
 * (reg and rcx are zero-extended 32-bit values, so the sum cannot wrap).
 * Nothing is written before the checks, as Wasm 2.0 wants. */
static void check_end(x64_asm *a, int reg, uint32_t l_oob)
{
    x64_lea(a, true, R11, x64_mi(reg, RCX, 1, 0));
    x64_alu_rm(a, ALU_CMP, true, R11, x64_m(R15, CTX_MEM_SIZE));
    x64_jcc(a, CC_A, l_oob);
}

/* copy: memmove(r14 + edi, r14 + esi, ecx) after checking both ranges.
 * Clobbers rax, rcx, rsi, rdi, r11, xmm0-xmm2, xmm15 and the flags.
 * Every path reads a 16-byte piece before writing the piece it goes to,
 * and goes in the direction that overlap needs (backward when the
 * destination starts inside the source), so memmove semantics hold; the
 * first and last 16 bytes of the long paths are read before anything is
 * written and stored last. */
static void emit_copy(x64_asm *a, uint32_t l_oob)
{
    uint32_t l_small = x64_label(a), l_big = x64_label(a), l_64 = x64_label(a);
    uint32_t l_lt8 = x64_label(a), l_lt4 = x64_label(a), l_lt2 = x64_label(a);
    uint32_t l_ret = x64_label(a), l_back = x64_label(a), l_rep = x64_label(a);
    uint32_t l_f64 = x64_label(a), l_f16 = x64_label(a), l_fend = x64_label(a);
    uint32_t l_b64 = x64_label(a), l_b16 = x64_label(a), l_end = x64_label(a);

    check_end(a, RDI, l_oob);
    check_end(a, RSI, l_oob);
    x64_alu_rr(a, ALU_ADD, true, RDI, R14);
    x64_alu_rr(a, ALU_ADD, true, RSI, R14);
    x64_alu_ri(a, ALU_CMP, true, RCX, 16);
    x64_jcc(a, CC_BE, l_small);
    x64_alu_ri(a, ALU_CMP, true, RCX, 64);
    x64_jcc(a, CC_A, l_big);
    x64_alu_ri(a, ALU_CMP, true, RCX, 32);
    x64_jcc(a, CC_A, l_64);
    /* 17..32: the first and the last 16 bytes (they may overlap). */
    ld16(a, 0, x64_m(RSI, 0));
    ld16(a, 15, x64_mi(RSI, RCX, 1, -16));
    st16(a, x64_m(RDI, 0), 0);
    st16(a, x64_mi(RDI, RCX, 1, -16), 15);
    x64_ret(a);
    /* 33..64: the first 32 and the last 32. */
    x64_bind(a, l_64);
    ld16(a, 0, x64_m(RSI, 0));
    ld16(a, 1, x64_m(RSI, 16));
    ld16(a, 2, x64_mi(RSI, RCX, 1, -32));
    ld16(a, 15, x64_mi(RSI, RCX, 1, -16));
    st16(a, x64_m(RDI, 0), 0);
    st16(a, x64_m(RDI, 16), 1);
    st16(a, x64_mi(RDI, RCX, 1, -32), 2);
    st16(a, x64_mi(RDI, RCX, 1, -16), 15);
    x64_ret(a);

    /* 0..16: two overlapping words of 8, 4, 2 bytes, or one byte. */
    x64_bind(a, l_small);
    x64_alu_ri(a, ALU_CMP, false, RCX, 8);
    x64_jcc(a, CC_B, l_lt8);
    x64_load(a, true, RAX, x64_m(RSI, 0));
    x64_load(a, true, R11, x64_mi(RSI, RCX, 1, -8));
    x64_store(a, true, x64_m(RDI, 0), RAX);
    x64_store(a, true, x64_mi(RDI, RCX, 1, -8), R11);
    x64_ret(a);
    x64_bind(a, l_lt8);
    x64_alu_ri(a, ALU_CMP, false, RCX, 4);
    x64_jcc(a, CC_B, l_lt4);
    x64_load(a, false, RAX, x64_m(RSI, 0));
    x64_load(a, false, R11, x64_mi(RSI, RCX, 1, -4));
    x64_store(a, false, x64_m(RDI, 0), RAX);
    x64_store(a, false, x64_mi(RDI, RCX, 1, -4), R11);
    x64_ret(a);
    x64_bind(a, l_lt4);
    x64_alu_ri(a, ALU_CMP, false, RCX, 2);
    x64_jcc(a, CC_B, l_lt2);
    x64_load16u(a, RAX, x64_m(RSI, 0));
    x64_load16u(a, R11, x64_mi(RSI, RCX, 1, -2));
    x64_store16(a, x64_m(RDI, 0), RAX);
    x64_store16(a, x64_mi(RDI, RCX, 1, -2), R11);
    x64_ret(a);
    x64_bind(a, l_lt2);
    x64_test_rr(a, false, RCX, RCX);
    x64_jcc(a, CC_E, l_ret);
    x64_load8u(a, RAX, x64_m(RSI, 0));
    x64_store8(a, x64_m(RDI, 0), RAX);
    x64_bind(a, l_ret);
    x64_ret(a);

    /* More than 64 bytes. Backward when dst - src < n (unsigned): the
     * destination starts inside the source. */
    x64_bind(a, l_big);
    x64_mov_rr(a, true, RAX, RDI);
    x64_alu_rr(a, ALU_SUB, true, RAX, RSI);
    x64_alu_rr(a, ALU_CMP, true, RAX, RCX);
    x64_jcc(a, CC_B, l_back);
    x64_alu_ri(a, ALU_CMP, true, RCX, COPY_REP_MIN);
    x64_jcc(a, CC_AE, l_rep);
    /* Forward: 16-byte pieces at rax = the offset where the destination
     * is 16-byte aligned (0..15), while a piece ends before n - 16. */
    ld16(a, 1, x64_m(RSI, 0));
    ld16(a, 15, x64_mi(RSI, RCX, 1, -16));
    x64_mov_rr(a, false, RAX, RDI);
    x64_neg(a, false, RAX);
    x64_alu_ri(a, ALU_AND, false, RAX, 15);
    x64_lea(a, true, R11, x64_m(RCX, -80));      /* last start of a 64-byte step */
    x64_bind(a, l_f64);
    x64_alu_rr(a, ALU_CMP, true, RAX, R11);
    x64_jcc(a, CC_G, l_f16);
    for (int k = 0; k < 64; k += 16) {
        ld16(a, 0, x64_mi(RSI, RAX, 1, k));
        st16(a, x64_mi(RDI, RAX, 1, k), 0);
    }
    x64_alu_ri(a, ALU_ADD, true, RAX, 64);
    x64_jmp(a, l_f64);
    x64_bind(a, l_f16);
    x64_alu_ri(a, ALU_ADD, true, R11, 64);       /* n - 16 */
    x64_bind(a, l_fend);
    x64_alu_rr(a, ALU_CMP, true, RAX, R11);
    x64_jcc(a, CC_GE, l_end);
    ld16(a, 0, x64_mi(RSI, RAX, 1, 0));
    st16(a, x64_mi(RDI, RAX, 1, 0), 0);
    x64_alu_ri(a, ALU_ADD, true, RAX, 16);
    x64_jmp(a, l_fend);

    x64_bind(a, l_rep);
    x64_rep_movsb(a);
    x64_ret(a);

    /* Backward: from rax = the offset where dst + rax is the aligned end
     * (n - 15..n) down to 16, 64 then 16 bytes at a time. */
    x64_bind(a, l_back);
    ld16(a, 1, x64_m(RSI, 0));
    ld16(a, 15, x64_mi(RSI, RCX, 1, -16));
    x64_lea(a, true, RAX, x64_mi(RDI, RCX, 1, 0));
    x64_alu_ri(a, ALU_AND, true, RAX, -16);
    x64_alu_rr(a, ALU_SUB, true, RAX, RDI);
    x64_bind(a, l_b64);
    x64_alu_ri(a, ALU_CMP, true, RAX, 80);
    x64_jcc(a, CC_L, l_b16);
    x64_alu_ri(a, ALU_SUB, true, RAX, 64);
    for (int k = 48; k >= 0; k -= 16) {
        ld16(a, 0, x64_mi(RSI, RAX, 1, k));
        st16(a, x64_mi(RDI, RAX, 1, k), 0);
    }
    x64_jmp(a, l_b64);
    x64_bind(a, l_b16);
    x64_alu_ri(a, ALU_CMP, true, RAX, 16);
    x64_jcc(a, CC_LE, l_end);
    x64_alu_ri(a, ALU_SUB, true, RAX, 16);
    ld16(a, 0, x64_mi(RSI, RAX, 1, 0));
    st16(a, x64_mi(RDI, RAX, 1, 0), 0);
    x64_jmp(a, l_b16);

    x64_bind(a, l_end);
    st16(a, x64_m(RDI, 0), 1);
    st16(a, x64_mi(RDI, RCX, 1, -16), 15);
    x64_ret(a);
}

/* fill: memset(r14 + edi, al, ecx) after checking the range. Clobbers
 * rax, rcx, rdi, r11, xmm15 and the flags. */
static void emit_fill(x64_asm *a, uint32_t l_oob)
{
    uint32_t l_big = x64_label(a), l_lt8 = x64_label(a), l_lt4 = x64_label(a);
    uint32_t l_lt2 = x64_label(a), l_ret = x64_label(a), l_rep = x64_label(a);
    uint32_t l_64 = x64_label(a), l_16 = x64_label(a), l_16top = x64_label(a);

    check_end(a, RDI, l_oob);
    x64_alu_rr(a, ALU_ADD, true, RDI, R14);
    x64_movzx8_rr(a, RAX, RAX);
    x64_mov_ri(a, true, R11, 0x0101010101010101ull);
    x64_imul_rr(a, true, RAX, R11);              /* the byte in every byte */
    x64_alu_ri(a, ALU_CMP, true, RCX, 16);
    x64_jcc(a, CC_A, l_big);
    x64_alu_ri(a, ALU_CMP, false, RCX, 8);
    x64_jcc(a, CC_B, l_lt8);
    x64_store(a, true, x64_m(RDI, 0), RAX);
    x64_store(a, true, x64_mi(RDI, RCX, 1, -8), RAX);
    x64_ret(a);
    x64_bind(a, l_lt8);
    x64_alu_ri(a, ALU_CMP, false, RCX, 4);
    x64_jcc(a, CC_B, l_lt4);
    x64_store(a, false, x64_m(RDI, 0), RAX);
    x64_store(a, false, x64_mi(RDI, RCX, 1, -4), RAX);
    x64_ret(a);
    x64_bind(a, l_lt4);
    x64_alu_ri(a, ALU_CMP, false, RCX, 2);
    x64_jcc(a, CC_B, l_lt2);
    x64_store16(a, x64_m(RDI, 0), RAX);
    x64_store16(a, x64_mi(RDI, RCX, 1, -2), RAX);
    x64_ret(a);
    x64_bind(a, l_lt2);
    x64_test_rr(a, false, RCX, RCX);
    x64_jcc(a, CC_E, l_ret);
    x64_store8(a, x64_m(RDI, 0), RAX);
    x64_bind(a, l_ret);
    x64_ret(a);

    /* More than 16: the first and last 16 bytes, then aligned 16-byte
     * pieces from r11 = 16 - dst % 16 (1..16) while they end before n. */
    x64_bind(a, l_big);
    x64_alu_ri(a, ALU_CMP, true, RCX, FILL_REP_MIN);
    x64_jcc(a, CC_AE, l_rep);
    x64_movd_xr(a, true, 15, RAX);
    x64_sse(a, P_PUNPCKLQDQ, 15, 15);
    st16(a, x64_m(RDI, 0), 15);
    st16(a, x64_mi(RDI, RCX, 1, -16), 15);
    x64_mov_rr(a, false, R11, RDI);
    x64_alu_ri(a, ALU_AND, false, R11, 15);
    x64_neg(a, true, R11);
    x64_alu_ri(a, ALU_ADD, true, R11, 16);
    x64_lea(a, true, RAX, x64_m(RCX, -64));      /* a 64-byte step fits while r11 <= n - 64 */
    x64_bind(a, l_64);
    x64_alu_rr(a, ALU_CMP, true, R11, RAX);
    x64_jcc(a, CC_G, l_16);
    for (int k = 0; k < 64; k += 16)
        st16(a, x64_mi(RDI, R11, 1, k), 15);
    x64_alu_ri(a, ALU_ADD, true, R11, 64);
    x64_jmp(a, l_64);
    x64_bind(a, l_16);
    x64_alu_ri(a, ALU_ADD, true, RAX, 48);       /* n - 16 */
    x64_bind(a, l_16top);
    x64_alu_rr(a, ALU_CMP, true, R11, RAX);
    x64_jcc(a, CC_GE, l_ret);
    st16(a, x64_mi(RDI, R11, 1, 0), 15);
    x64_alu_ri(a, ALU_ADD, true, R11, 16);
    x64_jmp(a, l_16top);

    x64_bind(a, l_rep);
    x64_rep_stosb(a);
    x64_ret(a);
}

int wasm_arch_emit_stubs(x64_asm *a, wasm_stub_offsets *off, uintptr_t trap_fn,
                         uintptr_t host_fn)
{
    uint32_t l_exit = x64_label(a), l_trap = x64_label(a), l_host_trap = x64_label(a);
    uint32_t *entry = &off->entry, *trap_stub = &off->trap, *host_stub = &off->host;

    /* entry(code=rdi, ctx=rsi, slots=rdx, nslots=rcx, rec=r8, limits=r9).
     * Frame: [rbp-8] rec, [rbp-16] limits (where compiled code looks for
     * its caller's limits), then the callee-saved registers. */
    *entry = (uint32_t)a->len;
    x64_push(a, RBP);
    x64_mov_rr(a, true, RBP, RSP);
    x64_push(a, R8);
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
    x64_leave(a);
    x64_ret(a);
    x64_bind(a, l_host_trap);
    x64_mov_rr(a, false, RDI, RAX);
    x64_call_label(a, l_trap);

    /* The bulk-memory stubs trap by jumping to the trap stub: [rsp] is
     * then the return address into the Wasm function that called them,
     * which the trap reports (and rbp is still that function's frame). */
    uint32_t l_oob = x64_label(a);
    x64_bind(a, l_oob);
    x64_mov_ri(a, false, RDI, WASM_TRAP_MEMORY_OOB);
    x64_jmp(a, l_trap);
    off->copy = (uint32_t)a->len;
    emit_copy(a, l_oob);
    off->fill = (uint32_t)a->len;
    emit_fill(a, l_oob);

    return x64_resolve(a);
}
