/* wasm/x64/simd.c: code generation for the 128-bit SIMD instructions
 * (the 0xfd prefix) with SSE2, SSSE3 and SSE4.1 only (no AVX).
 *
 * Each instruction pops its operands into registers it owns (codegen.c's
 * cg_pop_reg), computes in place with two-operand SSE forms and pushes the
 * result register. xmm15 and r11 are scratch; sequences that need more
 * take a temporary from the register allocator. Constants (shuffle masks,
 * splats) are built inline with r11, since a baseline compiler has no
 * constant pool. What SSE lacks is done by sequences, commented where
 * they appear: i64x2 compares and abs, i8x16 shifts, unsigned and
 * saturating conversions, NaN-correct min/max. */
#include "wasm/x64/simd.h"
#include "wasm/x64/asm_simd.h"
#include "wasm/opcodes.h"
#include "wasm/wasm.h"

#define X15 15

static uint64_t rep8(uint8_t b) { return 0x0101010101010101ull * b; }
static uint64_t rep16(uint16_t h) { return 0x0001000100010001ull * h; }
static uint64_t rep32(uint32_t w) { return 0x0000000100000001ull * w; }

/* x = the 128-bit constant hi:lo (uses r11). */
static void load_v128(cg *g, int x, uint64_t lo, uint64_t hi)
{
    x64_asm *a = cg_asm(g);
    if (lo == 0 && hi == 0) {
        x64_sse(a, P_PXOR, x, x);
        return;
    }
    if (lo == ~0ull && hi == ~0ull) {
        x64_sse(a, P_PCMPEQD, x, x);
        return;
    }
    x64_mov_ri(a, true, R11, lo);
    x64_movd_xr(a, true, x, R11);
    if (hi == lo) {
        x64_sse(a, P_PUNPCKLQDQ, x, x);
    } else if (hi != 0) {
        x64_mov_ri(a, true, R11, hi);
        x64_sse_wi(a, P_PINSRD, x, R11, 1);
    }
}

static void load_splat(cg *g, int x, uint64_t q) { load_v128(g, x, q, q); }

/* ---- generic shapes ---- */

/* a = a op b */
static void binop(cg *g, uint32_t op)
{
    int b = cg_pop_reg(g), a = cg_pop_reg(g);
    x64_sse(cg_asm(g), op, a, b);
    cg_free_xmm(g, b);
    cg_push_reg(g, WASM_V128, a);
}

/* result = b op a (for andnot, pmin/pmax and swapped compares) */
static void binop_rev(cg *g, uint32_t op)
{
    int b = cg_pop_reg(g), a = cg_pop_reg(g);
    x64_sse(cg_asm(g), op, b, a);
    cg_free_xmm(g, a);
    cg_push_reg(g, WASM_V128, b);
}

static void unop(cg *g, uint32_t op)
{
    int a = cg_pop_reg(g);
    x64_sse(cg_asm(g), op, a, a);
    cg_push_reg(g, WASM_V128, a);
}

static void unop_i(cg *g, uint32_t op, uint8_t imm)
{
    int a = cg_pop_reg(g);
    x64_sse_i(cg_asm(g), op, a, a, imm);
    cg_push_reg(g, WASM_V128, a);
}

static void not_reg(cg *g, int x)
{
    x64_sse(cg_asm(g), P_PCMPEQD, X15, X15);
    x64_sse(cg_asm(g), P_PXOR, x, X15);
}

/* x = 0 - x */
static void neg_reg(cg *g, int x, uint32_t psub)
{
    x64_asm *a = cg_asm(g);
    x64_movaps(a, X15, x);
    x64_sse(a, P_PXOR, x, x);
    x64_sse(a, psub, x, X15);
}

/* ---- constants, shuffles, splats, lanes ---- */

static void op_const(cg *g)
{
    uint64_t lo = 0, hi = 0;
    for (int i = 0; i < 8; i++)
        lo |= (uint64_t)cg_rd_u8(g) << (8 * i);
    for (int i = 0; i < 8; i++)
        hi |= (uint64_t)cg_rd_u8(g) << (8 * i);
    int x = cg_alloc_xmm(g);
    load_v128(g, x, lo, hi);
    cg_push_reg(g, WASM_V128, x);
}

/* Each result byte from a or b: pshufb both with masks that zero the
 * other operand's lanes (bit 7), then or. */
static void op_shuffle(cg *g)
{
    uint8_t l[16];
    uint64_t ma[2] = { 0, 0 }, mb[2] = { 0, 0 };
    for (int i = 0; i < 16; i++) {
        l[i] = cg_rd_u8(g);
        uint8_t va = l[i] < 16 ? l[i] : 0x80;
        uint8_t vb = l[i] >= 16 && l[i] < 32 ? (uint8_t)(l[i] - 16) : 0x80;
        ma[i / 8] |= (uint64_t)va << (8 * (i % 8));
        mb[i / 8] |= (uint64_t)vb << (8 * (i % 8));
    }
    int b = cg_pop_reg(g), a = cg_pop_reg(g);
    x64_asm *as = cg_asm(g);
    load_v128(g, X15, ma[0], ma[1]);
    x64_sse(as, P_PSHUFB, a, X15);
    load_v128(g, X15, mb[0], mb[1]);
    x64_sse(as, P_PSHUFB, b, X15);
    x64_sse(as, P_POR, a, b);
    cg_free_xmm(g, b);
    cg_push_reg(g, WASM_V128, a);
}

/* Indices >= 16 select 0: adding 0x70 with unsigned saturation sets bit 7
 * for them and keeps the low four bits of the others. */
static void op_swizzle(cg *g)
{
    int s = cg_pop_reg(g), a = cg_pop_reg(g);
    load_splat(g, X15, rep8(0x70));
    x64_sse(cg_asm(g), P_PADDUSB, s, X15);
    x64_sse(cg_asm(g), P_PSHUFB, a, s);
    cg_free_xmm(g, s);
    cg_push_reg(g, WASM_V128, a);
}

/* Broadcasts lane 0 of x to every lane of the shape (lane bytes 1..8). */
static void broadcast(cg *g, int x, int bytes)
{
    x64_asm *a = cg_asm(g);
    switch (bytes) {
    case 1:
        x64_sse(a, P_PXOR, X15, X15);
        x64_sse(a, P_PSHUFB, x, X15);
        break;
    case 2:
        x64_sse_i(a, P_PSHUFLW, x, x, 0);
        x64_sse_i(a, P_PSHUFD, x, x, 0);
        break;
    case 4: x64_sse_i(a, P_PSHUFD, x, x, 0); break;
    default: x64_sse(a, P_PUNPCKLQDQ, x, x); break;
    }
}

static void op_splat(cg *g, int bytes, bool fl)
{
    int r = cg_pop_reg(g);
    int x = r;
    if (!fl) {
        x = cg_alloc_xmm(g);
        x64_movd_xr(cg_asm(g), bytes == 8, x, r);
        cg_free_gpr(g, r);
    }
    broadcast(g, x, bytes);
    cg_push_reg(g, WASM_V128, x);
}

