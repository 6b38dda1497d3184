/*
 * bench/cputime.c: run a command and report the CPU time it used (user +
 * system, from wait4's rusage), for runners that only report wall-clock
 * time. On a loaded machine wall-clock time counts the time a process waits
 * for a CPU; CPU time does not.
 *
 * Usage: cputime CMD [ARGS...]. The command's output passes through; after
 * it exits, `cputime: <seconds>` goes to stderr, and cputime exits with the
 * command's status (128 + signal when it was killed).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: cputime CMD [ARGS...]\n");
    return 2;
  }
  pid_t pid = fork();
  if (pid < 0) {
    perror("cputime: fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[1], argv + 1);
    perror(argv[1]);
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) {
    perror("cputime: wait4");
    return 2;
  }
  double s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
  fprintf(stderr, "cputime: %.6f\n", s);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
