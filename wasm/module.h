/* wasm/module.h: the in-memory form of a decoded and validated module, as
 * the front end (decode.c, validate.c) hands it to the back end.
 *
 * Made for a one-pass compiler:
 *   - function bodies, names and data bytes are not copied: they point into
 *     the caller's input bytes, which outlive the module (see wasm.h);
 *   - every function type carries an engine-wide canonical id (engine.h), so
 *     call_indirect and imports compare one integer;
 *   - index spaces (funcs, tables, memories, globals) hold imports first,
 *     then definitions, exactly as the spec numbers them;
 *   - what the validator learns cheaply (maximum operand stack height, block
 *     nesting, whether a function calls or touches memory) is kept per
 *     function in wasm_code.
 *
 * Everything here is filled in by wasm_module_new before the back end sees
 * it, and is read-only afterwards. A module's memory use is proportional to
 * its size: arrays are sized by counts that the input had to back with bytes.
 *
 * Stability: the back end is written against this file. Fields are only
 * ever added, never renamed or removed. */
#ifndef WASM_MODULE_H
#define WASM_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wasm/wasm.h"

#define WASM_PAGE_SIZE 65536u
#define WASM_MAX_PAGES32 65536u          /* 4 GiB: the most a 32-bit memory can have */

/* Implementation limits (beyond them a module is rejected as invalid, with
 * a message saying which limit). Chosen like the major engines. */
#define WASM_MAX_FUNC_LOCALS 50000u      /* params + declared locals */
#define WASM_MAX_FUNC_PARAMS 1000u
#define WASM_MAX_FUNC_RESULTS 1000u
#define WASM_MAX_STACK 50000u            /* operand stack height, in values: keeps a call
                                            returning many results, repeated, from making
                                            the validator (and the frame) huge */

/* ---- types ---- */

/* A function type. `params` and `results` point into the engine's type
 * registry (engine.h) and live as long as the engine. Two types with equal
 * parameter and result lists have the same `id`, in every module of the
 * engine. */
typedef struct wasm_functype {
    uint32_t id;                 /* canonical id, dense from 0, engine-wide */
    uint32_t nparams;
    uint32_t nresults;
    const uint8_t *params;       /* WASM_I32 ... WASM_EXTERNREF */
    const uint8_t *results;
} wasm_functype;

typedef struct wasm_table_type {
    uint8_t elem;                /* WASM_FUNCREF or WASM_EXTERNREF */
    bool has_max;
    uint32_t min;                /* entries */
    uint32_t max;                /* entries; valid when has_max */
} wasm_table_type;

typedef struct wasm_memory_type {
    bool has_max;
    bool is64;                   /* memory64 (not in 2.0: always false today) */
    bool shared;                 /* threads (not in 2.0: always false today) */
    uint64_t min;                /* pages; bytes = min * WASM_PAGE_SIZE */
    uint64_t max;                /* pages; valid when has_max */
} wasm_memory_type;

typedef struct wasm_global_type {
    uint8_t type;                /* value type */
    bool mutable_;
} wasm_global_type;

/* ---- constant expressions ---- */

/* Opcodes of the constant instructions (values of wasm_const_expr.op). */
enum {
    WASM_CONST_I32 = 0x41,
    WASM_CONST_I64 = 0x42,
    WASM_CONST_F32 = 0x43,
    WASM_CONST_F64 = 0x44,
    WASM_CONST_GLOBAL_GET = 0x23,
    WASM_CONST_REF_NULL = 0xd0,
    WASM_CONST_REF_FUNC = 0xd2,
    WASM_CONST_V128 = 0xfd,      /* v128.const (0xfd 12) */
};

/* A validated constant expression. In WebAssembly 2.0 it is exactly one
 * constant instruction followed by `end`, so it is kept decoded; `expr`/`len`
 * still reference the raw bytes (without the final `end`) for later
 * extensions such as extended-const. */
typedef struct wasm_const_expr {
    uint8_t op;                  /* WASM_CONST_* */
    uint8_t type;                /* the value type it produces */
    uint32_t index;              /* global.get: global index; ref.func: func index;
                                    ref.null: the reference type (0x70/0x6f) */
    union {
        uint32_t i32;            /* also f32 bits */
        uint64_t i64;            /* also f64 bits */
        uint8_t v128[16];
    } value;
    const uint8_t *expr;
    uint32_t len;
} wasm_const_expr;

/* ---- imports and exports ---- */

