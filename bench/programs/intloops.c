/*
 * intloops: plain integer loops. Collatz chain lengths (data-dependent
 * branches, 64-bit arithmetic), a bit-array prime sieve (shifts and masks) and
 * Euclid's gcd over pairs (division in a loop).
 */
#include "../bench.h"

static u32 sieve_bits[(1 << 22) / 32];

static u64 collatz(u32 n) {
  u64 total = 0;
  u32 best = 0, best_i = 0;
  for (u32 i = 1; i < n; i++) {
    u64 x = i;
    u32 steps = 0;
    while (x != 1) {
      x = (x & 1) ? 3 * x + 1 : x >> 1;
      steps++;
    }
    total += steps;
    if (steps > best) {
      best = steps;
      best_i = i;
    }
  }
  return total * 1000003u + best_i;
}

static u64 sieve(u32 n) {
  u32 words = n / 32;
  for (u32 i = 0; i < words; i++)
    sieve_bits[i] = 0;
  u64 count = 0, sum = 0;
  for (u32 i = 2; i < n; i++) {
    if (sieve_bits[i >> 5] & (1u << (i & 31)))
      continue;
    count++;
    sum += i;
    for (u64 j = (u64)i * i; j < n; j += i)
      sieve_bits[j >> 5] |= 1u << (j & 31);
  }
  return count * 31 + sum;
}

static u32 gcd(u32 a, u32 b) {
  while (b) {
    u32 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static u64 gcds(u32 n) {
  u64 sum = 0;
  for (u32 a = 1; a < n; a++)
    for (u32 b = a; b < n; b += 7)
      sum += gcd(a * 2654435761u >> 8, b);
  return sum;
}

static i64 run(int scale) {
  u64 h = 0;
  h = mix(h, collatz(scale * 300000u));
  h = mix(h, sieve(scale * 400000u < (1u << 22) ? scale * 400000u : (1u << 22)));
  h = mix(h, gcds(scale * 400u));
  return (i64)h;
}

BENCH_MAIN(10, 1)
