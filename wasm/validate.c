/* wasm/validate.c: validation of function bodies and constant expressions,
 * following the algorithm in the spec's appendix: a stack of operand types
 * (0 standing for the unknown type of unreachable code) and a stack of
 * control frames. Decoding of instructions and validation happen in the
 * same pass; the first problem found is reported with its byte offset.
 *
 * While it walks a body, the validator also records what the compiler
 * wants to know in advance (wasm_code: stack height, nesting, flags). */
#include "wasm/decode.h"
#include "wasm/leb128.h"
#include "wasm/opcodes.h"
#include "wasm/platform.h"
#include "lib/string.h"

#define UNKNOWN 0

const char *wasm_valtype_name(uint8_t t)
{
    switch (t) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_V128: return "v128";
    case WASM_FUNCREF: return "funcref";
    case WASM_EXTERNREF: return "externref";
    default: return "unknown";
    }
}

/* Each byte value at its own index: &one_type[t] is a one-element type
 * list holding t, for block types of a single value. */
static const uint8_t one_type[256] = {
    [WASM_I32] = WASM_I32, [WASM_I64] = WASM_I64, [WASM_F32] = WASM_F32, [WASM_F64] = WASM_F64,
    [WASM_V128] = WASM_V128, [WASM_FUNCREF] = WASM_FUNCREF, [WASM_EXTERNREF] = WASM_EXTERNREF,
};

static bool is_valtype(uint8_t t)
{
    return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64 ||
           t == WASM_V128 || t == WASM_FUNCREF || t == WASM_EXTERNREF;
}

static bool is_reftype(uint8_t t)
{
    return t == WASM_FUNCREF || t == WASM_EXTERNREF;
}

/* ---- errors ---- */

/* The name of the instruction starting at `at`, for messages. */
static const char *op_name(const uint8_t *at, const uint8_t *end)
{
    if (at >= end)
        return "end of body";
    uint8_t op = *at++;
    uint32_t sub;
    if (op == WASM_OP_PREFIX_FC || op == WASM_OP_PREFIX_FD) {
        if (wasm_leb_u32(&at, end, &sub))
            return "prefixed instruction";
        if (op == WASM_OP_PREFIX_FC)
            return sub < 32 && wasm_opinfo_fc[sub].name ? wasm_opinfo_fc[sub].name : "0xfc instruction";
        return sub < 256 && wasm_opinfo_fd[sub].name ? wasm_opinfo_fd[sub].name : "0xfd instruction";
    }
    return wasm_opinfo_main[op].name ? wasm_opinfo_main[op].name : "instruction";
}

/* An error inside function d->func, at the instruction starting at `at`. */
static int fail_at(wasm_decoder *d, wasm_err_kind kind, const uint8_t *at, const char *what)
{
    return wasm_decode_fail(d, kind, at, "function %u: %s: %s", d->func, op_name(at, d->body_end), what);
}

static int invalid(wasm_decoder *d, const uint8_t *at, const char *what)
{
    return fail_at(d, WASM_ERR_INVALID, at, what);
}

static int malformed(wasm_decoder *d, const uint8_t *at, const char *what)
{
    return fail_at(d, WASM_ERR_MALFORMED, at, what);
}

static int mismatch(wasm_decoder *d, const uint8_t *at, uint8_t want, uint8_t got)
{
    return wasm_decode_fail(d, WASM_ERR_INVALID, at, "function %u: %s: type mismatch: expected %s, got %s",
                            d->func, op_name(at, d->body_end), wasm_valtype_name(want),
                            got ? wasm_valtype_name(got) : "nothing (empty stack)");
}

static int out_of_memory(wasm_decoder *d)
{
    return wasm_decode_fail(d, WASM_ERR_RESOURCE, NULL, "out of memory while validating");
}

/* ---- checked readers of immediates ---- */

static int imm_u32_slow(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, uint32_t *v)
{
    const uint8_t *at = *pp;
    uint64_t x = 0;
    int e = wasm_leb_read(pp, end, 32, 0, &x);
    *v = (uint32_t)x;
    if (e)
        return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "function %u: %s", d->func, wasm_leb_error(e));
    return 0;
}

/* Most immediates are one byte: that case stays inline. */
static inline int imm_u32(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, uint32_t *v)
{
    const uint8_t *p = *pp;
    if (p < end && *p < 0x80) {
        *v = *p;
        *pp = p + 1;
        return 0;
    }
    return imm_u32_slow(d, pp, end, v);
}

static int imm_byte(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, uint8_t *v)
{
    *v = 0;
    if (*pp >= end)
        return wasm_decode_fail(d, WASM_ERR_MALFORMED, *pp, "function %u: unexpected end", d->func);
    *v = *(*pp)++;
    return 0;
}

static int imm_skip(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, size_t n)
{
    if ((size_t)(end - *pp) < n)
        return wasm_decode_fail(d, WASM_ERR_MALFORMED, *pp, "function %u: unexpected end", d->func);
    *pp += n;
    return 0;
}

/* A reserved byte that must be zero (memory index in 2.0's memory.size,
 * memory.grow, memory.copy, memory.fill, memory.init). */
