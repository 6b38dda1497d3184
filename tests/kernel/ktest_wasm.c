/* tests/kernel/ktest_wasm.c: scenarios for the engine inside the kernel:
 * compiling and running modules (the .wat files of tests/kernel/wasm/, embedded at build
 * time), a trap of each kind with the kernel going on, reclaim of frames
 * and heap over 1,000 instances, preemption of threads spinning in
 * compiled code, and killing an endless loop. Wasm runs on threads with
 * THREAD_STACK_WASM stacks; the boot thread's 16 KiB stack is too small
 * for it (every call there is a stack-exhaustion trap, checked too). */
#include "tests/kernel/ktest.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/kwasm.h"
#include "kernel/multiboot.h"
#include "kernel/pmm.h"
#include "kernel/thread.h"
#include "kernel/time.h"
#include "kernel/waitq.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/trap.h"
#include "lib/fmt.h"
#include "lib/string.h"
#include "wasm/wasm.h"

#define MS 1000000ull

extern const unsigned char kwasm_mod_basic[], kwasm_mod_traps[], kwasm_mod_spin[], kwasm_mod_naps[];
extern const unsigned long kwasm_mod_basic_len, kwasm_mod_traps_len, kwasm_mod_spin_len,
    kwasm_mod_naps_len;
extern const unsigned char kwasm_mod_lib[], kwasm_mod_user[], kwasm_mod_fsum[], kwasm_mod_busy[],
    kwasm_mod_storm[];
extern const unsigned long kwasm_mod_lib_len, kwasm_mod_user_len, kwasm_mod_fsum_len,
    kwasm_mod_busy_len, kwasm_mod_storm_len;

/* ---- running something on a thread with a Wasm-sized stack ---- */

typedef struct job {
    void (*fn)(struct job *);
    void *arg;
    bool ok;
    wasm_error err;
    int rc;
    uint64_t result, switches;
    thread *t;
    volatile bool done;
    waitq q;
} job;

static void job_main(void *p)
{
    job *j = p;
    j->fn(j);
    bool on = irq_save();
    j->done = true;
    waitq_wake_all(&j->q);
    irq_restore(on);
}

static bool job_start(job *j, const char *name, void (*fn)(job *), void *arg)
{
    lib_memset(j, 0, sizeof *j);
    waitq_init(&j->q);
    j->fn = fn;
    j->arg = arg;
    j->t = thread_create(name, job_main, j, THREAD_STACK_WASM);
    return j->t != 0;
}

static bool job_wait(job *j, uint64_t timeout_ns)
{
    uint64_t end = time_ns() + timeout_ns;
    bool on = irq_save();
    while (!j->done && time_ns() < end)
        waitq_wait(&j->q, end - time_ns());
    irq_restore(on);
    return j->done;
}

/* Runs fn on a fresh Wasm thread and waits for it. */
static bool run_job(void (*fn)(job *), void *arg)
{
    job j;
    if (!job_start(&j, "wasm-test", fn, arg))
        return ktest_fail("no memory for a thread");
    if (!job_wait(&j, 60000 * MS))
        return ktest_fail("the Wasm thread did not finish");
    return j.ok;
}

/* ---- modules and calls ---- */

static wasm_engine *engine;

static wasm_module *load(const unsigned char *bytes, unsigned long len, unsigned flags)
{
    wasm_error err;
    uint64_t t0 = time_ns();
    wasm_module *m = wasm_module_new(engine, bytes, len, flags, &err);
    if (!m) {
        ktest_fail("module: %s", err.message);
        return 0;
    }
    wasm_module_stats st;
    wasm_module_get_stats(m, &st);
    kprintf("wasm: compiled %lu bytes (%u functions, %lu bytes of code) into %lu bytes of x86-64 in %lu us%s\n",
            len, st.functions, st.code_bytes, st.machine_bytes, (time_ns() - t0) / 1000,
            flags & WASM_MODULE_EXPLICIT_BOUNDS ? " (explicit bounds)" : "");
    return m;
}

static wasm_func *export_func(wasm_instance *inst, const char *name)
{
    wasm_extern ex;
    if (wasm_instance_export(inst, name, lib_strlen(name), &ex) != 0 || ex.kind != WASM_EXTERN_FUNC)
        return 0;
    return ex.of.func;
}

/* Calls export `name` with up to 2 i32/i64/f64 arguments (the types of the
 * function); returns 0 and the results, or -1 and *err. */
static int call(wasm_instance *inst, const char *name, const uint64_t *args, uint32_t nargs,
                uint64_t *res, uint32_t nres, wasm_error *err)
{
    wasm_func *f = export_func(inst, name);
    if (!f) {
        err->kind = WASM_ERR_ARGUMENT;
        lib_strlcpy(err->message, "no such export", sizeof err->message);
        return -1;
    }
    const uint8_t *pt, *rt;
    uint32_t np, nr;
    wasm_func_type(f, &pt, &np, &rt, &nr);
    wasm_val a[4], r[4];
    if (np != nargs || nr != nres || np > 4 || nr > 4) {
        err->kind = WASM_ERR_ARGUMENT;
        lib_strlcpy(err->message, "wrong arity", sizeof err->message);
        return -1;
    }
    for (uint32_t i = 0; i < np; i++) {
        a[i].type = pt[i];
        a[i].of.i64 = pt[i] == WASM_I32 ? (uint32_t)args[i] : args[i];
    }
    if (wasm_func_call(f, a, np, r, nr, err) != 0)
        return -1;
    for (uint32_t i = 0; i < nr; i++)
        res[i] = rt[i] == WASM_I32 ? r[i].of.i32 : r[i].of.i64;
    return 0;
}

