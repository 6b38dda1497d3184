/*
 * bigmem: a large working set (48 MiB) that defeats the caches: a pointer
 * chase around one random cycle of 4M slots (Sattolo's shuffle), random
 * read-modify-write updates of a 32 MiB counter array, and strided sweeps.
 */
#include "../bench.h"

#define SLOTS (4u << 20)    /* 16 MiB of u32 links */
#define CNT (4u << 20)      /* 32 MiB of u64 counters */

static u32 next[SLOTS];
static u64 counter[CNT];

static i64 run(int scale) {
  u32 n = scale >= 4 ? SLOTS : SLOTS / 16;
  rng r;
  rng_seed(&r, 11);
  for (u32 i = 0; i < n; i++) next[i] = i;
  for (u32 i = n - 1; i > 0; i--) { /* Sattolo: one cycle through every slot */
    u32 j = rng_below(&r, i);
    u32 t = next[i]; next[i] = next[j]; next[j] = t;
  }
  u64 h = 0;
  u32 p = 0;
  for (u32 k = 0; k < n / 4 * (u32)scale; k++) p = next[p];
  h = mix(h, p);

  u32 m = scale >= 4 ? CNT : CNT / 16;
  for (u32 i = 0; i < m; i++) counter[i] = i;
  for (u32 k = 0; k < 1000000u * (u32)scale; k++) {
    u64 x = rng_next(&r);
    counter[(u32)x & (m - 1)] += x >> 40;
  }
  for (u32 stride = 1; stride <= 4096; stride *= 8)
    for (u32 s = 0; s < stride; s++)
      for (u32 i = s; i < m; i += stride) h += counter[i] ^ i;
  return (i64)mix(h, counter[m - 1]);
}

BENCH_MAIN(4, 1)
