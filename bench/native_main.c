/*
 * bench/native_main.c: the native runner. Linked with one benchmark program
 * (built by gcc or clang for x86-64), it calls bench_run (or bench_smoke)
 * REPEAT times and prints, for each call, its wall-clock time alone:
 *
 *   time: <seconds>     wall clock
 *   cpu: <seconds>      CPU time of the process (robust to a loaded machine)
 *   ...
 *   checksum: <signed 64-bit decimal>
 *
 * Usage: NAME [run|smoke] [REPEAT]. A first call over 3 s makes it best of
 * 3. It stops with status 1 when two calls disagree (a program must redo all
 * its setup on every call).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long long bench_run(void);
long long bench_smoke(void);

static double clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

int main(int argc, char **argv) {
  int smoke = argc > 1 && strcmp(argv[1], "smoke") == 0;
  int repeat = argc > 2 ? atoi(argv[2]) : 1;
  if (argc > 1 && !smoke && strcmp(argv[1], "run") != 0) {
    fprintf(stderr, "usage: %s [run|smoke] [REPEAT]\n", argv[0]);
    return 2;
  }
  long long first = 0;
  for (int i = 0; i < repeat || i == 0; i++) {
    double c0 = cpu(), t0 = now();
    long long sum = smoke ? bench_smoke() : bench_run();
    double t1 = now(), c1 = cpu();
    printf("time: %.6f\ncpu: %.6f\n", t1 - t0, c1 - c0);
    if (i == 0 && t1 - t0 > 3 && repeat > 3) repeat = 3; /* slow: best of 3 */
    fflush(stdout);
    if (i == 0) first = sum;
    else if (sum != first) {
      fprintf(stderr, "checksum changed between calls: %lld then %lld\n", first, sum);
      return 1;
    }
  }
  printf("checksum: %lld\n", first);
  return 0;
}