/* env.print(ptr, len): the string from the caller's memory, checked. */
static int host_print(wasm_caller *caller, uint64_t *slots)
{
    uint64_t size;
    uint8_t *mem = wasm_caller_memory(caller, &size);
    uint32_t ptr = (uint32_t)slots[0], len = (uint32_t)slots[1];
    if (!mem || ptr > size || len > size - ptr)
        return 1;
    kprintf("wasm says: %.*s\n", (int)len, (const char *)mem + ptr);
    return 0;
}

/* env.fail(): asks for a trap. */
static int host_fail(wasm_caller *caller, uint64_t *slots)
{
    (void)caller;
    (void)slots;
    return 1;
}

static const uint8_t t_i32[] = { WASM_I32, WASM_I32 };

static wasm_instance *instantiate(wasm_module *m, wasm_func *import)
{
    wasm_error err;
    wasm_extern ex = { .kind = WASM_EXTERN_FUNC, .of.func = import };
    wasm_instance *inst = wasm_instance_new(m, &ex, import ? 1 : 0, &err);
    if (!inst)
        ktest_fail("instance: %s", err.message);
    return inst;
}

/* ---- wasm: arithmetic, memory, calls, memory.grow ---- */

#define EXPECT(name, args, nargs, nres, ...) \
    do { if (!expect(inst, name, args, nargs, nres, (const uint64_t[]){ __VA_ARGS__ })) return false; } while (0)

static bool expect(wasm_instance *inst, const char *name, const uint64_t *args, uint32_t nargs,
                   uint32_t nres, const uint64_t *want)
{
    uint64_t res[4];
    wasm_error err;
    if (call(inst, name, args, nargs, res, nres, &err) != 0)
        return ktest_fail("%s: %s", name, err.message);
    for (uint32_t i = 0; i < nres; i++)
        if (res[i] != want[i])
            return ktest_fail("%s: result %u is %lx, expected %lx", name, i, res[i], want[i]);
    kprintf("wasm: %s(", name);
    for (uint32_t i = 0; i < nargs; i++)
        kprintf("%s%ld", i ? ", " : "", (int64_t)args[i]);
    kprintf(") =");
    for (uint32_t i = 0; i < nres; i++)
        kprintf(" %ld", (int64_t)res[i]);
    kprintf("\n");
    return true;
}

/* memory.copy and memory.fill (the engine's stubs, which use AVX when the
 * kernel turned it on) against lib_memmove/lib_memset on a mirror of
 * [64 KiB, 96 KiB): every path of the stubs (small, vectors, loops both
 * ways, rep movsb/stosb), then the bounds at the end of the memory. */
#define BULK_AT 65536u
#define BULK_LEN 32768u
static uint8_t bulk_mirror[BULK_LEN];

static bool bulk_run(wasm_instance *inst, uint8_t *mem, uint64_t size)
{
    static const uint32_t lens[] = { 0, 1, 3, 7, 15, 16, 31, 33, 64, 100, 129, 500, 700,
                                     2100, 5000 };
    static const int32_t dists[] = { -70, -33, -16, -1, 0, 1, 5, 31, 64, 6000 };
    for (uint32_t i = 0; i < BULK_LEN; i++)
        mem[BULK_AT + i] = bulk_mirror[i] = (uint8_t)(i * 131 + (i >> 8));
    uint64_t res[1];
    wasm_error err;
    uint32_t k = 0;
    for (uint32_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        for (uint32_t di = 0; di < sizeof dists / sizeof dists[0]; di++, k++) {
            uint32_t n = lens[li], src = 8192 + (k * 7) % 64, dst = src + (uint32_t)dists[di];
            uint64_t args[3] = { BULK_AT + dst, BULK_AT + src, n };
            KTEST_CHECK(call(inst, "copy", args, 3, res, 0, &err) == 0);
            lib_memmove(bulk_mirror + dst, bulk_mirror + src, n);
            uint64_t fargs[3] = { BULK_AT + dst + 3000, k, n };
            KTEST_CHECK(call(inst, "fill", fargs, 3, res, 0, &err) == 0);
            lib_memset(bulk_mirror + dst + 3000, (int)(k & 0xff), n);
            if (lib_memcmp(mem + BULK_AT, bulk_mirror, BULK_LEN) != 0)
                return ktest_fail("memory.copy/fill of %u bytes at distance %d differ", n,
                                  dists[di]);
        }
    }
    kprintf("wasm: memory.copy/fill: %u cases like lib_memmove/lib_memset\n", k);
    uint64_t end[3] = { size - 10, 0, 10 };
    KTEST_CHECK(call(inst, "copy", end, 3, res, 0, &err) == 0);
    uint64_t past[3] = { size - 10, 0, 11 };
    KTEST_CHECK(call(inst, "copy", past, 3, res, 0, &err) != 0 &&
                err.trap == WASM_TRAP_MEMORY_OOB);
    KTEST_CHECK(call(inst, "fill", past, 3, res, 0, &err) != 0 &&
                err.trap == WASM_TRAP_MEMORY_OOB);
    return true;
}

