/* tests/kernel/ktest.h: kernel scenario tests. They are linked into the
 * kernel and chosen with `test=NAME` on the Multiboot command line;
 * tests/steps/30-kernel boots one QEMU per scenario and checks the serial
 * output and the exit status. */
#ifndef TESTS_KERNEL_KTEST_H
#define TESTS_KERNEL_KTEST_H

#include <stdbool.h>

/* Runs scenario `name` and ends the run: success when it passed. */
void ktest_run(const char *name) __attribute__((noreturn));

/* Reports a failed check and returns false (for `return ktest_fail(...)`). */
bool ktest_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Scenarios defined in the other files of tests/kernel/. */
bool ktest_pmm(void);
bool ktest_pmm_double_free(void);
bool ktest_pmm_bad_free(void);
bool ktest_vm(void);
bool ktest_vm_tables(void);
bool ktest_wx(void);
bool ktest_wx_write(void);
bool ktest_wx_alias(void);
bool ktest_nx(void);
bool ktest_guard(void);
bool ktest_heap(void);
bool ktest_heap_leak(void);
bool ktest_heap_double_free(void);
bool ktest_heap_large_double_free(void);
bool ktest_heap_bad_free(void);
bool ktest_timer(void);
bool ktest_irq(void);
bool ktest_threads(void);
bool ktest_preempt(void);
bool ktest_nonpreempt(void);
bool ktest_sleep(void);
bool ktest_waitq(void);
bool ktest_sse(void);
bool ktest_stack_guard(void);
bool ktest_main_stack_guard(void);
bool ktest_sched_cost(void);
bool ktest_wasm(void);
bool ktest_wasm_traps(void);
bool ktest_wasm_reclaim(void);
bool ktest_wasm_preempt(void);
bool ktest_wasm_kill(void);
bool ktest_coral_reclaim(void);
bool ktest_coral_channels(void);
bool ktest_coral_devices(void);
bool ktest_wasm_guard_panic(void);
bool ktest_wasm_compile(void);
bool ktest_wasm_cross(void);
bool ktest_wasm_kill_storm(void);
bool ktest_wasm_host_nonpreempt(void);
bool ktest_wasm_fault_vectors(void);
bool ktest_wasm_fault_stray(void);

#define KTEST_CHECK(cond) \
    do { if (!(cond)) return ktest_fail("check failed: %s (%s:%d)", #cond, __FILE__, __LINE__); } while (0)

#endif
