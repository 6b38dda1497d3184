/* wasm/x64/asm.c: the x86-64 encoder behind asm.h. Every instruction goes
 * through x64_enc_r / x64_enc_m, which build the prefix, REX, opcode,
 * ModRM, SIB and displacement. */
#include "wasm/x64/asm.h"
#include "wasm/platform.h"

static void slow_byte(x64_asm *a, uint8_t b);

static inline void put8(x64_asm *a, uint8_t b)
{
    if (a->len < a->cap)
        a->buf[a->len++] = b;
    else
        slow_byte(a, b);
}

void x64_init(x64_asm *a)
{
    a->buf = NULL;
    a->len = a->cap = 0;
    a->oom = false;
    a->labels = NULL;
    a->nlabels = a->cap_labels = 0;
    a->fixups = NULL;
    a->nfixups = a->cap_fixups = 0;
}

void x64_free(x64_asm *a)
{
    wasm_platform_free(a->buf);
    wasm_platform_free(a->labels);
    wasm_platform_free(a->fixups);
    x64_init(a);
}

void x64_reset(x64_asm *a)
{
    a->len = 0;
    a->nlabels = 0;
    a->nfixups = 0;
}

static bool grow(x64_asm *a, size_t need)
{
    if (a->oom)
        return false;
    if (a->len + need <= a->cap)
        return true;
    size_t cap = a->cap ? a->cap * 2 : 4096;
    while (cap < a->len + need)
        cap *= 2;
    uint8_t *b = wasm_platform_realloc(a->buf, cap);
    if (!b) {
        a->oom = true;
        return false;
    }
    a->buf = b;
    a->cap = cap;
    return true;
}

static void slow_byte(x64_asm *a, uint8_t b)
{
    if (grow(a, 64))
        a->buf[a->len++] = b;
}

/* The fast path is one compare; growing (and out of memory, which leaves
 * len == cap) takes the slow one. */
void x64_byte(x64_asm *a, uint8_t b)
{
    if (a->len < a->cap)
        a->buf[a->len++] = b;
    else
        slow_byte(a, b);
}

void x64_u32(x64_asm *a, uint32_t v)
{
    if (a->cap - a->len < 4 && !grow(a, 4))
        return;
    uint8_t *p = a->buf + a->len;
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    a->len += 4;
}

void x64_u64(x64_asm *a, uint64_t v)
{
    x64_u32(a, (uint32_t)v);
    x64_u32(a, (uint32_t)(v >> 32));
}

/* ---- labels ---- */

uint32_t x64_label(x64_asm *a)
{
    if (a->nlabels == a->cap_labels) {
        uint32_t cap = a->cap_labels ? a->cap_labels * 2 : 64;
        int32_t *l = wasm_platform_realloc(a->labels, cap * sizeof *l);
        if (!l) {
            a->oom = true;
            return 0;
        }
        a->labels = l;
        a->cap_labels = cap;
    }
    a->labels[a->nlabels] = -1;
    return a->nlabels++;
}

void x64_bind(x64_asm *a, uint32_t label)
{
    if (label < a->nlabels)
        a->labels[label] = (int32_t)a->len;
}

static void fixup_base(x64_asm *a, uint32_t label, uint32_t base)
{
    if (a->nfixups == a->cap_fixups) {
        uint32_t cap = a->cap_fixups ? a->cap_fixups * 2 : 256;
        x64_fixup *f = wasm_platform_realloc(a->fixups, cap * sizeof *f);
        if (!f) {
            a->oom = true;
            return;
        }
        a->fixups = f;
        a->cap_fixups = cap;
    }
    a->fixups[a->nfixups].at = (uint32_t)a->len;
    a->fixups[a->nfixups].label = label;
    a->fixups[a->nfixups].base = base;
    a->nfixups++;
    x64_u32(a, 0);
}

static void fixup(x64_asm *a, uint32_t label)
{
    fixup_base(a, label, UINT32_MAX);
}

void x64_label_diff(x64_asm *a, uint32_t label, uint32_t base)
{
    fixup_base(a, label, base);
}