static bool basic_run(unsigned flags)
{
    wasm_module *m = load(kwasm_mod_basic, kwasm_mod_basic_len, flags);
    if (!m)
        return false;
    wasm_func *print = wasm_func_new_host(engine, t_i32, 2, 0, 0, host_print, 0);
    wasm_instance *inst = instantiate(m, print);
    wasm_func_free(print);
    if (!inst)
        return false;

    EXPECT("add", ((uint64_t[]){ 2, 3 }), 2, 1, 5);
    EXPECT("add", ((uint64_t[]){ 0x7fffffff, 1 }), 2, 1, 0x80000000);
    uint64_t fac = 1;
    for (uint64_t i = 2; i <= 20; i++)
        fac *= i;
    EXPECT("fac", ((uint64_t[]){ 20 }), 1, 1, fac);
    /* 3.0, 4.0 -> 5.0, as f64 bit patterns */
    EXPECT("hypot", ((uint64_t[]){ 0x4008000000000000, 0x4010000000000000 }), 2, 1, 0x4014000000000000);
    EXPECT("divs", ((uint64_t[]){ (uint32_t)-7, 2 }), 2, 2, (uint32_t)-3, (uint32_t)-1);
    EXPECT("apply", ((uint64_t[]){ 0, 9 }), 2, 1, 81);
    EXPECT("apply", ((uint64_t[]){ 1, 9 }), 2, 1, 18);
    uint64_t sum = 0;
    for (uint64_t i = 0; i < 1000; i++)
        sum += i * i;
    EXPECT("sumsq", ((uint64_t[]){ 1000 }), 1, 1, sum);
    EXPECT("size", 0, 0, 1, 1);
    EXPECT("grow", ((uint64_t[]){ 2 }), 1, 1, 1 * 1000 + 3);
    EXPECT("size", 0, 0, 1, 3);
    EXPECT("grow", ((uint64_t[]){ 6 }), 1, 1, (uint32_t)-1);      /* past the maximum, 8 */
    EXPECT("grow", ((uint64_t[]){ 5 }), 1, 1, 3 * 1000 + 6);
    EXPECT("size", 0, 0, 1, 8);
    EXPECT("hello", 0, 0, 0, 0);

    /* The kernel sees the same memory. */
    wasm_extern ex;
    KTEST_CHECK(wasm_instance_export(inst, "memory", 6, &ex) == 0 && ex.kind == WASM_EXTERN_MEMORY);
    uint64_t size;
    uint8_t *mem = wasm_memory_data(ex.of.memory, &size);
    KTEST_CHECK(size == 8 * 65536);
    KTEST_CHECK(lib_memcmp(mem + 16, "hello from compiled wasm", 24) == 0);
    KTEST_CHECK(*(uint32_t *)(mem + 1024 + 4 * 999) == 999 * 999);
    KTEST_CHECK(*(uint32_t *)(mem + size - 4) == 6);
    if (!bulk_run(inst, mem, size))
        return false;

    wasm_instance_free(inst);
    wasm_module_free(m);
    return true;
}

static void wasm_job(job *j)
{
    j->ok = basic_run(0) && basic_run(WASM_MODULE_EXPLICIT_BOUNDS);
}

bool ktest_wasm(void)
{
    engine = wasm_engine_new();
    KTEST_CHECK(engine);
    bool ok = run_job(wasm_job, 0);
    wasm_engine_free(engine);
    return ok;
}

/* ---- wasm-traps: one of each kind; the kernel goes on ---- */

typedef struct trap_case {
    const char *export;
    wasm_trap_kind kind;
    const char *func;           /* where it trapped */
} trap_case;

static const trap_case trap_cases[] = {
    { "unreachable", WASM_TRAP_UNREACHABLE, "do_unreachable" },
    { "oob", WASM_TRAP_MEMORY_OOB, "do_oob" },
    { "oob_far", WASM_TRAP_MEMORY_OOB, "do_oob_far" },
    { "div_zero", WASM_TRAP_DIV_ZERO, "do_div_zero" },
    { "overflow", WASM_TRAP_INT_OVERFLOW, "do_overflow" },
    { "convert", WASM_TRAP_INVALID_CONVERSION, "do_convert" },
    { "undefined_element", WASM_TRAP_UNDEFINED_ELEMENT, "do_undefined" },
    { "uninitialized_element", WASM_TRAP_UNINITIALIZED_ELEMENT, "do_uninitialized" },
    { "type_mismatch", WASM_TRAP_INDIRECT_TYPE, "do_mismatch" },
    { "table_oob", WASM_TRAP_TABLE_OOB, "do_table_oob" },
    { "recurse", WASM_TRAP_STACK_EXHAUSTED, "do_recurse" },
    { "host", WASM_TRAP_HOST, "do_host" },
};

static bool has(const char *s, const char *sub)
{
    size_t n = lib_strlen(sub);
    for (; *s; s++)
        if (lib_strncmp(s, sub, n) == 0)
            return true;
    return false;
}