static void op_extract(cg *g, uint32_t sub)
{
    uint8_t lane = cg_rd_u8(g);
    int x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    if (sub == WASM_FD_F32X4_EXTRACT_LANE || sub == WASM_FD_F64X2_EXTRACT_LANE) {
        /* the scalar is the low lane; the rest of the register is ignored */
        if (sub == WASM_FD_F32X4_EXTRACT_LANE && lane)
            x64_sse_i(a, P_PSHUFD, x, x, lane);
        else if (sub == WASM_FD_F64X2_EXTRACT_LANE && lane)
            x64_sse(a, P_MOVHLPS, x, x);
        cg_push_reg(g, sub == WASM_FD_F32X4_EXTRACT_LANE ? WASM_F32 : WASM_F64, x);
        return;
    }
    int r = cg_alloc_gpr(g);
    uint8_t t = WASM_I32;
    switch (sub) {
    case WASM_FD_I8X16_EXTRACT_LANE_S:
        x64_sse_i(a, P_PEXTRB, x, r, lane);
        x64_movsx8_rr(a, false, r, r);
        break;
    case WASM_FD_I8X16_EXTRACT_LANE_U: x64_sse_i(a, P_PEXTRB, x, r, lane); break;
    case WASM_FD_I16X8_EXTRACT_LANE_S:
        x64_sse_i(a, P_PEXTRW, x, r, lane);
        x64_movsx16_rr(a, false, r, r);
        break;
    case WASM_FD_I16X8_EXTRACT_LANE_U: x64_sse_i(a, P_PEXTRW, x, r, lane); break;
    case WASM_FD_I32X4_EXTRACT_LANE: x64_sse_i(a, P_PEXTRD, x, r, lane); break;
    default:
        x64_sse_wi(a, P_PEXTRD, x, r, lane);
        t = WASM_I64;
        break;
    }
    cg_free_xmm(g, x);
    cg_push_reg(g, t, r);
}

static void op_replace(cg *g, uint32_t sub)
{
    uint8_t lane = cg_rd_u8(g);
    int v = cg_pop_reg(g), x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    switch (sub) {
    case WASM_FD_I8X16_REPLACE_LANE: x64_sse_i(a, P_PINSRB, x, v, lane); break;
    case WASM_FD_I16X8_REPLACE_LANE:
        x64_enc_r(a, 0x66, false, 0x0fc4, 2, x, v, false);
        x64_byte(a, lane);
        break;
    case WASM_FD_I32X4_REPLACE_LANE: x64_sse_i(a, P_PINSRD, x, v, lane); break;
    case WASM_FD_I64X2_REPLACE_LANE: x64_sse_wi(a, P_PINSRD, x, v, lane); break;
    case WASM_FD_F32X4_REPLACE_LANE: x64_sse_i(a, P_INSERTPS, x, v, (uint8_t)(lane << 4)); break;
    default:
        x64_sse(a, lane ? P_UNPCKLPD : P_MOVSD, x, v);
        break;
    }
    if (sub == WASM_FD_F32X4_REPLACE_LANE || sub == WASM_FD_F64X2_REPLACE_LANE)
        cg_free_xmm(g, v);
    else
        cg_free_gpr(g, v);
    cg_push_reg(g, WASM_V128, x);
}

/* ---- memory ---- */

static void op_load(cg *g, uint32_t sub)
{
    cg_rd_u32(g);
    uint32_t offset = cg_rd_u32(g);
    x64_asm *a = cg_asm(g);
    int x = cg_alloc_xmm(g);
    x64_mem m;
    switch (sub) {
    case WASM_FD_V128_LOAD:
        m = cg_pop_mem(g, offset, 16);
        x64_sse_m(a, P_MOVDQU_LOAD, x, m);
        break;
    case WASM_FD_V128_LOAD8X8_S: case WASM_FD_V128_LOAD8X8_U:
    case WASM_FD_V128_LOAD16X4_S: case WASM_FD_V128_LOAD16X4_U:
    case WASM_FD_V128_LOAD32X2_S: case WASM_FD_V128_LOAD32X2_U: {
        static const uint32_t ext[6] = { P_PMOVSXBW, P_PMOVZXBW, P_PMOVSXWD, P_PMOVZXWD,
                                         P_PMOVSXDQ, P_PMOVZXDQ };
        m = cg_pop_mem(g, offset, 8);
        x64_sse_m(a, ext[sub - WASM_FD_V128_LOAD8X8_S], x, m);
        break;
    }
    case WASM_FD_V128_LOAD8_SPLAT:
        m = cg_pop_mem(g, offset, 1);
        x64_sse_mi(a, P_PINSRB, false, x, m, 0);
        broadcast(g, x, 1);
        break;
    case WASM_FD_V128_LOAD16_SPLAT:
        m = cg_pop_mem(g, offset, 2);
        x64_sse_mi(a, P_PINSRW, false, x, m, 0);
        broadcast(g, x, 2);
        break;
    case WASM_FD_V128_LOAD32_SPLAT:
    case WASM_FD_V128_LOAD32_ZERO:
        m = cg_pop_mem(g, offset, 4);
        x64_sse_m(a, P_MOVD_LOAD, x, m);
        if (sub == WASM_FD_V128_LOAD32_SPLAT)
            broadcast(g, x, 4);
        break;
    default: /* load64_splat, load64_zero */
        m = cg_pop_mem(g, offset, 8);
        x64_sse_m(a, P_MOVQ_LOAD, x, m);
        if (sub == WASM_FD_V128_LOAD64_SPLAT)
            broadcast(g, x, 8);
        break;
    }
    cg_push_reg(g, WASM_V128, x);
}

static void op_store(cg *g)
{
    cg_rd_u32(g);
    uint32_t offset = cg_rd_u32(g);
    int x = cg_pop_reg(g);
    x64_mem m = cg_pop_mem(g, offset, 16);
    x64_sse_m(cg_asm(g), P_MOVDQU_STORE, x, m);
    cg_free_xmm(g, x);
}

static void op_lane_mem(cg *g, uint32_t sub)
{
    static const uint8_t size[8] = { 1, 2, 4, 8, 1, 2, 4, 8 };
    static const uint32_t ins[4] = { P_PINSRB, P_PINSRW, P_PINSRD, P_PINSRD };
    static const uint32_t ext[4] = { P_PEXTRB, P_PEXTRW, P_PEXTRD, P_PEXTRD };
    int k = (int)(sub - WASM_FD_V128_LOAD8_LANE);
    cg_rd_u32(g);
    uint32_t offset = cg_rd_u32(g);
    uint8_t lane = cg_rd_u8(g);
    int x = cg_pop_reg(g);
    x64_mem m = cg_pop_mem(g, offset, size[k]);
    if (k < 4) {
        x64_sse_mi(cg_asm(g), ins[k], k == 3, x, m, lane);
        cg_push_reg(g, WASM_V128, x);
    } else {
        x64_sse_mi(cg_asm(g), ext[k - 4], k == 7, x, m, lane);
        cg_free_xmm(g, x);
    }
}

/* ---- tests and masks ---- */

