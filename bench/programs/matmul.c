/*
 * matmul: dense double-precision matrix multiply, C = A * B with n = 384, in
 * the cache-friendly i-k-j order, then a transpose and a second product.
 */
#include "../bench.h"

#define N 384

static double A[N][N], B[N][N], C[N][N];

static void fill(int n) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      A[i][j] = (double)((i * 7 + j * 3) % 17) * 0.25 - 2.0;
      B[i][j] = (double)((i * 5 + j * 11) % 13) * 0.5 - 3.0;
    }
}

static NOINLINE void multiply(int n) {
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) C[i][j] = 0;
    for (int k = 0; k < n; k++) {
      double a = A[i][k];
      for (int j = 0; j < n; j++) C[i][j] += a * B[k][j];
    }
  }
}

static double trace_sum(int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += C[i][i] + C[i][(i * 31) % n] * 1e-3;
  return s;
}

static i64 run(int scale) {
  int n = scale >= 4 ? N : N / 4;
  u64 h = 0;
  fill(n);
  for (int r = 0; r < scale; r++) {
    multiply(n);
    h = mix(h, (u64)fbits(trace_sum(n)));
    /* A = C scaled down, so the next round differs. */
    for (int i = 0; i < n; i++)
      for (int j = 0; j < n; j++) A[i][j] = C[j][i] * (1.0 / 1024);
  }
  return (i64)h;
}

BENCH_MAIN(20, 1)
