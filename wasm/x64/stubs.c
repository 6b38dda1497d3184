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
 *   copy, fill memory.copy and memory.fill: called from compiled code with
 *              their operands in fixed registers (see below); they check
 *              the bounds, then copy or fill without calling C, and touch
 *              only the registers they document, so that the call site
 *              keeps its other values in registers.
 */
#include "wasm/compile.h"
#include "wasm/platform.h"
#include "wasm/x64/asm.h"
#include "wasm/x64/asm_simd.h"

/* From this many bytes on, a forward copy or a fill uses `rep movsb` /
 * `rep stosb` instead of the vector loops (measured on an AMD EPYC with
 * ERMS/FSRM: close from 512 bytes on, and the string instructions win on
 * big blocks). Backward copies always loop: `std; rep movsb` is ten
 * times slower. */
#define COPY_REP_MIN 512
#define FILL_REP_MIN 2048

/* Loads and stores of v bytes (16: SSE movdqu, 32: AVX vmovdqu ymm). */
static void ldv(x64_asm *a, int v, int x, x64_mem m)
{
    if (v == 32)
        x64_vex_m(a, 2, 1, true, 0x6f, x, m);
    else
        x64_sse_m(a, P_MOVDQU_LOAD, x, m);
}

static void stv(x64_asm *a, int v, x64_mem m, int x)
{
    if (v == 32)
        x64_vex_m(a, 2, 1, true, 0x7f, x, m);
    else
        x64_sse_m(a, P_MOVDQU_STORE, x, m);
}

/* Returns from a path that used v-byte vectors: after 256-bit AVX, clear
 * the upper halves so that the legacy SSE code of the caller pays no
 * transition penalty (xmm0-15 keep their low 128 bits). */
static void retv(x64_asm *a, int v)
{
    if (v == 32)
        x64_vzeroupper(a);
    x64_ret(a);
}

/* The bounds check of both stubs: traps unless reg + rcx <= memory size
 * (reg and rcx are zero-extended 32-bit values, so the sum cannot wrap).
 * Nothing is written before the checks, as Wasm 2.0 wants. */
static void check_end(x64_asm *a, int reg, uint32_t l_oob)
{
    x64_lea(a, true, R11, x64_mi(reg, RCX, 1, 0));
    x64_alu_rm(a, ALU_CMP, true, R11, x64_m(R15, CTX_MEM_SIZE));
    x64_jcc(a, CC_A, l_oob);
}

/* n <= 16 bytes (rcx) from rsi to rdi: two overlapping words of 8, 4 or
 * 2 bytes (both read before either is written), or one byte. For a
 * fill, the pattern in rax is stored instead. */
static void small_copy(x64_asm *a, bool fill)
{
    static const uint8_t sizes[3] = { 8, 4, 2 };
    for (int k = 0; k < 3; k++) {
        int n = sizes[k];
        uint32_t l_next = x64_label(a);
        x64_alu_ri(a, ALU_CMP, false, RCX, n);
        x64_jcc(a, CC_B, l_next);
        x64_mem lo_s = x64_m(RSI, 0), hi_s = x64_mi(RSI, RCX, 1, -n);
        x64_mem lo_d = x64_m(RDI, 0), hi_d = x64_mi(RDI, RCX, 1, -n);
        int r0 = RAX, r1 = fill ? RAX : R11;
        if (!fill && n == 2) {
            x64_load16u(a, RAX, lo_s);
            x64_load16u(a, R11, hi_s);
        } else if (!fill) {
            x64_load(a, n == 8, RAX, lo_s);
            x64_load(a, n == 8, R11, hi_s);
        }
        if (n == 2) {
            x64_store16(a, lo_d, r0);
            x64_store16(a, hi_d, r1);
        } else {
            x64_store(a, n == 8, lo_d, r0);
            x64_store(a, n == 8, hi_d, r1);
        }
        x64_ret(a);
        x64_bind(a, l_next);
    }
    uint32_t l_ret = x64_label(a);
    x64_test_rr(a, false, RCX, RCX);
    x64_jcc(a, CC_E, l_ret);
    if (!fill)
        x64_load8u(a, RAX, x64_m(RSI, 0));
    x64_store8(a, x64_m(RDI, 0), RAX);
    x64_bind(a, l_ret);
    x64_ret(a);
}

