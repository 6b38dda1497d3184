/* kernel/coral/sys.h: what the kernel objects and the `coral` module need
 * from where they run, and nothing more. Implemented twice: host/sys.c
 * (Linux: malloc, pthreads, clock_gettime) and, later, by the kernel core
 * (heap, kernel threads, the timer).
 *
 * Concurrency model: one big lock. Every entry into kernel/coral/ from a
 * program (a `coral` call) or from the embedder takes it; it is dropped
 * only while waiting and while running Wasm code (which may call back in).
 * In the kernel, which is not preemptible on one CPU, the lock can be
 * empty; on the host, threads of different components really do run at
 * the same time, so it is a mutex. */
#ifndef CORAL_SYS_H
#define CORAL_SYS_H

#include <stddef.h>
#include <stdint.h>

/* Zeroed allocation; NULL on failure. sys_free(NULL) does nothing. Used for
 * objects and for the bytes of VMAs and module copies (the kernel may back
 * large requests with page frames). */
void *sys_alloc(size_t size);
void sys_free(void *ptr);

/* The big lock (not recursive). */
void sys_lock(void);
void sys_unlock(void);

/* Waiting, with the big lock held: sys_wait drops it, sleeps until
 * sys_wake_all() is called or the monotonic clock passes `deadline_ns`
 * (0: no deadline), and takes it again. Wake-ups may be spurious: callers
 * loop on their condition. There is one wait queue for everything, which
 * is enough while waits are few (component_wait, sleep). */
void sys_wait(uint64_t deadline_ns);
void sys_wake_all(void);

/* Monotonic time in nanoseconds since an arbitrary start. */
uint64_t sys_time_ns(void);

/* Gives up the CPU to other runnable threads (without the big lock). */
void sys_yield(void);

/* Starts a thread, with a stack big enough for Wasm, that runs fn(arg) and
 * then ends; returns it, or NULL when no thread can be made. Called with
 * the big lock held; the new thread does not hold it. The handle stays
 * valid until fn returns. */
typedef struct sys_thread sys_thread;
sys_thread *sys_thread_start(void (*fn)(void *arg), void *arg);

/* Asks thread `t` (running fn) to stop running Wasm: its current or next
 * call into Wasm code ends with a trap, even in a loop without calls (the
 * kernel: kwasm_kill; the host: a signal, sent again until the thread is
 * caught in Wasm code or ends). Called with the big lock held. */
void sys_thread_kill(sys_thread *t);

/* Writes bytes to the console, as they are. */
void sys_console_write(const char *s, size_t len);

/* Console input, without waiting: moves up to `cap` bytes typed so far
 * into buf and returns how many; 0 when none is there yet (the arrival of
 * more calls sys_wake_all); -1 at the end of input (the host's stdin
 * closed; the kernel's serial line never ends) or when this machine has
 * no console input. Called with the big lock held. */
int sys_console_read(char *buf, size_t cap);

#endif
