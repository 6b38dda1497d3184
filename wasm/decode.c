/* wasm/decode.c: the binary-format decoder. One pass over the sections in
 * their required order; each section is decoded and validated at once
 * (index spaces, limits, constant expressions, export names), function
 * bodies are handed to validate.c as the code section is read.
 *
 * Every read is checked against the end of the enclosing section, and
 * every count is checked against the bytes left before anything is
 * allocated for it, so memory use stays proportional to the input.
 * Errors: WASM_ERR_MALFORMED for what the binary format rejects,
 * WASM_ERR_INVALID for what validation rejects. */
#include <stdarg.h>
#include "wasm/decode.h"
#include "wasm/engine.h"
#include "wasm/leb128.h"
#include "wasm/utf8.h"
#include "wasm/platform.h"
#include "lib/fmt.h"
#include "lib/string.h"

enum {
    SEC_CUSTOM = 0, SEC_TYPE, SEC_IMPORT, SEC_FUNCTION, SEC_TABLE, SEC_MEMORY,
    SEC_GLOBAL, SEC_EXPORT, SEC_START, SEC_ELEMENT, SEC_CODE, SEC_DATA, SEC_DATACOUNT,
};

static const char *const section_names[] = {
    "custom", "type", "import", "function", "table", "memory", "global",
    "export", "start", "element", "code", "data", "data count",
};

/* Where each known section must come: the data count section sits between
 * the element and code sections. */
static const uint8_t section_order[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10 };

int wasm_decode_fail(wasm_decoder *d, wasm_err_kind kind, const uint8_t *at, const char *fmt, ...)
{
    wasm_error *err = d->err;
    if (!err)
        return -1;
    err->kind = kind;
    err->trap = WASM_TRAP_NONE;
    size_t off = at ? (size_t)(at - d->base) : 0;
    int n = lib_snprintf(err->message, sizeof err->message, "%s%s, offset %zu (0x%zx): ",
                         d->section, d->section[0] ? " section" : "module", off, off);
    if (n < 0 || (size_t)n >= sizeof err->message)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    lib_vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static int malformed(wasm_decoder *d, const uint8_t *at, const char *what)
{
    return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "%s", what);
}

static int out_of_memory(wasm_decoder *d)
{
    d->err->kind = WASM_ERR_RESOURCE;
    lib_snprintf(d->err->message, sizeof d->err->message, "out of memory while decoding");
    return -1;
}

/* ---- primitive readers: each checks bounds against `end` ---- */

static int rd_byte(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, uint8_t *out)
{
    *out = 0;
    if (*pp >= end)
        return malformed(d, *pp, "unexpected end");
    *out = *(*pp)++;
    return 0;
}

static int rd_u32(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, uint32_t *out)
{
    const uint8_t *at = *pp;
    int e = wasm_leb_u32(pp, end, out);
    if (e)
        return malformed(d, at, wasm_leb_error(e));
    return 0;
}

/* A vector length: each element takes at least one byte, so a count larger
 * than the bytes left cannot be right (and must not size an allocation). */
static int rd_count(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, uint32_t *out)
{
    const uint8_t *at = *pp;
    if (rd_u32(d, pp, end, out))
        return -1;
    if (*out > (size_t)(end - *pp))
        return malformed(d, at, "unexpected end (vector length larger than what follows)");
    return 0;
}

static int rd_name(wasm_decoder *d, const uint8_t **pp, const uint8_t *end,
                   const uint8_t **name, uint32_t *len)
{
    const uint8_t *at = *pp;
    if (rd_u32(d, pp, end, len))
        return -1;
    if (*len > (size_t)(end - *pp))
        return malformed(d, at, "unexpected end (name longer than what follows)");
    *name = *pp;
    if (!wasm_utf8_valid(*pp, *len))
        return malformed(d, at, "malformed UTF-8 encoding");
    *pp += *len;
    return 0;
}

static bool is_valtype(uint8_t t)
{
    return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64 ||
           t == WASM_V128 || t == WASM_FUNCREF || t == WASM_EXTERNREF;
}

static bool is_reftype(uint8_t t)
{
    return t == WASM_FUNCREF || t == WASM_EXTERNREF;
}

static int rd_valtype(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, uint8_t *t)
{
    const uint8_t *at = *pp;
    if (rd_byte(d, pp, end, t))
        return -1;
    if (!is_valtype(*t))
        return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "malformed value type 0x%02x", *t);
    return 0;
}