void x64_lea_rip(x64_asm *a, int dst, uint32_t label)
{
    put8(a, (uint8_t)(0x48 | ((dst & 8) ? 4 : 0)));
    put8(a, 0x8d);
    put8(a, (uint8_t)(0x05 | ((dst & 7) << 3)));
    fixup(a, label);
}

int x64_resolve(x64_asm *a)
{
    if (a->oom)
        return -1;
    for (uint32_t i = 0; i < a->nfixups; i++) {
        x64_fixup *f = &a->fixups[i];
        if (f->label >= a->nlabels || a->labels[f->label] < 0)
            return -1;
        int32_t rel;
        if (f->base == UINT32_MAX) {
            rel = a->labels[f->label] - (int32_t)(f->at + 4);
        } else {
            if (f->base >= a->nlabels || a->labels[f->base] < 0)
                return -1;
            rel = a->labels[f->label] - a->labels[f->base];
        }
        for (int k = 0; k < 4; k++)
            a->buf[f->at + k] = (uint8_t)((uint32_t)rel >> (8 * k));
    }
    a->nfixups = 0;
    return 0;
}

/* ---- the encoder ---- */

/* The encoders write through a cursor after making room for the longest
 * instruction once (15 bytes), instead of checking every byte. */
#define MAX_INSN 16

static uint8_t *room(x64_asm *a)
{
    if (a->cap - a->len < MAX_INSN && !grow(a, MAX_INSN))
        return NULL;
    return a->buf + a->len;
}

static uint8_t *put_opcode(uint8_t *p, uint32_t op, int nop)
{
    for (int i = nop - 1; i >= 0; i--)
        *p++ = (uint8_t)(op >> (8 * i));
    return p;
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

void x64_enc_r(x64_asm *a, uint8_t prefix, bool w, uint32_t op, int nop, int reg, int rm,
               bool byte_regs)
{
    uint8_t *p = room(a);
    if (!p)
        return;
    if (prefix)
        *p++ = prefix;
    uint8_t rex = 0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((rm & 8) ? 1 : 0);
    if (rex != 0x40 || (byte_regs && ((reg >= 4 && reg < 8) || (rm >= 4 && rm < 8))))
        *p++ = rex;
    p = put_opcode(p, op, nop);
    *p++ = (uint8_t)(0xc0 | ((reg & 7) << 3) | (rm & 7));
    a->len = (size_t)(p - a->buf);
}

static uint8_t *put_mem_body(uint8_t *p, int reg, x64_mem m)
{
    int r = (reg & 7) << 3;
    if (m.base < 0) {
        /* absolute disp32: ModRM rm=100, SIB base=101 index=100 */
        *p++ = (uint8_t)(0x04 | r);
        if (m.index >= 0) {
            int ss = m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0;
            *p++ = (uint8_t)((ss << 6) | ((m.index & 7) << 3) | 5);
        } else {
            *p++ = 0x25;
        }
        return put_u32(p, (uint32_t)m.disp);
    }
    int mod;
    if (m.disp == 0 && (m.base & 7) != RBP)
        mod = 0;
    else if (m.disp >= -128 && m.disp <= 127)
        mod = 1;
    else
        mod = 2;
    if (m.index >= 0 || (m.base & 7) == RSP) {
        int ss = m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0;
        int idx = m.index >= 0 ? (m.index & 7) : 4;
        *p++ = (uint8_t)((mod << 6) | r | 4);
        *p++ = (uint8_t)((ss << 6) | (idx << 3) | (m.base & 7));
    } else {
        *p++ = (uint8_t)((mod << 6) | r | (m.base & 7));
    }
    if (mod == 1)
        *p++ = (uint8_t)m.disp;
    else if (mod == 2)
        p = put_u32(p, (uint32_t)m.disp);
    return p;
}

static void enc_m(x64_asm *a, uint8_t prefix, bool w, uint32_t op, int nop, int reg,
                  x64_mem m, bool byte_regs)
{
    uint8_t *p = room(a);
    if (!p)
        return;
    if (prefix)
        *p++ = prefix;
    uint8_t rex = 0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) |
                  ((m.index >= 0 && (m.index & 8)) ? 2 : 0) |
                  ((m.base >= 0 && (m.base & 8)) ? 1 : 0);
    if (rex != 0x40 || (byte_regs && reg >= 4 && reg < 8))
        *p++ = rex;
    p = put_opcode(p, op, nop);
    p = put_mem_body(p, reg, m);
    a->len = (size_t)(p - a->buf);
}

