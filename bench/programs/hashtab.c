/*
 * hashtab: an open-addressing hash table (linear probing, backward-shift
 * deletion) from 32-bit keys to 32-bit values: inserts, hits, misses and
 * deletes over a table of a million slots.
 */
#include "../bench.h"

#define CAP (1u << 20)
#define EMPTY 0u

static u32 keys[CAP];
static u32 vals[CAP];

static inline u32 hash(u32 k) {
  k ^= k >> 16;
  k *= 0x7feb352dU;
  k ^= k >> 15;
  k *= 0x846ca68bU;
  k ^= k >> 16;
  return k & (CAP - 1);
}

static void put(u32 k, u32 v) {
  u32 i = hash(k);
  while (keys[i] != EMPTY && keys[i] != k)
    i = (i + 1) & (CAP - 1);
  keys[i] = k;
  vals[i] = v;
}

static int get(u32 k, u32 *v) {
  u32 i = hash(k);
  while (keys[i] != EMPTY) {
    if (keys[i] == k) {
      *v = vals[i];
      return 1;
    }
    i = (i + 1) & (CAP - 1);
  }
  return 0;
}

static int del(u32 k) {
  u32 i = hash(k);
  while (keys[i] != k) {
    if (keys[i] == EMPTY)
      return 0;
    i = (i + 1) & (CAP - 1);
  }
  /* Backward shift: pull later entries of the run into the hole. */
  u32 j = i;
  for (;;) {
    j = (j + 1) & (CAP - 1);
    if (keys[j] == EMPTY)
      break;
    u32 home = hash(keys[j]);
    /* Move j into i unless its home lies cyclically in (i, j]. */
    if ((i <= j) ? (i < home && home <= j) : (i < home || home <= j))
      continue;
    keys[i] = keys[j];
    vals[i] = vals[j];
    i = j;
  }
  keys[i] = EMPTY;
  return 1;
}

static i64 run(int scale) {
  for (u32 i = 0; i < CAP; i++)
    keys[i] = EMPTY;
  u64 h = 0;
  rng r;
  for (int round = 0; round < scale; round++) {
    u32 n = 600000; /* load factor stays under 0.6 */
    rng_seed(&r, 1234 + round);
    for (u32 i = 0; i < n; i++)
      put((u32)rng_next(&r) | 1, i);
    rng_seed(&r, 1234 + round);
    u64 hits = 0, sum = 0;
    for (u32 i = 0; i < n; i++) {
      u32 v;
      if (get((u32)rng_next(&r) | 1, &v)) {
        hits++;
        sum += v;
      }
    }
    rng_seed(&r, 99 + round);
    for (u32 i = 0; i < n; i++) {
      u32 v;
      hits += get((u32)rng_next(&r) & ~1u, &v); /* even keys: misses */
    }
    rng_seed(&r, 1234 + round);
    u64 dels = 0;
    for (u32 i = 0; i < n; i++)
      dels += del((u32)rng_next(&r) | 1);
    h = mix(h, hits);
    h = mix(h, sum);
    h = mix(h, dels);
  }
  return (i64)h;
}

BENCH_MAIN(6, 1)
