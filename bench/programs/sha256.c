/*
 * sha256: SHA-256 (FIPS 180-4) over a 1 MiB buffer, hashed again and again
 * with the previous digest folded in: 32-bit rotates, adds and big-endian
 * loads, the kind of code that crypto libraries are made of.
 */
#include "../bench.h"

#define LEN (1u << 20)

static u8 msg[LEN];

static const u32 K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline u32 ror(u32 x, int n) { return (x >> n) | (x << (32 - n)); }

static void block(u32 st[8], const u8 *p) {
  u32 w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 | (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    u32 s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    u32 s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  u32 a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
  for (int i = 0; i < 64; i++) {
    u32 t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    u32 t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  st[0] += a; st[1] += b; st[2] += c; st[3] += d;
  st[4] += e; st[5] += f; st[6] += g; st[7] += h;
}

static NOINLINE void sha256(const u8 *p, u32 n, u8 out[32]) {
  u32 st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  u32 i = 0;
  for (; i + 64 <= n; i += 64) block(st, p + i);
  u8 tail[128];
  u32 rest = n - i, tlen = rest < 56 ? 64 : 128;
  for (u32 k = 0; k < tlen; k++) tail[k] = 0;
  for (u32 k = 0; k < rest; k++) tail[k] = p[i + k];
  tail[rest] = 0x80;
  u64 bits = (u64)n * 8;
  for (int k = 0; k < 8; k++) tail[tlen - 1 - k] = (u8)(bits >> (8 * k));
  for (u32 k = 0; k < tlen; k += 64) block(st, tail + k);
  for (int k = 0; k < 8; k++) {
    out[4 * k] = (u8)(st[k] >> 24); out[4 * k + 1] = (u8)(st[k] >> 16);
    out[4 * k + 2] = (u8)(st[k] >> 8); out[4 * k + 3] = (u8)st[k];
  }
}

/* The digest of "abc", to catch a broken implementation, not just a
 * different one: the checksum includes whether it matched. */
static int self_test(void) {
  static const u8 want[4] = {0xba, 0x78, 0x16, 0xbf};
  u8 d[32];
  sha256((const u8 *)"abc", 3, d);
  return d[0] == want[0] && d[1] == want[1] && d[2] == want[2] && d[3] == want[3];
}

static i64 run(int scale) {
  for (u32 i = 0; i < LEN; i++) msg[i] = (u8)(i * 7 + (i >> 8));
  u8 d[32];
  u64 h = (u64)self_test();
  for (int round = 0; round < scale; round++) {
    sha256(msg, LEN - (u32)round, d);
    for (int k = 0; k < 32; k++) msg[round * 32 + k] ^= d[k];
    h = mix(h, (u64)d[0] << 24 | (u64)d[1] << 16 | (u64)d[2] << 8 | d[3]);
  }
  return (i64)h;
}

BENCH_MAIN(90, 4)
