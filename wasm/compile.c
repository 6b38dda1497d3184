/* wasm/compile.c: the machine-independent half of the back end:
 * wasm_backend_compile (context layout, code generation through the
 * architecture's compile_module, placing the code in executable memory,
 * registering it as a code region), the engine-wide stubs, and the lookups
 * from a code address to a function or a trap site. */
#include "wasm/backend.h"
#include "wasm/compile.h"
#include "wasm/engine.h"
#include "wasm/platform.h"
#include "wasm/x64/asm.h"
#include "lib/fmt.h"
#include "lib/string.h"

static void set_err(wasm_error *err, wasm_err_kind kind, const char *msg)
{
    err->kind = kind;
    err->trap = WASM_TRAP_NONE;
    lib_strlcpy(err->message, msg, sizeof err->message);
}

static size_t page_round(size_t n)
{
    size_t p = wasm_platform_page_size();
    return (n + p - 1) & ~(p - 1);
}

/* Copies the assembled bytes into fresh pages, then makes them read+exec. */
static uint8_t *place_code(const x64_asm *a, size_t *mapped)
{
    size_t size = page_round(a->len ? a->len : 1);
    uint8_t *code = wasm_platform_reserve(size);
    if (!code)
        return NULL;
    if (wasm_platform_commit(code, size) != 0) {
        wasm_platform_release(code, size);
        return NULL;
    }
    /* Word at a time (lib_memcpy goes byte by byte). */
    size_t i = 0;
    for (; i + 8 <= a->len; i += 8) {
        uint64_t w;
        __builtin_memcpy(&w, a->buf + i, 8);
        __builtin_memcpy(code + i, &w, 8);
    }
    for (; i < a->len; i++)
        code[i] = a->buf[i];
    if (wasm_platform_protect_exec(code, size) != 0) {
        wasm_platform_release(code, size);
        return NULL;
    }
    *mapped = size;
    return code;
}

/* ---- engine stubs ---- */

wasm_backend_engine *wasm_backend_engine_get(wasm_engine *engine, wasm_error *err)
{
    if (engine->backend)
        return engine->backend;
    unsigned cpu = wasm_platform_cpu_features();
    unsigned need = WASM_CPU_SSSE3 | WASM_CPU_SSE41 | WASM_CPU_POPCNT;
    if ((cpu & need) != need) {
        set_err(err, WASM_ERR_UNSUPPORTED, "this CPU lacks SSSE3, SSE4.1 or POPCNT");
        return NULL;
    }
    wasm_backend_engine *e = wasm_platform_calloc(1, sizeof *e);
    if (!e) {
        set_err(err, WASM_ERR_RESOURCE, "out of memory");
        return NULL;
    }
    e->tag = OWNER_STUBS;
    e->cpu = cpu;
    x64_asm a;
    x64_init(&a);
    wasm_stub_offsets off;
    int rc = wasm_arch_emit_stubs(&a, &off, (uintptr_t)wasm_rt_trap,
                                  (uintptr_t)wasm_rt_host_call, cpu);
    if (rc == 0)
        e->code = place_code(&a, &e->mapped);
    x64_free(&a);
    if (!e->code || wasm_platform_code_register(e->code, e->mapped, e) != 0) {
        if (e->code)
            wasm_platform_release(e->code, e->mapped);
        wasm_platform_free(e);
        set_err(err, WASM_ERR_RESOURCE, "out of memory for code");
        return NULL;
    }
    e->entry = (uintptr_t)e->code + off.entry;
    e->trap_stub = (uintptr_t)e->code + off.trap;
    e->host_stub = (uintptr_t)e->code + off.host;
    wasm_rt_fill_helpers(e->helpers);
    e->helpers[HELPER_TRAP] = e->trap_stub;
    e->helpers[HELPER_MEMORY_COPY] = (uintptr_t)e->code + off.copy;
    e->helpers[HELPER_MEMORY_FILL] = (uintptr_t)e->code + off.fill;
    engine->backend = e;
    return e;
}

void wasm_backend_engine_free(wasm_engine *engine)
{
    wasm_backend_engine *e = engine->backend;
    if (!e)
        return;
    while (e->zombies) {
        wasm_instance *z = e->zombies;
        e->zombies = z->next_zombie;
        wasm_instance_release(z);
    }
    wasm_platform_code_unregister(e->code);
    wasm_platform_release(e->code, e->mapped);
    wasm_platform_free(e);
    engine->backend = NULL;
}

/* ---- modules ---- */

static bool uses_simd(const wasm_module *m)
{
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const wasm_functype *t = &m->types[i];
        for (uint32_t k = 0; k < t->nparams; k++)
            if (t->params[k] == WASM_V128)
                return true;
        for (uint32_t k = 0; k < t->nresults; k++)
            if (t->results[k] == WASM_V128)
                return true;
    }
    for (uint32_t i = 0; i < m->nglobals; i++)
        if (m->globals[i].type.type == WASM_V128)
            return true;
    for (uint32_t i = 0; i < m->nfuncs - m->nimported_funcs; i++)
        if (m->code[i].flags & WASM_CODE_USES_SIMD)
            return true;
    return false;
}

static void compute_layout(const wasm_module *m, wasm_layout *l)
{
    uint32_t off = CTX_HEADER;
    l->globals = off;
    off += CTX_GLOBAL_SIZE * m->nglobals;
    l->imports = off;
    off += CTX_IMPORT_SIZE * m->nimported_funcs;
    l->tables = off;
    off += CTX_TABLE_SIZE * m->ntables;
    l->funcrefs = off;
    off += CTX_FUNCREF_SIZE * m->nfuncs;
    l->size = (off + 15) & ~15u;
}