static int rd_reftype(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, uint8_t *t)
{
    const uint8_t *at = *pp;
    if (rd_byte(d, pp, end, t))
        return -1;
    if (!is_reftype(*t))
        return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "malformed reference type 0x%02x", *t);
    return 0;
}

/* limits: a flag byte (0: min only, 1: min and max), then u32s. */
static int rd_limits(wasm_decoder *d, const uint8_t **pp, const uint8_t *end,
                     uint32_t *min, uint32_t *max, bool *has_max)
{
    const uint8_t *at = *pp;
    uint8_t flag;
    if (rd_byte(d, pp, end, &flag))
        return -1;
    if (flag > 1)
        return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "malformed limits flags 0x%02x", flag);
    if (rd_u32(d, pp, end, min))
        return -1;
    *has_max = flag == 1;
    *max = 0;
    if (*has_max && rd_u32(d, pp, end, max))
        return -1;
    return 0;
}

static int rd_table_type(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, wasm_table_type *t)
{
    const uint8_t *at = *pp;
    if (rd_reftype(d, pp, end, &t->elem) || rd_limits(d, pp, end, &t->min, &t->max, &t->has_max))
        return -1;
    if (t->has_max && t->min > t->max)
        return wasm_decode_fail(d, WASM_ERR_INVALID, at, "size minimum must not be greater than maximum");
    return 0;
}

static int rd_memory_type(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, wasm_memory_type *t)
{
    const uint8_t *at = *pp;
    uint32_t min, max;
    bool has_max;
    if (rd_limits(d, pp, end, &min, &max, &has_max))
        return -1;
    lib_memset(t, 0, sizeof *t);
    t->min = min;
    t->max = max;
    t->has_max = has_max;
    if (min > WASM_MAX_PAGES32 || (has_max && max > WASM_MAX_PAGES32))
        return wasm_decode_fail(d, WASM_ERR_INVALID, at,
                                "memory size must be at most 65536 pages (4GiB)");
    if (has_max && min > max)
        return wasm_decode_fail(d, WASM_ERR_INVALID, at, "size minimum must not be greater than maximum");
    return 0;
}

static int rd_global_type(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, wasm_global_type *t)
{
    uint8_t mut;
    const uint8_t *at;
    if (rd_valtype(d, pp, end, &t->type))
        return -1;
    at = *pp;
    if (rd_byte(d, pp, end, &mut))
        return -1;
    if (mut > 1)
        return malformed(d, at, "malformed mutability");
    t->mutable_ = mut == 1;
    return 0;
}

/* Grows an array from n to newn elements of `size` bytes, zeroing the new
 * ones. Returns NULL (the old array untouched) when out of memory. */
static void *resize(void *old, size_t n, size_t newn, size_t size)
{
    void *p = wasm_platform_calloc(newn ? newn : 1, size);
    if (!p)
        return NULL;
    if (old && n)
        lib_memcpy(p, old, (n < newn ? n : newn) * size);
    wasm_platform_free(old);
    return p;
}

/* Makes room for `extra` more functions in the function index space. */
static int grow_funcs(wasm_decoder *d, uint32_t extra)
{
    wasm_module *m = d->m;
    size_t n = (size_t)m->nfuncs + extra;
    if (n > 0xffffffffu)
        return malformed(d, NULL, "too many functions");
    uint32_t *ft = resize(m->func_types, m->nfuncs, n, sizeof(uint32_t));
    if (!ft)
        return out_of_memory(d);
    m->func_types = ft;
    uint8_t *ff = resize(m->func_flags, m->nfuncs, n, 1);
    if (!ff)
        return out_of_memory(d);
    m->func_flags = ff;
    return 0;
}

/* ---- sections ---- */

