/*
 * interp: a byte-code interpreter, the classic big `switch` in a loop. A small
 * stack machine with locals runs a program that counts primes by trial
 * division and sums a polynomial; branches and a dispatch per instruction.
 */
#include "../bench.h"

enum {
  OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
  OP_LT, OP_LE, OP_EQ, OP_NE, OP_JMP, OP_JZ, OP_JNZ, OP_DUP, OP_DROP, OP_INC,
  OP_AND, OP_XOR, OP_SHL, OP_SHR
};

/* Locals: 0 = n (limit), 1 = i, 2 = d, 3 = count, 4 = acc, 5 = prime.
 * The program is assembled by code, which keeps jump targets right. */
static i32 code[256];
static i32 ncode;

static void emit(i32 op) { code[ncode++] = op; }
static void emit2(i32 op, i32 arg) { emit(op); emit(arg); }
static i32 here(void) { return ncode; }
static i32 emit_jump(i32 op) { emit2(op, 0); return ncode - 1; }
static void patch(i32 at, i32 target) { code[at] = target; }

static void assemble(void) {
  ncode = 0;
  emit2(OP_PUSH, 2); emit2(OP_STORE, 1);                       /* i = 2 */
  i32 outer = here();
  emit2(OP_LOAD, 1); emit2(OP_LOAD, 0); emit(OP_LT);
  i32 exit_outer = emit_jump(OP_JZ);                           /* while (i < n) */
  emit2(OP_PUSH, 1); emit2(OP_STORE, 5);                       /* prime = 1 */
  emit2(OP_PUSH, 2); emit2(OP_STORE, 2);                       /* d = 2 */
  i32 inner = here();
  emit2(OP_LOAD, 2); emit(OP_DUP); emit(OP_MUL); emit2(OP_LOAD, 1); emit(OP_LE);
  i32 exit_inner = emit_jump(OP_JZ);                           /* while (d*d <= i) */
  emit2(OP_LOAD, 1); emit2(OP_LOAD, 2); emit(OP_MOD);
  i32 not_div = emit_jump(OP_JNZ);                             /* if (i % d == 0) */
  emit2(OP_PUSH, 0); emit2(OP_STORE, 5);                       /*   prime = 0; break */
  i32 brk = emit_jump(OP_JMP);
  patch(not_div, here());
  emit2(OP_INC, 2);                                            /* d++ */
  emit2(OP_JMP, inner);
  patch(exit_inner, here());
  patch(brk, here());
  emit2(OP_LOAD, 3); emit2(OP_LOAD, 5); emit(OP_ADD); emit2(OP_STORE, 3); /* count += prime */
  /* acc = (acc * 31 + i * prime) ^ (acc >> 7), masked to 28 bits */
  emit2(OP_LOAD, 4); emit2(OP_PUSH, 31); emit(OP_MUL);
  emit2(OP_LOAD, 1); emit2(OP_LOAD, 5); emit(OP_MUL); emit(OP_ADD);
  emit2(OP_LOAD, 4); emit2(OP_PUSH, 7); emit(OP_SHR); emit(OP_XOR);
  emit2(OP_PUSH, 0x0fffffff); emit(OP_AND); emit2(OP_STORE, 4);
  emit2(OP_INC, 1);                                            /* i++ */
  emit2(OP_JMP, outer);
  patch(exit_outer, here());
  emit(OP_HALT);
}

static NOINLINE i64 execute(const i32 *code, i32 *locals) {
  i32 stack[64];
  i32 sp = 0, pc = 0;
  i64 steps = 0;
  for (;;) {
    steps++;
    i32 op = code[pc++];
    switch (op) {
    case OP_HALT: return steps;
    case OP_PUSH: stack[sp++] = code[pc++]; break;
    case OP_LOAD: stack[sp++] = locals[code[pc++]]; break;
    case OP_STORE: locals[code[pc++]] = stack[--sp]; break;
    case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
    case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
    case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
    case OP_DIV: sp--; stack[sp - 1] /= stack[sp]; break;
    case OP_MOD: sp--; stack[sp - 1] %= stack[sp]; break;
    case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
    case OP_LE: sp--; stack[sp - 1] = stack[sp - 1] <= stack[sp]; break;
    case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
    case OP_NE: sp--; stack[sp - 1] = stack[sp - 1] != stack[sp]; break;
    case OP_JMP: pc = code[pc]; break;
    case OP_JZ: pc = stack[--sp] == 0 ? code[pc] : pc + 1; break;
    case OP_JNZ: pc = stack[--sp] != 0 ? code[pc] : pc + 1; break;
    case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
    case OP_DROP: sp--; break;
    case OP_INC: locals[code[pc++]]++; break;
    case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
    case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
    case OP_SHL: sp--; stack[sp - 1] = (i32)((u32)stack[sp - 1] << (stack[sp] & 31)); break;
    case OP_SHR: sp--; stack[sp - 1] = (i32)((u32)stack[sp - 1] >> (stack[sp] & 31)); break;
    default: return -1;
    }
  }
}

static i64 run(int scale) {
  assemble();
  i32 locals[8] = {0};
  locals[0] = 20000 * scale;
  i64 steps = execute(code, locals);
  u64 h = mix(0, (u64)steps);
  h = mix(h, (u32)locals[3]);
  h = mix(h, (u32)locals[4]);
  return (i64)h;
}

BENCH_MAIN(28, 1)
