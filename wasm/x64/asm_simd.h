/* wasm/x64/asm_simd.h: the packed SSE instructions (SSE2 to SSE4.1) that
 * the SIMD code generator (simd.c) uses, apart from asm.c's scalar ones.
 *
 * An instruction is named by one 32-bit number: its mandatory prefix
 * (0x66, 0xf3, 0xf2 or none) in the top byte and its opcode bytes below
 * (0x0fXX, or 0x0f38XX / 0x0f3aXX). The operands follow asm.h: xmm
 * registers 0..15, general registers by their number, x64_mem for memory.
 * Legacy SSE encodings need 16-byte-aligned memory operands for most
 * packed arithmetic: simd.c uses memory operands only for the moves and
 * lane accesses below, which take any alignment. */
#ifndef WASM_X64_ASM_SIMD_H
#define WASM_X64_ASM_SIMD_H

#include "wasm/x64/asm.h"

#define SSE_OP(prefix, op) (((uint32_t)(prefix) << 24) | (uint32_t)(op))

enum {
    /* moves */
    P_MOVDQU_LOAD = SSE_OP(0xf3, 0x0f6f), P_MOVDQU_STORE = SSE_OP(0xf3, 0x0f7f),
    P_MOVD_LOAD = SSE_OP(0x66, 0x0f6e),      /* movd xmm, m32 (zeroes the rest) */
    P_MOVQ_LOAD = SSE_OP(0xf3, 0x0f7e),      /* movq xmm, m64/xmm (zeroes the rest) */
    P_MOVSD = SSE_OP(0xf2, 0x0f10),          /* movsd xmm, xmm: the low lane only */
    P_MOVHLPS = SSE_OP(0, 0x0f12), P_MOVLHPS = SSE_OP(0, 0x0f16),
    /* integer arithmetic */
    P_PADDB = SSE_OP(0x66, 0x0ffc), P_PADDW = SSE_OP(0x66, 0x0ffd),
    P_PADDD = SSE_OP(0x66, 0x0ffe), P_PADDQ = SSE_OP(0x66, 0x0fd4),
    P_PSUBB = SSE_OP(0x66, 0x0ff8), P_PSUBW = SSE_OP(0x66, 0x0ff9),
    P_PSUBD = SSE_OP(0x66, 0x0ffa), P_PSUBQ = SSE_OP(0x66, 0x0ffb),
    P_PADDSB = SSE_OP(0x66, 0x0fec), P_PADDSW = SSE_OP(0x66, 0x0fed),
    P_PADDUSB = SSE_OP(0x66, 0x0fdc), P_PADDUSW = SSE_OP(0x66, 0x0fdd),
    P_PSUBSB = SSE_OP(0x66, 0x0fe8), P_PSUBSW = SSE_OP(0x66, 0x0fe9),
    P_PSUBUSB = SSE_OP(0x66, 0x0fd8), P_PSUBUSW = SSE_OP(0x66, 0x0fd9),
    P_PMULLW = SSE_OP(0x66, 0x0fd5), P_PMULLD = SSE_OP(0x66, 0x0f3840),
    P_PMULHW = SSE_OP(0x66, 0x0fe5), P_PMULHUW = SSE_OP(0x66, 0x0fe4),
    P_PMULUDQ = SSE_OP(0x66, 0x0ff4), P_PMULDQ = SSE_OP(0x66, 0x0f3828),
    P_PMADDWD = SSE_OP(0x66, 0x0ff5), P_PMADDUBSW = SSE_OP(0x66, 0x0f3804),
    P_PMULHRSW = SSE_OP(0x66, 0x0f380b),
    P_PMINSB = SSE_OP(0x66, 0x0f3838), P_PMINSW = SSE_OP(0x66, 0x0fea),
    P_PMINSD = SSE_OP(0x66, 0x0f3839), P_PMINUB = SSE_OP(0x66, 0x0fda),
    P_PMINUW = SSE_OP(0x66, 0x0f383a), P_PMINUD = SSE_OP(0x66, 0x0f383b),
    P_PMAXSB = SSE_OP(0x66, 0x0f383c), P_PMAXSW = SSE_OP(0x66, 0x0fee),
    P_PMAXSD = SSE_OP(0x66, 0x0f383d), P_PMAXUB = SSE_OP(0x66, 0x0fde),
    P_PMAXUW = SSE_OP(0x66, 0x0f383e), P_PMAXUD = SSE_OP(0x66, 0x0f383f),
    P_PAVGB = SSE_OP(0x66, 0x0fe0), P_PAVGW = SSE_OP(0x66, 0x0fe3),
    P_PABSB = SSE_OP(0x66, 0x0f381c), P_PABSW = SSE_OP(0x66, 0x0f381d),
    P_PABSD = SSE_OP(0x66, 0x0f381e),
    /* compares */
    P_PCMPEQB = SSE_OP(0x66, 0x0f74), P_PCMPEQW = SSE_OP(0x66, 0x0f75),
    P_PCMPEQD = SSE_OP(0x66, 0x0f76), P_PCMPEQQ = SSE_OP(0x66, 0x0f3829),
    P_PCMPGTB = SSE_OP(0x66, 0x0f64), P_PCMPGTW = SSE_OP(0x66, 0x0f65),
    P_PCMPGTD = SSE_OP(0x66, 0x0f66),
    /* logic */
    P_PAND = SSE_OP(0x66, 0x0fdb), P_PANDN = SSE_OP(0x66, 0x0fdf),
    P_POR = SSE_OP(0x66, 0x0feb), P_PXOR = SSE_OP(0x66, 0x0fef),
    P_PTEST = SSE_OP(0x66, 0x0f3817),
    /* shuffles, packs, unpacks, extensions */
    P_PSHUFB = SSE_OP(0x66, 0x0f3800), P_PSHUFD = SSE_OP(0x66, 0x0f70),
    P_PSHUFLW = SSE_OP(0xf2, 0x0f70), P_PSHUFHW = SSE_OP(0xf3, 0x0f70),
    P_SHUFPS = SSE_OP(0, 0x0fc6), P_PBLENDW = SSE_OP(0x66, 0x0f3a0e),
    P_PUNPCKLBW = SSE_OP(0x66, 0x0f60), P_PUNPCKLWD = SSE_OP(0x66, 0x0f61),
    P_PUNPCKLDQ = SSE_OP(0x66, 0x0f62), P_PUNPCKLQDQ = SSE_OP(0x66, 0x0f6c),
    P_PUNPCKHBW = SSE_OP(0x66, 0x0f68), P_PUNPCKHWD = SSE_OP(0x66, 0x0f69),
    P_PUNPCKHDQ = SSE_OP(0x66, 0x0f6a), P_PUNPCKHQDQ = SSE_OP(0x66, 0x0f6d),
    P_UNPCKLPS = SSE_OP(0, 0x0f14), P_UNPCKLPD = SSE_OP(0x66, 0x0f14),
    P_PACKSSWB = SSE_OP(0x66, 0x0f63), P_PACKUSWB = SSE_OP(0x66, 0x0f67),
    P_PACKSSDW = SSE_OP(0x66, 0x0f6b), P_PACKUSDW = SSE_OP(0x66, 0x0f382b),
    P_PMOVSXBW = SSE_OP(0x66, 0x0f3820), P_PMOVSXWD = SSE_OP(0x66, 0x0f3823),
    P_PMOVSXDQ = SSE_OP(0x66, 0x0f3825), P_PMOVZXBW = SSE_OP(0x66, 0x0f3830),
    P_PMOVZXWD = SSE_OP(0x66, 0x0f3833), P_PMOVZXDQ = SSE_OP(0x66, 0x0f3835),
    /* shifts by the count in an xmm register's low 64 bits */
    P_PSLLW = SSE_OP(0x66, 0x0ff1), P_PSLLD = SSE_OP(0x66, 0x0ff2), P_PSLLQ = SSE_OP(0x66, 0x0ff3),
    P_PSRLW = SSE_OP(0x66, 0x0fd1), P_PSRLD = SSE_OP(0x66, 0x0fd2), P_PSRLQ = SSE_OP(0x66, 0x0fd3),
    P_PSRAW = SSE_OP(0x66, 0x0fe1), P_PSRAD = SSE_OP(0x66, 0x0fe2),
    /* lanes (with an immediate); for pextr*, the xmm register is `reg`
     * and the destination (general register or memory) is `rm` */
    P_PINSRB = SSE_OP(0x66, 0x0f3a20), P_PINSRW = SSE_OP(0x66, 0x0fc4),
    P_PINSRD = SSE_OP(0x66, 0x0f3a22),      /* pinsrq with REX.W */
    P_PEXTRB = SSE_OP(0x66, 0x0f3a14), P_PEXTRW = SSE_OP(0x66, 0x0f3a15),
    P_PEXTRD = SSE_OP(0x66, 0x0f3a16),      /* pextrq with REX.W */
    P_INSERTPS = SSE_OP(0x66, 0x0f3a21),
    P_PMOVMSKB = SSE_OP(0x66, 0x0fd7), P_MOVMSKPS = SSE_OP(0, 0x0f50),
    P_MOVMSKPD = SSE_OP(0x66, 0x0f50),
    /* float */
    P_ADDPS = SSE_OP(0, 0x0f58), P_SUBPS = SSE_OP(0, 0x0f5c), P_MULPS = SSE_OP(0, 0x0f59),
    P_DIVPS = SSE_OP(0, 0x0f5e), P_MINPS = SSE_OP(0, 0x0f5d), P_MAXPS = SSE_OP(0, 0x0f5f),
    P_SQRTPS = SSE_OP(0, 0x0f51), P_CMPPS = SSE_OP(0, 0x0fc2),
    P_ANDPS = SSE_OP(0, 0x0f54), P_ANDNPS = SSE_OP(0, 0x0f55), P_ORPS = SSE_OP(0, 0x0f56),
    P_XORPS = SSE_OP(0, 0x0f57),
    P_ADDPD = SSE_OP(0x66, 0x0f58), P_SUBPD = SSE_OP(0x66, 0x0f5c), P_MULPD = SSE_OP(0x66, 0x0f59),
    P_DIVPD = SSE_OP(0x66, 0x0f5e), P_MINPD = SSE_OP(0x66, 0x0f5d), P_MAXPD = SSE_OP(0x66, 0x0f5f),
    P_SQRTPD = SSE_OP(0x66, 0x0f51), P_CMPPD = SSE_OP(0x66, 0x0fc2),
    P_ROUNDPS = SSE_OP(0x66, 0x0f3a08), P_ROUNDPD = SSE_OP(0x66, 0x0f3a09),
    P_CVTDQ2PS = SSE_OP(0, 0x0f5b), P_CVTTPS2DQ = SSE_OP(0xf3, 0x0f5b),
    P_CVTPS2PD = SSE_OP(0, 0x0f5a), P_CVTPD2PS = SSE_OP(0x66, 0x0f5a),
    P_CVTDQ2PD = SSE_OP(0xf3, 0x0fe6), P_CVTTPD2DQ = SSE_OP(0x66, 0x0fe6),
};