static int decode_types(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (rd_count(d, &p, end, &n))
        return -1;
    m->types = wasm_platform_calloc(n ? n : 1, sizeof(wasm_functype));
    if (!m->types)
        return out_of_memory(d);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *at = p;
        uint8_t form;
        if (rd_byte(d, &p, end, &form))
            return -1;
        if (form != 0x60)
            return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "malformed function type form 0x%02x", form);
        uint32_t np, nr;
        if (rd_count(d, &p, end, &np))
            return -1;
        const uint8_t *params = p;
        for (uint32_t k = 0; k < np; k++) {
            uint8_t t;
            if (rd_valtype(d, &p, end, &t))
                return -1;
        }
        if (rd_count(d, &p, end, &nr))
            return -1;
        const uint8_t *results = p;
        for (uint32_t k = 0; k < nr; k++) {
            uint8_t t;
            if (rd_valtype(d, &p, end, &t))
                return -1;
        }
        if (np > WASM_MAX_FUNC_PARAMS || nr > WASM_MAX_FUNC_RESULTS)
            return wasm_decode_fail(d, WASM_ERR_INVALID, at,
                                    "function type has more than %u parameters or results",
                                    WASM_MAX_FUNC_PARAMS);
        if (wasm_engine_intern_type(m->engine, params, np, results, nr, &m->types[i]))
            return out_of_memory(d);
        m->ntypes = i + 1;       /* so that wasm_module_free releases it */
    }
    return p == end ? 0 : malformed(d, p, "section size mismatch");
}

static int decode_imports(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (rd_count(d, &p, end, &n))
        return -1;
    /* Each array is sized for every import being of its kind; the later
     * sections grow them to their final sizes. */
    m->imports = wasm_platform_calloc(n ? n : 1, sizeof(wasm_import));
    m->tables = wasm_platform_calloc(n ? n : 1, sizeof(wasm_table_type));
    m->memories = wasm_platform_calloc(n ? n : 1, sizeof(wasm_memory_type));
    m->globals = wasm_platform_calloc(n ? n : 1, sizeof(wasm_global_decl));
    if (!m->imports || !m->tables || !m->memories || !m->globals || grow_funcs(d, n))
        return out_of_memory(d);
    for (uint32_t i = 0; i < n; i++) {
        wasm_import *im = &m->imports[i];
        const uint8_t *at;
        if (rd_name(d, &p, end, &im->module, &im->module_len) ||
            rd_name(d, &p, end, &im->name, &im->name_len))
            return -1;
        at = p;
        if (rd_byte(d, &p, end, &im->kind))
            return -1;
        m->nimports = i + 1;
        switch (im->kind) {
        case WASM_EXTERN_FUNC: {
            uint32_t ti;
            at = p;
            if (rd_u32(d, &p, end, &ti))
                return -1;
            if (ti >= m->ntypes)
                return wasm_decode_fail(d, WASM_ERR_INVALID, at, "unknown type %u", ti);
            im->index = m->nfuncs;
            m->func_types[m->nfuncs++] = ti;
            m->nimported_funcs++;
            break;
        }
        case WASM_EXTERN_TABLE:
            if (rd_table_type(d, &p, end, &m->tables[m->ntables]))
                return -1;
            im->index = m->ntables++;
            m->nimported_tables++;
            break;
        case WASM_EXTERN_MEMORY:
            if (rd_memory_type(d, &p, end, &m->memories[m->nmemories]))
                return -1;
            if (m->nmemories >= 1)
                return wasm_decode_fail(d, WASM_ERR_INVALID, at, "multiple memories");
            im->index = m->nmemories++;
            m->nimported_memories++;
            break;
        case WASM_EXTERN_GLOBAL: {
            wasm_global_decl *g = &m->globals[m->nglobals];
            if (rd_global_type(d, &p, end, &g->type))
                return -1;
            g->imported = true;
            im->index = m->nglobals++;
            m->nimported_globals++;
            break;
        }
        default:
            return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "malformed import kind 0x%02x", im->kind);
        }
    }
    return p == end ? 0 : malformed(d, p, "section size mismatch");
}

static int decode_functions(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (rd_count(d, &p, end, &n) || grow_funcs(d, n))
        return -1;
    m->code = wasm_platform_calloc(n ? n : 1, sizeof(wasm_code));
    if (!m->code)
        return out_of_memory(d);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *at = p;
        uint32_t ti;
        if (rd_u32(d, &p, end, &ti))
            return -1;
        if (ti >= m->ntypes)
            return wasm_decode_fail(d, WASM_ERR_INVALID, at, "unknown type %u", ti);
        m->func_types[m->nfuncs++] = ti;
    }
    return p == end ? 0 : malformed(d, p, "section size mismatch");
}