static bool traps_run(unsigned flags)
{
    wasm_module *m = load(kwasm_mod_traps, kwasm_mod_traps_len, flags);
    if (!m)
        return false;
    static const uint8_t t_res[] = { WASM_I32 };
    wasm_func *fail = wasm_func_new_host(engine, 0, 0, t_res, 1, host_fail, 0);
    wasm_instance *inst = instantiate(m, fail);
    wasm_func_free(fail);
    if (!inst)
        return false;
    for (size_t i = 0; i < sizeof trap_cases / sizeof trap_cases[0]; i++) {
        const trap_case *c = &trap_cases[i];
        wasm_func *f = export_func(inst, c->export);
        KTEST_CHECK(f);
        const uint8_t *pt, *rt;
        uint32_t np, nr;
        wasm_func_type(f, &pt, &np, &rt, &nr);
        wasm_val res[1];
        wasm_error err;
        if (wasm_func_call(f, 0, 0, res, nr, &err) == 0)
            return ktest_fail("%s: returned instead of trapping", c->export);
        kprintf("trap: %s: %s\n", c->export, err.message);
        if (err.kind != WASM_ERR_TRAP || err.trap != c->kind)
            return ktest_fail("%s: trap kind %d (%s), expected %d (%s)", c->export, err.trap,
                              wasm_trap_name(err.trap), c->kind, wasm_trap_name(c->kind));
        char where[64];
        lib_snprintf(where, sizeof where, "%s in %s ", wasm_trap_name(c->kind), c->func);
        if (!has(err.message, where))
            return ktest_fail("%s: the message does not say '%s'", c->export, where);
        if (c->kind != WASM_TRAP_STACK_EXHAUSTED) {
            lib_snprintf(where, sizeof where, "%s <- %s)", c->func, c->export);
            if (!has(err.message, where))
                return ktest_fail("%s: the backtrace does not end '%s'", c->export, where);
        }
    }
    /* Still alive, and the instance still works. */
    uint64_t r;
    wasm_error err;
    if (call(inst, "ok", 0, 0, &r, 1, &err) != 0 || r != 42)
        return ktest_fail("ok after the traps: %s", err.message);
    wasm_instance_free(inst);
    wasm_module_free(m);
    return true;
}

static void traps_job(job *j)
{
    j->ok = traps_run(0) && traps_run(WASM_MODULE_EXPLICIT_BOUNDS);
}

bool ktest_wasm_traps(void)
{
    engine = wasm_engine_new();
    KTEST_CHECK(engine);
    bool ok = run_job(traps_job, 0);
    /* On the boot thread's 16 KiB stack no Wasm call fits the reserve:
     * every call is a stack-exhaustion trap, never an overflow. */
    if (ok) {
        wasm_module *m = load(kwasm_mod_traps, kwasm_mod_traps_len, 0);
        KTEST_CHECK(m);
        static const uint8_t t_res[] = { WASM_I32 };
        wasm_func *fail = wasm_func_new_host(engine, 0, 0, t_res, 1, host_fail, 0);
        wasm_instance *inst = instantiate(m, fail);
        wasm_func_free(fail);
        KTEST_CHECK(inst);
        uint64_t r;
        wasm_error err;
        KTEST_CHECK(call(inst, "ok", 0, 0, &r, 1, &err) == -1 && err.trap == WASM_TRAP_STACK_EXHAUSTED);
        kprintf("trap: on the boot stack: %s\n", err.message);
        wasm_instance_free(inst);
        wasm_module_free(m);
    }
    wasm_engine_free(engine);
    return ok;
}

/* ---- wasm-reclaim: 1,000 instances leave frames and heap as they were ---- */

static int cycle(wasm_module *m, wasm_func *print)
{
    wasm_instance *inst = instantiate(m, print);
    if (!inst)
        return -1;
    uint64_t r;
    wasm_error err;
    int rc = call(inst, "grow", (uint64_t[]){ 3 }, 1, &r, 1, &err) == 0 && r == 1004 &&
             call(inst, "sumsq", (uint64_t[]){ 100 }, 1, &r, 1, &err) == 0 ? 0 : -1;
    wasm_instance_free(inst);
    return rc;
}

static void reclaim_job(job *j)
{
    int n = (int)(uintptr_t)j->arg;
    wasm_module *m = load(kwasm_mod_basic, kwasm_mod_basic_len, 0);
    wasm_func *print = wasm_func_new_host(engine, t_i32, 2, 0, 0, host_print, 0);
    if (!m || !print)
        return;
    for (int i = 0; i < 10; i++)
        if (cycle(m, print) != 0)
            return;
    uint64_t frames = pmm_free_count();
    kmalloc_stats heap = kmalloc_stats_get();
    uint64_t t0 = time_ns();
    for (int i = 0; i < n; i++) {
        if (cycle(m, print) != 0) {
            ktest_fail("cycle %d failed", i);
            return;
        }
    }
    uint64_t us = (time_ns() - t0) / 1000;
    uint64_t frames2 = pmm_free_count();
    kmalloc_stats heap2 = kmalloc_stats_get();
    kprintf("reclaim: %d instances (1 memory of 1+3 pages each) in %lu ms, %lu us each; "
            "free frames %lu -> %lu, heap blocks %lu -> %lu, bytes %lu -> %lu\n",
            n, us / 1000, us / n, frames, frames2, heap.blocks, heap2.blocks, heap.bytes, heap2.bytes);
    wasm_func_free(print);
    wasm_module_free(m);
    j->ok = frames == frames2 && heap.blocks == heap2.blocks && heap.bytes == heap2.bytes;
    if (!j->ok)
        ktest_fail("frames or heap not reclaimed");
}

