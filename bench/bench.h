/*
 * bench/bench.h: what every benchmark program shares.
 *
 * A benchmark is one C file built three ways from the same source: gcc -O2 and
 * clang-14 -O2 for x86-64 (linked with bench/native_main.c, which times the
 * call), and clang-14 --target=wasm32 -O2 -nostdlib into a module that imports
 * nothing. So a program may use no library at all: only these helpers, the
 * compiler's builtins (memcpy and memset become memory.copy/memory.fill in
 * Wasm, built with -mbulk-memory) and __builtin_sqrt as the only math.
 *
 * Each program defines `static i64 run(int scale)` and ends with
 * BENCH_MAIN(full, smoke): bench_run() runs the timed size, bench_smoke() a
 * small one for the test step. run() must set up all its state itself, so that
 * calling it again (best of 5 in one process) does the same work and returns
 * the same checksum.
 */
#ifndef BENCH_H
#define BENCH_H

typedef signed char i8;
typedef unsigned char u8;
typedef short i16;
typedef unsigned short u16;
typedef int i32;
typedef unsigned int u32;
typedef long long i64;
typedef unsigned long long u64;
typedef unsigned long usize;

#ifdef __wasm__
#define BENCH_EXPORT(name) __attribute__((export_name(name), visibility("default")))
#else
#define BENCH_EXPORT(name) __attribute__((visibility("default")))
#endif

#define BENCH_MAIN(full, smoke)                                         \
  BENCH_EXPORT("bench_run") i64 bench_run(void) { return run(full); }   \
  BENCH_EXPORT("bench_smoke") i64 bench_smoke(void) { return run(smoke); }

#define NOINLINE __attribute__((noinline))

/* A small deterministic generator (xorshift64*): same numbers everywhere. */
typedef struct { u64 s; } rng;

static inline void rng_seed(rng *r, u64 seed) { r->s = seed ? seed : 0x9e3779b97f4a7c15ull; }

static inline u64 rng_next(rng *r) {
  u64 x = r->s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  r->s = x;
  return x * 0x2545f4914f6cdd1dull;
}

static inline u32 rng_below(rng *r, u32 n) { return (u32)((rng_next(r) >> 32) % n); }

/* Mix a value into a running checksum (order matters, so do mistakes). */
static inline u64 mix(u64 h, u64 v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

/* Turn a double into checksum bits. Rounded to 1e-6 relative so that an
 * engine's legal rounding choices (none expected: Wasm floats are IEEE)
 * would still show up as a different checksum only when they matter. */
static inline i64 fbits(double d) { return (i64)(d * 1e6); }

#endif
