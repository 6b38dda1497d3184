/* wasm/decode.h: the decoder's state, shared by decode.c (sections) and
 * validate.c (function bodies and constant expressions). Internal to the
 * front end. */
#ifndef WASM_DECODE_H
#define WASM_DECODE_H

#include <stdint.h>
#include "wasm/module.h"

/* A control frame of the validator (the spec's ctrl_frame). */
typedef struct wasm_ctrl {
    uint8_t op;                  /* block, loop, if, else; 0 for the function itself */
    bool unreachable;
    uint32_t height;             /* operand stack height at entry (params popped) */
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
} wasm_ctrl;

typedef struct wasm_decoder {
    wasm_module *m;
    wasm_error *err;
    const uint8_t *base;         /* the input, for offsets in messages */
    const uint8_t *end;
    const char *section;         /* name of the section being read, for messages */
    uint32_t func;               /* function being validated (code section) */
    const uint8_t *body;         /* its body */
    const uint8_t *body_end;

    /* Validator scratch space, reused from one function to the next. */
    uint8_t *vals;               /* operand stack of value types, 0 = unknown */
    uint32_t nvals, cap_vals;
    wasm_ctrl *ctrls;
    uint32_t nctrls, cap_ctrls;
    uint8_t *locals;             /* type of each local, params first */
    uint32_t cap_locals;
    uint32_t cap_groups;         /* capacity of m->local_groups */
} wasm_decoder;

/* Records an error of `kind` at byte `at` of the input, with the current
 * section's name, and returns -1 so callers can `return fail(...)`. */
int wasm_decode_fail(wasm_decoder *d, wasm_err_kind kind, const uint8_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Decodes and validates the whole module in d->m from d->base..d->end. */
int wasm_decode_module(wasm_decoder *d);

/* Reads a constant expression at *pp (up to and including its `end`),
 * checks that it produces one value of `type` (0: any; then *out->type
 * tells), and fills *out. Only imported globals may be read (the rule of
 * WebAssembly 2.0). */
int wasm_validate_const_expr(wasm_decoder *d, const uint8_t **pp, const uint8_t *end,
                             uint8_t type, wasm_const_expr *out);

/* Validates the body of defined function `func` (code->body, code->size
 * already set), filling in the rest of *code. */
int wasm_validate_function(wasm_decoder *d, uint32_t func, wasm_code *code);

/* Frees the validator's scratch space. */
void wasm_validator_free(wasm_decoder *d);

/* Names of value types for messages ("i32", "funcref", "unknown"...). */
const char *wasm_valtype_name(uint8_t type);

#endif
