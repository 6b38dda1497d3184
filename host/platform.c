/* host/platform.c: the Linux side of wasm/platform.h: malloc, mmap and
 * mprotect, a thread-local engine pointer, the code-region registry, and
 * the fault handlers (SIGSEGV, SIGBUS, SIGFPE, SIGILL on an alternate
 * signal stack) that turn a fault in compiled code into a Wasm trap by
 * rewriting the saved registers: the handler itself never unwinds. */
#include <cpuid.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include "wasm/platform.h"

void *wasm_platform_alloc(size_t size)
{
    return malloc(size ? size : 1);
}

void *wasm_platform_calloc(size_t count, size_t size)
{
    return calloc(count ? count : 1, size ? size : 1);
}

void *wasm_platform_realloc(void *ptr, size_t size)
{
    return realloc(ptr, size ? size : 1);
}

void wasm_platform_free(void *ptr)
{
    free(ptr);
}

/* ---- virtual memory ---- */

size_t wasm_platform_page_size(void)
{
    return 4096;
}

void *wasm_platform_reserve(size_t size)
{
    void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void wasm_platform_release(void *base, size_t size)
{
    if (base)
        munmap(base, size);
}

int wasm_platform_commit(void *addr, size_t size)
{
    if (size == 0)
        return 0;
    return mprotect(addr, size, PROT_READ | PROT_WRITE) == 0 ? 0 : -1;
}

int wasm_platform_decommit(void *addr, size_t size)
{
    if (size == 0)
        return 0;
    void *p = mmap(addr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
                   -1, 0);
    return p == MAP_FAILED ? -1 : 0;
}

int wasm_platform_protect_exec(void *addr, size_t size)
{
    return mprotect(addr, size, PROT_READ | PROT_EXEC) == 0 ? 0 : -1;
}

/* ---- code regions ----
 * A fixed array read without a lock by the fault handler: a slot is filled
 * before `used` covers it, and cleared (owner NULL) on removal. */

#define MAX_REGIONS 65536

struct region {
    uintptr_t start, end;
    void *volatile owner;
};

static struct region regions[MAX_REGIONS];
static volatile unsigned nregions;
static pthread_mutex_t regions_lock = PTHREAD_MUTEX_INITIALIZER;

int wasm_platform_code_register(const void *start, size_t size, void *owner)
{
    int rc = -1;
    pthread_mutex_lock(&regions_lock);
    for (unsigned i = 0; i < MAX_REGIONS; i++) {
        if (i < nregions && regions[i].owner)
            continue;
        regions[i].start = (uintptr_t)start;
        regions[i].end = (uintptr_t)start + size;
        __atomic_store_n(&regions[i].owner, owner, __ATOMIC_RELEASE);
        if (i >= nregions)
            __atomic_store_n(&nregions, i + 1, __ATOMIC_RELEASE);
        rc = 0;
        break;
    }
    pthread_mutex_unlock(&regions_lock);
    return rc;
}

void wasm_platform_code_unregister(const void *start)
{
    pthread_mutex_lock(&regions_lock);
    for (unsigned i = 0; i < nregions; i++) {
        if (regions[i].owner && regions[i].start == (uintptr_t)start) {
            __atomic_store_n(&regions[i].owner, NULL, __ATOMIC_RELEASE);
            break;
        }
    }
    while (nregions > 0 && !regions[nregions - 1].owner)
        nregions--;
    pthread_mutex_unlock(&regions_lock);
}

void *wasm_platform_code_lookup(uintptr_t pc, uintptr_t *start)
{
    unsigned n = __atomic_load_n(&nregions, __ATOMIC_ACQUIRE);
    for (unsigned i = 0; i < n; i++) {
        void *owner = __atomic_load_n(&regions[i].owner, __ATOMIC_ACQUIRE);
        if (owner && pc >= regions[i].start && pc < regions[i].end) {
            if (start)
                *start = regions[i].start;
            return owner;
        }
    }
    return NULL;
}

/* ---- faults ---- */

static struct sigaction previous[65];
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

static void pass_on(int sig, siginfo_t *info, void *ctx)
{
    struct sigaction *old = &previous[sig];
    if (old->sa_flags & SA_SIGINFO) {
        if (old->sa_sigaction) {
            old->sa_sigaction(sig, info, ctx);
            return;
        }
    } else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
        old->sa_handler(sig);
        return;
    }
    /* Default action: reinstall it and let the fault happen again. */
    signal(sig, SIG_DFL);
}

