/* wasm/x64/simd.h: the SIMD (v128) part of the code generator, and the
 * few services of codegen.c it uses.
 *
 * v128 values live in XMM registers on codegen.c's abstract stack (the
 * same registers as floats), in 16-byte home slots and locals (a module
 * with any v128 value gets 16-byte frame cells), and take two 64-bit
 * argument slots in calls. simd.c compiles the 0xfd instructions on top of
 * that with SSE2..SSE4.1 (asm_simd.h); xmm15 and r11 are its scratch
 * registers, as for the rest of the compiler. */
#ifndef WASM_X64_SIMD_H
#define WASM_X64_SIMD_H

#include <stdbool.h>
#include <stdint.h>
#include "wasm/x64/asm.h"

typedef struct cg cg;

/* Compiles one 0xfd instruction (the prefix byte already read). */
void simd_op(cg *g);
/* Skips one 0xfd instruction's sub-opcode and immediates (dead code). */
void simd_skip(cg *g);

/* ---- codegen.c's services ---- */
x64_asm *cg_asm(cg *g);
void cg_fail(cg *g, const char *msg);
uint8_t cg_rd_u8(cg *g);
uint32_t cg_rd_u32(cg *g);
/* Pops the top operand into a register the caller owns (XMM for floats
 * and v128, a general register otherwise). */
int cg_pop_reg(cg *g);
void cg_push_reg(cg *g, uint8_t type, int r);
/* Pops the top operand if it is a constant (then true, with its bits). */
bool cg_pop_const(cg *g, uint64_t *imm);
int cg_alloc_xmm(cg *g);
int cg_alloc_gpr(cg *g);
void cg_free_xmm(cg *g, int r);
void cg_free_gpr(cg *g, int r);
/* Pops an i32 address and gives the operand of a `size`-byte access at
 * address + offset (bounds-checked in explicit mode). In guard mode the
 * trap site is recorded here, so the very next instruction must be the
 * access; allocate registers before calling. r11 may hold the address. */
x64_mem cg_pop_mem(cg *g, uint32_t offset, uint32_t size);

#endif