int wasm_backend_compile(wasm_module *m, unsigned flags, wasm_error *err)
{
    wasm_backend_engine *eng = wasm_backend_engine_get(m->engine, err);
    if (!eng)
        return -1;
    if ((uint64_t)m->nglobals + m->nfuncs * 2ull + m->ntables > 20000000) {
        set_err(err, WASM_ERR_RESOURCE, "module too large for its instance context");
        return -1;
    }
    wasm_compiled *c = wasm_platform_calloc(1, sizeof *c);
    if (!c) {
        set_err(err, WASM_ERR_RESOURCE, "out of memory");
        return -1;
    }
    m->backend = c;
    c->tag = OWNER_MODULE;
    c->refs = 1;
    c->module = m;
    c->nimported_funcs = m->nimported_funcs;
    c->eng = eng;
    c->explicit_bounds = (flags & WASM_MODULE_EXPLICIT_BOUNDS) != 0;
    c->simd = uses_simd(m);
    compute_layout(m, &c->layout);
    c->nfuncs = m->nfuncs - m->nimported_funcs;
    c->func_start = wasm_platform_calloc(c->nfuncs ? c->nfuncs : 1, sizeof *c->func_start);
    if (!c->func_start) {
        set_err(err, WASM_ERR_RESOURCE, "out of memory");
        return -1;
    }
    x64_asm a;
    x64_init(&a);
    int rc = wasm_arch_compile_module(c, &a, err);
    if (rc == 0) {
        c->code = place_code(&a, &c->mapped);
        c->code_size = a.len;
        if (!c->code) {
            set_err(err, WASM_ERR_RESOURCE, "out of memory for code");
            rc = -1;
        } else if (wasm_platform_code_register(c->code, c->mapped, c) != 0) {
            wasm_platform_release(c->code, c->mapped);
            c->code = NULL;
            set_err(err, WASM_ERR_RESOURCE, "too many code regions");
            rc = -1;
        }
    }
    x64_free(&a);
    return rc;
}

void wasm_compiled_retain(wasm_compiled *c)
{
    c->refs++;
}

void wasm_compiled_release(wasm_compiled *c)
{
    if (--c->refs)
        return;
    if (c->code) {
        wasm_platform_code_unregister(c->code);
        wasm_platform_release(c->code, c->mapped);
    }
    wasm_platform_free(c->func_start);
    wasm_platform_free(c->sites);
    wasm_platform_free(c);
}

void wasm_backend_free(wasm_module *m)
{
    wasm_compiled *c = m->backend;
    if (!c)
        return;
    c->module = NULL;
    m->backend = NULL;
    wasm_compiled_release(c);
}

int wasm_compiled_add_site(wasm_compiled *c, uint32_t offset, uint32_t kind)
{
    if (c->nsites == c->cap_sites) {
        uint32_t cap = c->cap_sites ? c->cap_sites * 2 : 256;
        wasm_trap_site *s = wasm_platform_realloc(c->sites, cap * sizeof *s);
        if (!s)
            return -1;
        c->sites = s;
        c->cap_sites = cap;
    }
    c->sites[c->nsites].offset = offset;
    c->sites[c->nsites].kind = kind;
    c->nsites++;
    return 0;
}

void *wasm_compiled_func_code(const wasm_compiled *c, uint32_t func)
{
    uint32_t i = func - c->nimported_funcs;
    return c->code + c->func_start[i];
}

int64_t wasm_compiled_func_at(const wasm_compiled *c, uintptr_t pc)
{
    if (!c->code || pc < (uintptr_t)c->code || pc >= (uintptr_t)c->code + c->code_size)
        return -1;
    uint32_t off = (uint32_t)(pc - (uintptr_t)c->code);
    uint32_t lo = 0, hi = c->nfuncs;
    while (lo < hi) {            /* last start <= off */
        uint32_t mid = (lo + hi) / 2;
        if (c->func_start[mid] <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return -1;
    return (int64_t)(lo - 1) + c->nimported_funcs;
}

/* Called by the platform's fault handler: async-signal-safe. */
uintptr_t wasm_fault_to_trap(uintptr_t pc, uintptr_t fault_addr, int fault, uint64_t *arg)
{
    (void)fault_addr;
    uintptr_t start;
    wasm_compiled *c = wasm_platform_code_lookup(pc, &start);
    if (!c || c->tag != OWNER_MODULE)
        return 0;
    uint32_t off = (uint32_t)(pc - start);
    uint32_t lo = 0, hi = c->nsites;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (c->sites[mid].offset < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= c->nsites || c->sites[lo].offset != off)
        return 0;
    if (fault == WASM_FAULT_MEMORY && c->sites[lo].kind != WASM_TRAP_MEMORY_OOB)
        return 0;
    *arg = c->sites[lo].kind;
    return c->eng->trap_stub;
}

/* Called by the platform with interrupts off (or from a signal handler). */
uintptr_t wasm_interrupt_to_trap(uintptr_t pc, int kind, uint64_t *arg)
{
    wasm_compiled *c = wasm_platform_code_lookup(pc, NULL);
    if (!c || c->tag != OWNER_MODULE)
        return 0;
    *arg = (uint64_t)kind;
    return c->eng->trap_stub;
}

void wasm_module_get_stats(const wasm_module *m, wasm_module_stats *out)
{
    const wasm_compiled *c = m->backend;
    out->functions = m->nfuncs - m->nimported_funcs;
    out->code_bytes = 0;
    for (uint32_t i = 0; i < out->functions; i++)
        out->code_bytes += m->code[i].size;
    out->machine_bytes = c ? c->code_size : 0;
    out->machine_code = c ? c->code : NULL;
    out->func_start = c ? c->func_start : NULL;
}