static int imm_zero(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, const uint8_t *at)
{
    uint8_t b;
    if (imm_byte(d, pp, end, &b))
        return -1;
    if (b != 0)
        return malformed(d, at, "zero byte expected");
    return 0;
}

/* ---- constant expressions ---- */

int wasm_validate_const_expr(wasm_decoder *d, const uint8_t **pp, const uint8_t *end,
                             uint8_t type, wasm_const_expr *out)
{
    wasm_module *m = d->m;
    const uint8_t *p = *pp, *start = p;
    uint32_t nvals = 0;
    lib_memset(out, 0, sizeof *out);
    for (;;) {
        const uint8_t *at = p;
        if (p >= end)
            return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "unexpected end of constant expression");
        uint8_t op = *p++;
        if (op == WASM_OP_END)
            break;
        out->op = op;
        switch (op) {
        case WASM_OP_I32_CONST: {
            int32_t v;
            int e = wasm_leb_s32(&p, end, &v);
            if (e)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "%s", wasm_leb_error(e));
            out->type = WASM_I32;
            out->value.i32 = (uint32_t)v;
            break;
        }
        case WASM_OP_I64_CONST: {
            int64_t v;
            int e = wasm_leb_s64(&p, end, &v);
            if (e)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "%s", wasm_leb_error(e));
            out->type = WASM_I64;
            out->value.i64 = (uint64_t)v;
            break;
        }
        case WASM_OP_F32_CONST:
            if ((size_t)(end - p) < 4)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "unexpected end");
            out->type = WASM_F32;
            out->value.i32 = wasm_rd_fixed32(&p);
            break;
        case WASM_OP_F64_CONST:
            if ((size_t)(end - p) < 8)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "unexpected end");
            out->type = WASM_F64;
            out->value.i64 = wasm_rd_fixed64(&p);
            break;
        case WASM_OP_REF_NULL: {
            if (p >= end)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "unexpected end");
            uint8_t t = *p++;
            if (!is_reftype(t))
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "malformed reference type 0x%02x", t);
            out->type = t;
            out->index = t;
            break;
        }
        case WASM_OP_REF_FUNC: {
            uint32_t f;
            int e = wasm_leb_u32(&p, end, &f);
            if (e)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "%s", wasm_leb_error(e));
            if (f >= m->nfuncs)
                return wasm_decode_fail(d, WASM_ERR_INVALID, at, "unknown function %u", f);
            out->type = WASM_FUNCREF;
            out->index = f;
            break;
        }
        case WASM_OP_GLOBAL_GET: {
            uint32_t g;
            int e = wasm_leb_u32(&p, end, &g);
            if (e)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "%s", wasm_leb_error(e));
            /* Only imported globals are visible to constant expressions. */
            if (g >= m->nimported_globals)
                return wasm_decode_fail(d, WASM_ERR_INVALID, at, "unknown global %u", g);
            if (m->globals[g].type.mutable_)
                return wasm_decode_fail(d, WASM_ERR_INVALID, at,
                                        "constant expression required (global %u is mutable)", g);
            out->type = m->globals[g].type.type;
            out->index = g;
            break;
        }
        case WASM_OP_PREFIX_FD: {
            uint32_t sub;
            int e = wasm_leb_u32(&p, end, &sub);
            if (e)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "%s", wasm_leb_error(e));
            if (sub >= 256 || !wasm_opinfo_fd[sub].kind)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "illegal opcode 0xfd %u", sub);
            if (sub != WASM_FD_V128_CONST)
                return wasm_decode_fail(d, WASM_ERR_INVALID, at, "constant expression required");
            if ((size_t)(end - p) < 16)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "unexpected end");
            out->op = WASM_CONST_V128;
            out->type = WASM_V128;
            lib_memcpy(out->value.v128, p, 16);
            p += 16;
            break;
        }
        case WASM_OP_PREFIX_FC: {
            uint32_t sub;
            int e = wasm_leb_u32(&p, end, &sub);
            if (e)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "%s", wasm_leb_error(e));
            if (sub >= 32 || !wasm_opinfo_fc[sub].kind)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "illegal opcode 0xfc %u", sub);
            return wasm_decode_fail(d, WASM_ERR_INVALID, at, "constant expression required");
        }
        default:
            if (!wasm_opinfo_main[op].kind)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "illegal opcode 0x%02x", op);
            return wasm_decode_fail(d, WASM_ERR_INVALID, at, "constant expression required (%s)",
                                    wasm_opinfo_main[op].name);
        }
        nvals++;
    }
    out->expr = start;
    out->len = (uint32_t)(p - 1 - start);
    if (nvals != 1 || (type && out->type != type))
        return wasm_decode_fail(d, WASM_ERR_INVALID, start,
                                "type mismatch in constant expression: expected one %s, got %u value%s%s%s",
                                wasm_valtype_name(type), nvals, nvals == 1 ? "" : "s",
                                nvals == 1 ? " of type " : "", nvals == 1 ? wasm_valtype_name(out->type) : "");
    *pp = p;
    return 0;
}

/* ---- the operand and control stacks ---- */

/* Makes room for `need` more values. The capacity never exceeds the
 * implementation limit, so every push past the limit comes here. */