static void op_any_true(cg *g)
{
    int x = cg_pop_reg(g);
    int r = cg_alloc_gpr(g);
    x64_asm *a = cg_asm(g);
    x64_sse(a, P_PTEST, x, x);
    x64_setcc(a, CC_NE, r);
    x64_movzx8_rr(a, r, r);
    cg_free_xmm(g, x);
    cg_push_reg(g, WASM_I32, r);
}

/* All lanes non-zero: no lane compares equal to zero. */
static void op_all_true(cg *g, uint32_t pcmpeq)
{
    int x = cg_pop_reg(g);
    int r = cg_alloc_gpr(g);
    x64_asm *a = cg_asm(g);
    x64_sse(a, P_PXOR, X15, X15);
    x64_sse(a, pcmpeq, X15, x);
    x64_sse(a, P_PTEST, X15, X15);
    x64_setcc(a, CC_E, r);
    x64_movzx8_rr(a, r, r);
    cg_free_xmm(g, x);
    cg_push_reg(g, WASM_I32, r);
}

static void op_bitmask(cg *g, int bytes)
{
    int x = cg_pop_reg(g);
    int r = cg_alloc_gpr(g);
    x64_asm *a = cg_asm(g);
    switch (bytes) {
    case 1: x64_sse(a, P_PMOVMSKB, r, x); break;
    case 2:
        /* signed saturation keeps each lane's sign in a byte */
        x64_sse(a, P_PACKSSWB, x, x);
        x64_sse(a, P_PMOVMSKB, r, x);
        x64_movzx8_rr(a, r, r);
        break;
    case 4: x64_sse(a, P_MOVMSKPS, r, x); break;
    default: x64_sse(a, P_MOVMSKPD, r, x); break;
    }
    cg_free_xmm(g, x);
    cg_push_reg(g, WASM_I32, r);
}

/* ---- integer compares ---- */

/* k: 0 eq 1 ne 2 lt_s 3 lt_u 4 gt_s 5 gt_u 6 le_s 7 le_u 8 ge_s 9 ge_u.
 * Unsigned ones through min/max: a <= b iff min(a, b) == a. */
static void int_cmp(cg *g, int k, uint32_t eq, uint32_t gt, uint32_t minu, uint32_t maxu)
{
    int b = cg_pop_reg(g), a = cg_pop_reg(g);
    x64_asm *as = cg_asm(g);
    int res = a, other = b;
    bool invert = false;
    switch (k) {
    case 0: case 1:
        x64_sse(as, eq, a, b);
        invert = k == 1;
        break;
    case 2: case 8: /* lt_s, ge_s = !lt_s */
        x64_sse(as, gt, b, a);
        res = b;
        other = a;
        invert = k == 8;
        break;
    case 4: case 6: /* gt_s, le_s = !gt_s */
        x64_sse(as, gt, a, b);
        invert = k == 6;
        break;
    case 7: case 5: /* le_u, gt_u = !le_u */
        x64_movaps(as, X15, a);
        x64_sse(as, minu, X15, b);
        x64_sse(as, eq, a, X15);
        invert = k == 5;
        break;
    default: /* 9 ge_u, 3 lt_u = !ge_u */
        x64_movaps(as, X15, a);
        x64_sse(as, maxu, X15, b);
        x64_sse(as, eq, a, X15);
        invert = k == 3;
        break;
    }
    if (invert)
        not_reg(g, res);
    cg_free_xmm(g, other);
    cg_push_reg(g, WASM_V128, res);
}

/* a > b for signed 64-bit lanes without pcmpgtq (SSE4.2): the sign of
 * b - a, or of b where a and b differ in sign (b - a may overflow):
 * s = (b - a) ^ ((b ^ (b - a)) & (a ^ b)), then its sign bit spread over
 * the lane. Returns the result register; frees a and b. */
static int gt64(cg *g, int a, int b)
{
    x64_asm *as = cg_asm(g);
    int t = cg_alloc_xmm(g);
    x64_movaps(as, X15, a);
    x64_sse(as, P_PXOR, X15, b);
    x64_movaps(as, t, b);
    x64_sse(as, P_PSUBQ, t, a);
    x64_sse(as, P_PXOR, b, t);
    x64_sse(as, P_PAND, b, X15);
    x64_sse(as, P_PXOR, t, b);
    x64_sse_shift(as, PS_SRAD, t, 31);
    x64_sse_i(as, P_PSHUFD, t, t, 0xf5);
    cg_free_xmm(g, a);
    cg_free_xmm(g, b);
    return t;
}

/* k: 0 eq 1 ne 2 lt_s 3 gt_s 4 le_s 5 ge_s */
static void i64_cmp(cg *g, int k)
{
    int b = cg_pop_reg(g), a = cg_pop_reg(g);
    int r;
    if (k <= 1) {
        x64_sse(cg_asm(g), P_PCMPEQQ, a, b);
        cg_free_xmm(g, b);
        r = a;
    } else if (k == 2 || k == 5) {
        r = gt64(g, b, a);
    } else {
        r = gt64(g, a, b);
    }
    if (k == 1 || k == 4 || k == 5)
        not_reg(g, r);
    cg_push_reg(g, WASM_V128, r);
}

static void f_cmp(cg *g, bool d, int k) /* 0 eq 1 ne 2 lt 3 gt 4 le 5 ge */
{
    static const uint8_t pred[6] = { CMP_EQ, CMP_NEQ, CMP_LT, CMP_LT, CMP_LE, CMP_LE };
    int b = cg_pop_reg(g), a = cg_pop_reg(g);
    uint32_t op = d ? P_CMPPD : P_CMPPS;
    if (k == 3 || k == 5) {
        x64_sse_i(cg_asm(g), op, b, a, pred[k]);
        cg_free_xmm(g, a);
        cg_push_reg(g, WASM_V128, b);
    } else {
        x64_sse_i(cg_asm(g), op, a, b, pred[k]);
        cg_free_xmm(g, b);
        cg_push_reg(g, WASM_V128, a);
    }
}

/* ---- integer arithmetic ---- */

/* A constant count: the immediate forms (16/32/64-bit lanes, and i64x2
 * shr_s by 0). Returns false when the general sequence is needed. */
static bool shift_const(cg *g, int bits, int kind)
{
    static const int ops[3][3] = {
        { PS_SLLW, PS_SRAW, PS_SRLW },
        { PS_SLLD, PS_SRAD, PS_SRLD },
        { PS_SLLQ, 0, PS_SRLQ },
    };
    uint64_t n;
    if (bits == 8 || !cg_pop_const(g, &n))
        return false;
    n &= (uint64_t)(bits - 1);
    int x = cg_pop_reg(g);
    int row = bits == 16 ? 0 : bits == 32 ? 1 : 2;
    if (bits == 64 && kind == 1) {
        if (n) {
            /* as in op_shift, with the mask built by immediate shifts */
            int t = cg_alloc_xmm(g);
            x64_asm *a = cg_asm(g);
            x64_sse(a, P_PCMPEQD, t, t);
            x64_sse_shift(a, PS_SLLQ, t, 63);
            x64_sse_shift(a, PS_SRLQ, t, (uint8_t)n);
            x64_sse_shift(a, PS_SRLQ, x, (uint8_t)n);
            x64_sse(a, P_PXOR, x, t);
            x64_sse(a, P_PSUBQ, x, t);
            cg_free_xmm(g, t);
        }
    } else if (n) {
        x64_sse_shift(cg_asm(g), ops[row][kind], x, (uint8_t)n);
    }
    cg_push_reg(g, WASM_V128, x);
    return true;
}

