/* wasm/wasm.h: the engine's public interface, used by the kernel and by the
 * host tools alike. Freestanding: no libc types beyond <stdint.h>/<stddef.h>.
 *
 * Objects:
 *   wasm_engine    engine-wide state: the canonical function-type registry
 *   wasm_module    a decoded, validated and compiled module
 *   wasm_instance  a module with its imports bound, memory, tables, globals
 *   wasm_func, wasm_memory, wasm_table, wasm_global
 *                  the things an instance imports and exports; created by an
 *                  instance or standalone by the embedder. They are reference
 *                  counted inside the engine: an object lives while the
 *                  embedder's handle or any instance that uses it lives.
 *
 * Floating-point values cross this interface as bit patterns (no C float
 * types in freestanding code). Every call that can fail takes a wasm_error
 * and returns NULL or a non-zero int on failure, with the error filled in. */
#ifndef WASM_WASM_H
#define WASM_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value types, by their binary encoding. */
enum {
    WASM_I32 = 0x7f,
    WASM_I64 = 0x7e,
    WASM_F32 = 0x7d,
    WASM_F64 = 0x7c,
    WASM_V128 = 0x7b,
    WASM_FUNCREF = 0x70,
    WASM_EXTERNREF = 0x6f,
};

/* External kinds, by their binary encoding. */
enum {
    WASM_EXTERN_FUNC = 0,
    WASM_EXTERN_TABLE = 1,
    WASM_EXTERN_MEMORY = 2,
    WASM_EXTERN_GLOBAL = 3,
};

typedef enum wasm_err_kind {
    WASM_OK = 0,
    WASM_ERR_MALFORMED,   /* the bytes are not a module (decoding) */
    WASM_ERR_INVALID,     /* well-formed but fails validation */
    WASM_ERR_LINK,        /* an import is missing or has the wrong type */
    WASM_ERR_TRAP,        /* execution trapped; `trap` says why */
    WASM_ERR_RESOURCE,    /* out of memory or address space, limits */
    WASM_ERR_UNSUPPORTED, /* not implemented (yet) */
    WASM_ERR_ARGUMENT,    /* the embedder passed a bad argument */
} wasm_err_kind;

typedef enum wasm_trap_kind {
    WASM_TRAP_NONE = 0,
    WASM_TRAP_UNREACHABLE,
    WASM_TRAP_MEMORY_OOB,
    WASM_TRAP_TABLE_OOB,
    WASM_TRAP_DIV_ZERO,
    WASM_TRAP_INT_OVERFLOW,
    WASM_TRAP_INVALID_CONVERSION,
    WASM_TRAP_UNDEFINED_ELEMENT,   /* call_indirect index past the table */
    WASM_TRAP_UNINITIALIZED_ELEMENT, /* call_indirect through a null entry */
    WASM_TRAP_INDIRECT_TYPE,       /* call_indirect signature mismatch */
    WASM_TRAP_NULL_REF,
    WASM_TRAP_STACK_EXHAUSTED,
    WASM_TRAP_HOST,                /* a host function asked for a trap */
    WASM_TRAP_KILLED,              /* the embedder killed the thread */
    WASM_TRAP_COUNT
} wasm_trap_kind;

typedef struct wasm_error {
    wasm_err_kind kind;
    wasm_trap_kind trap;      /* when kind == WASM_ERR_TRAP */
    char message[512];        /* one line: section/offset/reason, or trap + backtrace */
} wasm_error;

/* The spec's wording for a trap kind ("unreachable", "integer divide by
 * zero", "out of bounds memory access", ...). */
const char *wasm_trap_name(wasm_trap_kind kind);

typedef struct wasm_val {
    uint8_t type;             /* WASM_I32 ... WASM_EXTERNREF */
    union {
        uint32_t i32;
        uint64_t i64;
        uint32_t f32;         /* bits */
        uint64_t f64;         /* bits */
        uint8_t v128[16];
        uint64_t ref;         /* 0 is null; funcref: engine-defined; externref: opaque */
    } of;
} wasm_val;

typedef struct wasm_engine wasm_engine;
typedef struct wasm_module wasm_module;
typedef struct wasm_instance wasm_instance;
typedef struct wasm_func wasm_func;
typedef struct wasm_memory wasm_memory;
typedef struct wasm_table wasm_table;
typedef struct wasm_global wasm_global;

typedef struct wasm_extern {
    uint8_t kind;             /* WASM_EXTERN_* */
    union {
        wasm_func *func;
        wasm_table *table;
        wasm_memory *memory;
        wasm_global *global;
    } of;
} wasm_extern;

/* ---- engine ---- */

wasm_engine *wasm_engine_new(void);
void wasm_engine_free(wasm_engine *engine);

/* ---- modules ---- */

enum {
    WASM_MODULE_EXPLICIT_BOUNDS = 1 << 0, /* bounds-check every access instead of guard pages */
    WASM_MODULE_VALIDATE_ONLY = 1 << 1,   /* decode and validate, do not compile */
};

/* Decodes, validates and (unless VALIDATE_ONLY) compiles `bytes`. The module
 * refers to `bytes` (function bodies, names) without copying them: the caller
 * keeps them alive and unchanged until wasm_module_free. */
wasm_module *wasm_module_new(wasm_engine *engine, const uint8_t *bytes, size_t len,
                             unsigned flags, wasm_error *err);
void wasm_module_free(wasm_module *module);