/* Whole modules too: compile, instantiate, run, free. */
static void reclaim_modules_job(job *j)
{
    int n = (int)(uintptr_t)j->arg;
    wasm_func *print = wasm_func_new_host(engine, t_i32, 2, 0, 0, host_print, 0);
    uint64_t frames = 0, tables = 0, t0 = 0;
    kmalloc_stats heap = { 0 };
    for (int i = -10; i < n; i++) {
        if (i == 0) {
            frames = pmm_free_count();
            tables = paging_tables_live();
            heap = kmalloc_stats_get();
            t0 = time_ns();
        }
        wasm_error err;
        wasm_module *m = wasm_module_new(engine, kwasm_mod_basic, kwasm_mod_basic_len, 0, &err);
        if (!m || cycle(m, print) != 0) {
            ktest_fail("module cycle %d failed", i);
            return;
        }
        wasm_module_free(m);
    }
    uint64_t us = (time_ns() - t0) / 1000;
    uint64_t frames2 = pmm_free_count(), tables2 = paging_tables_live() - tables;
    kmalloc_stats heap2 = kmalloc_stats_get();
    /* Code frames come from all over memory (the frame allocator rotates),
     * and making one executable splits its 2 MiB page of the direct map
     * (its alias turns read-only): the page tables of those splits stay. */
    kprintf("reclaim: %d modules compiled, instantiated, run and freed in %lu ms, %lu us each; "
            "free frames %lu -> %lu (%lu new page tables for direct-map splits), heap blocks %lu -> %lu, bytes %lu -> %lu\n",
            n, us / 1000, us / n, frames, frames2, tables2, heap.blocks, heap2.blocks, heap.bytes, heap2.bytes);
    wasm_func_free(print);
    j->ok = frames == frames2 + tables2 && heap.blocks == heap2.blocks && heap.bytes == heap2.bytes;
    if (!j->ok)
        ktest_fail("frames or heap not reclaimed");
}

bool ktest_wasm_reclaim(void)
{
    engine = wasm_engine_new();
    KTEST_CHECK(engine);
    bool ok = run_job(reclaim_job, (void *)1000) && run_job(reclaim_modules_job, (void *)200);
    wasm_engine_free(engine);
    KTEST_CHECK(kwasm_code_regions() == 0);      /* every module's code and the stubs */
    return ok;
}

/* ---- wasm-preempt: two threads spinning in compiled code both progress ---- */

typedef struct spinner {
    wasm_instance *inst;
    const char *export;
    volatile uint32_t *counter;     /* in its memory, or NULL */
} spinner;

static void spin_job(job *j)
{
    spinner *s = j->arg;
    wasm_func *f = export_func(s->inst, s->export);
    j->rc = f ? wasm_func_call(f, 0, 0, 0, 0, &j->err) : -2;
}

static wasm_instance *spin_instance(wasm_module *m, volatile uint32_t **counter)
{
    wasm_instance *inst = instantiate(m, 0);
    if (!inst)
        return 0;
    wasm_extern ex;
    uint64_t size;
    if (counter && wasm_instance_export(inst, "memory", 6, &ex) == 0)
        *counter = (volatile uint32_t *)wasm_memory_data(ex.of.memory, &size);
    return inst;
}

/* Kills the job's thread and checks that its call ended with "killed". */
static bool kill_and_check(job *j, const char *func)
{
    kwasm_kill(j->t);
    if (!job_wait(j, 5000 * MS))
        return ktest_fail("the killed thread did not stop");
    if (j->rc != -1 || j->err.trap != WASM_TRAP_KILLED)
        return ktest_fail("the call ended with %d (%s), not a kill", j->rc, j->err.message);
    kprintf("kill: %s\n", j->err.message);
    char where[64];
    lib_snprintf(where, sizeof where, "killed in %s", func);
    if (!has(j->err.message, where))
        return ktest_fail("the message does not say '%s'", where);
    return true;
}

/* fsum(FSUM_N) on a fresh instance; its result and how often the thread
 * was switched to while it ran. */
#define FSUM_N 2000000

static wasm_module *fsum_module;

static void fsum_job(job *j)
{
    wasm_instance *inst = instantiate(fsum_module, 0);
    if (!inst)
        return;
    uint64_t sw = thread_current()->switches;
    j->ok = call(inst, "fsum", (uint64_t[]){ FSUM_N }, 1, &j->result, 1, &j->err) == 0;
    j->switches = thread_current()->switches - sw;
    wasm_instance_free(inst);
}

/* The same floating-point loop alone, then on two threads at once: the
 * results agree bit for bit although the threads were preempted in it. */
static bool fsum_check(void)
{
    fsum_module = load(kwasm_mod_fsum, kwasm_mod_fsum_len, 0);
    KTEST_CHECK(fsum_module);
    job alone, j[2];
    KTEST_CHECK(job_start(&alone, "fsum", fsum_job, 0) && job_wait(&alone, 60000 * MS) && alone.ok);
    KTEST_CHECK(job_start(&j[0], "fsum-0", fsum_job, 0) && job_start(&j[1], "fsum-1", fsum_job, 0));
    KTEST_CHECK(job_wait(&j[0], 60000 * MS) && job_wait(&j[1], 60000 * MS) && j[0].ok && j[1].ok);
    kprintf("preempt: fsum(%u) alone %016lx; together %016lx (%lu switches) and %016lx (%lu switches)\n",
            FSUM_N, alone.result, j[0].result, j[0].switches, j[1].result, j[1].switches);
    KTEST_CHECK(j[0].result == alone.result && j[1].result == alone.result);
    KTEST_CHECK(j[0].switches >= 2 || j[1].switches >= 2);
    wasm_module_free(fsum_module);
    return true;
}