/* Shift counts are taken modulo the lane width. */
static void op_shift(cg *g, int bits, int kind) /* kind 0 shl 1 shr_s 2 shr_u */
{
    if (shift_const(g, bits, kind))
        return;
    int c = cg_pop_reg(g), x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    x64_alu_ri(a, ALU_AND, false, c, bits - 1);
    if (bits == 8 && kind == 1)
        x64_alu_ri(a, ALU_ADD, false, c, 8);
    x64_movd_xr(a, false, X15, c);
    cg_free_gpr(g, c);
    if (bits == 8) {
        int t = cg_alloc_xmm(g);
        if (kind == 1) {
            /* bytes to the high halves of words, arithmetic shift by n + 8,
             * pack back */
            x64_movaps(a, t, x);
            x64_sse(a, P_PUNPCKLBW, x, x);
            x64_sse(a, P_PUNPCKHBW, t, t);
            x64_sse(a, P_PSRAW, x, X15);
            x64_sse(a, P_PSRAW, t, X15);
            x64_sse(a, P_PACKSSWB, x, t);
        } else {
            /* shift words, then clear the bits that crossed from the
             * neighbouring byte with a byte mask shifted the same way */
            x64_sse(a, P_PCMPEQD, t, t);
            if (kind == 0) {
                x64_sse(a, P_PSLLW, x, X15);
                x64_sse(a, P_PSLLW, t, X15);
            } else {
                x64_sse(a, P_PSRLW, x, X15);
                x64_sse(a, P_PSRLW, t, X15);
                x64_sse_shift(a, PS_SRLW, t, 8);
            }
            x64_sse(a, P_PXOR, X15, X15);
            x64_sse(a, P_PSHUFB, t, X15);
            x64_sse(a, P_PAND, x, t);
        }
        cg_free_xmm(g, t);
    } else if (bits == 64 && kind == 1) {
        /* no psraq: ((x >>u n) ^ m) - m with m = sign bit >>u n */
        int t = cg_alloc_xmm(g);
        x64_sse(a, P_PCMPEQD, t, t);
        x64_sse_shift(a, PS_SLLQ, t, 63);
        x64_sse(a, P_PSRLQ, t, X15);
        x64_sse(a, P_PSRLQ, x, X15);
        x64_sse(a, P_PXOR, x, t);
        x64_sse(a, P_PSUBQ, x, t);
        cg_free_xmm(g, t);
    } else {
        static const uint32_t ops[3][3] = {
            { P_PSLLW, P_PSRAW, P_PSRLW },
            { P_PSLLD, P_PSRAD, P_PSRLD },
            { P_PSLLQ, 0, P_PSRLQ },
        };
        int row = bits == 16 ? 0 : bits == 32 ? 1 : 2;
        x64_sse(a, ops[row][kind], x, X15);
    }
    cg_push_reg(g, WASM_V128, x);
}

/* Per-byte popcount: two 4-bit table lookups with pshufb. */
static void op_popcnt(cg *g)
{
    int x = cg_pop_reg(g);
    int t = cg_alloc_xmm(g), h = cg_alloc_xmm(g);
    x64_asm *a = cg_asm(g);
    load_splat(g, t, rep8(0x0f));
    x64_movaps(a, h, x);
    x64_sse_shift(a, PS_SRLW, h, 4);
    x64_sse(a, P_PAND, h, t);
    x64_sse(a, P_PAND, x, t);
    load_v128(g, t, 0x0302020102010100ull, 0x0403030203020201ull);
    x64_movaps(a, X15, t);
    x64_sse(a, P_PSHUFB, X15, x);
    x64_sse(a, P_PSHUFB, t, h);
    x64_sse(a, P_PADDB, t, X15);
    cg_free_xmm(g, x);
    cg_free_xmm(g, h);
    cg_push_reg(g, WASM_V128, t);
}

/* lo64(a * b) = alo*blo + ((ahi*blo + alo*bhi) << 32) */
static void op_i64_mul(cg *g)
{
    int b = cg_pop_reg(g), x = cg_pop_reg(g);
    int t = cg_alloc_xmm(g);
    x64_asm *a = cg_asm(g);
    x64_movaps(a, t, x);
    x64_sse_shift(a, PS_SRLQ, t, 32);
    x64_sse(a, P_PMULUDQ, t, b);
    x64_movaps(a, X15, b);
    x64_sse_shift(a, PS_SRLQ, X15, 32);
    x64_sse(a, P_PMULUDQ, X15, x);
    x64_sse(a, P_PADDQ, t, X15);
    x64_sse_shift(a, PS_SLLQ, t, 32);
    x64_sse(a, P_PMULUDQ, x, b);
    x64_sse(a, P_PADDQ, x, t);
    cg_free_xmm(g, t);
    cg_free_xmm(g, b);
    cg_push_reg(g, WASM_V128, x);
}

static void op_i64_abs(cg *g)
{
    int x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    x64_sse_i(a, P_PSHUFD, X15, x, 0xf5);
    x64_sse_shift(a, PS_SRAD, X15, 31);
    x64_sse(a, P_PXOR, x, X15);
    x64_sse(a, P_PSUBQ, x, X15);
    cg_push_reg(g, WASM_V128, x);
}

static void op_neg(cg *g, uint32_t psub)
{
    int x = cg_pop_reg(g);
    neg_reg(g, x, psub);
    cg_push_reg(g, WASM_V128, x);
}

/* pmulhrsw rounds like q15mulr; only -0x8000 * -0x8000 overflows, to
 * 0x8000, which no other product gives: flip it to 0x7fff. */
static void op_q15mulr(cg *g)
{
    int b = cg_pop_reg(g), x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    x64_sse(a, P_PMULHRSW, x, b);
    load_splat(g, X15, rep16(0x8000));
    x64_sse(a, P_PCMPEQW, X15, x);
    x64_sse(a, P_PXOR, x, X15);
    cg_free_xmm(g, b);
    cg_push_reg(g, WASM_V128, x);
}

static void op_extend(cg *g, uint32_t pmov, bool high)
{
    int x = cg_pop_reg(g);
    if (high)
        x64_sse_i(cg_asm(g), P_PSHUFD, x, x, 0xee);
    x64_sse(cg_asm(g), pmov, x, x);
    cg_push_reg(g, WASM_V128, x);
}