/* Immediate-count shifts: 66 0F 71/72/73 /digit ib. */
enum {
    PS_SRLW = 0x7102, PS_SRAW = 0x7104, PS_SLLW = 0x7106,
    PS_SRLD = 0x7202, PS_SRAD = 0x7204, PS_SLLD = 0x7206,
    PS_SRLQ = 0x7302, PS_SRLDQ = 0x7303, PS_SLLQ = 0x7306, PS_SLLDQ = 0x7307,
};

/* cmpps/cmppd predicates. */
enum { CMP_EQ = 0, CMP_LT = 1, CMP_LE = 2, CMP_UNORD = 3, CMP_NEQ = 4 };

/* op dst, src (register forms; `src` may be a general register where the
 * instruction takes one, e.g. pinsr*, and `dst` for pmovmskb/movmsk*). */
void x64_sse(x64_asm *a, uint32_t op, int dst, int src);
/* The same with an immediate byte, and with REX.W (pinsrq/pextrq). */
void x64_sse_i(x64_asm *a, uint32_t op, int dst, int src, uint8_t imm);
void x64_sse_wi(x64_asm *a, uint32_t op, int dst, int src, uint8_t imm);
/* Memory forms: reg is the ModRM reg field. */
void x64_sse_m(x64_asm *a, uint32_t op, int reg, x64_mem m);
void x64_sse_mi(x64_asm *a, uint32_t op, bool w, int reg, x64_mem m, uint8_t imm);
/* Immediate shifts (PS_*). */
void x64_sse_shift(x64_asm *a, int shift, int xmm, uint8_t n);

#endif
