/*
 * lz: an LZ77 compressor in the LZ4 spirit (greedy, a hash of the next four
 * bytes finds the last position where they occurred) and its decompressor,
 * over 1 MiB of text-like data; the round trip is checked byte for byte.
 *
 * Format: a control byte c < 0x80 is followed by c + 1 literal bytes; a byte
 * c >= 0x80 is a match of (c & 0x7f) + 4 bytes at a 16-bit distance that
 * follows (little-endian).
 */
#include "../bench.h"

#define IN_MAX (1 << 20)
#define HBITS 15

static u8 in[IN_MAX], out[IN_MAX + IN_MAX / 64 + 16], back[IN_MAX];
static u32 head[1 << HBITS];

static void make_input(rng *r, u32 n) {
  static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ",
                                "dog ", "wasm ", "kernel ", "coral ", "module ", "\n", ", "};
  u32 i = 0;
  while (i < n) {
    if (rng_below(r, 50) == 0) { /* a little noise */
      for (u32 k = rng_below(r, 20); k && i < n; k--) in[i++] = (u8)rng_next(r);
      continue;
    }
    const char *w = words[rng_below(r, 14)];
    while (*w && i < n) in[i++] = (u8)*w++;
  }
}

static inline u32 load32(const u8 *p) { return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24; }
static inline u32 hash4(u32 v) { return (v * 2654435761u) >> (32 - HBITS); }

static u32 flush_literals(u8 *o, const u8 *lit, u32 n) {
  u32 w = 0;
  while (n) {
    u32 k = n > 128 ? 128 : n;
    o[w++] = (u8)(k - 1);
    for (u32 i = 0; i < k; i++) o[w++] = lit[i];
    lit += k;
    n -= k;
  }
  return w;
}

static NOINLINE u32 compress(const u8 *src, u32 n, u8 *dst) {
  for (u32 i = 0; i < (1u << HBITS); i++) head[i] = 0xffffffffu;
  u32 i = 0, lit = 0, w = 0;
  while (i + 4 <= n) {
    u32 hv = hash4(load32(src + i));
    u32 cand = head[hv];
    head[hv] = i;
    if (cand != 0xffffffffu && i - cand < 65536 && load32(src + cand) == load32(src + i)) {
      u32 len = 4;
      while (i + len < n && len < 131 && src[cand + len] == src[i + len]) len++;
      w += flush_literals(dst + w, src + lit, i - lit);
      u32 dist = i - cand;
      dst[w++] = (u8)(0x80 | (len - 4));
      dst[w++] = (u8)dist;
      dst[w++] = (u8)(dist >> 8);
      for (u32 k = 1; k < len && i + k + 4 <= n; k += 2) head[hash4(load32(src + i + k))] = i + k;
      i += len;
      lit = i;
    } else {
      i++;
    }
  }
  w += flush_literals(dst + w, src + lit, n - lit);
  return w;
}

static NOINLINE u32 decompress(const u8 *src, u32 n, u8 *dst) {
  u32 r = 0, w = 0;
  while (r < n) {
    u32 c = src[r++];
    if (c < 0x80) {
      for (u32 k = 0; k <= c; k++) dst[w++] = src[r++];
    } else {
      u32 len = (c & 0x7f) + 4;
      u32 dist = src[r] | src[r + 1] << 8;
      r += 2;
      const u8 *from = dst + w - dist;
      for (u32 k = 0; k < len; k++) dst[w + k] = from[k];
      w += len;
    }
  }
  return w;
}

static i64 run(int scale) {
  rng r;
  rng_seed(&r, 77);
  u64 h = 0;
  for (int round = 0; round < scale; round++) {
    u32 n = IN_MAX - rng_below(&r, 1000);
    make_input(&r, n);
    u32 clen = compress(in, n, out);
    u32 dlen = decompress(out, clen, back);
    u64 bad = dlen != n;
    for (u32 i = 0; i < n; i++) bad += in[i] != back[i];
    h = mix(h, clen);
    h = mix(h, bad);
  }
  return (i64)h;
}

BENCH_MAIN(48, 1)