/* copy: memmove(r14 + edi, r14 + esi, ecx) after checking both ranges,
 * with v-byte vectors (16, or 32 with AVX). Clobbers rax, rcx, rsi, rdi,
 * r11, xmm0-xmm2 (ymm), xmm15 (ymm) and the flags.
 *
 * Up to 4v bytes, everything is read before anything is written: the
 * first and last 8/4/2 bytes, or 16, v or 2v bytes (overlapping in the
 * middle). Longer copies go in the direction that overlap needs
 * (backward when the destination starts inside the source, where
 * dst - src < n unsigned), one v-byte piece at a time, each read before
 * it is written, with aligned stores; the first and last v bytes are read
 * first and stored last, which covers the unaligned ends. */
static void emit_copy(x64_asm *a, int v, uint32_t l_oob)
{
    uint32_t l_small = x64_label(a), l_pair16 = x64_label(a), l_pair = x64_label(a);
    uint32_t l_quad = x64_label(a), l_back = x64_label(a), l_rep = x64_label(a);
    uint32_t l_fbig = x64_label(a), l_fone = x64_label(a), l_bbig = x64_label(a);
    uint32_t l_bone = x64_label(a), l_end = x64_label(a);

    check_end(a, RDI, l_oob);
    check_end(a, RSI, l_oob);
    x64_alu_rr(a, ALU_ADD, true, RDI, R14);
    x64_alu_rr(a, ALU_ADD, true, RSI, R14);
    x64_alu_ri(a, ALU_CMP, true, RCX, 16);
    x64_jcc(a, CC_BE, l_small);
    if (v == 32) {
        x64_alu_ri(a, ALU_CMP, true, RCX, 32);
        x64_jcc(a, CC_BE, l_pair16);
    }
    x64_alu_ri(a, ALU_CMP, true, RCX, 2 * v);
    x64_jcc(a, CC_BE, v == 32 ? l_pair : l_pair16);
    x64_alu_ri(a, ALU_CMP, true, RCX, 4 * v);
    x64_jcc(a, CC_BE, l_quad);

    /* Longer than 4v. */
    x64_mov_rr(a, true, RAX, RDI);
    x64_alu_rr(a, ALU_SUB, true, RAX, RSI);
    x64_alu_rr(a, ALU_CMP, true, RAX, RCX);
    x64_jcc(a, CC_B, l_back);
    x64_alu_ri(a, ALU_CMP, true, RCX, COPY_REP_MIN);
    x64_jcc(a, CC_AE, l_rep);
    /* Forward, from rax = the first offset where dst is v-aligned, while
     * a piece ends at or before n - v (the last v bytes come from xmm15). */
    ldv(a, v, 1, x64_m(RSI, 0));
    ldv(a, v, 15, x64_mi(RSI, RCX, 1, -v));
    x64_mov_rr(a, false, RAX, RDI);
    x64_neg(a, false, RAX);
    x64_alu_ri(a, ALU_AND, false, RAX, v - 1);
    x64_lea(a, true, R11, x64_m(RCX, -5 * v));   /* the last start of a 4v step */
    x64_bind(a, l_fbig);
    x64_alu_rr(a, ALU_CMP, true, RAX, R11);
    x64_jcc(a, CC_G, l_fone);
    for (int k = 0; k < 4 * v; k += v) {
        ldv(a, v, 0, x64_mi(RSI, RAX, 1, k));
        stv(a, v, x64_mi(RDI, RAX, 1, k), 0);
    }
    x64_alu_ri(a, ALU_ADD, true, RAX, 4 * v);
    x64_jmp(a, l_fbig);
    x64_bind(a, l_fone);
    x64_alu_ri(a, ALU_ADD, true, R11, 4 * v);    /* n - v */
    uint32_t l_ftop = x64_label(a);
    x64_bind(a, l_ftop);
    x64_alu_rr(a, ALU_CMP, true, RAX, R11);
    x64_jcc(a, CC_GE, l_end);
    ldv(a, v, 0, x64_mi(RSI, RAX, 1, 0));
    stv(a, v, x64_mi(RDI, RAX, 1, 0), 0);
    x64_alu_ri(a, ALU_ADD, true, RAX, v);
    x64_jmp(a, l_ftop);

    /* Backward, from rax = the offset of dst's last v-aligned end
     * (n - v + 1..n) down to v (the first v bytes come from xmm1). */
    x64_bind(a, l_back);
    ldv(a, v, 1, x64_m(RSI, 0));
    ldv(a, v, 15, x64_mi(RSI, RCX, 1, -v));
    x64_lea(a, true, RAX, x64_mi(RDI, RCX, 1, 0));
    x64_alu_ri(a, ALU_AND, true, RAX, -v);
    x64_alu_rr(a, ALU_SUB, true, RAX, RDI);
    x64_bind(a, l_bbig);
    x64_alu_ri(a, ALU_CMP, true, RAX, 5 * v);
    x64_jcc(a, CC_L, l_bone);
    x64_alu_ri(a, ALU_SUB, true, RAX, 4 * v);
    for (int k = 3 * v; k >= 0; k -= v) {
        ldv(a, v, 0, x64_mi(RSI, RAX, 1, k));
        stv(a, v, x64_mi(RDI, RAX, 1, k), 0);
    }
    x64_jmp(a, l_bbig);
    x64_bind(a, l_bone);
    x64_alu_ri(a, ALU_CMP, true, RAX, v);
    x64_jcc(a, CC_LE, l_end);
    x64_alu_ri(a, ALU_SUB, true, RAX, v);
    ldv(a, v, 0, x64_mi(RSI, RAX, 1, 0));
    stv(a, v, x64_mi(RDI, RAX, 1, 0), 0);
    x64_jmp(a, l_bone);

    x64_bind(a, l_end);
    stv(a, v, x64_m(RDI, 0), 1);
    stv(a, v, x64_mi(RDI, RCX, 1, -v), 15);
    retv(a, v);

    x64_bind(a, l_rep);
    x64_rep_movsb(a);
    x64_ret(a);

    /* 2v+1..4v: the first and the last 2v bytes. */
    x64_bind(a, l_quad);
    ldv(a, v, 0, x64_m(RSI, 0));
    ldv(a, v, 1, x64_m(RSI, v));
    ldv(a, v, 2, x64_mi(RSI, RCX, 1, -2 * v));
    ldv(a, v, 15, x64_mi(RSI, RCX, 1, -v));
    stv(a, v, x64_m(RDI, 0), 0);
    stv(a, v, x64_m(RDI, v), 1);
    stv(a, v, x64_mi(RDI, RCX, 1, -2 * v), 2);
    stv(a, v, x64_mi(RDI, RCX, 1, -v), 15);
    retv(a, v);

    /* v+1..2v (AVX only): the first and the last v bytes. */
    if (v == 32) {
        x64_bind(a, l_pair);
        ldv(a, v, 0, x64_m(RSI, 0));
        ldv(a, v, 15, x64_mi(RSI, RCX, 1, -v));
        stv(a, v, x64_m(RDI, 0), 0);
        stv(a, v, x64_mi(RDI, RCX, 1, -v), 15);
        retv(a, v);
    }

    /* 17..32: the first and the last 16 bytes. */
    x64_bind(a, l_pair16);
    ldv(a, 16, 0, x64_m(RSI, 0));
    ldv(a, 16, 15, x64_mi(RSI, RCX, 1, -16));
    stv(a, 16, x64_m(RDI, 0), 0);
    stv(a, 16, x64_mi(RDI, RCX, 1, -16), 15);
    x64_ret(a);

    x64_bind(a, l_small);
    small_copy(a, false);
}