void x64_enc_m(x64_asm *a, uint8_t prefix, bool w, uint32_t op, int nop, int reg, x64_mem m)
{
    enc_m(a, prefix, w, op, nop, reg, m, false);
}

/* Three-byte VEX prefix (C4): inverted R, X, B, the opcode map, W=0, the
 * inverted extra source register vvvv, L (256 bits) and pp. */
static uint8_t *put_vex(uint8_t *p, int pp, int map, bool l256, int reg, int index, int base,
                        int vvvv)
{
    *p++ = 0xc4;
    *p++ = (uint8_t)(((reg & 8) ? 0 : 0x80) | ((index >= 0 && (index & 8)) ? 0 : 0x40) |
                     ((base >= 0 && (base & 8)) ? 0 : 0x20) | map);
    *p++ = (uint8_t)(((~vvvv & 15) << 3) | (l256 ? 4 : 0) | pp);
    return p;
}

void x64_vex_m(x64_asm *a, int pp, int map, bool l256, uint8_t op, int reg, x64_mem m)
{
    uint8_t *p = room(a);
    if (!p)
        return;
    p = put_vex(p, pp, map, l256, reg, m.index, m.base, 0);
    *p++ = op;
    p = put_mem_body(p, reg, m);
    a->len = (size_t)(p - a->buf);
}

void x64_vex_rri(x64_asm *a, int pp, int map, bool l256, uint8_t op, int reg, int vvvv,
                 int rm, uint8_t imm)
{
    uint8_t *p = room(a);
    if (!p)
        return;
    p = put_vex(p, pp, map, l256, reg, -1, rm, vvvv);
    *p++ = op;
    *p++ = (uint8_t)(0xc0 | ((reg & 7) << 3) | (rm & 7));
    *p++ = imm;
    a->len = (size_t)(p - a->buf);
}

void x64_vzeroupper(x64_asm *a)
{
    put8(a, 0xc5);
    put8(a, 0xf8);
    put8(a, 0x77);
}

/* ---- integer ---- */

void x64_mov_rr(x64_asm *a, bool w, int dst, int src)
{
    x64_enc_r(a, 0, w, 0x8b, 1, dst, src, false);
}

void x64_mov_ri(x64_asm *a, bool w, int dst, uint64_t imm)
{
    if (!w)
        imm = (uint32_t)imm;
    if (imm == 0) {
        x64_alu_rr(a, ALU_XOR, false, dst, dst);
    } else if (imm <= 0xffffffffu) {
        if (dst & 8)
            put8(a, 0x41);
        put8(a, (uint8_t)(0xb8 | (dst & 7)));
        x64_u32(a, (uint32_t)imm);
    } else if ((int64_t)imm >= INT32_MIN && (int64_t)imm < 0) {
        x64_enc_r(a, 0, true, 0xc7, 1, 0, dst, false);
        x64_u32(a, (uint32_t)imm);
    } else {
        put8(a, (uint8_t)(0x48 | ((dst & 8) ? 1 : 0)));
        put8(a, (uint8_t)(0xb8 | (dst & 7)));
        x64_u64(a, imm);
    }
}

void x64_load(x64_asm *a, bool w, int dst, x64_mem m) { x64_enc_m(a, 0, w, 0x8b, 1, dst, m); }
void x64_store(x64_asm *a, bool w, x64_mem m, int src) { x64_enc_m(a, 0, w, 0x89, 1, src, m); }

void x64_store_i32(x64_asm *a, bool w, x64_mem m, int32_t imm)
{
    x64_enc_m(a, 0, w, 0xc7, 1, 0, m);
    x64_u32(a, (uint32_t)imm);
}