bool ktest_wasm_preempt(void)
{
    engine = wasm_engine_new();
    KTEST_CHECK(engine);
    wasm_module *m = load(kwasm_mod_spin, kwasm_mod_spin_len, 0);
    KTEST_CHECK(m);
    spinner s[2];
    job j[2];
    for (int i = 0; i < 2; i++) {
        s[i].export = "count";
        s[i].inst = spin_instance(m, &s[i].counter);
        KTEST_CHECK(s[i].inst && s[i].counter);
        KTEST_CHECK(job_start(&j[i], i ? "spinner-1" : "spinner-0", spin_job, &s[i]));
    }
    /* Neither thread ever yields: only the tick, seeing Wasm code, can
     * switch between them (and back to this thread). */
    thread_sleep_ns(50 * MS);
    uint32_t a0 = *s[0].counter, a1 = *s[1].counter;
    uint64_t sw0 = j[0].t->switches, sw1 = j[1].t->switches;
    thread_sleep_ns(200 * MS);
    uint32_t b0 = *s[0].counter, b1 = *s[1].counter;
    uint64_t sw0b = j[0].t->switches, sw1b = j[1].t->switches;
    kprintf("preempt: spinner 0 counted %u -> %u (%lu switches), spinner 1 %u -> %u (%lu switches)\n",
            a0, b0, sw0b - sw0, a1, b1, sw1b - sw1);
    KTEST_CHECK(b0 > a0 && b1 > a1);
    KTEST_CHECK(sw0b - sw0 >= 2 && sw1b - sw1 >= 2);
    for (int i = 0; i < 2; i++) {
        if (!kill_and_check(&j[i], "count_forever"))
            return false;
        wasm_instance_free(s[i].inst);
    }
    wasm_module_free(m);
    if (!fsum_check())
        return false;
    wasm_engine_free(engine);
    return true;
}

/* ---- wasm-host-nonpreempt: C called from Wasm is never preempted ---- */

#define BUSY_MS 60

/* env.busy(): keeps the CPU for BUSY_MS with interrupts on; returns how
 * many times the thread was switched to meanwhile (0 if not preempted). */
static int host_busy(wasm_caller *caller, uint64_t *slots)
{
    (void)caller;
    uint64_t sw = thread_current()->switches, t0 = time_ticks();
    uint64_t end = time_ns() + BUSY_MS * MS;
    while (time_ns() < end)
        cpu_pause();
    slots[0] = thread_current()->switches - sw;
    kprintf("busy: %lu ticks in the host function, %lu switches\n", time_ticks() - t0, slots[0]);
    return 0;
}

static void busy_job(job *j)
{
    wasm_module *m = j->arg;
    static const uint8_t t_res[] = { WASM_I32 };
    wasm_func *busy = wasm_func_new_host(engine, 0, 0, t_res, 1, host_busy, 0);
    wasm_instance *inst = instantiate(m, busy);
    wasm_func_free(busy);
    if (!inst)
        return;
    j->ok = call(inst, "call_busy", 0, 0, &j->result, 1, &j->err) == 0;
    wasm_instance_free(inst);
}

bool ktest_wasm_host_nonpreempt(void)
{
    engine = wasm_engine_new();
    KTEST_CHECK(engine);
    wasm_module *spin = load(kwasm_mod_spin, kwasm_mod_spin_len, 0);
    wasm_module *busy = load(kwasm_mod_busy, kwasm_mod_busy_len, 0);
    KTEST_CHECK(spin && busy);
    /* A spinner in Wasm stays ready the whole time: the tick would switch
     * to it at once if it could preempt the host function. */
    spinner s = { .export = "count" };
    s.inst = spin_instance(spin, &s.counter);
    KTEST_CHECK(s.inst);
    job js, jb;
    KTEST_CHECK(job_start(&js, "spinner", spin_job, &s));
    KTEST_CHECK(job_start(&jb, "busy", busy_job, busy));
    KTEST_CHECK(job_wait(&jb, 10000 * MS) && jb.ok);
    KTEST_CHECK(jb.result == 0);
    KTEST_CHECK(*s.counter > 0);            /* the spinner did run, before and after */
    if (!kill_and_check(&js, "count_forever"))
        return false;
    wasm_instance_free(s.inst);
    wasm_module_free(spin);
    wasm_module_free(busy);
    wasm_engine_free(engine);
    return true;
}

/* ---- wasm-kill: an endless loop without calls is killed ---- */

#define NAP_MS 200u

/* env.nap(): sleeps NAP_MS (the thread blocks in the kernel). */
static int host_nap(wasm_caller *caller, uint64_t *slots)
{
    (void)caller;
    (void)slots;
    thread_sleep_ns(NAP_MS * MS);
    return 0;
}