static int decode_tables(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (rd_count(d, &p, end, &n))
        return -1;
    wasm_table_type *t = resize(m->tables, m->ntables, (size_t)m->ntables + n, sizeof *t);
    if (!t)
        return out_of_memory(d);
    m->tables = t;
    for (uint32_t i = 0; i < n; i++) {
        if (rd_table_type(d, &p, end, &m->tables[m->ntables]))
            return -1;
        m->ntables++;
    }
    return p == end ? 0 : malformed(d, p, "section size mismatch");
}

static int decode_memories(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    uint32_t n;
    const uint8_t *at = p;
    if (rd_count(d, &p, end, &n))
        return -1;
    wasm_memory_type *t = resize(m->memories, m->nmemories, (size_t)m->nmemories + n, sizeof *t);
    if (!t)
        return out_of_memory(d);
    m->memories = t;
    for (uint32_t i = 0; i < n; i++) {
        if (rd_memory_type(d, &p, end, &m->memories[m->nmemories]))
            return -1;
        m->nmemories++;
        if (m->nmemories > 1)
            return wasm_decode_fail(d, WASM_ERR_INVALID, at, "multiple memories");
    }
    return p == end ? 0 : malformed(d, p, "section size mismatch");
}

/* Marks a function that a constant expression names with ref.func: it is
 * then "declared" for ref.func in code, and may become a funcref. */
static void note_ref(wasm_module *m, const wasm_const_expr *e, uint8_t flag)
{
    if (e->op == WASM_CONST_REF_FUNC)
        m->func_flags[e->index] |= flag;
}

static int decode_globals(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (rd_count(d, &p, end, &n))
        return -1;
    wasm_global_decl *g = resize(m->globals, m->nglobals, (size_t)m->nglobals + n, sizeof *g);
    if (!g)
        return out_of_memory(d);
    m->globals = g;
    for (uint32_t i = 0; i < n; i++) {
        wasm_global_decl *gl = &m->globals[m->nglobals];
        if (rd_global_type(d, &p, end, &gl->type) ||
            wasm_validate_const_expr(d, &p, end, gl->type.type, &gl->init))
            return -1;
        note_ref(m, &gl->init, WASM_FUNC_REF);
        m->nglobals++;
    }
    return p == end ? 0 : malformed(d, p, "section size mismatch");
}

/* FNV-1a of a name, for the duplicate-export check. */
static uint32_t name_hash(const uint8_t *s, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ s[i]) * 16777619u;
    return h;
}

/* Export names must be unique: a hash set of export indices. */
static int check_unique_exports(wasm_decoder *d)
{
    wasm_module *m = d->m;
    uint32_t cap = 16;
    while (cap < (size_t)m->nexports * 2)
        cap *= 2;
    uint32_t *set = wasm_platform_alloc((size_t)cap * sizeof(uint32_t));
    if (!set)
        return out_of_memory(d);
    for (uint32_t i = 0; i < cap; i++)
        set[i] = 0xffffffffu;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wasm_export *x = &m->exports[i];
        uint32_t h = name_hash(x->name, x->name_len) & (cap - 1);
        while (set[h] != 0xffffffffu) {
            const wasm_export *y = &m->exports[set[h]];
            if (y->name_len == x->name_len && lib_memcmp(y->name, x->name, x->name_len) == 0) {
                wasm_platform_free(set);
                return wasm_decode_fail(d, WASM_ERR_INVALID, x->name, "duplicate export name \"%.*s\"",
                                        (int)(x->name_len > 64 ? 64 : x->name_len), (const char *)x->name);
            }
            h = (h + 1) & (cap - 1);
        }
        set[h] = i;
    }
    wasm_platform_free(set);
    return 0;
}