void x64_load8u(x64_asm *a, int dst, x64_mem m) { x64_enc_m(a, 0, false, 0x0fb6, 2, dst, m); }
void x64_load8s(x64_asm *a, bool w, int dst, x64_mem m) { x64_enc_m(a, 0, w, 0x0fbe, 2, dst, m); }
void x64_load16u(x64_asm *a, int dst, x64_mem m) { x64_enc_m(a, 0, false, 0x0fb7, 2, dst, m); }
void x64_load16s(x64_asm *a, bool w, int dst, x64_mem m) { x64_enc_m(a, 0, w, 0x0fbf, 2, dst, m); }
void x64_load32s(x64_asm *a, int dst, x64_mem m) { x64_enc_m(a, 0, true, 0x63, 1, dst, m); }
void x64_store8(x64_asm *a, x64_mem m, int src) { enc_m(a, 0, false, 0x88, 1, src, m, true); }
void x64_store16(x64_asm *a, x64_mem m, int src) { x64_enc_m(a, 0x66, false, 0x89, 1, src, m); }

void x64_movzx8_rr(x64_asm *a, int dst, int src) { x64_enc_r(a, 0, false, 0x0fb6, 2, dst, src, true); }
void x64_movsx8_rr(x64_asm *a, bool w, int dst, int src) { x64_enc_r(a, 0, w, 0x0fbe, 2, dst, src, true); }
void x64_movzx16_rr(x64_asm *a, int dst, int src) { x64_enc_r(a, 0, false, 0x0fb7, 2, dst, src, false); }
void x64_movsx16_rr(x64_asm *a, bool w, int dst, int src) { x64_enc_r(a, 0, w, 0x0fbf, 2, dst, src, false); }
void x64_movsxd_rr(x64_asm *a, int dst, int src) { x64_enc_r(a, 0, true, 0x63, 1, dst, src, false); }
void x64_lea(x64_asm *a, bool w, int dst, x64_mem m) { x64_enc_m(a, 0, w, 0x8d, 1, dst, m); }

void x64_alu_rr(x64_asm *a, int op, bool w, int dst, int src)
{
    x64_enc_r(a, 0, w, (uint32_t)(op << 3) | 3, 1, dst, src, false);
}

void x64_alu_ri(x64_asm *a, int op, bool w, int dst, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        x64_enc_r(a, 0, w, 0x83, 1, op, dst, false);
        put8(a, (uint8_t)imm);
    } else {
        x64_enc_r(a, 0, w, 0x81, 1, op, dst, false);
        x64_u32(a, (uint32_t)imm);
    }
}

void x64_alu_rm(x64_asm *a, int op, bool w, int dst, x64_mem m)
{
    x64_enc_m(a, 0, w, (uint32_t)(op << 3) | 3, 1, dst, m);
}

void x64_alu_mi(x64_asm *a, int op, bool w, x64_mem m, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        x64_enc_m(a, 0, w, 0x83, 1, op, m);
        put8(a, (uint8_t)imm);
    } else {
        x64_enc_m(a, 0, w, 0x81, 1, op, m);
        x64_u32(a, (uint32_t)imm);
    }
}

void x64_test_rr(x64_asm *a, bool w, int x, int y) { x64_enc_r(a, 0, w, 0x85, 1, y, x, false); }
/* test r, imm: a mask of 0..255 tests the low byte (same ZF, shorter). */
void x64_test_ri(x64_asm *a, bool w, int r, int32_t imm)
{
    if (imm >= 0 && imm <= 255) {
        x64_enc_r(a, 0, false, 0xf6, 1, 0, r, true);
        put8(a, (uint8_t)imm);
    } else {
        x64_enc_r(a, 0, w, 0xf7, 1, 0, r, false);
        x64_u32(a, (uint32_t)imm);
    }
}
void x64_imul_rr(x64_asm *a, bool w, int dst, int src) { x64_enc_r(a, 0, w, 0x0faf, 2, dst, src, false); }

void x64_imul_rri(x64_asm *a, bool w, int dst, int src, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        x64_enc_r(a, 0, w, 0x6b, 1, dst, src, false);
        put8(a, (uint8_t)imm);
    } else {
        x64_enc_r(a, 0, w, 0x69, 1, dst, src, false);
        x64_u32(a, (uint32_t)imm);
    }
}