static int grow_vals(wasm_decoder *d, uint32_t need)
{
    if ((size_t)d->nvals + need > WASM_MAX_STACK)
        return wasm_decode_fail(d, WASM_ERR_INVALID, d->body,
                                "function %u: operand stack higher than the limit of %u values",
                                d->func, WASM_MAX_STACK);
    size_t cap = d->cap_vals ? d->cap_vals : 64;
    while (cap < (size_t)d->nvals + need)
        cap *= 2;
    if (cap > WASM_MAX_STACK)
        cap = WASM_MAX_STACK;
    uint8_t *v = wasm_platform_realloc(d->vals, cap);
    if (!v)
        return out_of_memory(d);
    d->vals = v;
    d->cap_vals = (uint32_t)cap;
    return 0;
}

static inline int push(wasm_decoder *d, uint8_t t)
{
    if (d->nvals == d->cap_vals && grow_vals(d, 1))
        return -1;
    d->vals[d->nvals++] = t;
    return 0;
}

static int push_n(wasm_decoder *d, const uint8_t *types, uint32_t n)
{
    if (n == 0)
        return 0;
    if (d->cap_vals - d->nvals < n && grow_vals(d, n))
        return -1;
    lib_memcpy(d->vals + d->nvals, types, n);
    d->nvals += n;
    return 0;
}

static inline wasm_ctrl *top(wasm_decoder *d)
{
    return &d->ctrls[d->nctrls - 1];
}

/* Pops one value that must have type `want` (UNKNOWN: any). */
static inline int pop_expect(wasm_decoder *d, uint8_t want, const uint8_t *at)
{
    wasm_ctrl *c = top(d);
    if (d->nvals == c->height) {
        if (c->unreachable)
            return 0;
        return mismatch(d, at, want, 0);
    }
    uint8_t got = d->vals[--d->nvals];
    if (got != want && got != UNKNOWN && want != UNKNOWN)
        return mismatch(d, at, want, got);
    return 0;
}

/* Pops one value of any type into *t (UNKNOWN when the stack is
 * polymorphic and empty). */
static inline int pop_any(wasm_decoder *d, uint8_t *t, const uint8_t *at)
{
    wasm_ctrl *c = top(d);
    *t = UNKNOWN;
    if (d->nvals == c->height) {
        if (c->unreachable) {
            return 0;
        }
        return invalid(d, at, "type mismatch: expected a value, the stack is empty");
    }
    *t = d->vals[--d->nvals];
    return 0;
}

static int pop_types(wasm_decoder *d, const uint8_t *types, uint32_t n, const uint8_t *at)
{
    for (uint32_t i = n; i-- > 0;)
        if (pop_expect(d, types[i], at))
            return -1;
    return 0;
}

/* Checks, without popping, that the top of the stack matches `types` (a
 * branch target's label types). */
static int check_types(wasm_decoder *d, const uint8_t *types, uint32_t n, const uint8_t *at)
{
    wasm_ctrl *c = top(d);
    uint32_t avail = d->nvals - c->height;
    if (avail < n && !c->unreachable)
        return invalid(d, at, "type mismatch: not enough values on the stack for the branch");
    uint32_t k = avail < n ? avail : n;
    for (uint32_t i = 0; i < k; i++) {
        uint8_t got = d->vals[d->nvals - k + i], want = types[n - k + i];
        if (got != want && got != UNKNOWN)
            return mismatch(d, at, want, got);
    }
    return 0;
}

static int push_ctrl(wasm_decoder *d, uint8_t op, uint32_t np, const uint8_t *params,
                     uint32_t nr, const uint8_t *results)
{
    if (d->nctrls == d->cap_ctrls) {
        size_t cap = d->cap_ctrls ? (size_t)d->cap_ctrls * 2 : 16;
        if (cap > 0xffffffffu / sizeof(wasm_ctrl))
            return out_of_memory(d);
        wasm_ctrl *c = wasm_platform_realloc(d->ctrls, cap * sizeof(wasm_ctrl));
        if (!c)
            return out_of_memory(d);
        d->ctrls = c;
        d->cap_ctrls = (uint32_t)cap;
    }
    wasm_ctrl *c = &d->ctrls[d->nctrls++];
    c->op = op;
    c->unreachable = false;
    c->height = d->nvals;
    c->nparams = np;
    c->params = params;
    c->nresults = nr;
    c->results = results;
    return push_n(d, params, np);
}

/* The end of a block's instructions (at `else` or `end`): the stack must
 * hold exactly the block's results above its height. */
static int check_block_end(wasm_decoder *d, const uint8_t *at)
{
    wasm_ctrl *c = top(d);
    uint32_t avail = d->nvals - c->height;
    if (avail > c->nresults)
        return invalid(d, at, "type mismatch: values remain on the stack at the end of the block");
    if (check_types(d, c->results, c->nresults, at))
        return -1;
    d->nvals = c->height;
    return 0;
}

static void set_unreachable(wasm_decoder *d)
{
    wasm_ctrl *c = top(d);
    d->nvals = c->height;
    c->unreachable = true;
}

