/* wasm/x64/asm.h: a small x86-64 assembler: a growing byte buffer, the
 * REX/ModRM/SIB encoder, the instructions the compiler uses (integer, SSE
 * scalar, control flow) and labels with rel32 fixups.
 *
 * Operands are registers (0..15, the hardware numbering) or memory
 * references (x64_mem: base + index*scale + disp). A 'w' argument selects
 * the 64-bit form (REX.W); otherwise the 32-bit form, which zero-extends
 * into the full register. Out of memory is sticky: a->oom is set, further
 * emission is dropped, and the caller checks once at the end. */
#ifndef WASM_X64_ASM_H
#define WASM_X64_ASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
    R8, R9, R10, R11, R12, R13, R14, R15,
};

/* Condition codes (the low nibble of jcc/setcc/cmovcc). */
enum {
    CC_O = 0, CC_NO = 1, CC_B = 2, CC_AE = 3, CC_E = 4, CC_NE = 5, CC_BE = 6, CC_A = 7,
    CC_S = 8, CC_NS = 9, CC_P = 10, CC_NP = 11, CC_L = 12, CC_GE = 13, CC_LE = 14, CC_G = 15,
};

/* Group-1 ALU operations, by their /digit. */
enum { ALU_ADD = 0, ALU_OR = 1, ALU_ADC = 2, ALU_SBB = 3, ALU_AND = 4, ALU_SUB = 5,
       ALU_XOR = 6, ALU_CMP = 7 };

/* Shift and rotate operations, by their /digit. */
enum { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };

/* SSE scalar arithmetic opcodes (second byte after 0F). */
enum { SSE_SQRT = 0x51, SSE_ADD = 0x58, SSE_MUL = 0x59, SSE_SUB = 0x5c, SSE_MIN = 0x5d,
       SSE_DIV = 0x5e, SSE_MAX = 0x5f };

/* SSE packed logic opcodes (used on scalars for bit tricks). */
enum { SSE_AND = 0x54, SSE_ANDN = 0x55, SSE_OR = 0x56, SSE_XOR = 0x57 };

typedef struct x64_mem {
    int8_t base;                 /* register, or -1 for none (absolute disp32) */
    int8_t index;                /* register, or -1 for none (RSP cannot index) */
    uint8_t scale;               /* 1, 2, 4, 8 */
    int32_t disp;
} x64_mem;

static inline x64_mem x64_m(int base, int32_t disp)
{
    x64_mem m = { (int8_t)base, -1, 1, disp };
    return m;
}

static inline x64_mem x64_mi(int base, int index, int scale, int32_t disp)
{
    x64_mem m = { (int8_t)base, (int8_t)index, (uint8_t)scale, disp };
    return m;
}

typedef struct x64_fixup {
    uint32_t at;                 /* offset of the rel32 field */
    uint32_t label;
    uint32_t base;               /* UINT32_MAX: relative to at+4; else to label `base` */
} x64_fixup;

typedef struct x64_asm {
    uint8_t *buf;
    size_t len, cap;
    bool oom;
    int32_t *labels;             /* label -> offset, or -1 while unbound */
    uint32_t nlabels, cap_labels;
    x64_fixup *fixups;
    uint32_t nfixups, cap_fixups;
} x64_asm;

void x64_init(x64_asm *a);
void x64_free(x64_asm *a);
/* Forgets the code, labels and fixups but keeps the buffers. */
void x64_reset(x64_asm *a);

void x64_byte(x64_asm *a, uint8_t b);
void x64_u32(x64_asm *a, uint32_t v);
void x64_u64(x64_asm *a, uint64_t v);

/* Labels. x64_bind fixes a label at the current position; x64_resolve
 * patches every rel32 that referred to a label (all must be bound).
 * Returns 0, or -1 if some label is unbound. */
uint32_t x64_label(x64_asm *a);
void x64_bind(x64_asm *a, uint32_t label);
int x64_resolve(x64_asm *a);

/* The general encoder: [prefix] [REX] opcode bytes (1-3, most significant
 * first in `op`, `nop` bytes) ModRM with `reg` in the reg field and a
 * register (rm >= 0, mem NULL) or memory operand. `byte_regs` forces a REX
 * byte so that registers 4-7 mean spl/bpl/sil/dil. */
void x64_enc_r(x64_asm *a, uint8_t prefix, bool w, uint32_t op, int nop, int reg, int rm,
               bool byte_regs);
void x64_enc_m(x64_asm *a, uint8_t prefix, bool w, uint32_t op, int nop, int reg,
               x64_mem m);

/* VEX-encoded (AVX) instructions, three-byte prefix, W=0: pp is the
 * implied prefix (0 none, 1 0x66, 2 0xf3, 3 0xf2), map the opcode map
 * (1 0F, 2 0F38, 3 0F3A), l256 the 256-bit form. The memory form has
 * `reg` in ModRM.reg; the register form takes a second source (vvvv) and
 * an immediate byte. */
void x64_vex_m(x64_asm *a, int pp, int map, bool l256, uint8_t op, int reg, x64_mem m);
void x64_vex_rri(x64_asm *a, int pp, int map, bool l256, uint8_t op, int reg, int vvvv,
                 int rm, uint8_t imm);
void x64_vzeroupper(x64_asm *a);