void x64_div(x64_asm *a, bool w, bool is_signed, int src)
{
    x64_enc_r(a, 0, w, 0xf7, 1, is_signed ? 7 : 6, src, false);
}

/* mul/imul src, one operand: rdx:rax = rax * src (F7 /4, /5). */
void x64_mul_wide(x64_asm *a, bool w, bool is_signed, int src)
{
    x64_enc_r(a, 0, w, 0xf7, 1, is_signed ? 5 : 4, src, false);
}

void x64_cdq(x64_asm *a, bool w)
{
    if (w)
        put8(a, 0x48);
    put8(a, 0x99);
}

void x64_neg(x64_asm *a, bool w, int r) { x64_enc_r(a, 0, w, 0xf7, 1, 3, r, false); }
void x64_not(x64_asm *a, bool w, int r) { x64_enc_r(a, 0, w, 0xf7, 1, 2, r, false); }
void x64_shift_cl(x64_asm *a, int op, bool w, int r) { x64_enc_r(a, 0, w, 0xd3, 1, op, r, false); }

void x64_shift_ri(x64_asm *a, int op, bool w, int r, uint8_t n)
{
    x64_enc_r(a, 0, w, 0xc1, 1, op, r, false);
    put8(a, n);
}

void x64_setcc(x64_asm *a, int cc, int r) { x64_enc_r(a, 0, false, 0x0f90 | (uint32_t)cc, 2, 0, r, true); }
void x64_cmov(x64_asm *a, int cc, bool w, int dst, int src) { x64_enc_r(a, 0, w, 0x0f40 | (uint32_t)cc, 2, dst, src, false); }
void x64_bsr(x64_asm *a, bool w, int dst, int src) { x64_enc_r(a, 0, w, 0x0fbd, 2, dst, src, false); }
void x64_bsf(x64_asm *a, bool w, int dst, int src) { x64_enc_r(a, 0, w, 0x0fbc, 2, dst, src, false); }
void x64_lzcnt(x64_asm *a, bool w, int dst, int src) { x64_enc_r(a, 0xf3, w, 0x0fbd, 2, dst, src, false); }
void x64_tzcnt(x64_asm *a, bool w, int dst, int src) { x64_enc_r(a, 0xf3, w, 0x0fbc, 2, dst, src, false); }
void x64_popcnt(x64_asm *a, bool w, int dst, int src) { x64_enc_r(a, 0xf3, w, 0x0fb8, 2, dst, src, false); }

void x64_btc_ri(x64_asm *a, bool w, int r, uint8_t bit)
{
    x64_enc_r(a, 0, w, 0x0fba, 2, 7, r, false);
    put8(a, bit);
}

void x64_push(x64_asm *a, int r)
{
    if (r & 8)
        put8(a, 0x41);
    put8(a, (uint8_t)(0x50 | (r & 7)));
}

void x64_pop(x64_asm *a, int r)
{
    if (r & 8)
        put8(a, 0x41);
    put8(a, (uint8_t)(0x58 | (r & 7)));
}

/* ---- control ---- */

void x64_jmp(x64_asm *a, uint32_t label)
{
    put8(a, 0xe9);
    fixup(a, label);
}

void x64_jcc(x64_asm *a, int cc, uint32_t label)
{
    put8(a, 0x0f);
    put8(a, (uint8_t)(0x80 | cc));
    fixup(a, label);
}

void x64_call_label(x64_asm *a, uint32_t label)
{
    put8(a, 0xe8);
    fixup(a, label);
}

void x64_call_r(x64_asm *a, int r) { x64_enc_r(a, 0, false, 0xff, 1, 2, r, false); }
void x64_call_m(x64_asm *a, x64_mem m) { x64_enc_m(a, 0, false, 0xff, 1, 2, m); }
void x64_jmp_r(x64_asm *a, int r) { x64_enc_r(a, 0, false, 0xff, 1, 4, r, false); }
void x64_jmp_m(x64_asm *a, x64_mem m) { x64_enc_m(a, 0, false, 0xff, 1, 4, m); }
void x64_ret(x64_asm *a) { put8(a, 0xc3); }

/* Pads with the recommended multi-byte NOPs (Intel SDM, NOP) up to a
 * multiple of `align` (a power of two, at most 64). */