/* fill: memset(r14 + edi, al, ecx) after checking the range, with v-byte
 * vectors. Clobbers rax, rcx, rdi, r11, xmm15 (ymm) and the flags. */
static void emit_fill(x64_asm *a, int v, uint32_t l_oob)
{
    uint32_t l_big = x64_label(a), l_rep = x64_label(a), l_loop = x64_label(a);
    uint32_t l_one = x64_label(a), l_onetop = x64_label(a), l_done = x64_label(a);
    uint32_t l_pair16 = x64_label(a);

    check_end(a, RDI, l_oob);
    x64_alu_rr(a, ALU_ADD, true, RDI, R14);
    x64_movzx8_rr(a, RAX, RAX);
    x64_mov_ri(a, true, R11, 0x0101010101010101ull);
    x64_imul_rr(a, true, RAX, R11);              /* the byte in every byte */
    x64_alu_ri(a, ALU_CMP, true, RCX, 16);
    x64_jcc(a, CC_A, l_big);
    small_copy(a, true);

    x64_bind(a, l_big);
    x64_alu_ri(a, ALU_CMP, true, RCX, FILL_REP_MIN);
    x64_jcc(a, CC_AE, l_rep);
    x64_movd_xr(a, true, 15, RAX);
    x64_sse(a, P_PUNPCKLQDQ, 15, 15);
    if (v == 32) {
        x64_alu_ri(a, ALU_CMP, true, RCX, 32);
        x64_jcc(a, CC_BE, l_pair16);
        x64_vex_rri(a, 1, 3, true, 0x18, 15, 15, 15, 1);   /* vinsertf128 ymm15, ymm15, xmm15, 1 */
    }
    /* The first and last v bytes, then aligned v-byte pieces from
     * r11 = v - dst % v (1..v) while they end before n - v. */
    stv(a, v, x64_m(RDI, 0), 15);
    stv(a, v, x64_mi(RDI, RCX, 1, -v), 15);
    x64_mov_rr(a, false, R11, RDI);
    x64_alu_ri(a, ALU_AND, false, R11, v - 1);
    x64_neg(a, true, R11);
    x64_alu_ri(a, ALU_ADD, true, R11, v);
    x64_lea(a, true, RAX, x64_m(RCX, -5 * v));   /* a 4v step fits while r11 <= n - 5v */
    x64_bind(a, l_loop);
    x64_alu_rr(a, ALU_CMP, true, R11, RAX);
    x64_jcc(a, CC_G, l_one);
    for (int k = 0; k < 4 * v; k += v)
        stv(a, v, x64_mi(RDI, R11, 1, k), 15);
    x64_alu_ri(a, ALU_ADD, true, R11, 4 * v);
    x64_jmp(a, l_loop);
    x64_bind(a, l_one);
    x64_alu_ri(a, ALU_ADD, true, RAX, 4 * v);    /* n - v */
    x64_bind(a, l_onetop);
    x64_alu_rr(a, ALU_CMP, true, R11, RAX);
    x64_jcc(a, CC_GE, l_done);
    stv(a, v, x64_mi(RDI, R11, 1, 0), 15);
    x64_alu_ri(a, ALU_ADD, true, R11, v);
    x64_jmp(a, l_onetop);
    x64_bind(a, l_done);
    retv(a, v);

    if (v == 32) {               /* 17..32 */
        x64_bind(a, l_pair16);
        stv(a, 16, x64_m(RDI, 0), 15);
        stv(a, 16, x64_mi(RDI, RCX, 1, -16), 15);
        x64_ret(a);
    }

    x64_bind(a, l_rep);
    x64_rep_stosb(a);
    x64_ret(a);
}