static void op_extadd(cg *g, uint32_t sub)
{
    int x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    switch (sub) {
    case WASM_FD_I16X8_EXTADD_PAIRWISE_I8X16_S: {
        /* pmaddubsw: unsigned bytes of the destination times signed
         * bytes of the source, pairs added */
        int t = cg_alloc_xmm(g);
        load_splat(g, t, rep8(1));
        x64_sse(a, P_PMADDUBSW, t, x);
        cg_free_xmm(g, x);
        x = t;
        break;
    }
    case WASM_FD_I16X8_EXTADD_PAIRWISE_I8X16_U:
        load_splat(g, X15, rep8(1));
        x64_sse(a, P_PMADDUBSW, x, X15);
        break;
    case WASM_FD_I32X4_EXTADD_PAIRWISE_I16X8_S:
        load_splat(g, X15, rep16(1));
        x64_sse(a, P_PMADDWD, x, X15);
        break;
    default:
        /* unsigned: bias to signed, add pairs, then add the bias back */
        load_splat(g, X15, rep16(0x8000));
        x64_sse(a, P_PXOR, x, X15);
        load_splat(g, X15, rep16(1));
        x64_sse(a, P_PMADDWD, x, X15);
        load_splat(g, X15, rep32(0x10000));
        x64_sse(a, P_PADDD, x, X15);
        break;
    }
    cg_push_reg(g, WASM_V128, x);
}

static void op_extmul(cg *g, int bits, bool high, bool sign)
{
    int b = cg_pop_reg(g), x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    if (bits == 16) {
        if (high) {
            x64_sse_i(a, P_PSHUFD, x, x, 0xee);
            x64_sse_i(a, P_PSHUFD, b, b, 0xee);
        }
        x64_sse(a, sign ? P_PMOVSXBW : P_PMOVZXBW, x, x);
        x64_sse(a, sign ? P_PMOVSXBW : P_PMOVZXBW, b, b);
        x64_sse(a, P_PMULLW, x, b);
    } else if (bits == 32) {
        x64_movaps(a, X15, x);
        x64_sse(a, P_PMULLW, x, b);
        x64_sse(a, sign ? P_PMULHW : P_PMULHUW, X15, b);
        x64_sse(a, high ? P_PUNPCKHWD : P_PUNPCKLWD, x, X15);
    } else {
        uint8_t sel = high ? 0xfa : 0x50;
        x64_sse_i(a, P_PSHUFD, x, x, sel);
        x64_sse_i(a, P_PSHUFD, b, b, sel);
        x64_sse(a, sign ? P_PMULDQ : P_PMULUDQ, x, b);
    }
    cg_free_xmm(g, b);
    cg_push_reg(g, WASM_V128, x);
}

/* ---- float arithmetic ---- */

static void f_abs_neg(cg *g, bool d, bool neg)
{
    int x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    x64_sse(a, P_PCMPEQD, X15, X15);
    if (neg) {
        x64_sse_shift(a, d ? PS_SLLQ : PS_SLLD, X15, d ? 63 : 31);
        x64_sse(a, P_PXOR, x, X15);
    } else {
        x64_sse_shift(a, d ? PS_SRLQ : PS_SRLD, X15, 1);
        x64_sse(a, P_PAND, x, X15);
    }
    cg_push_reg(g, WASM_V128, x);
}

/* minps/maxps return the second operand when either is NaN and do not
 * order -0 and +0: compute both orders and merge, then turn NaN lanes
 * into canonical NaNs (the mask shifted right clears the payload). */
static void f_minmax(cg *g, bool d, bool is_max)
{
    int b = cg_pop_reg(g), x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    uint32_t mm = is_max ? (d ? P_MAXPD : P_MAXPS) : (d ? P_MINPD : P_MINPS);
    x64_movaps(a, X15, b);
    x64_sse(a, mm, X15, x);
    x64_sse(a, mm, x, b);
    if (is_max) {
        x64_sse(a, P_XORPS, x, X15);
        x64_sse(a, P_ORPS, X15, x);
        x64_sse(a, d ? P_SUBPD : P_SUBPS, X15, x);
    } else {
        x64_sse(a, P_ORPS, X15, x);
    }
    x64_movaps(a, x, X15);
    x64_sse_i(a, d ? P_CMPPD : P_CMPPS, x, X15, CMP_UNORD);
    if (!is_max)
        x64_sse(a, P_ORPS, X15, x);
    x64_sse_shift(a, d ? PS_SRLQ : PS_SRLD, x, d ? 13 : 10);
    x64_sse(a, P_ANDNPS, x, X15);
    cg_free_xmm(g, b);
    cg_push_reg(g, WASM_V128, x);
}

/* ---- conversions ---- */

static void op_trunc_sat_f32(cg *g, bool sign)
{
    int x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    if (sign) {
        x64_movaps(a, X15, x);
        x64_sse_i(a, P_CMPPS, X15, X15, CMP_EQ);   /* not NaN */
        x64_sse(a, P_PAND, x, X15);                /* NaN -> 0 */
        x64_sse(a, P_PXOR, X15, x);                /* top bit: x >= 0 */
        x64_sse(a, P_CVTTPS2DQ, x, x);
        x64_sse(a, P_PAND, X15, x);                /* x >= 0 but came out negative */
        x64_sse_shift(a, PS_SRAD, X15, 31);
        x64_sse(a, P_PXOR, x, X15);                /* 0x80000000 -> 0x7fffffff */
    } else {
        int t = cg_alloc_xmm(g);
        x64_sse(a, P_PXOR, X15, X15);
        x64_sse(a, P_MAXPS, x, X15);               /* NaN and negatives -> 0 */
        x64_sse(a, P_PCMPEQD, X15, X15);
        x64_sse_shift(a, PS_SRLD, X15, 1);
        x64_sse(a, P_CVTDQ2PS, X15, X15);          /* 2^31 */
        x64_movaps(a, t, x);
        x64_sse(a, P_SUBPS, t, X15);               /* x - 2^31 */
        x64_sse_i(a, P_CMPPS, X15, t, CMP_LE);     /* x - 2^31 >= 2^31: overflow */
        x64_sse(a, P_CVTTPS2DQ, t, t);
        x64_sse(a, P_PXOR, t, X15);                /* overflow lanes -> 0x7fffffff */
        x64_sse(a, P_PXOR, X15, X15);
        x64_sse(a, P_PMAXSD, t, X15);              /* lanes below 2^31 add 0 */
        x64_sse(a, P_CVTTPS2DQ, x, x);             /* 0x80000000 from 2^31 up */
        x64_sse(a, P_PADDD, x, t);
        cg_free_xmm(g, t);
    }
    cg_push_reg(g, WASM_V128, x);
}

static void op_trunc_sat_f64(cg *g, bool sign)
{
    int x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    if (sign) {
        x64_movaps(a, X15, x);
        x64_sse_i(a, P_CMPPD, X15, X15, CMP_EQ);   /* not NaN */
        int t = cg_alloc_xmm(g);
        load_splat(g, t, 0x41dfffffffc00000ull);  /* 2147483647.0 */
        x64_sse(a, P_ANDPS, X15, t);
        cg_free_xmm(g, t);
        x64_sse(a, P_MINPD, x, X15);               /* NaN -> 0, clamp above */
        x64_sse(a, P_CVTTPD2DQ, x, x);             /* below: 0x80000000; upper lanes 0 */
    } else {
        x64_sse(a, P_PXOR, X15, X15);
        x64_sse(a, P_MAXPD, x, X15);               /* NaN and negatives -> 0 */
        load_splat(g, X15, 0x41efffffffe00000ull); /* 4294967295.0 */
        x64_sse(a, P_MINPD, x, X15);
        x64_sse_i(a, P_ROUNDPD, x, x, 3 | 8);
        load_splat(g, X15, 0x4330000000000000ull); /* 2^52: the integer in the low bits */
        x64_sse(a, P_ADDPD, x, X15);
        x64_sse(a, P_PXOR, X15, X15);
        x64_sse_i(a, P_SHUFPS, x, X15, 0x88);
    }
    cg_push_reg(g, WASM_V128, x);
}