static int decode_exports(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (rd_count(d, &p, end, &n))
        return -1;
    m->exports = wasm_platform_calloc(n ? n : 1, sizeof(wasm_export));
    if (!m->exports)
        return out_of_memory(d);
    for (uint32_t i = 0; i < n; i++) {
        wasm_export *x = &m->exports[i];
        const uint8_t *at;
        if (rd_name(d, &p, end, &x->name, &x->name_len))
            return -1;
        at = p;
        if (rd_byte(d, &p, end, &x->kind))
            return -1;
        const uint8_t *iat = p;
        if (rd_u32(d, &p, end, &x->index))
            return -1;
        switch (x->kind) {
        case WASM_EXTERN_FUNC:
            if (x->index >= m->nfuncs)
                return wasm_decode_fail(d, WASM_ERR_INVALID, iat, "unknown function %u", x->index);
            m->func_flags[x->index] |= WASM_FUNC_EXPORTED;
            break;
        case WASM_EXTERN_TABLE:
            if (x->index >= m->ntables)
                return wasm_decode_fail(d, WASM_ERR_INVALID, iat, "unknown table %u", x->index);
            break;
        case WASM_EXTERN_MEMORY:
            if (x->index >= m->nmemories)
                return wasm_decode_fail(d, WASM_ERR_INVALID, iat, "unknown memory %u", x->index);
            break;
        case WASM_EXTERN_GLOBAL:
            if (x->index >= m->nglobals)
                return wasm_decode_fail(d, WASM_ERR_INVALID, iat, "unknown global %u", x->index);
            break;
        default:
            return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "malformed export kind 0x%02x", x->kind);
        }
        m->nexports = i + 1;
    }
    if (p != end)
        return malformed(d, p, "section size mismatch");
    return check_unique_exports(d);
}

static int decode_start(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    const uint8_t *at = p;
    if (rd_u32(d, &p, end, &m->start))
        return -1;
    if (p != end)
        return malformed(d, p, "section size mismatch");
    if (m->start >= m->nfuncs)
        return wasm_decode_fail(d, WASM_ERR_INVALID, at, "unknown function %u", m->start);
    const wasm_functype *t = wasm_module_func_type(m, m->start);
    if (t->nparams || t->nresults)
        return wasm_decode_fail(d, WASM_ERR_INVALID, at, "start function must have type [] -> []");
    m->has_start = true;
    return 0;
}

/* Element items as a vector of function indices (the legacy forms). */
static int rd_elem_funcs(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, wasm_elem_segment *s)
{
    wasm_module *m = d->m;
    if (rd_count(d, pp, end, &s->count))
        return -1;
    s->funcs = wasm_platform_alloc((size_t)(s->count ? s->count : 1) * sizeof(uint32_t));
    if (!s->funcs)
        return out_of_memory(d);
    for (uint32_t i = 0; i < s->count; i++) {
        const uint8_t *at = *pp;
        uint32_t f;
        if (rd_u32(d, pp, end, &f))
            return -1;
        if (f >= m->nfuncs)
            return wasm_decode_fail(d, WASM_ERR_INVALID, at, "unknown function %u", f);
        m->func_flags[f] |= WASM_FUNC_IN_ELEM;
        s->funcs[i] = f;
    }
    return 0;
}

/* Element items as constant expressions; kept as function indices when
 * every one is ref.func or ref.null, which is nearly always. */
static int rd_elem_exprs(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, wasm_elem_segment *s)
{
    wasm_module *m = d->m;
    if (rd_count(d, pp, end, &s->count))
        return -1;
    wasm_const_expr *ex = wasm_platform_calloc(s->count ? s->count : 1, sizeof *ex);
    if (!ex)
        return out_of_memory(d);
    s->exprs = ex;
    bool all_funcs = true;
    for (uint32_t i = 0; i < s->count; i++) {
        if (wasm_validate_const_expr(d, pp, end, s->type, &ex[i]))
            return -1;
        note_ref(m, &ex[i], WASM_FUNC_IN_ELEM);
        if (ex[i].op != WASM_CONST_REF_FUNC && ex[i].op != WASM_CONST_REF_NULL)
            all_funcs = false;
    }
    if (all_funcs) {
        s->funcs = wasm_platform_alloc((size_t)(s->count ? s->count : 1) * sizeof(uint32_t));
        if (!s->funcs)
            return out_of_memory(d);
        for (uint32_t i = 0; i < s->count; i++)
            s->funcs[i] = ex[i].op == WASM_CONST_REF_FUNC ? ex[i].index : WASM_ELEM_NULL;
        wasm_platform_free(ex);
        s->exprs = NULL;
    }
    return 0;
}

