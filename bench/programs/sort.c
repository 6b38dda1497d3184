/*
 * sort: in-place sorting of integers. Quicksort (median of three, insertion
 * sort below 16 elements), heapsort and a bottom-up merge sort on the same
 * random data, each checked to be sorted.
 */
#include "../bench.h"

#define N (1 << 19)

static u32 a[N], b[N], tmp[N];

static void insertion(u32 *v, i32 lo, i32 hi) {
  for (i32 i = lo + 1; i <= hi; i++) {
    u32 x = v[i];
    i32 j = i - 1;
    while (j >= lo && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

static inline void swap(u32 *v, i32 i, i32 j) {
  u32 t = v[i];
  v[i] = v[j];
  v[j] = t;
}

static void quicksort(u32 *v, i32 lo, i32 hi) {
  while (hi - lo > 16) {
    i32 mid = lo + (hi - lo) / 2;
    if (v[mid] < v[lo]) swap(v, mid, lo);
    if (v[hi] < v[lo]) swap(v, hi, lo);
    if (v[hi] < v[mid]) swap(v, hi, mid);
    u32 p = v[mid];
    i32 i = lo, j = hi;
    while (i <= j) {
      while (v[i] < p) i++;
      while (v[j] > p) j--;
      if (i <= j) {
        swap(v, i, j);
        i++;
        j--;
      }
    }
    /* Recurse into the smaller half, loop on the larger. */
    if (j - lo < hi - i) {
      quicksort(v, lo, j);
      lo = i;
    } else {
      quicksort(v, i, hi);
      hi = j;
    }
  }
  insertion(v, lo, hi);
}

static void sift(u32 *v, i32 root, i32 n) {
  u32 x = v[root];
  for (;;) {
    i32 c = 2 * root + 1;
    if (c >= n) break;
    if (c + 1 < n && v[c + 1] > v[c]) c++;
    if (v[c] <= x) break;
    v[root] = v[c];
    root = c;
  }
  v[root] = x;
}

static void heapsort(u32 *v, i32 n) {
  for (i32 i = n / 2 - 1; i >= 0; i--)
    sift(v, i, n);
  for (i32 i = n - 1; i > 0; i--) {
    swap(v, 0, i);
    sift(v, 0, i);
  }
}

/* Returns the buffer that holds the result (passes alternate the two). */
static u32 *mergesort(u32 *v, u32 *t, i32 n) {
  for (i32 w = 1; w < n; w *= 2) {
    for (i32 lo = 0; lo < n; lo += 2 * w) {
      i32 mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      i32 i = lo, j = mid, k = lo;
      while (i < mid && j < hi) t[k++] = v[i] <= v[j] ? v[i++] : v[j++];
      while (i < mid) t[k++] = v[i++];
      while (j < hi) t[k++] = v[j++];
    }
    u32 *s = v; v = t; t = s;
  }
  return v;
}

static u64 check(const u32 *v, i32 n) {
  u64 h = 0, bad = 0;
  for (i32 i = 0; i < n; i++) {
    if (i && v[i - 1] > v[i]) bad++;
    if ((i & 1023) == 0) h = mix(h, v[i]);
  }
  return mix(h, bad);
}

static i64 run(int scale) {
  u64 h = 0;
  rng r;
  rng_seed(&r, 42);
  i32 n = scale >= 4 ? N : N / 16;
  for (int round = 0; round < scale; round++) {
    for (i32 i = 0; i < n; i++) a[i] = b[i] = (u32)rng_next(&r);
    quicksort(a, 0, n - 1);
    h = mix(h, check(a, n));
    heapsort(b, n);
    h = mix(h, check(b, n));
    for (i32 i = 0; i < n; i++) a[i] = (u32)rng_next(&r) % 1000; /* many equal keys */
    h = mix(h, check(mergesort(a, tmp, n), n));
  }
  return (i64)h;
}

BENCH_MAIN(4, 1)
