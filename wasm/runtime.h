/* wasm/runtime.h: what compiled code and the runtime share: the instance
 * context layout, the per-thread limits and entry records, the helper
 * table, and the runtime objects behind wasm.h's opaque types.
 *
 * Instance context (the pinned register, r15 on x86-64, points at it):
 *
 *   +0   memory 0 base            u64 (never moves)
 *   +8   memory 0 size in bytes   u64 (updated on every grow, in every
 *                                 instance that shares the memory)
 *   +16  limits                   wasm_limits * (of the thread that last entered
 *                                 through wasm_func_call; compiled code does
 *                                 not use it: each frame gets the running
 *                                 thread's stack limit, as a value, from its
 *                                 caller's frame at [rbp-16], the entry
 *                                 trampoline's first)
 *   +24  helpers                  const uintptr_t * (runtime helper table)
 *   +32  instance                 wasm_instance *
 *   +40  (reserved)
 *   +48  per-module parts, at offsets fixed when the module is compiled
 *        (wasm_layout): globals (16 bytes each: the value inline for own
 *        globals, a pointer to the cell for imported ones), imported
 *        functions {code, context}, tables {base, length}, funcref records
 *        {code, context, canonical type id} (one per function).
 *
 * Calling convention between compiled functions: the callee's context is
 * in r15; arguments are 64-bit slots at [rsp+8*i] at the call (the callee
 * sees them at [rbp+16+8*i]); results are written back into the same slots
 * (the caller reserves max(params, results) slots); a single result that
 * is not a v128 also comes back in rax (integers, references) or xmm0
 * (floats). Every register but rsp/rbp (and the pinned-local registers,
 * see codegen.c) is caller-saved; a call that may change instance sets
 * r15 and r14 (memory base) to the callee's, and the caller reloads its
 * own afterwards. */
#ifndef WASM_RUNTIME_H
#define WASM_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include "wasm/wasm.h"
#include "wasm/module.h"

/* ---- the context header ---- */
#define CTX_MEM_BASE 0
#define CTX_MEM_SIZE 8
#define CTX_LIMITS 16
#define CTX_HELPERS 24
#define CTX_INSTANCE 32
#define CTX_HEADER 48

#define CTX_GLOBAL_SIZE 16
#define CTX_IMPORT_SIZE 16
#define CTX_TABLE_SIZE 16
#define CTX_FUNCREF_SIZE 24

/* A funcref value is a pointer to one of these (0 is null). */
typedef struct wasm_funcref {
    void *code;
    void *ctx;
    uint64_t type_id;            /* canonical id (low 32 bits) */
} wasm_funcref;

/* Per-module context layout, computed at compile time. */
typedef struct wasm_layout {
    uint32_t globals;
    uint32_t imports;
    uint32_t tables;
    uint32_t funcrefs;
    uint32_t size;
} wasm_layout;

/* ---- per-thread state ---- */

typedef struct wasm_entry wasm_entry;

/* What compiled code reads through ctx->limits. */
typedef struct wasm_limits {
    uintptr_t stack_limit;       /* +0: rsp - frame must stay at or above this */
    wasm_entry *entry;           /* +8: innermost entry record */
    uint32_t kill;               /* +16: set to ask the thread to trap */
} wasm_limits;

#define WASM_MAX_FRAMES 16

/* One per call from the embedder into Wasm, linked innermost first. */
struct wasm_entry {
    uintptr_t saved_rsp;         /* +0: written by the entry trampoline */
    wasm_entry *prev;
    wasm_trap_kind trap;         /* set by the trap path */
    uint32_t nframes;            /* backtrace: frames[0] is the trap site */
    uintptr_t frames[WASM_MAX_FRAMES];
    bool truncated;
};

typedef struct wasm_thread {
    wasm_limits limits;
} wasm_thread;

/* The current thread's state, created on first use (NULL when out of
 * memory). */
wasm_thread *wasm_thread_get(void);

/* ---- helpers (indices into the helper table) ---- */
enum {
    HELPER_TRAP,                 /* the trap stub (not a C function): edi = trap kind */
    HELPER_MEMORY_GROW,          /* (ctx, delta) -> old pages or -1 */
    HELPER_MEMORY_FILL,          /* a stub (stubs.c): edi dst, eax value, ecx n */
    HELPER_MEMORY_COPY,          /* a stub (stubs.c): edi dst, esi src, ecx n */
    HELPER_MEMORY_INIT,          /* (ctx, seg, dst, src, n) */
    HELPER_DATA_DROP,            /* (ctx, seg) */
    HELPER_TABLE_GROW,           /* (ctx, table, init, delta) -> old size or -1 */
    HELPER_TABLE_FILL,           /* (ctx, table, i, val, n) */
    HELPER_TABLE_COPY,           /* (ctx, dst table, src table, d, s, n) */
    HELPER_TABLE_INIT,           /* (ctx, table, seg, d, s, n) */
    HELPER_ELEM_DROP,            /* (ctx, seg) */
    HELPER_COUNT
};