/* The types a branch to label `depth` carries. */
static int label(wasm_decoder *d, uint32_t depth, const uint8_t *at, uint32_t *n, const uint8_t **types)
{
    if (depth >= d->nctrls)
        return invalid(d, at, "unknown label");
    wasm_ctrl *c = &d->ctrls[d->nctrls - 1 - depth];
    if (c->op == WASM_OP_LOOP) {
        *n = c->nparams;
        *types = c->params;
    } else {
        *n = c->nresults;
        *types = c->results;
    }
    return 0;
}

/* ---- instructions with immediates ---- */

/* A block type: empty, one value type, or a type index (s33). */
static int block_type(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, const uint8_t *at,
                      uint32_t *np, const uint8_t **params, uint32_t *nr, const uint8_t **results)
{
    const uint8_t *p = *pp;
    if (p < end && (*p == 0x40 || is_valtype(*p))) {
        *np = 0;
        *params = NULL;
        *nr = *p == 0x40 ? 0 : 1;
        *results = &one_type[*p];
        *pp = p + 1;
        return 0;
    }
    int64_t idx;
    int e = wasm_leb_s33(pp, end, &idx);
    if (e)
        return malformed(d, at, wasm_leb_error(e));
    if (idx < 0)
        return malformed(d, at, "malformed block type");
    if ((uint64_t)idx >= d->m->ntypes)
        return invalid(d, at, "unknown type");
    const wasm_functype *t = &d->m->types[idx];
    *np = t->nparams;
    *params = t->params;
    *nr = t->nresults;
    *results = t->results;
    return 0;
}

/* A memarg: alignment exponent (at most the natural one) and offset. */
static inline int memarg(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, const uint8_t *at,
                  unsigned natural_log2, wasm_code *code)
{
    uint32_t align, offset;
    if (imm_u32(d, pp, end, &align) || imm_u32(d, pp, end, &offset))
        return -1;
    if (d->m->nmemories == 0)
        return invalid(d, at, "unknown memory 0");
    if (align > natural_log2)
        return invalid(d, at, "alignment must not be larger than natural");
    code->flags |= WASM_CODE_USES_MEMORY;
    return 0;
}

static int need_memory(wasm_decoder *d, const uint8_t *at, wasm_code *code)
{
    if (d->m->nmemories == 0)
        return invalid(d, at, "unknown memory 0");
    code->flags |= WASM_CODE_USES_MEMORY;
    return 0;
}

static int table_index(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, const uint8_t *at,
                       uint32_t *t, wasm_code *code)
{
    if (imm_u32(d, pp, end, t))
        return -1;
    if (*t >= d->m->ntables)
        return invalid(d, at, "unknown table");
    code->flags |= WASM_CODE_USES_TABLE;
    return 0;
}

static int elem_index(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, const uint8_t *at, uint32_t *e)
{
    if (imm_u32(d, pp, end, e))
        return -1;
    if (*e >= d->m->nelems)
        return invalid(d, at, "unknown elem segment");
    return 0;
}

static int data_index(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, const uint8_t *at)
{
    uint32_t x;
    if (imm_u32(d, pp, end, &x))
        return -1;
    if (!d->m->has_data_count)
        return malformed(d, at, "data count section required");
    if (x >= d->m->data_count)
        return invalid(d, at, "unknown data segment");
    return 0;
}

static int pop3_i32(wasm_decoder *d, const uint8_t *at)
{
    return pop_expect(d, WASM_I32, at) || pop_expect(d, WASM_I32, at) || pop_expect(d, WASM_I32, at);
}

/* The 0xfc instructions: saturating truncation, bulk memory, tables. */
static int validate_fc(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, const uint8_t *at,
                       uint32_t sub, wasm_code *code)
{
    wasm_module *m = d->m;
    uint32_t x, y;
    uint8_t t;
    switch (sub) {
    case WASM_FC_MEMORY_INIT:
        if (data_index(d, pp, end, at) || imm_zero(d, pp, end, at) || need_memory(d, at, code))
            return -1;
        return pop3_i32(d, at);
    case WASM_FC_DATA_DROP:
        return data_index(d, pp, end, at);
    case WASM_FC_MEMORY_COPY:
        if (imm_zero(d, pp, end, at) || imm_zero(d, pp, end, at) || need_memory(d, at, code))
            return -1;
        return pop3_i32(d, at);
    case WASM_FC_MEMORY_FILL:
        if (imm_zero(d, pp, end, at) || need_memory(d, at, code))
            return -1;
        return pop3_i32(d, at);
    case WASM_FC_TABLE_INIT:
        if (elem_index(d, pp, end, at, &x) || table_index(d, pp, end, at, &y, code))
            return -1;
        if (m->elems[x].type != m->tables[y].elem)
            return invalid(d, at, "type mismatch: element segment and table types differ");
        return pop3_i32(d, at);
    case WASM_FC_ELEM_DROP:
        return elem_index(d, pp, end, at, &x);
    case WASM_FC_TABLE_COPY:
        if (table_index(d, pp, end, at, &x, code) || table_index(d, pp, end, at, &y, code))
            return -1;
        if (m->tables[x].elem != m->tables[y].elem)
            return invalid(d, at, "type mismatch: tables of different types");
        return pop3_i32(d, at);
    case WASM_FC_TABLE_GROW:
        if (table_index(d, pp, end, at, &x, code))
            return -1;
        t = m->tables[x].elem;
        if (pop_expect(d, WASM_I32, at) || pop_expect(d, t, at))
            return -1;
        return push(d, WASM_I32);
    case WASM_FC_TABLE_SIZE:
        if (table_index(d, pp, end, at, &x, code))
            return -1;
        return push(d, WASM_I32);
    case WASM_FC_TABLE_FILL:
        if (table_index(d, pp, end, at, &x, code))
            return -1;
        t = m->tables[x].elem;
        return pop_expect(d, WASM_I32, at) || pop_expect(d, t, at) || pop_expect(d, WASM_I32, at);
    }
    return malformed(d, at, "illegal opcode");
}