static int decode_elem_segment(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, wasm_elem_segment *s)
{
    wasm_module *m = d->m;
    const uint8_t *at = *pp;
    uint32_t flags;
    s->file_offset = (uint32_t)(at - d->base);
    if (rd_u32(d, pp, end, &flags))
        return -1;
    if (flags > 7)
        return wasm_decode_fail(d, WASM_ERR_MALFORMED, at, "malformed elements segment kind %u", flags);
    /* bit 0: passive or declarative; bit 1: explicit table index (active)
     * or declarative (not active); bit 2: items are expressions. */
    bool active = !(flags & 1);
    bool exprs = flags & 4;
    s->mode = active ? WASM_SEG_ACTIVE : (flags & 2) ? WASM_SEG_DECLARATIVE : WASM_SEG_PASSIVE;
    s->type = WASM_FUNCREF;
    if (active) {
        const uint8_t *tat = *pp;
        if ((flags & 2) && rd_u32(d, pp, end, &s->table))
            return -1;
        if (s->table >= m->ntables)
            return wasm_decode_fail(d, WASM_ERR_INVALID, tat, "unknown table %u", s->table);
        if (wasm_validate_const_expr(d, pp, end, WASM_I32, &s->offset))
            return -1;
    }
    if (!active || (flags & 2)) {
        /* An explicit element kind (0x00 = funcref) or reference type. */
        const uint8_t *kat = *pp;
        uint8_t k;
        if (exprs) {
            if (rd_reftype(d, pp, end, &k))
                return -1;
            s->type = k;
        } else {
            if (rd_byte(d, pp, end, &k))
                return -1;
            if (k != 0)
                return wasm_decode_fail(d, WASM_ERR_MALFORMED, kat, "malformed element kind 0x%02x", k);
        }
    }
    if (active && m->tables[s->table].elem != s->type)
        return wasm_decode_fail(d, WASM_ERR_INVALID, at,
                                "type mismatch: element segment of %s for a table of %s",
                                wasm_valtype_name(s->type), wasm_valtype_name(m->tables[s->table].elem));
    return exprs ? rd_elem_exprs(d, pp, end, s) : rd_elem_funcs(d, pp, end, s);
}

static int decode_elements(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    uint32_t n;
    if (rd_count(d, &p, end, &n))
        return -1;
    m->elems = wasm_platform_calloc(n ? n : 1, sizeof(wasm_elem_segment));
    if (!m->elems)
        return out_of_memory(d);
    for (uint32_t i = 0; i < n; i++) {
        m->nelems = i + 1;       /* counted first so that a partial segment is freed */
        if (decode_elem_segment(d, &p, end, &m->elems[i]))
            return -1;
    }
    return p == end ? 0 : malformed(d, p, "section size mismatch");
}

static int decode_datacount(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    if (rd_u32(d, &p, end, &m->data_count))
        return -1;
    m->has_data_count = true;
    return p == end ? 0 : malformed(d, p, "section size mismatch");
}

static int decode_code(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    const uint8_t *at = p;
    uint32_t n;
    if (rd_count(d, &p, end, &n))
        return -1;
    if (n != m->nfuncs - m->nimported_funcs)
        return malformed(d, at, "function and code section have inconsistent lengths");
    for (uint32_t i = 0; i < n; i++) {
        wasm_code *c = &m->code[i];
        const uint8_t *sat = p;
        uint32_t size;
        if (rd_u32(d, &p, end, &size))
            return -1;
        if (size > (size_t)(end - p))
            return malformed(d, sat, "unexpected end (function body larger than the section)");
        c->body = p;
        c->size = size;
        c->file_offset = (uint32_t)(p - d->base);
        if (wasm_validate_function(d, m->nimported_funcs + i, c))
            return -1;
        p += size;
    }
    return p == end ? 0 : malformed(d, p, "section size mismatch");
}