typedef struct wasm_import_info {
    const char *module;  uint32_t module_len;   /* not NUL-terminated */
    const char *name;    uint32_t name_len;
    uint8_t kind;                               /* WASM_EXTERN_* */
} wasm_import_info;

typedef struct wasm_export_info {
    const char *name;    uint32_t name_len;
    uint8_t kind;
    uint32_t index;
} wasm_export_info;

uint32_t wasm_module_import_count(const wasm_module *module);
void wasm_module_import(const wasm_module *module, uint32_t i, wasm_import_info *out);
uint32_t wasm_module_export_count(const wasm_module *module);
void wasm_module_export(const wasm_module *module, uint32_t i, wasm_export_info *out);

/* Sizes, for tools that report on compilation. */
typedef struct wasm_module_stats {
    uint32_t functions;          /* defined functions */
    uint64_t code_bytes;         /* function bodies in the code section */
    uint64_t machine_bytes;      /* compiled code (0 when validate-only) */
    const uint8_t *machine_code; /* the code itself (read-only), for disassembly */
    const uint32_t *func_start;  /* per defined function: its offset in machine_code */
} wasm_module_stats;
void wasm_module_get_stats(const wasm_module *module, wasm_module_stats *out);

/* ---- instances ---- */

/* Instantiates `module` with `imports` given in the module's import order,
 * checking each against its import type (WASM_ERR_LINK), then initializes
 * tables and memories and runs the start function (WASM_ERR_TRAP). */
wasm_instance *wasm_instance_new(wasm_module *module, const wasm_extern *imports,
                                 uint32_t nimports, wasm_error *err);

enum {
    WASM_INSTANCE_DEFER_START = 1 << 0,  /* leave the start function to wasm_instance_run_start */
};

/* wasm_instance_new with `flags`. With WASM_INSTANCE_DEFER_START the
 * instance is returned after its segments are applied (a segment out of
 * bounds is still a WASM_ERR_TRAP here) without running the start
 * function, so that an embedder can run it later, on another thread (a
 * kernel runs a program's start code on the program's own thread). */
wasm_instance *wasm_instance_new_ex(wasm_module *module, const wasm_extern *imports,
                                    uint32_t nimports, unsigned flags, wasm_error *err);

/* Runs the start function held back by WASM_INSTANCE_DEFER_START, at most
 * once: returns 0 (also when there is none, or it was run or tried before),
 * or -1 with `err` (a trap, as from wasm_func_call). After a trap the
 * instance keeps the effects so far and may still be freed as usual. */
int wasm_instance_run_start(wasm_instance *instance, wasm_error *err);
void wasm_instance_free(wasm_instance *instance);

/* Looks an export up by name; returns 0 and fills `out`, or -1. The object
 * is borrowed: it belongs to the instance and stays valid while the
 * instance lives (and while any instance that imported it lives); the
 * embedder does not free it (wasm_func_free and wasm_global_free ignore an
 * instance's own objects; never call wasm_memory_free or wasm_table_free
 * on a borrowed memory or table). */
int wasm_instance_export(wasm_instance *instance, const char *name, size_t len,
                         wasm_extern *out);

/* ---- functions ---- */

/* What a host function receives: the calling instance (its memory, and
 * whatever the embedder attached to it) and the data given at creation. */
typedef struct wasm_caller wasm_caller;
wasm_instance *wasm_caller_instance(wasm_caller *caller);
void *wasm_caller_data(wasm_caller *caller);
/* The caller's memory 0 (NULL when it has none), with its size in bytes. */
uint8_t *wasm_caller_memory(wasm_caller *caller, uint64_t *size);

/* A host function reads its arguments from args_and_results[0..nparams-1]
 * (one 64-bit slot each; v128 takes two) and writes its results from slot 0.
 * Non-zero means trap (WASM_TRAP_HOST) and is acted on after it returns. */
typedef int wasm_host_fn(wasm_caller *caller, uint64_t *args_and_results);

wasm_func *wasm_func_new_host(wasm_engine *engine,
                              const uint8_t *params, uint32_t nparams,
                              const uint8_t *results, uint32_t nresults,
                              wasm_host_fn *fn, void *data);
void wasm_func_free(wasm_func *func);

/* The function's type: parameter and result types, borrowed. */
void wasm_func_type(const wasm_func *func, const uint8_t **params, uint32_t *nparams,
                    const uint8_t **results, uint32_t *nresults);

/* Calls `func`. Returns 0 with results written, or -1 with `err` (a trap:
 * kind, function and Wasm backtrace in the message). */
int wasm_func_call(wasm_func *func, const wasm_val *args, uint32_t nargs,
                   wasm_val *results, uint32_t nresults, wasm_error *err);

/* ---- memories, tables, globals made by the embedder ---- */

wasm_memory *wasm_memory_new(wasm_engine *engine, uint32_t min_pages, uint32_t max_pages,
                             bool has_max, wasm_error *err);
void wasm_memory_free(wasm_memory *memory);
uint8_t *wasm_memory_data(wasm_memory *memory, uint64_t *size);

wasm_table *wasm_table_new(wasm_engine *engine, uint8_t elem_type, uint32_t min,
                           uint32_t max, bool has_max, wasm_error *err);
void wasm_table_free(wasm_table *table);
uint32_t wasm_table_size(wasm_table *table);

wasm_global *wasm_global_new(wasm_engine *engine, wasm_val value, bool mutable_,
                             wasm_error *err);
void wasm_global_free(wasm_global *global);
wasm_val wasm_global_get(wasm_global *global);

#endif
