/* wasm/compile.h: the back end's internal interface: what a compiled
 * module carries (code, function offsets, trap sites, context layout),
 * the engine-wide stubs (entry trampoline, trap stub, host-call stub,
 * memory.copy/fill) and
 * the machine-specific entry points that wasm/x64/ implements. */
#ifndef WASM_COMPILE_H
#define WASM_COMPILE_H

#include <stdint.h>
#include "wasm/module.h"
#include "wasm/runtime.h"

/* Code-region owners start with one of these tags. */
enum { OWNER_MODULE = 0x4d4f4455, OWNER_STUBS = 0x53545542 };

typedef struct wasm_backend_engine {
    uint32_t tag;                /* OWNER_STUBS */
    uint8_t *code;
    size_t mapped;
    uintptr_t entry;             /* wasm_entry_fn */
    uintptr_t trap_stub;
    uintptr_t host_stub;
    uintptr_t helpers[HELPER_COUNT];
    unsigned cpu;                /* WASM_CPU_* */
    wasm_instance *zombies;      /* failed instantiations, freed with the engine */
} wasm_backend_engine;

/* The entry trampoline: runs `code` with context `ctx` on this thread
 * (`limits`), its argument and result slots copied from/to `slots`
 * (nslots, even). Returns 0, or 1 when
 * the call trapped (the record says why). */
typedef int (*wasm_entry_fn)(void *code, void *ctx, uint64_t *slots, uint64_t nslots,
                             wasm_entry *rec, wasm_limits *limits);

typedef struct wasm_trap_site {
    uint32_t offset;             /* of the faulting instruction in the code */
    uint32_t kind;               /* wasm_trap_kind */
} wasm_trap_site;

typedef struct wasm_compiled {
    uint32_t tag;                /* OWNER_MODULE */
    uint32_t refs;               /* the module's, plus one per instance */
    wasm_module *module;         /* NULL once the module is freed */
    uint32_t nimported_funcs;
    wasm_backend_engine *eng;
    wasm_layout layout;
    bool explicit_bounds;
    bool simd;                   /* the module has v128 values: 16-byte frame cells */
    uint8_t *code;               /* executable, read-only */
    size_t code_size, mapped;
    uint32_t *func_start;        /* per defined function, sorted */
    uint32_t nfuncs;             /* defined functions */
    wasm_trap_site *sites;       /* sorted by offset */
    uint32_t nsites, cap_sites;
} wasm_compiled;

/* Instances keep their module's code alive (a failed instantiation may
 * leave references to it in a shared table). */
void wasm_compiled_retain(wasm_compiled *c);
void wasm_compiled_release(wasm_compiled *c);

/* The engine's back-end state, created on first use (NULL when out of
 * memory or when the CPU lacks SSSE3/SSE4.1/POPCNT; *err says which). */
wasm_backend_engine *wasm_backend_engine_get(wasm_engine *engine, wasm_error *err);

/* The code address of defined or imported function `func` is looked up at
 * instantiation; this gives defined functions' entry points. */
void *wasm_compiled_func_code(const wasm_compiled *c, uint32_t func);

/* Maps a code address to a function index of the module (or -1). */
int64_t wasm_compiled_func_at(const wasm_compiled *c, uintptr_t pc);

/* Adds a trap site (used by the code generator). Returns 0 or -1. */
int wasm_compiled_add_site(wasm_compiled *c, uint32_t offset, uint32_t kind);

/* Runtime entry points used by the stubs and the helper table. */
uintptr_t wasm_rt_trap(uint64_t kind, uintptr_t pc, uintptr_t fp);
int wasm_rt_host_call(wasm_func *f, uint8_t *caller_ctx, uint64_t *slots);
void wasm_rt_fill_helpers(uintptr_t *helpers);

/* ---- machine-specific (wasm/x64/) ---- */

struct x64_asm;
/* Where each engine stub starts, relative to the start of the stubs. */
typedef struct wasm_stub_offsets {
    uint32_t entry, trap, host;
    uint32_t copy, fill;         /* memory.copy / memory.fill (helper table) */
} wasm_stub_offsets;
/* Emits the engine stubs into `a` and sets their offsets; `cpu`
 * (WASM_CPU_*) says whether they may use AVX. */
int wasm_arch_emit_stubs(struct x64_asm *a, wasm_stub_offsets *off, uintptr_t trap_fn,
                         uintptr_t host_fn, unsigned cpu);

/* Compiles every defined function of c->module into `a`, filling
 * c->func_start and c->sites. Returns 0, or -1 with *err set. */
int wasm_arch_compile_module(wasm_compiled *c, struct x64_asm *a, wasm_error *err);

#endif