static int decode_data(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_module *m = d->m;
    const uint8_t *at = p;
    uint32_t n;
    if (rd_count(d, &p, end, &n))
        return -1;
    if (m->has_data_count && n != m->data_count)
        return malformed(d, at, "data count and data section have inconsistent lengths");
    m->datas = wasm_platform_calloc(n ? n : 1, sizeof(wasm_data_segment));
    if (!m->datas)
        return out_of_memory(d);
    for (uint32_t i = 0; i < n; i++) {
        wasm_data_segment *s = &m->datas[i];
        const uint8_t *sat = p;
        uint32_t flags;
        s->file_offset = (uint32_t)(p - d->base);
        if (rd_u32(d, &p, end, &flags))
            return -1;
        if (flags > 2)
            return wasm_decode_fail(d, WASM_ERR_MALFORMED, sat, "malformed data segment kind %u", flags);
        s->mode = flags == 1 ? WASM_SEG_PASSIVE : WASM_SEG_ACTIVE;
        if (s->mode == WASM_SEG_ACTIVE) {
            const uint8_t *mat = p;
            if (flags == 2 && rd_u32(d, &p, end, &s->memory))
                return -1;
            if (s->memory >= m->nmemories)
                return wasm_decode_fail(d, WASM_ERR_INVALID, mat, "unknown memory %u", s->memory);
            if (wasm_validate_const_expr(d, &p, end, WASM_I32, &s->offset))
                return -1;
        }
        const uint8_t *lat = p;
        if (rd_u32(d, &p, end, &s->len))
            return -1;
        if (s->len > (size_t)(end - p))
            return malformed(d, lat, "unexpected end of section or function (data longer than the section)");
        s->bytes = p;
        p += s->len;
        m->ndatas = i + 1;
    }
    return p == end ? 0 : malformed(d, p, "section size mismatch");
}

/* ---- the name section ---- */

/* A name map (vector of index, name) into a freshly allocated array,
 * sorted and unique by index as the spec requires. Returns 0, or -1 when
 * the map is malformed (then nothing is kept from it). */
static int rd_name_map(wasm_decoder *d, const uint8_t **pp, const uint8_t *end, uint32_t func,
                       wasm_name **out, uint32_t *nout, uint32_t *cap)
{
    uint32_t n;
    const uint8_t *p = *pp;
    if (wasm_leb_u32(&p, end, &n) || n > (size_t)(end - p))
        return -1;
    if (*nout + (size_t)n > *cap) {
        size_t newcap = *cap * 2 > *nout + (size_t)n ? *cap * 2 : *nout + (size_t)n;
        wasm_name *a = resize(*out, *nout, newcap, sizeof(wasm_name));
        if (!a)
            return -1;
        *out = a;
        *cap = (uint32_t)newcap;
    }
    uint32_t start = *nout;
    for (uint32_t i = 0; i < n; i++) {
        wasm_name nm = { 0 };
        uint32_t idx;
        if (wasm_leb_u32(&p, end, &idx) || wasm_leb_u32(&p, end, &nm.len) ||
            nm.len > (size_t)(end - p) || !wasm_utf8_valid(p, nm.len))
            goto bad;
        nm.name = p;
        p += nm.len;
        if (func == 0xffffffffu) {
            nm.index = idx;
        } else {
            nm.index = func;
            nm.local = idx;
        }
        if (i > 0 && idx <= (func == 0xffffffffu ? (*out)[*nout - 1].index : (*out)[*nout - 1].local))
            goto bad;
        (*out)[(*nout)++] = nm;
    }
    *pp = p;
    return 0;
bad:
    *nout = start;
    return -1;
}

/* Reads the "name" custom section. Per the spec its errors do not make the
 * module malformed: reading stops at the first bad subsection and keeps
 * what came before (running out of memory is treated the same way). */
static void decode_names(wasm_decoder *d, const uint8_t *p, const uint8_t *end)
{
    wasm_names *names = &d->m->names;
    uint32_t fcap = 0, lcap = 0;
    int last_id = -1;
    while (p < end) {
        uint8_t id = *p++;
        uint32_t size;
        if (wasm_leb_u32(&p, end, &size) || size > (size_t)(end - p) || (int)id <= last_id)
            return;
        last_id = id;
        const uint8_t *sub = p, *send = p + size;
        p = send;
        if (id == 0) {
            uint32_t len;
            if (wasm_leb_u32(&sub, send, &len) || len != (size_t)(send - sub) || !wasm_utf8_valid(sub, len))
                return;
            names->module = sub;
            names->module_len = len;
        } else if (id == 1) {
            if (rd_name_map(d, &sub, send, 0xffffffffu, &names->funcs, &names->nfuncs, &fcap) || sub != send)
                return;
        } else if (id == 2) {
            uint32_t n;
            uint32_t prev = 0;
            if (wasm_leb_u32(&sub, send, &n))
                return;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t func;
                if (wasm_leb_u32(&sub, send, &func) || (i > 0 && func <= prev))
                    return;
                prev = func;
                if (rd_name_map(d, &sub, send, func, &names->locals, &names->nlocals, &lcap))
                    return;
            }
            if (sub != send)
                return;
        }
    }
}

