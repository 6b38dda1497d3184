/*
 * strings: byte-string processing. Builds a text of made-up words, then
 * tokenizes it and counts word frequencies in a hash table of strings,
 * searches it for patterns byte by byte, changes case and reverses words,
 * and formats and parses numbers.
 */
#include "../bench.h"

#define TEXT_MAX (1 << 20)
#define SLOTS (1 << 14)

static char text[TEXT_MAX + 64];
static i32 text_len;
static const char *syll[] = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "an",
                             "el", "or", "qua", "zen", "th", "ph", "x"};

struct word { const char *p; i32 len; i32 count; };
static struct word table[SLOTS];

static i32 slen(const char *s) { i32 n = 0; while (s[n]) n++; return n; }

static int sneq(const char *a, const char *b, i32 n) {
  for (i32 i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

static void make_text(rng *r, i32 len) {
  i32 n = 0;
  while (n < len) {
    i32 parts = 1 + rng_below(r, 3); /* at most 4368 distinct words */
    for (i32 k = 0; k < parts; k++) {
      const char *s = syll[rng_below(r, 16)];
      while (*s) text[n++] = *s++;
    }
    u32 p = rng_below(r, 20);
    text[n++] = p == 0 ? '.' : p == 1 ? ',' : p == 2 ? '\n' : ' ';
  }
  text_len = n;
  text[n] = 0;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static u32 str_hash(const char *p, i32 len) {
  u32 h = 2166136261u;
  for (i32 i = 0; i < len; i++) h = (h ^ (u8)p[i]) * 16777619u;
  return h;
}

static u64 count_words(void) {
  for (i32 i = 0; i < SLOTS; i++) table[i].p = 0;
  u64 words = 0, distinct = 0;
  i32 i = 0;
  while (i < text_len) {
    while (i < text_len && !is_alpha(text[i])) i++;
    i32 start = i;
    while (i < text_len && is_alpha(text[i])) i++;
    i32 len = i - start;
    if (!len) continue;
    words++;
    u32 s = str_hash(text + start, len) & (SLOTS - 1);
    for (;;) {
      struct word *w = &table[s];
      if (!w->p) {
        w->p = text + start; w->len = len; w->count = 1;
        distinct++;
        break;
      }
      if (w->len == len && sneq(w->p, text + start, len)) { w->count++; break; }
      s = (s + 1) & (SLOTS - 1);
    }
  }
  u64 h = mix(words, distinct);
  for (i32 k = 0; k < SLOTS; k++)
    if (table[k].p && table[k].count > 400) h = mix(h, (u64)table[k].count * 131 + table[k].len);
  return h;
}

static u64 search(const char *pat) {
  i32 m = slen(pat);
  u64 hits = 0, pos = 0;
  for (i32 i = 0; i + m <= text_len; i++) {
    if (text[i] != pat[0]) continue;
    if (sneq(text + i, pat, m)) { hits++; pos += i; }
  }
  return hits * 1000003 + pos;
}

static u64 transform(void) {
  u64 h = 0;
  i32 i = 0;
  while (i < text_len) {
    while (i < text_len && !is_alpha(text[i])) i++;
    i32 a = i;
    while (i < text_len && is_alpha(text[i])) i++;
    for (i32 lo = a, hi = i - 1; lo < hi; lo++, hi--) {
      char t = text[lo]; text[lo] = text[hi]; text[hi] = t;
    }
    if (a < text_len) text[a] ^= 0x20; /* flip the case of the first letter */
  }
  for (i32 k = 0; k < text_len; k += 97) h = mix(h, (u8)text[k]);
  return h;
}

static i32 fmt_u32(char *out, u32 v) {
  char tmp[12];
  i32 n = 0;
  do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  for (i32 i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  return n;
}

static u32 parse_u32(const char *s, i32 *used) {
  u32 v = 0;
  i32 i = 0;
  while (s[i] >= '0' && s[i] <= '9') v = v * 10 + (u32)(s[i++] - '0');
  *used = i;
  return v;
}

static u64 numbers(rng *r, i32 n) {
  static char buf[64];
  u64 sum = 0;
  for (i32 k = 0; k < n; k++) {
    u32 v = (u32)rng_next(r) >> rng_below(r, 32);
    i32 len = fmt_u32(buf, v);
    buf[len] = ' ';
    i32 used;
    sum += parse_u32(buf, &used) + (u32)used;
  }
  return sum;
}

static i64 run(int scale) {
  rng r;
  rng_seed(&r, 7);
  u64 h = 0;
  for (int round = 0; round < scale; round++) {
    make_text(&r, TEXT_MAX);
    h = mix(h, count_words());
    h = mix(h, search("quazen"));
    h = mix(h, search("kalomi"));
    h = mix(h, search("x."));
    h = mix(h, transform());
    h = mix(h, count_words());
    h = mix(h, numbers(&r, 200000));
  }
  return (i64)h;
}

BENCH_MAIN(18, 1)