/* The two 0xfd instructions with their own immediates. */
static int validate_fd_special(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, const uint8_t *at,
                               uint32_t sub)
{
    if (sub == WASM_FD_V128_CONST) {
        if (imm_skip(d, pp, end, 16))
            return -1;
        return push(d, WASM_V128);
    }
    /* i8x16.shuffle: 16 lane indices below 32. */
    if ((size_t)(end - *pp) < 16)
        return malformed(d, at, "unexpected end");
    for (int i = 0; i < 16; i++)
        if ((*pp)[i] >= 32)
            return invalid(d, at, "invalid lane index");
    *pp += 16;
    if (pop_expect(d, WASM_V128, at) || pop_expect(d, WASM_V128, at))
        return -1;
    return push(d, WASM_V128);
}

/* SIMPLE, MEM, MEM_LANE and LANE instructions, driven by their table entry. */
static int validate_generic(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, const uint8_t *at,
                            const wasm_opinfo *info, wasm_code *code)
{
    if (info->kind == WASM_OPK_MEM || info->kind == WASM_OPK_MEM_LANE) {
        if (memarg(d, pp, end, at, info->align_log2, code))
            return -1;
    }
    if (info->kind == WASM_OPK_LANE || info->kind == WASM_OPK_MEM_LANE) {
        uint8_t lane;
        if (imm_byte(d, pp, end, &lane))
            return -1;
        if (lane >= info->lanes)
            return invalid(d, at, "invalid lane index");
    }
    /* Fast path: enough values of the right types above the frame. */
    wasm_ctrl *c = top(d);
    uint32_t n = info->npop;
    if (d->nvals - c->height >= n) {
        const uint8_t *v = d->vals + d->nvals - n;
        for (uint32_t i = 0; i < n; i++)
            if (v[i] != info->pop[i] && v[i] != UNKNOWN)
                return mismatch(d, at, info->pop[i], v[i]);
        d->nvals -= n;
    } else if (pop_types(d, info->pop, n, at)) {
        return -1;
    }
    if (info->push)
        return push(d, info->push);
    return 0;
}

/* ---- function bodies ---- */

/* Reads the locals declarations, records them in the module's runs, and
 * fills d->locals with the type of every local (params first). */
static int read_locals(wasm_decoder *d, const uint8_t **pp, const uint8_t *end,
                       const wasm_functype *ft, wasm_code *code, uint32_t *nlocals)
{
    wasm_module *m = d->m;
    const uint8_t *at = *pp;
    uint32_t ngroups;
    if (imm_u32(d, pp, end, &ngroups))
        return -1;
    if (ngroups > (size_t)(end - *pp) / 2)
        return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "function %u: unexpected end (locals)", d->func);
    /* Append this function's runs to the module's array (doubling). */
    size_t need = (size_t)m->nlocal_groups + ngroups;
    if (need > d->cap_groups || !m->local_groups) {
        size_t cap = d->cap_groups ? d->cap_groups : 64;
        while (cap < need)
            cap *= 2;
        wasm_local_group *g = wasm_platform_realloc(m->local_groups, cap * sizeof *g);
        if (!g)
            return out_of_memory(d);
        m->local_groups = g;
        d->cap_groups = (uint32_t)cap;
    }
    code->local_group = m->nlocal_groups;
    uint64_t total = 0;
    wasm_local_group *g = m->local_groups + m->nlocal_groups;
    for (uint32_t i = 0; i < ngroups; i++) {
        const uint8_t *gat = *pp;
        if (imm_u32(d, pp, end, &g[i].count) || imm_byte(d, pp, end, &g[i].type))
            return -1;
        if (!is_valtype(g[i].type))
            return wasm_decode_fail(d, WASM_ERR_MALFORMED, gat, "function %u: malformed value type 0x%02x",
                                    d->func, g[i].type);
        total += g[i].count;
        if (total > 0xffffffffu)
            return wasm_decode_fail(d, WASM_ERR_MALFORMED, gat, "function %u: too many locals", d->func);
        if (g[i].type == WASM_V128)
            code->flags |= WASM_CODE_USES_SIMD;
    }
    m->nlocal_groups += ngroups;
    code->nlocal_groups = ngroups;
    code->nlocals = (uint32_t)total;
    if (total + ft->nparams > WASM_MAX_FUNC_LOCALS)
        return wasm_decode_fail(d, WASM_ERR_INVALID, at, "function %u: too many locals (%llu, limit %u)",
                                d->func, (unsigned long long)(total + ft->nparams), WASM_MAX_FUNC_LOCALS);
    uint32_t n = (uint32_t)total + ft->nparams;
    if (n > d->cap_locals || !d->locals) {
        uint32_t cap = n > 64 ? n : 64;
        uint8_t *l = wasm_platform_realloc(d->locals, cap);
        if (!l)
            return out_of_memory(d);
        d->locals = l;
        d->cap_locals = cap;
    }
    if (ft->nparams)
        lib_memcpy(d->locals, ft->params, ft->nparams);
    uint32_t k = ft->nparams;
    for (uint32_t i = 0; i < ngroups; i++) {
        lib_memset(d->locals + k, g[i].type, g[i].count);
        k += g[i].count;
    }
    *nlocals = n;
    return 0;
}