typedef struct wasm_import {
    const uint8_t *module;       /* into the input bytes, valid UTF-8, not NUL-terminated */
    uint32_t module_len;
    const uint8_t *name;
    uint32_t name_len;
    uint8_t kind;                /* WASM_EXTERN_* */
    uint32_t index;              /* its index in the kind's index space; the type is
                                    found there (func_types, tables, memories, globals) */
} wasm_import;

typedef struct wasm_export {
    const uint8_t *name;         /* into the input bytes, valid UTF-8, unique */
    uint32_t name_len;
    uint8_t kind;                /* WASM_EXTERN_* */
    uint32_t index;              /* in the kind's index space */
} wasm_export;

/* ---- globals ---- */

typedef struct wasm_global_decl {
    wasm_global_type type;
    bool imported;               /* then `init` is unused */
    wasm_const_expr init;
} wasm_global_decl;

/* ---- code ---- */

/* A run of declared locals of one type, as in the binary format
 * (`count` locals of `type`). Parameters are not included. */
typedef struct wasm_local_group {
    uint32_t count;
    uint8_t type;
} wasm_local_group;

/* What the validator noticed about a function body (wasm_code.flags). */
enum {
    WASM_CODE_USES_MEMORY = 1 << 0,   /* loads, stores, memory.size/grow/fill/copy/init */
    WASM_CODE_GROWS_MEMORY = 1 << 1,  /* memory.grow */
    WASM_CODE_CALLS = 1 << 2,         /* call, call_indirect */
    WASM_CODE_CALLS_INDIRECT = 1 << 3,/* call_indirect */
    WASM_CODE_USES_TABLE = 1 << 4,    /* table.* or call_indirect */
    WASM_CODE_USES_SIMD = 1 << 5,     /* any v128 value or 0xfd instruction */
    WASM_CODE_HAS_LOOP = 1 << 6,      /* contains a `loop` */
    WASM_CODE_USES_GLOBALS = 1 << 7,  /* global.get / global.set */
    WASM_CODE_USES_FLOAT = 1 << 8,    /* an f32/f64 instruction: constant, arithmetic,
                                         comparison, conversion, load or store */
};

/* A defined function's body. `body` points at the body's first byte in the
 * input (the locals declarations), `code` at its first instruction; the
 * body ends at body + size, whose last byte is the final `end` (0x0b). */
typedef struct wasm_code {
    const uint8_t *body;
    uint32_t size;               /* bytes from body to the end of the final `end` */
    uint32_t code_offset;        /* code = body + code_offset */
    const uint8_t *code;
    uint32_t file_offset;        /* offset of `body` in the input, for messages */
    uint32_t nlocals;            /* declared locals (parameters not included) */
    uint32_t local_group;        /* first of this function's runs in module.local_groups */
    uint32_t nlocal_groups;
    uint32_t max_stack;          /* most operand-stack values live at once between two
                                    instructions (a v128 counts 1), locals not included */
    uint32_t max_stack_slots;    /* an upper bound of the same counting a v128 as two
                                    64-bit slots: max_stack, doubled when USES_SIMD */
    uint32_t max_depth;          /* deepest control nesting; the function body itself is 1 */
    uint32_t flags;              /* WASM_CODE_* */
} wasm_code;

/* ---- segments ---- */

enum {
    WASM_SEG_ACTIVE = 0,
    WASM_SEG_PASSIVE = 1,
    WASM_SEG_DECLARATIVE = 2,    /* element segments only */
};

/* The null reference among element items given as function indices. */
#define WASM_ELEM_NULL 0xffffffffu

/* An element segment. Items are kept in one of two forms:
 *   - `funcs` (non-NULL): every item is a function index, or WASM_ELEM_NULL
 *     for ref.null. Used whenever the items are ref.func / ref.null / the
 *     legacy function-index vector, which is nearly always.
 *   - `exprs` (non-NULL): otherwise (some item is a global.get), every item
 *     as a constant expression.
 * When count is 0 both may be NULL. */
typedef struct wasm_elem_segment {
    uint8_t mode;                /* WASM_SEG_* */
    uint8_t type;                /* WASM_FUNCREF or WASM_EXTERNREF */
    uint32_t table;              /* active segments */
    wasm_const_expr offset;      /* active segments: an i32 expression */
    uint32_t count;
    uint32_t *funcs;
    wasm_const_expr *exprs;
    uint32_t file_offset;
} wasm_elem_segment;

typedef struct wasm_data_segment {
    uint8_t mode;                /* WASM_SEG_ACTIVE or WASM_SEG_PASSIVE */
    uint32_t memory;             /* active segments */
    wasm_const_expr offset;      /* active segments: an i32 expression */
    const uint8_t *bytes;        /* into the input */
    uint32_t len;
    uint32_t file_offset;
} wasm_data_segment;