int wasm_arch_emit_stubs(x64_asm *a, wasm_stub_offsets *off, uintptr_t trap_fn,
                         uintptr_t host_fn, unsigned cpu)
{
    int v = (cpu & WASM_CPU_AVX) ? 32 : 16;
    uint32_t l_exit = x64_label(a), l_trap = x64_label(a), l_host_trap = x64_label(a);
    uint32_t *entry = &off->entry, *trap_stub = &off->trap, *host_stub = &off->host;

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
    /* Compiled code keeps pinned locals in xmm9-14, r10 and r9 across
     * calls; C does not preserve them. */
    x64_alu_ri(a, ALU_SUB, true, RSP, 64);
    for (int k = 0; k < 6; k++)
        x64_fstore(a, true, x64_m(RSP, 8 * k), 9 + k);
    x64_store(a, true, x64_m(RSP, 48), R10);
    x64_store(a, true, x64_m(RSP, 56), R9);
    x64_mov_ri(a, true, RAX, host_fn);
    x64_call_r(a, RAX);
    for (int k = 0; k < 6; k++)
        x64_fload(a, true, 9 + k, x64_m(RSP, 8 * k));
    x64_load(a, true, R10, x64_m(RSP, 48));
    x64_load(a, true, R9, x64_m(RSP, 56));
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

    /* The bulk-memory stubs trap by jumping to the trap stub: [rsp] is
     * then the return address into the Wasm function that called them,
     * which the trap reports (and rbp is still that function's frame). */
    uint32_t l_oob = x64_label(a);
    x64_bind(a, l_oob);
    x64_mov_ri(a, false, RDI, WASM_TRAP_MEMORY_OOB);
    x64_jmp(a, l_trap);
    off->copy = (uint32_t)a->len;
    emit_copy(a, v, l_oob);
    off->fill = (uint32_t)a->len;
    emit_fill(a, v, l_oob);

    return x64_resolve(a);
}
