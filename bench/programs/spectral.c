/*
 * spectral: the spectral norm of an infinite matrix (Computer Language
 * Benchmarks Game): repeated matrix-vector products whose entries are
 * computed on the fly, one integer multiply and one float division each.
 */
#include "../bench.h"

#define NMAX 3000

static double u[NMAX], v[NMAX], t[NMAX];

static inline double a(int i, int j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1); }

static void mul_av(int n, const double *x, double *y) {
  for (int i = 0; i < n; i++) {
    double s = 0;
    for (int j = 0; j < n; j++) s += a(i, j) * x[j];
    y[i] = s;
  }
}

static void mul_atv(int n, const double *x, double *y) {
  for (int i = 0; i < n; i++) {
    double s = 0;
    for (int j = 0; j < n; j++) s += a(j, i) * x[j];
    y[i] = s;
  }
}

static void mul_atav(int n, const double *x, double *y) {
  mul_av(n, x, t);
  mul_atv(n, t, y);
}

static i64 run(int n) {
  for (int i = 0; i < n; i++) u[i] = 1;
  for (int i = 0; i < 10; i++) {
    mul_atav(n, u, v);
    mul_atav(n, v, u);
  }
  double vbv = 0, vv = 0;
  for (int i = 0; i < n; i++) {
    vbv += u[i] * v[i];
    vv += v[i] * v[i];
  }
  return fbits(__builtin_sqrt(vbv / vv) * 1e3);
}

BENCH_MAIN(2600, 200)
