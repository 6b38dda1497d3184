/*
 * memops: memcpy, memmove and memset of every size, as real programs use
 * them: small fixed-size struct copies, variable-length copies between random
 * places of an 8 MiB buffer, overlapping moves, clearing. The compiler turns
 * these into calls (native) or memory.copy / memory.fill (Wasm).
 */
#include "../bench.h"

#define BUF (8u << 20)

static u8 buf[BUF];

struct rec { u32 id; u32 flags; u64 stamp; u8 name[40]; };
static struct rec recs[4096];

static u64 sample(void) {
  u64 h = 0;
  for (u32 i = 0; i < BUF; i += 4099) h = mix(h, buf[i]);
  return h;
}

static i64 run(int scale) {
  rng r;
  rng_seed(&r, 5);
  for (u32 i = 0; i < BUF; i++) buf[i] = (u8)(i * 131 + (i >> 9));
  u64 h = 0;
  for (int round = 0; round < scale; round++) {
    /* Variable-length copies, sizes 1..4096, non-overlapping halves. */
    for (int k = 0; k < 100000; k++) {
      u32 len = 1 + rng_below(&r, 4096);
      u32 src = rng_below(&r, BUF / 2 - len);
      u32 dst = BUF / 2 + rng_below(&r, BUF / 2 - len);
      __builtin_memcpy(buf + dst, buf + src, len);
    }
    /* Overlapping moves, both directions. */
    for (int k = 0; k < 20000; k++) {
      u32 len = 1 + rng_below(&r, 16384);
      u32 src = rng_below(&r, BUF - len - 64);
      u32 dst = src + rng_below(&r, 64);
      if (k & 1) __builtin_memmove(buf + src, buf + dst, len);
      else __builtin_memmove(buf + dst, buf + src, len);
    }
    /* Fills, small and large. */
    for (int k = 0; k < 5000; k++) {
      u32 len = rng_below(&r, (k & 15) ? 256 : 65536);
      u32 at = rng_below(&r, BUF - len);
      __builtin_memset(buf + at, k & 0xff, len);
    }
    /* Big block copies. */
    for (int k = 0; k < 8; k++)
      __builtin_memcpy(buf + (k & 1 ? 0 : BUF / 2), buf + (k & 1 ? BUF / 2 : 0), BUF / 2);
    /* Struct copies of a fixed size (inlined by the compiler). */
    for (int k = 0; k < 4096; k++) {
      recs[k].id = (u32)k;
      recs[k].flags = (u32)round;
      recs[k].stamp = rng_next(&r);
      __builtin_memcpy(recs[k].name, buf + rng_below(&r, BUF - 40), 40);
    }
    for (int k = 0; k < 400000; k++) {
      u32 i = rng_below(&r, 4096), j = rng_below(&r, 4096);
      struct rec t = recs[i];
      recs[i] = recs[j];
      recs[j] = t;
      recs[j].flags ^= i;
    }
    h = mix(h, sample());
    for (int k = 0; k < 4096; k += 17) h = mix(h, recs[k].stamp ^ recs[k].flags ^ recs[k].name[k % 40]);
  }
  return (i64)h;
}

BENCH_MAIN(24, 1)