bool ktest_wasm_kill(void)
{
    engine = wasm_engine_new();
    KTEST_CHECK(engine);
    wasm_module *m = load(kwasm_mod_spin, kwasm_mod_spin_len, 0);
    KTEST_CHECK(m);
    spinner s = { .export = "spin" };
    s.inst = spin_instance(m, 0);
    KTEST_CHECK(s.inst);

    /* 1: the thread is switched out in the loop (this thread's wake-up
     * preempted it): its saved frame is redirected to the trap stub. */
    job j;
    KTEST_CHECK(job_start(&j, "endless", spin_job, &s));
    thread_sleep_ns(30 * MS);
    KTEST_CHECK(!j.done);
    KTEST_CHECK(j.t->preempted != 0);
    uint64_t t0 = time_ns();
    if (!kill_and_check(&j, "spin_forever"))
        return false;
    kprintf("kill: a preempted loop stopped %lu us after the request\n", (time_ns() - t0) / 1000);

    /* 2: the request comes before the thread enters Wasm: the first tick
     * that finds it in the loop acts on it. */
    KTEST_CHECK(job_start(&j, "endless-2", spin_job, &s));
    kwasm_kill(j.t);
    t0 = time_ns();
    if (!kill_and_check(&j, "spin_forever"))
        return false;
    kprintf("kill: a loop killed before it started stopped after %lu us\n", (time_ns() - t0) / 1000);

    wasm_instance_free(s.inst);
    wasm_module_free(m);

    /* 3: the thread is blocked in a host function (env.nap sleeps): the
     * kill takes effect when the host function returns to Wasm. */
    m = load(kwasm_mod_naps, kwasm_mod_naps_len, 0);
    KTEST_CHECK(m);
    wasm_func *nap = wasm_func_new_host(engine, 0, 0, 0, 0, host_nap, 0);
    s.export = "naps";
    s.inst = instantiate(m, nap);
    wasm_func_free(nap);
    KTEST_CHECK(s.inst);
    KTEST_CHECK(job_start(&j, "napper", spin_job, &s));
    thread_sleep_ns(NAP_MS * MS / 2);
    KTEST_CHECK(!j.done && !j.t->preempted);
    t0 = time_ns();
    if (!kill_and_check(&j, "naps_forever"))
        return false;
    uint64_t us = (time_ns() - t0) / 1000;
    kprintf("kill: a thread blocked in a host function stopped %lu us after the request (naps of %u ms)\n",
            us, NAP_MS);
    KTEST_CHECK(us < 2 * NAP_MS * 1000);
    wasm_instance_free(s.inst);
    wasm_module_free(m);
    wasm_engine_free(engine);
    return true;
}

/* ---- wasm-cross: instances made on one thread, run on others ---- */

/* lib and user instances, made by the boot thread; user imports lib. */
static wasm_instance *lib_inst, *user_inst;

static bool cross_calls(const char *who)
{
    uint64_t r;
    wasm_error err;
    if (call(user_inst, "use_twice", (uint64_t[]){ 20 }, 1, &r, 1, &err) != 0 || r != 41)
        return ktest_fail("%s: use_twice: %s", who, err.message);
    /* 1,000 frames fit any Wasm stack; a million fit none: the limit of
     * the running thread's stack stops it, in the other instance. */
    if (call(user_inst, "use_deep", (uint64_t[]){ 1000 }, 1, &r, 1, &err) != 0 || r != 1000)
        return ktest_fail("%s: use_deep(1000): %s", who, err.message);
    if (call(user_inst, "use_deep", (uint64_t[]){ 1000000 }, 1, &r, 1, &err) == 0 ||
        err.trap != WASM_TRAP_STACK_EXHAUSTED)
        return ktest_fail("%s: use_deep(1000000) did not exhaust the stack", who);
    kprintf("cross: %s: use_twice(20) = 41, use_deep(1000) = 1000, use_deep(1000000): %.60s...\n",
            who, err.message);
    return true;
}

static void cross_job(job *j)
{
    j->ok = cross_calls(j->t->name);
}

bool ktest_wasm_cross(void)
{
    engine = wasm_engine_new();
    KTEST_CHECK(engine);
    wasm_module *lm = load(kwasm_mod_lib, kwasm_mod_lib_len, 0);
    wasm_module *um = load(kwasm_mod_user, kwasm_mod_user_len, 0);
    KTEST_CHECK(lm && um);
    lib_inst = instantiate(lm, 0);
    KTEST_CHECK(lib_inst);
    wasm_extern imports[2];
    KTEST_CHECK(wasm_instance_export(lib_inst, "twice", 5, &imports[0]) == 0);
    KTEST_CHECK(wasm_instance_export(lib_inst, "deep", 4, &imports[1]) == 0);
    wasm_error err;
    user_inst = wasm_instance_new(um, imports, 2, &err);
    KTEST_CHECK(user_inst);
    /* Two threads in turn, then both at once (preempted in the recursion). */
    KTEST_CHECK(run_job(cross_job, 0) && run_job(cross_job, 0));
    job j[2];
    KTEST_CHECK(job_start(&j[0], "cross-a", cross_job, 0) && job_start(&j[1], "cross-b", cross_job, 0));
    KTEST_CHECK(job_wait(&j[0], 60000 * MS) && job_wait(&j[1], 60000 * MS));
    KTEST_CHECK(j[0].ok && j[1].ok);
    wasm_instance_free(user_inst);
    wasm_instance_free(lib_inst);
    wasm_module_free(um);
    wasm_module_free(lm);
    wasm_engine_free(engine);
    return true;
}