static int decode_custom(wasm_decoder *d, const uint8_t *p, const uint8_t *end,
                         const uint8_t *start, uint8_t after)
{
    wasm_module *m = d->m;
    wasm_custom_section c = { 0 };
    if (rd_name(d, &p, end, &c.name, &c.name_len))
        return -1;
    c.data = p;
    c.len = (uint32_t)(end - p);
    c.file_offset = (uint32_t)(start - d->base);
    c.after = after;
    /* Grow by doubling (capacity is always a power of two, at least the
     * count): the number of custom sections is not known in advance. */
    if ((m->ncustoms & (m->ncustoms - 1)) == 0) {
        wasm_custom_section *a = resize(m->customs, m->ncustoms,
                                        m->ncustoms ? (size_t)m->ncustoms * 2 : 1, sizeof *a);
        if (!a)
            return out_of_memory(d);
        m->customs = a;
    }
    m->customs[m->ncustoms++] = c;
    if (c.name_len == 4 && lib_memcmp(c.name, "name", 4) == 0 && !m->names.funcs && !m->names.module)
        decode_names(d, p, end);
    return 0;
}

/* ---- the module ---- */

int wasm_decode_module(wasm_decoder *d)
{
    wasm_module *m = d->m;
    const uint8_t *p = d->base, *end = d->end;
    d->section = "";
    if ((size_t)(end - p) < 4 || lib_memcmp(p, "\0asm", 4) != 0)
        return malformed(d, p, "magic header not detected");
    if ((size_t)(end - p) < 8)
        return malformed(d, p + 4, "unexpected end (no version)");
    if (p[4] != 1 || p[5] != 0 || p[6] != 0 || p[7] != 0)
        return malformed(d, p + 4, "unknown binary version");
    p += 8;
    uint8_t last = 0;            /* order rank of the last known section */
    uint8_t last_id = 0;
    bool seen_code = false, seen_data = false;
    while (p < end) {
        const uint8_t *start = p;
        uint8_t id = *p++;
        uint32_t size;
        d->section = id <= SEC_DATACOUNT ? section_names[id] : "unknown";
        if (id > SEC_DATACOUNT)
            return wasm_decode_fail(d, WASM_ERR_MALFORMED, start, "malformed section id %u", id);
        if (rd_u32(d, &p, end, &size))
            return -1;
        if (size > (size_t)(end - p))
            return malformed(d, start, "unexpected end (section size larger than the module)");
        const uint8_t *send = p + size;
        if (id != SEC_CUSTOM) {
            if (section_order[id] <= last)
                return malformed(d, start, "unexpected content after last section (section out of order or repeated)");
            last = section_order[id];
            last_id = id;
        }
        /* The function index space is complete once the function section
         * is behind us; make sure func_flags exists for what follows. */
        if (id > SEC_FUNCTION && id != SEC_CUSTOM && !m->func_flags && grow_funcs(d, 0))
            return -1;
        int r = 0;
        switch (id) {
        case SEC_CUSTOM: r = decode_custom(d, p, send, start, last_id); break;
        case SEC_TYPE: r = decode_types(d, p, send); break;
        case SEC_IMPORT: r = decode_imports(d, p, send); break;
        case SEC_FUNCTION: r = decode_functions(d, p, send); break;
        case SEC_TABLE: r = decode_tables(d, p, send); break;
        case SEC_MEMORY: r = decode_memories(d, p, send); break;
        case SEC_GLOBAL: r = decode_globals(d, p, send); break;
        case SEC_EXPORT: r = decode_exports(d, p, send); break;
        case SEC_START: r = decode_start(d, p, send); break;
        case SEC_ELEMENT: r = decode_elements(d, p, send); break;
        case SEC_DATACOUNT: r = decode_datacount(d, p, send); break;
        case SEC_CODE: r = decode_code(d, p, send); seen_code = true; break;
        case SEC_DATA: r = decode_data(d, p, send); seen_data = true; break;
        }
        if (r)
            return -1;
        p = send;
    }
    d->section = "";
    if (!m->func_flags && grow_funcs(d, 0))
        return -1;
    if (!seen_code && m->nfuncs != m->nimported_funcs)
        return malformed(d, end, "function and code section have inconsistent lengths");
    if (!seen_data && m->has_data_count && m->data_count != 0)
        return malformed(d, end, "data count and data section have inconsistent lengths");
    return 0;
}