int wasm_validate_function(wasm_decoder *d, uint32_t func, wasm_code *code)
{
    wasm_module *m = d->m;
    const wasm_functype *ft = wasm_module_func_type(m, func);
    const uint8_t *p = code->body, *end = code->body + code->size;
    uint32_t nlocals, max_vals = 0, max_depth = 1;
    d->func = func;
    d->body = code->body;
    d->body_end = end;
    if (read_locals(d, &p, end, ft, code, &nlocals))
        return -1;
    code->code = p;
    code->code_offset = (uint32_t)(p - code->body);
    for (uint32_t i = 0; i < ft->nparams; i++)
        if (ft->params[i] == WASM_V128)
            code->flags |= WASM_CODE_USES_SIMD;

    d->nvals = 0;
    d->nctrls = 0;
    if (!d->vals && grow_vals(d, 1))     /* never NULL below, even when nothing is pushed */
        return -1;
    if (push_ctrl(d, 0, 0, NULL, ft->nresults, ft->results))
        return -1;

    while (p < end) {
        const uint8_t *at = p;
        uint8_t op = *p++;
        uint32_t x, n;
        uint8_t t, t1, t2;
        const uint8_t *types;
        const wasm_opinfo *info = &wasm_opinfo_main[op];
        if (info->kind != WASM_OPK_SPECIAL) {
            if (info->kind == WASM_OPK_INVALID)
                return malformed(d, at, "illegal opcode");
            if ((uint8_t)(info->push - WASM_F64) < 2 || (uint8_t)(info->pop[0] - WASM_F64) < 2 ||
                (uint8_t)(info->pop[1] - WASM_F64) < 2)
                code->flags |= WASM_CODE_USES_FLOAT;
            /* The bulk of all instructions: operands of the right types are
             * on the stack above the frame. Checked inline. */
            if (info->kind == WASM_OPK_MEM) {
                if (memarg(d, &p, end, at, info->align_log2, code))
                    return -1;
            } else if (info->kind != WASM_OPK_SIMPLE) {
                if (validate_generic(d, &p, end, at, info, code))
                    return -1;
                goto next;
            }
            if (d->nvals - top(d)->height >= info->npop) {
                const uint8_t *v = d->vals + d->nvals - info->npop;
                bool ok = true;
                for (uint32_t i = 0; i < info->npop; i++)
                    ok &= v[i] == info->pop[i];
                if (ok) {
                    d->nvals -= info->npop;
                    if (info->push && push(d, info->push))
                        return -1;
                    goto next;
                }
            }
            if (pop_types(d, info->pop, info->npop, at) || (info->push && push(d, info->push)))
                return -1;
            goto next;
        }
        switch (op) {
        case WASM_OP_UNREACHABLE:
            set_unreachable(d);
            break;
        case WASM_OP_NOP:
            break;
        case WASM_OP_BLOCK:
        case WASM_OP_LOOP:
        case WASM_OP_IF: {
            uint32_t np = 0, nr = 0;
            const uint8_t *params = NULL, *results = NULL;
            if (block_type(d, &p, end, at, &np, &params, &nr, &results))
                return -1;
            if (op == WASM_OP_IF && pop_expect(d, WASM_I32, at))
                return -1;
            if (op == WASM_OP_LOOP)
                code->flags |= WASM_CODE_HAS_LOOP;
            if (pop_types(d, params, np, at) || push_ctrl(d, op, np, params, nr, results))
                return -1;
            if (d->nctrls > max_depth)
                max_depth = d->nctrls;
            break;
        }
        case WASM_OP_ELSE: {
            wasm_ctrl *c = top(d);
            if (c->op != WASM_OP_IF)
                return invalid(d, at, "else without a matching if");
            if (check_block_end(d, at))
                return -1;
            c->op = WASM_OP_ELSE;
            c->unreachable = false;
            if (push_n(d, c->params, c->nparams))
                return -1;
            break;
        }
        case WASM_OP_END: {
            wasm_ctrl *c = top(d);
            if (check_block_end(d, at))
                return -1;
            if (c->op == WASM_OP_IF &&
                (c->nparams != c->nresults || (c->nparams && lib_memcmp(c->params, c->results, c->nparams))))
                return invalid(d, at, "type mismatch: if without else must leave its parameters unchanged");
            d->nctrls--;
            if (d->nctrls == 0) {
                if (p != end)
                    return malformed(d, p, "section size mismatch (bytes after the function's final end)");
                goto done;
            }
            if (push_n(d, c->results, c->nresults))
                return -1;
            break;
        }
        case WASM_OP_BR:
            if (imm_u32(d, &p, end, &x) || label(d, x, at, &n, &types) || pop_types(d, types, n, at))
                return -1;
            set_unreachable(d);
            break;
        case WASM_OP_BR_IF:
            if (imm_u32(d, &p, end, &x) || label(d, x, at, &n, &types) || pop_expect(d, WASM_I32, at) ||
                check_types(d, types, n, at))
                return -1;
            /* The values stay, now typed as the label's types. */
            if (d->nvals - top(d)->height >= n)
                lib_memcpy(d->vals + d->nvals - n, types, n);
            else if (pop_types(d, types, n, at) || push_n(d, types, n))
                return -1;
            break;
        case WASM_OP_BR_TABLE: {
            uint32_t count, arity = 0;
            if (imm_u32(d, &p, end, &count))
                return -1;
            if (count > (size_t)(end - p))
                return malformed(d, at, "unexpected end (br_table longer than the body)");
            if (pop_expect(d, WASM_I32, at))
                return -1;
            for (uint32_t i = 0; i <= count; i++) {
                if (imm_u32(d, &p, end, &x) || label(d, x, at, &n, &types))
                    return -1;
                if (i == 0)
                    arity = n;
                else if (n != arity)
                    return invalid(d, at, "type mismatch: br_table targets of different arities");
                if (check_types(d, types, n, at))
                    return -1;
            }
            set_unreachable(d);
            break;
        }
        case WASM_OP_RETURN:
            if (pop_types(d, ft->results, ft->nresults, at))
                return -1;
            set_unreachable(d);
            break;
        case WASM_OP_CALL: {
            if (imm_u32(d, &p, end, &x))
                return -1;
            if (x >= m->nfuncs)
                return invalid(d, at, "unknown function");
            const wasm_functype *ct = wasm_module_func_type(m, x);
            if (pop_types(d, ct->params, ct->nparams, at) || push_n(d, ct->results, ct->nresults))
                return -1;
            code->flags |= WASM_CODE_CALLS;
            break;
        }
        case WASM_OP_CALL_INDIRECT: {
            uint32_t ti;
            if (imm_u32(d, &p, end, &ti) || table_index(d, &p, end, at, &x, code))
                return -1;
            if (m->tables[x].elem != WASM_FUNCREF)
                return invalid(d, at, "type mismatch: call_indirect through a table of externref");
            if (ti >= m->ntypes)
                return invalid(d, at, "unknown type");
            const wasm_functype *ct = &m->types[ti];
            if (pop_expect(d, WASM_I32, at) || pop_types(d, ct->params, ct->nparams, at) ||
                push_n(d, ct->results, ct->nresults))
                return -1;
            code->flags |= WASM_CODE_CALLS | WASM_CODE_CALLS_INDIRECT;
            break;
        }
        case WASM_OP_DROP:
            if (pop_any(d, &t, at))
                return -1;
            break;
        case WASM_OP_SELECT:
            if (pop_expect(d, WASM_I32, at) || pop_any(d, &t1, at) || pop_any(d, &t2, at))
                return -1;
            if (is_reftype(t1) || is_reftype(t2))
                return invalid(d, at, "type mismatch: select without a type needs numeric or vector operands");
            if (t1 != t2 && t1 != UNKNOWN && t2 != UNKNOWN)
                return mismatch(d, at, t1, t2);
            if (push(d, t1 == UNKNOWN ? t2 : t1))
                return -1;
            break;
        case WASM_OP_SELECT_T:
            if (imm_u32(d, &p, end, &n))
                return -1;
            if (n != 1)
                return invalid(d, at, "invalid result arity: select takes exactly one type");
            if (imm_byte(d, &p, end, &t))
                return -1;
            if (!is_valtype(t))
                return malformed(d, at, "malformed value type");
            if (pop_expect(d, WASM_I32, at) || pop_expect(d, t, at) || pop_expect(d, t, at) || push(d, t))
                return -1;
            break;
        case WASM_OP_LOCAL_GET:
            if (imm_u32(d, &p, end, &x))
                return -1;
            if (x >= nlocals)
                return invalid(d, at, "unknown local");
            if (push(d, d->locals[x]))
                return -1;
            break;
        case WASM_OP_LOCAL_SET:
            if (imm_u32(d, &p, end, &x))
                return -1;
            if (x >= nlocals)
                return invalid(d, at, "unknown local");
            if (pop_expect(d, d->locals[x], at))
                return -1;
            break;
        case WASM_OP_LOCAL_TEE:
            if (imm_u32(d, &p, end, &x))
                return -1;
            if (x >= nlocals)
                return invalid(d, at, "unknown local");
            if (pop_expect(d, d->locals[x], at) || push(d, d->locals[x]))
                return -1;
            break;
        case WASM_OP_GLOBAL_GET:
            if (imm_u32(d, &p, end, &x))
                return -1;
            if (x >= m->nglobals)
                return invalid(d, at, "unknown global");
            if (push(d, m->globals[x].type.type))
                return -1;
            code->flags |= WASM_CODE_USES_GLOBALS;
            break;
        case WASM_OP_GLOBAL_SET:
            if (imm_u32(d, &p, end, &x))
                return -1;
            if (x >= m->nglobals)
                return invalid(d, at, "unknown global");
            if (!m->globals[x].type.mutable_)
                return invalid(d, at, "global is immutable");
            if (pop_expect(d, m->globals[x].type.type, at))
                return -1;
            code->flags |= WASM_CODE_USES_GLOBALS;
            break;
        case WASM_OP_TABLE_GET:
            if (table_index(d, &p, end, at, &x, code) || pop_expect(d, WASM_I32, at) ||
                push(d, m->tables[x].elem))
                return -1;
            break;
        case WASM_OP_TABLE_SET:
            if (table_index(d, &p, end, at, &x, code) || pop_expect(d, m->tables[x].elem, at) ||
                pop_expect(d, WASM_I32, at))
                return -1;
            break;
        case WASM_OP_MEMORY_SIZE:
            if (imm_zero(d, &p, end, at) || need_memory(d, at, code) || push(d, WASM_I32))
                return -1;
            break;
        case WASM_OP_MEMORY_GROW:
            if (imm_zero(d, &p, end, at) || need_memory(d, at, code) || pop_expect(d, WASM_I32, at) ||
                push(d, WASM_I32))
                return -1;
            code->flags |= WASM_CODE_GROWS_MEMORY;
            break;
        case WASM_OP_I32_CONST: {
            int32_t v;
            int e = wasm_leb_s32(&p, end, &v);
            if (e)
                return malformed(d, at, wasm_leb_error(e));
            if (push(d, WASM_I32))
                return -1;
            break;
        }
        case WASM_OP_I64_CONST: {
            int64_t v;
            int e = wasm_leb_s64(&p, end, &v);
            if (e)
                return malformed(d, at, wasm_leb_error(e));
            if (push(d, WASM_I64))
                return -1;
            break;
        }
        case WASM_OP_F32_CONST:
            if (imm_skip(d, &p, end, 4) || push(d, WASM_F32))
                return -1;
            code->flags |= WASM_CODE_USES_FLOAT;
            break;
        case WASM_OP_F64_CONST:
            if (imm_skip(d, &p, end, 8) || push(d, WASM_F64))
                return -1;
            code->flags |= WASM_CODE_USES_FLOAT;
            break;
        case WASM_OP_REF_NULL:
            if (imm_byte(d, &p, end, &t))
                return -1;
            if (!is_reftype(t))
                return malformed(d, at, "malformed reference type");
            if (push(d, t))
                return -1;
            break;
        case WASM_OP_REF_IS_NULL:
            if (pop_any(d, &t, at))
                return -1;
            if (t != UNKNOWN && !is_reftype(t))
                return invalid(d, at, "type mismatch: expected a reference");
            if (push(d, WASM_I32))
                return -1;
            break;
        case WASM_OP_REF_FUNC:
            if (imm_u32(d, &p, end, &x))
                return -1;
            if (x >= m->nfuncs)
                return invalid(d, at, "unknown function");
            if (!(m->func_flags[x] & WASM_FUNC_ESCAPES))
                return invalid(d, at, "undeclared function reference");
            if (push(d, WASM_FUNCREF))
                return -1;
            break;
        case WASM_OP_PREFIX_FC: {
            uint32_t sub;
            if (imm_u32(d, &p, end, &sub))
                return -1;
            if (sub >= 32 || !wasm_opinfo_fc[sub].kind)
                return malformed(d, at, "illegal opcode");
            info = &wasm_opinfo_fc[sub];
            if (info->kind == WASM_OPK_SIMPLE) {
                code->flags |= WASM_CODE_USES_FLOAT;
                if (validate_generic(d, &p, end, at, info, code))
                    return -1;
            } else if (validate_fc(d, &p, end, at, sub, code)) {
                return -1;
            }
            break;
        }
        case WASM_OP_PREFIX_FD: {
            uint32_t sub;
            if (imm_u32(d, &p, end, &sub))
                return -1;
            if (sub >= 256 || !wasm_opinfo_fd[sub].kind)
                return malformed(d, at, "illegal opcode");
            info = &wasm_opinfo_fd[sub];
            code->flags |= WASM_CODE_USES_SIMD;
            if (info->kind == WASM_OPK_SPECIAL) {
                if (validate_fd_special(d, &p, end, at, sub))
                    return -1;
            } else if (validate_generic(d, &p, end, at, info, code)) {
                return -1;
            }
            break;
        }
        default:
            return malformed(d, at, "illegal opcode");
        }
    next:
        if (d->nvals > max_vals)
            max_vals = d->nvals;
    }
    return wasm_decode_fail(d, WASM_ERR_MALFORMED, end,
                            "function %u: unexpected end of section or function (missing end)", func);
done:
    code->max_stack = max_vals;
    code->max_stack_slots = (code->flags & WASM_CODE_USES_SIMD) ? max_vals * 2 : max_vals;
    code->max_depth = max_depth;
    return 0;
}

void wasm_validator_free(wasm_decoder *d)
{
    wasm_platform_free(d->vals);
    wasm_platform_free(d->ctrls);
    wasm_platform_free(d->locals);
    d->vals = NULL;
    d->ctrls = NULL;
    d->locals = NULL;
}
