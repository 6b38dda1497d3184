/*
 * calls: recursion and direct calls. Naive Fibonacci, Takeuchi's function and
 * Ackermann's function: almost nothing but call, compare and return, so the
 * cost of a call frame (prologue, stack check, argument passing) dominates.
 */
#include "../bench.h"

static NOINLINE i32 fib(i32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static NOINLINE i32 tak(i32 x, i32 y, i32 z) {
  if (y >= x)
    return z;
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

static NOINLINE i32 ack(i32 m, i32 n) {
  if (m == 0)
    return n + 1;
  if (n == 0)
    return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

/* Many small leaf calls with several arguments. */
static NOINLINE u32 leaf(u32 a, u32 b, u32 c, u32 d) { return (a ^ b) + (c >> 3) * d; }

static NOINLINE u64 many_calls(u32 n) {
  u64 s = 0;
  for (u32 i = 0; i < n; i++)
    s += leaf(i, (u32)s, i * 3, 7);
  return s;
}

static i64 run(int scale) {
  u64 h = 0;
  for (int k = 0; k < scale; k++) {
    h = mix(h, fib(27));
    h = mix(h, tak(18, 12, 6));
    h = mix(h, ack(2, 500 + k));
    h = mix(h, ack(3, 6));
    h = mix(h, many_calls(2000000u));
  }
  return (i64)h;
}

BENCH_MAIN(80, 2)