/* ---- runtime objects ---- */

struct wasm_memory {
    uint32_t refs;
    uint8_t *base;
    uint64_t pages, max_pages;   /* max_pages: the declared max, or 65536 */
    bool has_max;
    bool guarded;                /* reserved with the 4 GiB guard */
    size_t reserved;
    uint8_t **users;             /* contexts to update on grow */
    uint32_t nusers, cap_users;
};

struct wasm_table {
    uint32_t refs;
    uint8_t elem;
    uint64_t *elems;             /* funcref: wasm_funcref *; externref: opaque */
    uint32_t size, max;          /* max: the declared max, or UINT32_MAX */
    uint64_t **users;            /* context slots {base, length} to update */
    uint32_t nusers, cap_users;
};

struct wasm_global {
    uint32_t refs;
    uint8_t type;
    bool mutable_;
    uint64_t *cell;              /* own[] or a slot in an instance context */
    uint64_t own[2];
    wasm_instance *instance;     /* owner, when cell is in its context */
};

enum { FUNC_WASM, FUNC_HOST };

struct wasm_func {
    uint32_t refs;
    uint8_t kind;
    wasm_funcref *rec;           /* what tables and imports copy */
    wasm_funcref own;            /* host functions: their record */
    wasm_functype type;          /* canonical (pointers into the engine) */
    wasm_instance *instance;     /* wasm functions: the owner */
    uint32_t index;
    wasm_host_fn *fn;
    void *data;
    wasm_engine *engine;
};

struct wasm_caller {
    wasm_instance *instance;
    void *data;
};

typedef struct wasm_elem_inst {
    uint64_t *items;
    uint32_t count;
} wasm_elem_inst;

struct wasm_instance {
    uint32_t refs;
    wasm_module *module;
    struct wasm_compiled *code;  /* held */
    wasm_instance *next_zombie;
    /* Counts copied from the module, so that a failed instantiation can
     * be freed after its module. */
    uint32_t ntables, nimported_globals, nimported_funcs, nelems, tables_off;
    uint8_t *ctx;
    wasm_memory *memory;         /* memory 0, or NULL */
    wasm_table **tables;
    wasm_global **globals;       /* imported ones (held); own ones made on export */
    wasm_func **funcs;           /* imported ones (held); own ones made on export */
    wasm_elem_inst *elems;
    bool *data_dropped;
    wasm_func **own_funcs;       /* export objects, by function index, made on demand */
    wasm_global **own_globals;   /* by global index */
    uint32_t nfuncs, nglobals;
    bool start_pending;          /* WASM_INSTANCE_DEFER_START: the start function has not run */
};

/* Reference counting for runtime objects (runtime.c). */
void wasm_instance_release(wasm_instance *inst);
void wasm_memory_release(wasm_memory *mem);
void wasm_table_release(wasm_table *tab);
void wasm_global_release(wasm_global *g);
void wasm_func_release(wasm_func *f);

/* Memory and table users (contexts that cache base and size). */
int wasm_memory_add_user(wasm_memory *mem, uint8_t *ctx);
void wasm_memory_remove_user(wasm_memory *mem, uint8_t *ctx);
int wasm_table_add_user(wasm_table *tab, uint64_t *slot);
void wasm_table_remove_user(wasm_table *tab, uint64_t *slot);
int64_t wasm_memory_grow(wasm_memory *mem, uint64_t delta);

/* Creation for instances (memory.c, table.c, func.c). */
wasm_memory *wasm_memory_create(uint64_t min, uint64_t max, bool has_max, bool guarded,
                                wasm_error *err);
wasm_table *wasm_table_create(uint8_t elem, uint32_t min, uint32_t max, bool has_max,
                              wasm_error *err);
wasm_func *wasm_func_from_instance(wasm_instance *inst, uint32_t index);

/* Calls f with an argument/result slot area (func.c). */
int wasm_call_slots(wasm_func *f, uint64_t *slots, uint32_t nslots, wasm_error *err);
int64_t wasm_table_grow(wasm_table *tab, uint64_t init, uint32_t delta);

#endif
