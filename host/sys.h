/* host/sys.h: host-only extras of the Linux side of kernel/coral/sys.h,
 * for tests and the CLI. */
#ifndef HOST_SYS_H
#define HOST_SYS_H

#include <stddef.h>

/* Blocks made by sys_alloc and not yet freed (leak checks in tests). */
long sys_host_live_allocs(void);

/* Makes sys_alloc fail after `n` more successes (n < 0: never fail), to
 * test the out-of-memory paths. */
void sys_host_fail_after(long n);

/* Test hooks for waits (kernel/coral/sys.h): threads asleep in
 * sys_wait_event now, and how many times a sleeping thread has woken up
 * (signaled, timed out or spuriously) since the process started. */
long sys_host_sleeping(void);
long sys_host_wakeups(void);

/* Sends console output to `fn` instead of stdout (NULL: back to stdout). */
void sys_host_set_console(void (*fn)(const char *s, size_t len));

#endif