/* ---- integer ---- */
void x64_mov_rr(x64_asm *a, bool w, int dst, int src);
void x64_mov_ri(x64_asm *a, bool w, int dst, uint64_t imm);   /* shortest form */
void x64_load(x64_asm *a, bool w, int dst, x64_mem m);         /* mov r, [m] */
void x64_store(x64_asm *a, bool w, x64_mem m, int src);        /* mov [m], r */
void x64_store_i32(x64_asm *a, bool w, x64_mem m, int32_t imm);/* mov [m], imm32 (sign-ext if w) */
void x64_load8u(x64_asm *a, int dst, x64_mem m);   /* movzx r32, byte */
void x64_load8s(x64_asm *a, bool w, int dst, x64_mem m);
void x64_load16u(x64_asm *a, int dst, x64_mem m);
void x64_load16s(x64_asm *a, bool w, int dst, x64_mem m);
void x64_load32s(x64_asm *a, int dst, x64_mem m);  /* movsxd r64, dword */
void x64_store8(x64_asm *a, x64_mem m, int src);
void x64_store16(x64_asm *a, x64_mem m, int src);
void x64_movzx8_rr(x64_asm *a, int dst, int src);
void x64_movzx16_rr(x64_asm *a, int dst, int src);
void x64_movsx8_rr(x64_asm *a, bool w, int dst, int src);
void x64_movsx16_rr(x64_asm *a, bool w, int dst, int src);
void x64_movsxd_rr(x64_asm *a, int dst, int src);
void x64_lea(x64_asm *a, bool w, int dst, x64_mem m);

void x64_alu_rr(x64_asm *a, int op, bool w, int dst, int src);
void x64_alu_ri(x64_asm *a, int op, bool w, int dst, int32_t imm);
void x64_alu_rm(x64_asm *a, int op, bool w, int dst, x64_mem m);  /* dst op= [m] */
void x64_alu_mi(x64_asm *a, int op, bool w, x64_mem m, int32_t imm);
void x64_test_rr(x64_asm *a, bool w, int x, int y);
/* test r, imm (only ZF is meaningful: a mask of 0..255 tests the low byte) */
void x64_test_ri(x64_asm *a, bool w, int r, int32_t imm);
void x64_imul_rr(x64_asm *a, bool w, int dst, int src);
void x64_imul_rri(x64_asm *a, bool w, int dst, int src, int32_t imm);
void x64_div(x64_asm *a, bool w, bool is_signed, int src);      /* rdx:rax / src */
void x64_mul_wide(x64_asm *a, bool w, bool is_signed, int src); /* rdx:rax = rax * src */
void x64_cdq(x64_asm *a, bool w);                               /* cdq / cqo */
void x64_neg(x64_asm *a, bool w, int r);
void x64_not(x64_asm *a, bool w, int r);
void x64_shift_cl(x64_asm *a, int op, bool w, int r);
void x64_shift_ri(x64_asm *a, int op, bool w, int r, uint8_t n);
void x64_setcc(x64_asm *a, int cc, int r);                       /* low byte only */
void x64_cmov(x64_asm *a, int cc, bool w, int dst, int src);
void x64_bsr(x64_asm *a, bool w, int dst, int src);
void x64_bsf(x64_asm *a, bool w, int dst, int src);
void x64_lzcnt(x64_asm *a, bool w, int dst, int src);
void x64_tzcnt(x64_asm *a, bool w, int dst, int src);
void x64_popcnt(x64_asm *a, bool w, int dst, int src);
void x64_btc_ri(x64_asm *a, bool w, int r, uint8_t bit);
void x64_push(x64_asm *a, int r);
void x64_pop(x64_asm *a, int r);

/* ---- control ---- */
void x64_jmp(x64_asm *a, uint32_t label);
void x64_jcc(x64_asm *a, int cc, uint32_t label);
void x64_call_label(x64_asm *a, uint32_t label);
void x64_call_r(x64_asm *a, int r);
void x64_call_m(x64_asm *a, x64_mem m);
void x64_jmp_r(x64_asm *a, int r);
void x64_jmp_m(x64_asm *a, x64_mem m);
void x64_ret(x64_asm *a);
void x64_align_nops(x64_asm *a, uint32_t align);
void x64_ud2(x64_asm *a);
void x64_rep_movsq(x64_asm *a);
void x64_rep_stosq(x64_asm *a);
void x64_rep_movsb(x64_asm *a);                /* rdi, rsi, rcx */
void x64_rep_stosb(x64_asm *a);                /* rdi, al, rcx */
void x64_leave(x64_asm *a);
/* lea dst, [rip + label] */
void x64_lea_rip(x64_asm *a, int dst, uint32_t label);
/* A 4-byte table entry: label's offset minus base label's offset. */
void x64_label_diff(x64_asm *a, uint32_t label, uint32_t base);

/* ---- SSE scalar; d selects double (sd) over single (ss) ---- */
void x64_sse_rr(x64_asm *a, bool d, int op, int dst, int src);   /* addss, ... */
void x64_sse_rm(x64_asm *a, bool d, int op, int dst, x64_mem m);
void x64_sse_logic(x64_asm *a, bool d, int op, int dst, int src);/* andps/andpd ... */
void x64_movaps(x64_asm *a, int dst, int src);
void x64_fload(x64_asm *a, bool d, int dst, x64_mem m);          /* movss/movsd xmm, [m] */
void x64_fstore(x64_asm *a, bool d, x64_mem m, int src);
void x64_movd_xr(x64_asm *a, bool w, int xmm, int gpr);          /* movd/movq xmm, r */
void x64_movd_rx(x64_asm *a, bool w, int gpr, int xmm);          /* movd/movq r, xmm */
void x64_ucomis(x64_asm *a, bool d, int x, int y);
void x64_cvtsi2f(x64_asm *a, bool d, bool w, int xmm, int gpr);
void x64_cvttf2si(x64_asm *a, bool d, bool w, int gpr, int xmm);
void x64_cvtf2f(x64_asm *a, bool from_d, int dst, int src);     /* cvtsd2ss / cvtss2sd */
void x64_round(x64_asm *a, bool d, int dst, int src, uint8_t mode);

#endif
