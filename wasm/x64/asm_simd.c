/* wasm/x64/asm_simd.c: the packed SSE encoder behind asm_simd.h. Every
 * form is asm.c's general encoder with the prefix and opcode unpacked. */
#include "wasm/x64/asm_simd.h"

static uint8_t prefix_of(uint32_t op) { return (uint8_t)(op >> 24); }
static uint32_t opcode_of(uint32_t op) { return op & 0xffffff; }
static int nop_of(uint32_t op) { return (op & 0xff0000) ? 3 : 2; }

void x64_sse(x64_asm *a, uint32_t op, int dst, int src)
{
    x64_enc_r(a, prefix_of(op), false, opcode_of(op), nop_of(op), dst, src, false);
}

void x64_sse_i(x64_asm *a, uint32_t op, int dst, int src, uint8_t imm)
{
    x64_sse(a, op, dst, src);
    x64_byte(a, imm);
}

void x64_sse_wi(x64_asm *a, uint32_t op, int dst, int src, uint8_t imm)
{
    x64_enc_r(a, prefix_of(op), true, opcode_of(op), nop_of(op), dst, src, false);
    x64_byte(a, imm);
}

void x64_sse_m(x64_asm *a, uint32_t op, int reg, x64_mem m)
{
    x64_enc_m(a, prefix_of(op), false, opcode_of(op), nop_of(op), reg, m);
}

void x64_sse_mi(x64_asm *a, uint32_t op, bool w, int reg, x64_mem m, uint8_t imm)
{
    x64_enc_m(a, prefix_of(op), w, opcode_of(op), nop_of(op), reg, m);
    x64_byte(a, imm);
}

void x64_sse_shift(x64_asm *a, int shift, int xmm, uint8_t n)
{
    x64_enc_r(a, 0x66, false, 0x0f00 | (uint32_t)(shift >> 8), 2, shift & 7, xmm, false);
    x64_byte(a, n);
}