/* u32 -> f32: the low 16 bits convert exactly; the high part is halved
 * to stay positive as i32, converted, doubled, and the two added (one
 * rounding). */
static void op_convert_u32(cg *g)
{
    int x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    x64_sse(a, P_PXOR, X15, X15);
    x64_sse_i(a, P_PBLENDW, X15, x, 0x55);
    x64_sse(a, P_PSUBD, x, X15);
    x64_sse(a, P_CVTDQ2PS, X15, X15);
    x64_sse_shift(a, PS_SRLD, x, 1);
    x64_sse(a, P_CVTDQ2PS, x, x);
    x64_sse(a, P_ADDPS, x, x);
    x64_sse(a, P_ADDPS, x, X15);
    cg_push_reg(g, WASM_V128, x);
}

/* u32 -> f64: 2^52 + u as bits, minus 2^52. */
static void op_convert_low_u32(cg *g)
{
    int x = cg_pop_reg(g);
    x64_asm *a = cg_asm(g);
    load_splat(g, X15, rep32(0x43300000));
    x64_sse(a, P_UNPCKLPS, x, X15);
    load_splat(g, X15, 0x4330000000000000ull);
    x64_sse(a, P_SUBPD, x, X15);
    cg_push_reg(g, WASM_V128, x);
}

/* ---- the dispatcher ---- */