static void on_fault(int sig, siginfo_t *info, void *ctxp)
{
    ucontext_t *uc = ctxp;
    greg_t *g = uc->uc_mcontext.gregs;
    int kind = sig == SIGFPE ? WASM_FAULT_ARITH : sig == SIGILL ? WASM_FAULT_ILLEGAL
                                                                : WASM_FAULT_MEMORY;
    uint64_t arg = 0;
    uintptr_t pc = (uintptr_t)g[REG_RIP];
    uintptr_t to = wasm_fault_to_trap(pc, (uintptr_t)info->si_addr, kind, &arg);
    if (!to) {
        pass_on(sig, info, ctxp);
        return;
    }
    /* Make it look as if the faulting instruction called the trap stub. */
    g[REG_RSP] -= 8;
    *(uint64_t *)g[REG_RSP] = pc;
    g[REG_RDI] = (greg_t)arg;
    g[REG_RIP] = (greg_t)to;
}

static void install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL };
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, &previous[sigs[i]]);
}

/* ---- per-thread state ----
 * The engine's pointer and the alternate signal stack live in thread-local
 * variables; a pthread key's destructor frees both when the thread ends. */

static _Thread_local void *thread_ptr;
static _Thread_local void *thread_altstack;
static _Thread_local int thread_ready;
static pthread_key_t thread_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void thread_exit(void *unused)
{
    (void)unused;
    if (thread_altstack) {
        stack_t ss = { .ss_flags = SS_DISABLE };
        sigaltstack(&ss, NULL);
        free(thread_altstack);
        thread_altstack = NULL;
    }
    free(thread_ptr);
    thread_ptr = NULL;
}

static void make_key(void)
{
    pthread_key_create(&thread_key, thread_exit);
}

static void thread_setup(void)
{
    pthread_once(&handlers_once, install_handlers);
    pthread_once(&key_once, make_key);
    pthread_setspecific(thread_key, (void *)1);
    /* An alternate stack, so that a fault near the stack's end can still
     * be handled. */
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) && cur.ss_size >= 65536)
        return;
    size_t size = 65536;
    thread_altstack = malloc(size);
    if (!thread_altstack)
        return;
    stack_t ss = { .ss_sp = thread_altstack, .ss_size = size, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
}

void **wasm_platform_thread_slot(void)
{
    if (!thread_ready) {
        thread_ready = 1;
        thread_setup();
    }
    return &thread_ptr;
}

int wasm_platform_stack_bounds(uintptr_t *lo, uintptr_t *hi)
{
    pthread_attr_t attr;
    void *addr;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return -1;
    int rc = pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
    if (rc != 0)
        return -1;
    *lo = (uintptr_t)addr;
    *hi = (uintptr_t)addr + size;
    return 0;
}

unsigned wasm_platform_cpu_features(void)
{
    unsigned a, b, c, d, f = 0;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        if (c & bit_SSSE3) f |= WASM_CPU_SSSE3;
        if (c & bit_SSE4_1) f |= WASM_CPU_SSE41;
        if (c & bit_POPCNT) f |= WASM_CPU_POPCNT;
        /* AVX only when the OS saves its state too (OSXSAVE, XCR0). */
        if ((c & bit_AVX) && (c & bit_OSXSAVE)) {
            unsigned lo, hi;
            __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            if ((lo & 6) == 6)
                f |= WASM_CPU_AVX;
        }
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d) && (c & bit_LZCNT))
        f |= WASM_CPU_LZCNT;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_BMI))
        f |= WASM_CPU_BMI1;
    return f;
}
