/*
 * crc: checksums over a 4 MiB buffer: table-driven CRC-32 (byte at a time,
 * then slicing by 4), Adler-32 and 64-bit FNV-1a. Loads, shifts, xors and
 * table lookups.
 */
#include "../bench.h"

#define LEN (4u << 20)

static u8 data[LEN];
static u32 tab[4][256];

static void make_tables(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    tab[0][i] = c;
  }
  for (u32 i = 0; i < 256; i++)
    for (int t = 1; t < 4; t++) tab[t][i] = (tab[t - 1][i] >> 8) ^ tab[0][tab[t - 1][i] & 0xff];
}

static NOINLINE u32 crc32_bytes(const u8 *p, u32 n) {
  u32 c = 0xffffffffu;
  for (u32 i = 0; i < n; i++) c = tab[0][(c ^ p[i]) & 0xff] ^ (c >> 8);
  return ~c;
}

static NOINLINE u32 crc32_slice4(const u8 *p, u32 n) {
  u32 c = 0xffffffffu, i = 0;
  for (; i + 4 <= n; i += 4) {
    c ^= p[i] | p[i + 1] << 8 | p[i + 2] << 16 | (u32)p[i + 3] << 24;
    c = tab[3][c & 0xff] ^ tab[2][(c >> 8) & 0xff] ^ tab[1][(c >> 16) & 0xff] ^ tab[0][c >> 24];
  }
  for (; i < n; i++) c = tab[0][(c ^ p[i]) & 0xff] ^ (c >> 8);
  return ~c;
}

static NOINLINE u32 adler32(const u8 *p, u32 n) {
  u32 a = 1, b = 0;
  while (n) {
    u32 k = n < 5552 ? n : 5552;
    n -= k;
    while (k--) { a += *p++; b += a; }
    a %= 65521;
    b %= 65521;
  }
  return b << 16 | a;
}

static NOINLINE u64 fnv1a(const u8 *p, u32 n) {
  u64 h = 0xcbf29ce484222325ull;
  for (u32 i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

static i64 run(int scale) {
  make_tables();
  rng r;
  rng_seed(&r, 3);
  for (u32 i = 0; i < LEN; i += 8) {
    u64 v = rng_next(&r);
    for (int k = 0; k < 8; k++) data[i + k] = (u8)(v >> (8 * k));
  }
  u64 h = 0;
  for (int round = 0; round < scale; round++) {
    u32 n = LEN - (u32)round * 4099;
    u32 a = crc32_bytes(data, n), b = crc32_slice4(data, n);
    h = mix(h, a);
    h = mix(h, a == b);
    h = mix(h, adler32(data + round, n - round));
    h = mix(h, fnv1a(data, n));
    data[round * 977] ^= (u8)a; /* the next round sees different data */
  }
  return (i64)h;
}

BENCH_MAIN(24, 1)
