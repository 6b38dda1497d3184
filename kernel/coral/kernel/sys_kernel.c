/* kernel/coral/kernel/sys_kernel.c: kernel/coral/sys.h in the kernel, over
 * the kernel heap, kernel threads, wait queues and the clock (the kernel
 * core's kmalloc.h, thread.h, waitq.h, time.h).
 *
 * The big lock is empty: the kernel is not preemptible (only compiled Wasm
 * code is, and the coral module is kernel code), and on one CPU nothing
 * else runs between a check and the wait that follows it. SMP will need a
 * real lock here, dropped in sys_wait.
 *
 * Built only once the kernel has threads (mk/os.mk checks for
 * kernel/thread.h); the kernel links it with kernel/coral/ when it starts
 * userboot. */
#include "kernel/coral/sys.h"
#include "kernel/kconsole.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/kwasm.h"
#include "kernel/thread.h"
#include "kernel/time.h"
#include "kernel/waitq.h"
#include "kernel/arch/x86_64/cpu.h"

static waitq events;
static int events_ready;
/* A wake-up that came while nobody waited: an interrupt handler's
 * (console input) may fall between a caller's check of its condition and
 * its sys_wait, which must then not sleep. Only interrupts can come in
 * between on one CPU with a kernel that is not preemptible. */
static volatile int wake_pending;

void *sys_alloc(size_t size)
{
    return kzalloc(size ? size : 1);
}

void sys_free(void *ptr)
{
    kfree(ptr);
}

void sys_lock(void) { }
void sys_unlock(void) { }

static waitq *queue(void)
{
    if (!events_ready) {
        waitq_init(&events);
        events_ready = 1;
    }
    return &events;
}

void sys_wait(uint64_t deadline_ns)
{
    bool on = irq_save();
    uint64_t now = time_ns();
    if (!wake_pending && (!deadline_ns || now < deadline_ns))
        waitq_wait(queue(), deadline_ns ? deadline_ns - now : WAIT_FOREVER);
    wake_pending = 0;
    irq_restore(on);
}

void sys_wake_all(void)
{
    bool on = irq_save();
    wake_pending = 1;
    waitq_wake_all(queue());
    irq_restore(on);
}

uint64_t sys_time_ns(void)
{
    return time_ns();
}

void sys_yield(void)
{
    thread_yield();
}

sys_thread *sys_thread_start(void (*fn)(void *arg), void *arg)
{
    /* Component threads run Wasm: they get a Wasm-sized stack. */
    return (sys_thread *)thread_create("component", fn, arg, THREAD_STACK_WASM);
}

void sys_thread_kill(sys_thread *t)
{
    kwasm_kill((thread *)t);
}

void sys_console_write(const char *s, size_t len)
{
    kprintf("%.*s", (int)len, s);
}

/* Input is turned on by the first read: until a program asks, the UART
 * holds what is typed (and QEMU holds the rest). */
int sys_console_read(char *buf, size_t cap)
{
    static int state;           /* 0: not yet, 1: on, -1: line 4 taken */
    if (state == 0)
        state = kconsole_input_init(sys_wake_all) ? 1 : -1;
    if (state < 0)
        return -1;
    return (int)kconsole_read(buf, cap);
}