void x64_align_nops(x64_asm *a, uint32_t align)
{
    static const uint8_t nops[9][9] = {
        { 0x90 },
        { 0x66, 0x90 },
        { 0x0f, 0x1f, 0x00 },
        { 0x0f, 0x1f, 0x40, 0x00 },
        { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
        { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
        { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
        { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
        { 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
    };
    uint32_t pad = (uint32_t)(-a->len & (align - 1));
    while (pad > 0) {
        uint32_t n = pad < 9 ? pad : 9;
        for (uint32_t i = 0; i < n; i++)
            put8(a, nops[n - 1][i]);
        pad -= n;
    }
}

void x64_ud2(x64_asm *a)
{
    put8(a, 0x0f);
    put8(a, 0x0b);
}

void x64_rep_movsq(x64_asm *a)
{
    put8(a, 0xf3);
    put8(a, 0x48);
    put8(a, 0xa5);
}

void x64_rep_stosq(x64_asm *a)
{
    put8(a, 0xf3);
    put8(a, 0x48);
    put8(a, 0xab);
}

void x64_rep_movsb(x64_asm *a)
{
    put8(a, 0xf3);
    put8(a, 0xa4);
}

void x64_rep_stosb(x64_asm *a)
{
    put8(a, 0xf3);
    put8(a, 0xaa);
}

void x64_leave(x64_asm *a) { put8(a, 0xc9); }

/* ---- SSE ---- */

void x64_sse_rr(x64_asm *a, bool d, int op, int dst, int src)
{
    x64_enc_r(a, d ? 0xf2 : 0xf3, false, 0x0f00 | (uint32_t)op, 2, dst, src, false);
}

void x64_sse_rm(x64_asm *a, bool d, int op, int dst, x64_mem m)
{
    x64_enc_m(a, d ? 0xf2 : 0xf3, false, 0x0f00 | (uint32_t)op, 2, dst, m);
}

void x64_sse_logic(x64_asm *a, bool d, int op, int dst, int src)
{
    x64_enc_r(a, d ? 0x66 : 0, false, 0x0f00 | (uint32_t)op, 2, dst, src, false);
}

void x64_movaps(x64_asm *a, int dst, int src) { x64_enc_r(a, 0, false, 0x0f28, 2, dst, src, false); }
void x64_fload(x64_asm *a, bool d, int dst, x64_mem m) { x64_enc_m(a, d ? 0xf2 : 0xf3, false, 0x0f10, 2, dst, m); }
void x64_fstore(x64_asm *a, bool d, x64_mem m, int src) { x64_enc_m(a, d ? 0xf2 : 0xf3, false, 0x0f11, 2, src, m); }
void x64_movd_xr(x64_asm *a, bool w, int xmm, int gpr) { x64_enc_r(a, 0x66, w, 0x0f6e, 2, xmm, gpr, false); }
void x64_movd_rx(x64_asm *a, bool w, int gpr, int xmm) { x64_enc_r(a, 0x66, w, 0x0f7e, 2, xmm, gpr, false); }
void x64_ucomis(x64_asm *a, bool d, int x, int y) { x64_enc_r(a, d ? 0x66 : 0, false, 0x0f2e, 2, x, y, false); }
void x64_cvtsi2f(x64_asm *a, bool d, bool w, int xmm, int gpr) { x64_enc_r(a, d ? 0xf2 : 0xf3, w, 0x0f2a, 2, xmm, gpr, false); }
void x64_cvttf2si(x64_asm *a, bool d, bool w, int gpr, int xmm) { x64_enc_r(a, d ? 0xf2 : 0xf3, w, 0x0f2c, 2, gpr, xmm, false); }
void x64_cvtf2f(x64_asm *a, bool from_d, int dst, int src) { x64_enc_r(a, from_d ? 0xf2 : 0xf3, false, 0x0f5a, 2, dst, src, false); }

void x64_round(x64_asm *a, bool d, int dst, int src, uint8_t mode)
{
    x64_enc_r(a, 0x66, false, d ? 0x0f3a0b : 0x0f3a0a, 3, dst, src, false);
    put8(a, mode);
}