/* ---- wasm-kill-storm: kills at random moments, all clean ---- */

static volatile uint64_t host_ticks;

static int host_tick(wasm_caller *caller, uint64_t *slots)
{
    (void)caller;
    (void)slots;
    host_ticks++;
    return 0;
}

#define STORM_ROUNDS 100

extern char kwasm_trap_entry[];

bool ktest_wasm_kill_storm(void)
{
    engine = wasm_engine_new();
    KTEST_CHECK(engine);
    wasm_module *m = load(kwasm_mod_storm, kwasm_mod_storm_len, 0);
    wasm_func *tick = wasm_func_new_host(engine, 0, 0, 0, 0, host_tick, 0);
    KTEST_CHECK(m && tick);
    spinner s = { .export = "storm" };
    uint64_t frames = 0, tables = 0, seed = rdtsc();
    kmalloc_stats heap = { 0 };
    int deferred = 0;
    for (int i = -10; i < STORM_ROUNDS; i++) {
        if (i == 0) {
            frames = pmm_free_count();
            tables = paging_tables_live();
            heap = kmalloc_stats_get();
        }
        s.inst = instantiate(m, tick);
        KTEST_CHECK(s.inst);
        job j;
        KTEST_CHECK(job_start(&j, "storm", spin_job, &s));
        /* 0 to 4 ms, sometimes before the thread has even started */
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t delay = (seed >> 33) % 4000000;
        if (delay > 200000)
            thread_sleep_ns(delay);
        kwasm_kill(j.t);
        /* Redirected at once, or left to the next tick (switched out in
         * the engine's stubs, or not started yet)? */
        if (!j.t->preempted || j.t->preempted->rip != (uint64_t)kwasm_trap_entry)
            deferred++;
        if (!job_wait(&j, 5000 * MS))
            return ktest_fail("round %d: the killed thread did not stop", i);
        if (j.rc != -1 || j.err.trap != WASM_TRAP_KILLED)
            return ktest_fail("round %d: ended with %d (%s)", i, j.rc, j.err.message);
        wasm_instance_free(s.inst);
    }
    uint64_t frames2 = pmm_free_count(), tables2 = paging_tables_live() - tables;
    kmalloc_stats heap2 = kmalloc_stats_get();
    kprintf("storm: %d kills (%d redirected at once, %d at a later tick), %lu host calls; "
            "free frames %lu -> %lu (+%lu page tables), heap blocks %lu -> %lu, bytes %lu -> %lu\n",
            STORM_ROUNDS, STORM_ROUNDS - deferred, deferred, host_ticks, frames, frames2, tables2, heap.blocks,
            heap2.blocks, heap.bytes, heap2.bytes);
    KTEST_CHECK(frames == frames2 + tables2 && heap.blocks == heap2.blocks && heap.bytes == heap2.bytes);
    wasm_func_free(tick);
    wasm_module_free(m);
    wasm_engine_free(engine);
    return true;
}

/* ---- wasm-guard-panic: the kernel's own access to a guard page panics ---- */

bool ktest_wasm_guard_panic(void)
{
    engine = wasm_engine_new();
    KTEST_CHECK(engine);
    wasm_memory *mem = wasm_memory_new(engine, 1, 1, true, 0);
    KTEST_CHECK(mem);
    uint64_t size;
    volatile uint8_t *p = wasm_memory_data(mem, &size);
    kprintf("guard: reading offset %lu of a %lu-byte Wasm memory from C\n", size, size);
    (void)p[size];
    return ktest_fail("the read did not fault");
}

/* ---- wasm-compile: compile speed inside the kernel (TCG figures) ---- */

/* Compiles every Multiboot module (each a .wasm) 5 times; reports the best
 * time and the speed over the code section, to set beside `build/coral
 * compile FILE` on the host. */
static void compile_job(job *j)
{
    j->ok = boot.nmodules > 0;
    for (int i = 0; i < boot.nmodules; i++) {
        const boot_module *bm = &boot.modules[i];
        const uint8_t *bytes = (const uint8_t *)(bm->start + DIRECT_MAP);
        uint64_t len = bm->end - bm->start, best = ~0ull;
        wasm_module_stats st = { 0 };
        for (int k = 0; k < 5; k++) {
            wasm_error err;
            uint64_t t0 = time_ns();
            wasm_module *m = wasm_module_new(engine, bytes, len, 0, &err);
            uint64_t ns = time_ns() - t0;
            if (!m) {
                j->ok = ktest_fail("%s: %s", bm->cmdline, err.message);
                return;
            }
            wasm_module_get_stats(m, &st);
            wasm_module_free(m);
            if (ns < best)
                best = ns;
        }
        uint64_t us = best / 1000 ? best / 1000 : 1;
        uint64_t rate = st.code_bytes * 100 / us;         /* MB/s, times 100 */
        kprintf("compile: %s: %lu bytes, %u functions, %lu bytes of code -> %lu bytes of x86-64; "
                "best of 5 %lu us, %lu.%02lu MB/s of code (TCG)\n", bm->cmdline, len, st.functions,
                st.code_bytes, st.machine_bytes, us, rate / 100, rate % 100);
    }
}

bool ktest_wasm_compile(void)
{
    engine = wasm_engine_new();
    KTEST_CHECK(engine);
    bool ok = run_job(compile_job, 0);
    wasm_engine_free(engine);
    return ok;
}