/* ---- custom sections and names ---- */

typedef struct wasm_custom_section {
    const uint8_t *name;         /* valid UTF-8 */
    uint32_t name_len;
    const uint8_t *data;         /* the payload after the name */
    uint32_t len;
    uint32_t file_offset;        /* of the section's id byte */
    uint8_t after;               /* id of the last known section before it (0: none) */
} wasm_custom_section;

typedef struct wasm_name {
    uint32_t index;              /* function index */
    uint32_t local;              /* local index (local names only) */
    const uint8_t *name;         /* into the input bytes, valid UTF-8 */
    uint32_t len;
} wasm_name;

/* The "name" custom section. Its contents never make a module invalid (the
 * spec says so): a malformed name section is ignored from the bad
 * subsection on, and what was read before it is kept. */
typedef struct wasm_names {
    const uint8_t *module;       /* NULL when absent */
    uint32_t module_len;
    wasm_name *funcs;            /* sorted by index, unique */
    uint32_t nfuncs;
    wasm_name *locals;           /* sorted by (index, local), unique */
    uint32_t nlocals;
} wasm_names;

/* ---- the module ---- */

/* Per-function flags (wasm_module.func_flags, one byte per function of the
 * index space, imports included). */
enum {
    WASM_FUNC_EXPORTED = 1 << 0,
    WASM_FUNC_IN_ELEM = 1 << 1,     /* named by some element segment */
    WASM_FUNC_REF = 1 << 2,         /* named by ref.func in code or a global's init */
    /* A function with any of these may become a funcref and needs a funcref
     * record (code, context, type id). */
    WASM_FUNC_ESCAPES = WASM_FUNC_EXPORTED | WASM_FUNC_IN_ELEM | WASM_FUNC_REF,
};

struct wasm_module {
    wasm_engine *engine;
    const uint8_t *bytes;        /* the input, not owned */
    size_t len;
    unsigned flags;              /* WASM_MODULE_* given to wasm_module_new */

    uint32_t ntypes;
    wasm_functype *types;        /* by module type index */

    uint32_t nimports;
    wasm_import *imports;

    /* Functions: func_types[i] is the module type index of function i. */
    uint32_t nfuncs, nimported_funcs;
    uint32_t *func_types;
    uint8_t *func_flags;         /* WASM_FUNC_* */
    wasm_code *code;             /* [nfuncs - nimported_funcs], defined functions */

    uint32_t ntables, nimported_tables;
    wasm_table_type *tables;

    uint32_t nmemories, nimported_memories;
    wasm_memory_type *memories;

    uint32_t nglobals, nimported_globals;
    wasm_global_decl *globals;

    uint32_t nexports;
    wasm_export *exports;        /* in the order of the export section */

    bool has_start;
    uint32_t start;              /* function index */

    uint32_t nelems;
    wasm_elem_segment *elems;

    bool has_data_count;
    uint32_t data_count;
    uint32_t ndatas;
    wasm_data_segment *datas;

    uint32_t ncustoms;
    wasm_custom_section *customs;
    wasm_names names;

    uint32_t nlocal_groups;
    wasm_local_group *local_groups;  /* every function's runs, in function order */

    /* Owned by the back end: whatever wasm_backend_compile attaches (code,
     * trap-site tables...). Released by wasm_backend_free (backend.h). */
    void *backend;
};

/* The type of function `func` (imports included). */
static inline const wasm_functype *wasm_module_func_type(const wasm_module *m, uint32_t func)
{
    return &m->types[m->func_types[func]];
}

/* The body of defined function `func` (func >= nimported_funcs). */
static inline const wasm_code *wasm_module_code(const wasm_module *m, uint32_t func)
{
    return &m->code[func - m->nimported_funcs];
}

/* The name of function `func` from the name section, or NULL (then *len
 * is 0). Binary search. */
const uint8_t *wasm_module_func_name(const wasm_module *m, uint32_t func, uint32_t *len);

/* The name of local `local` of function `func`, or NULL. */
const uint8_t *wasm_module_local_name(const wasm_module *m, uint32_t func, uint32_t local,
                                      uint32_t *len);

/* The type of local `local` of defined function `func` (parameters first,
 * then declared locals), or 0 when out of range. Walks the runs: the
 * compiler should expand them once per function instead. */
uint8_t wasm_module_local_type(const wasm_module *m, uint32_t func, uint32_t local);

#endif