void simd_op(cg *g)
{
    uint32_t sub = cg_rd_u32(g);
    if (sub <= WASM_FD_V128_LOAD64_SPLAT || sub == WASM_FD_V128_LOAD32_ZERO ||
        sub == WASM_FD_V128_LOAD64_ZERO) {
        op_load(g, sub);
        return;
    }
    if (sub >= WASM_FD_V128_LOAD8_LANE && sub <= WASM_FD_V128_STORE64_LANE) {
        op_lane_mem(g, sub);
        return;
    }
    if (sub >= WASM_FD_I8X16_EXTRACT_LANE_S && sub <= WASM_FD_F64X2_REPLACE_LANE) {
        switch (sub) {
        case WASM_FD_I8X16_REPLACE_LANE: case WASM_FD_I16X8_REPLACE_LANE:
        case WASM_FD_I32X4_REPLACE_LANE: case WASM_FD_I64X2_REPLACE_LANE:
        case WASM_FD_F32X4_REPLACE_LANE: case WASM_FD_F64X2_REPLACE_LANE:
            op_replace(g, sub);
            break;
        default:
            op_extract(g, sub);
            break;
        }
        return;
    }
    if (sub >= WASM_FD_I8X16_EQ && sub <= WASM_FD_I8X16_GE_U) {
        int_cmp(g, (int)(sub - WASM_FD_I8X16_EQ), P_PCMPEQB, P_PCMPGTB, P_PMINUB, P_PMAXUB);
        return;
    }
    if (sub >= WASM_FD_I16X8_EQ && sub <= WASM_FD_I16X8_GE_U) {
        int_cmp(g, (int)(sub - WASM_FD_I16X8_EQ), P_PCMPEQW, P_PCMPGTW, P_PMINUW, P_PMAXUW);
        return;
    }
    if (sub >= WASM_FD_I32X4_EQ && sub <= WASM_FD_I32X4_GE_U) {
        int_cmp(g, (int)(sub - WASM_FD_I32X4_EQ), P_PCMPEQD, P_PCMPGTD, P_PMINUD, P_PMAXUD);
        return;
    }
    if (sub >= WASM_FD_F32X4_EQ && sub <= WASM_FD_F32X4_GE) {
        f_cmp(g, false, (int)(sub - WASM_FD_F32X4_EQ));
        return;
    }
    if (sub >= WASM_FD_F64X2_EQ && sub <= WASM_FD_F64X2_GE) {
        f_cmp(g, true, (int)(sub - WASM_FD_F64X2_EQ));
        return;
    }
    if (sub >= WASM_FD_I64X2_EQ && sub <= WASM_FD_I64X2_GE_S) {
        i64_cmp(g, (int)(sub - WASM_FD_I64X2_EQ));
        return;
    }
    switch (sub) {
    case WASM_FD_V128_STORE: op_store(g); break;
    case WASM_FD_V128_CONST: op_const(g); break;
    case WASM_FD_I8X16_SHUFFLE: op_shuffle(g); break;
    case WASM_FD_I8X16_SWIZZLE: op_swizzle(g); break;
    case WASM_FD_I8X16_SPLAT: op_splat(g, 1, false); break;
    case WASM_FD_I16X8_SPLAT: op_splat(g, 2, false); break;
    case WASM_FD_I32X4_SPLAT: op_splat(g, 4, false); break;
    case WASM_FD_I64X2_SPLAT: op_splat(g, 8, false); break;
    case WASM_FD_F32X4_SPLAT: op_splat(g, 4, true); break;
    case WASM_FD_F64X2_SPLAT: op_splat(g, 8, true); break;

    case WASM_FD_V128_NOT: {
        int x = cg_pop_reg(g);
        not_reg(g, x);
        cg_push_reg(g, WASM_V128, x);
        break;
    }
    case WASM_FD_V128_AND: binop(g, P_PAND); break;
    case WASM_FD_V128_ANDNOT: binop_rev(g, P_PANDN); break;
    case WASM_FD_V128_OR: binop(g, P_POR); break;
    case WASM_FD_V128_XOR: binop(g, P_PXOR); break;
    case WASM_FD_V128_BITSELECT: {
        int c = cg_pop_reg(g), v2 = cg_pop_reg(g), v1 = cg_pop_reg(g);
        x64_asm *a = cg_asm(g);
        x64_sse(a, P_PAND, v1, c);
        x64_sse(a, P_PANDN, c, v2);
        x64_sse(a, P_POR, v1, c);
        cg_free_xmm(g, c);
        cg_free_xmm(g, v2);
        cg_push_reg(g, WASM_V128, v1);
        break;
    }
    case WASM_FD_V128_ANY_TRUE: op_any_true(g); break;

    case WASM_FD_F32X4_DEMOTE_F64X2_ZERO: unop(g, P_CVTPD2PS); break;
    case WASM_FD_F64X2_PROMOTE_LOW_F32X4: unop(g, P_CVTPS2PD); break;

    /* i8x16 */
    case WASM_FD_I8X16_ABS: unop(g, P_PABSB); break;
    case WASM_FD_I8X16_NEG: op_neg(g, P_PSUBB); break;
    case WASM_FD_I8X16_POPCNT: op_popcnt(g); break;
    case WASM_FD_I8X16_ALL_TRUE: op_all_true(g, P_PCMPEQB); break;
    case WASM_FD_I8X16_BITMASK: op_bitmask(g, 1); break;
    case WASM_FD_I8X16_NARROW_I16X8_S: binop(g, P_PACKSSWB); break;
    case WASM_FD_I8X16_NARROW_I16X8_U: binop(g, P_PACKUSWB); break;
    case WASM_FD_I8X16_SHL: op_shift(g, 8, 0); break;
    case WASM_FD_I8X16_SHR_S: op_shift(g, 8, 1); break;
    case WASM_FD_I8X16_SHR_U: op_shift(g, 8, 2); break;
    case WASM_FD_I8X16_ADD: binop(g, P_PADDB); break;
    case WASM_FD_I8X16_ADD_SAT_S: binop(g, P_PADDSB); break;
    case WASM_FD_I8X16_ADD_SAT_U: binop(g, P_PADDUSB); break;
    case WASM_FD_I8X16_SUB: binop(g, P_PSUBB); break;
    case WASM_FD_I8X16_SUB_SAT_S: binop(g, P_PSUBSB); break;
    case WASM_FD_I8X16_SUB_SAT_U: binop(g, P_PSUBUSB); break;
    case WASM_FD_I8X16_MIN_S: binop(g, P_PMINSB); break;
    case WASM_FD_I8X16_MIN_U: binop(g, P_PMINUB); break;
    case WASM_FD_I8X16_MAX_S: binop(g, P_PMAXSB); break;
    case WASM_FD_I8X16_MAX_U: binop(g, P_PMAXUB); break;
    case WASM_FD_I8X16_AVGR_U: binop(g, P_PAVGB); break;

    /* i16x8 */
    case WASM_FD_I16X8_EXTADD_PAIRWISE_I8X16_S:
    case WASM_FD_I16X8_EXTADD_PAIRWISE_I8X16_U:
    case WASM_FD_I32X4_EXTADD_PAIRWISE_I16X8_S:
    case WASM_FD_I32X4_EXTADD_PAIRWISE_I16X8_U:
        op_extadd(g, sub);
        break;
    case WASM_FD_I16X8_ABS: unop(g, P_PABSW); break;
    case WASM_FD_I16X8_NEG: op_neg(g, P_PSUBW); break;
    case WASM_FD_I16X8_Q15MULR_SAT_S: op_q15mulr(g); break;
    case WASM_FD_I16X8_ALL_TRUE: op_all_true(g, P_PCMPEQW); break;
    case WASM_FD_I16X8_BITMASK: op_bitmask(g, 2); break;
    case WASM_FD_I16X8_NARROW_I32X4_S: binop(g, P_PACKSSDW); break;
    case WASM_FD_I16X8_NARROW_I32X4_U: binop(g, P_PACKUSDW); break;
    case WASM_FD_I16X8_EXTEND_LOW_I8X16_S: op_extend(g, P_PMOVSXBW, false); break;
    case WASM_FD_I16X8_EXTEND_HIGH_I8X16_S: op_extend(g, P_PMOVSXBW, true); break;
    case WASM_FD_I16X8_EXTEND_LOW_I8X16_U: op_extend(g, P_PMOVZXBW, false); break;
    case WASM_FD_I16X8_EXTEND_HIGH_I8X16_U: op_extend(g, P_PMOVZXBW, true); break;
    case WASM_FD_I16X8_SHL: op_shift(g, 16, 0); break;
    case WASM_FD_I16X8_SHR_S: op_shift(g, 16, 1); break;
    case WASM_FD_I16X8_SHR_U: op_shift(g, 16, 2); break;
    case WASM_FD_I16X8_ADD: binop(g, P_PADDW); break;
    case WASM_FD_I16X8_ADD_SAT_S: binop(g, P_PADDSW); break;
    case WASM_FD_I16X8_ADD_SAT_U: binop(g, P_PADDUSW); break;
    case WASM_FD_I16X8_SUB: binop(g, P_PSUBW); break;
    case WASM_FD_I16X8_SUB_SAT_S: binop(g, P_PSUBSW); break;
    case WASM_FD_I16X8_SUB_SAT_U: binop(g, P_PSUBUSW); break;
    case WASM_FD_I16X8_MUL: binop(g, P_PMULLW); break;
    case WASM_FD_I16X8_MIN_S: binop(g, P_PMINSW); break;
    case WASM_FD_I16X8_MIN_U: binop(g, P_PMINUW); break;
    case WASM_FD_I16X8_MAX_S: binop(g, P_PMAXSW); break;
    case WASM_FD_I16X8_MAX_U: binop(g, P_PMAXUW); break;
    case WASM_FD_I16X8_AVGR_U: binop(g, P_PAVGW); break;
    case WASM_FD_I16X8_EXTMUL_LOW_I8X16_S: op_extmul(g, 16, false, true); break;
    case WASM_FD_I16X8_EXTMUL_HIGH_I8X16_S: op_extmul(g, 16, true, true); break;
    case WASM_FD_I16X8_EXTMUL_LOW_I8X16_U: op_extmul(g, 16, false, false); break;
    case WASM_FD_I16X8_EXTMUL_HIGH_I8X16_U: op_extmul(g, 16, true, false); break;

    /* i32x4 */
    case WASM_FD_I32X4_ABS: unop(g, P_PABSD); break;
    case WASM_FD_I32X4_NEG: op_neg(g, P_PSUBD); break;
    case WASM_FD_I32X4_ALL_TRUE: op_all_true(g, P_PCMPEQD); break;
    case WASM_FD_I32X4_BITMASK: op_bitmask(g, 4); break;
    case WASM_FD_I32X4_EXTEND_LOW_I16X8_S: op_extend(g, P_PMOVSXWD, false); break;
    case WASM_FD_I32X4_EXTEND_HIGH_I16X8_S: op_extend(g, P_PMOVSXWD, true); break;
    case WASM_FD_I32X4_EXTEND_LOW_I16X8_U: op_extend(g, P_PMOVZXWD, false); break;
    case WASM_FD_I32X4_EXTEND_HIGH_I16X8_U: op_extend(g, P_PMOVZXWD, true); break;
    case WASM_FD_I32X4_SHL: op_shift(g, 32, 0); break;
    case WASM_FD_I32X4_SHR_S: op_shift(g, 32, 1); break;
    case WASM_FD_I32X4_SHR_U: op_shift(g, 32, 2); break;
    case WASM_FD_I32X4_ADD: binop(g, P_PADDD); break;
    case WASM_FD_I32X4_SUB: binop(g, P_PSUBD); break;
    case WASM_FD_I32X4_MUL: binop(g, P_PMULLD); break;
    case WASM_FD_I32X4_MIN_S: binop(g, P_PMINSD); break;
    case WASM_FD_I32X4_MIN_U: binop(g, P_PMINUD); break;
    case WASM_FD_I32X4_MAX_S: binop(g, P_PMAXSD); break;
    case WASM_FD_I32X4_MAX_U: binop(g, P_PMAXUD); break;
    case WASM_FD_I32X4_DOT_I16X8_S: binop(g, P_PMADDWD); break;
    case WASM_FD_I32X4_EXTMUL_LOW_I16X8_S: op_extmul(g, 32, false, true); break;
    case WASM_FD_I32X4_EXTMUL_HIGH_I16X8_S: op_extmul(g, 32, true, true); break;
    case WASM_FD_I32X4_EXTMUL_LOW_I16X8_U: op_extmul(g, 32, false, false); break;
    case WASM_FD_I32X4_EXTMUL_HIGH_I16X8_U: op_extmul(g, 32, true, false); break;

    /* i64x2 */
    case WASM_FD_I64X2_ABS: op_i64_abs(g); break;
    case WASM_FD_I64X2_NEG: op_neg(g, P_PSUBQ); break;
    case WASM_FD_I64X2_ALL_TRUE: op_all_true(g, P_PCMPEQQ); break;
    case WASM_FD_I64X2_BITMASK: op_bitmask(g, 8); break;
    case WASM_FD_I64X2_EXTEND_LOW_I32X4_S: op_extend(g, P_PMOVSXDQ, false); break;
    case WASM_FD_I64X2_EXTEND_HIGH_I32X4_S: op_extend(g, P_PMOVSXDQ, true); break;
    case WASM_FD_I64X2_EXTEND_LOW_I32X4_U: op_extend(g, P_PMOVZXDQ, false); break;
    case WASM_FD_I64X2_EXTEND_HIGH_I32X4_U: op_extend(g, P_PMOVZXDQ, true); break;
    case WASM_FD_I64X2_SHL: op_shift(g, 64, 0); break;
    case WASM_FD_I64X2_SHR_S: op_shift(g, 64, 1); break;
    case WASM_FD_I64X2_SHR_U: op_shift(g, 64, 2); break;
    case WASM_FD_I64X2_ADD: binop(g, P_PADDQ); break;
    case WASM_FD_I64X2_SUB: binop(g, P_PSUBQ); break;
    case WASM_FD_I64X2_MUL: op_i64_mul(g); break;
    case WASM_FD_I64X2_EXTMUL_LOW_I32X4_S: op_extmul(g, 64, false, true); break;
    case WASM_FD_I64X2_EXTMUL_HIGH_I32X4_S: op_extmul(g, 64, true, true); break;
    case WASM_FD_I64X2_EXTMUL_LOW_I32X4_U: op_extmul(g, 64, false, false); break;
    case WASM_FD_I64X2_EXTMUL_HIGH_I32X4_U: op_extmul(g, 64, true, false); break;

    /* f32x4 */
    case WASM_FD_F32X4_CEIL: unop_i(g, P_ROUNDPS, 2 | 8); break;
    case WASM_FD_F32X4_FLOOR: unop_i(g, P_ROUNDPS, 1 | 8); break;
    case WASM_FD_F32X4_TRUNC: unop_i(g, P_ROUNDPS, 3 | 8); break;
    case WASM_FD_F32X4_NEAREST: unop_i(g, P_ROUNDPS, 0 | 8); break;
    case WASM_FD_F32X4_ABS: f_abs_neg(g, false, false); break;
    case WASM_FD_F32X4_NEG: f_abs_neg(g, false, true); break;
    case WASM_FD_F32X4_SQRT: unop(g, P_SQRTPS); break;
    case WASM_FD_F32X4_ADD: binop(g, P_ADDPS); break;
    case WASM_FD_F32X4_SUB: binop(g, P_SUBPS); break;
    case WASM_FD_F32X4_MUL: binop(g, P_MULPS); break;
    case WASM_FD_F32X4_DIV: binop(g, P_DIVPS); break;
    case WASM_FD_F32X4_MIN: f_minmax(g, false, false); break;
    case WASM_FD_F32X4_MAX: f_minmax(g, false, true); break;
    case WASM_FD_F32X4_PMIN: binop_rev(g, P_MINPS); break;   /* b < a ? b : a */
    case WASM_FD_F32X4_PMAX: binop_rev(g, P_MAXPS); break;   /* a < b ? b : a */

    /* f64x2 */
    case WASM_FD_F64X2_CEIL: unop_i(g, P_ROUNDPD, 2 | 8); break;
    case WASM_FD_F64X2_FLOOR: unop_i(g, P_ROUNDPD, 1 | 8); break;
    case WASM_FD_F64X2_TRUNC: unop_i(g, P_ROUNDPD, 3 | 8); break;
    case WASM_FD_F64X2_NEAREST: unop_i(g, P_ROUNDPD, 0 | 8); break;
    case WASM_FD_F64X2_ABS: f_abs_neg(g, true, false); break;
    case WASM_FD_F64X2_NEG: f_abs_neg(g, true, true); break;
    case WASM_FD_F64X2_SQRT: unop(g, P_SQRTPD); break;
    case WASM_FD_F64X2_ADD: binop(g, P_ADDPD); break;
    case WASM_FD_F64X2_SUB: binop(g, P_SUBPD); break;
    case WASM_FD_F64X2_MUL: binop(g, P_MULPD); break;
    case WASM_FD_F64X2_DIV: binop(g, P_DIVPD); break;
    case WASM_FD_F64X2_MIN: f_minmax(g, true, false); break;
    case WASM_FD_F64X2_MAX: f_minmax(g, true, true); break;
    case WASM_FD_F64X2_PMIN: binop_rev(g, P_MINPD); break;
    case WASM_FD_F64X2_PMAX: binop_rev(g, P_MAXPD); break;

    /* conversions */
    case WASM_FD_I32X4_TRUNC_SAT_F32X4_S: op_trunc_sat_f32(g, true); break;
    case WASM_FD_I32X4_TRUNC_SAT_F32X4_U: op_trunc_sat_f32(g, false); break;
    case WASM_FD_F32X4_CONVERT_I32X4_S: unop(g, P_CVTDQ2PS); break;
    case WASM_FD_F32X4_CONVERT_I32X4_U: op_convert_u32(g); break;
    case WASM_FD_I32X4_TRUNC_SAT_F64X2_S_ZERO: op_trunc_sat_f64(g, true); break;
    case WASM_FD_I32X4_TRUNC_SAT_F64X2_U_ZERO: op_trunc_sat_f64(g, false); break;
    case WASM_FD_F64X2_CONVERT_LOW_I32X4_S: unop(g, P_CVTDQ2PD); break;
    case WASM_FD_F64X2_CONVERT_LOW_I32X4_U: op_convert_low_u32(g); break;
    default:
        cg_fail(g, "unknown 0xfd instruction");
        break;
    }
}

void simd_skip(cg *g)
{
    uint32_t sub = cg_rd_u32(g);
    int n = 0;
    if (sub <= WASM_FD_V128_STORE || sub == WASM_FD_V128_LOAD32_ZERO ||
        sub == WASM_FD_V128_LOAD64_ZERO) {
        cg_rd_u32(g);
        cg_rd_u32(g);
    } else if (sub >= WASM_FD_V128_LOAD8_LANE && sub <= WASM_FD_V128_STORE64_LANE) {
        cg_rd_u32(g);
        cg_rd_u32(g);
        n = 1;
    } else if (sub == WASM_FD_V128_CONST || sub == WASM_FD_I8X16_SHUFFLE) {
        n = 16;
    } else if (sub >= WASM_FD_I8X16_EXTRACT_LANE_S && sub <= WASM_FD_F64X2_REPLACE_LANE) {
        n = 1;
    }
    for (int i = 0; i < n; i++)
        cg_rd_u8(g);
}
