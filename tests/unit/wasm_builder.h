/* tests/unit/wasm_builder.h: builds small binary modules by hand for the
 * engine's unit tests (bytes appended to a buffer, sections sized after
 * the fact). Header-only, test code. */
#ifndef TESTS_WASM_BUILDER_H
#define TESTS_WASM_BUILDER_H

#include <stdint.h>
#include <string.h>

typedef struct wb {
    uint8_t b[8192];
    size_t n;
} wb;

static inline void wb_bytes(wb *w, const void *p, size_t n)
{
    memcpy(w->b + w->n, p, n);
    w->n += n;
}

static inline void wb_byte(wb *w, uint8_t x)
{
    w->b[w->n++] = x;
}

static inline void wb_u32(wb *w, uint32_t v)
{
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        wb_byte(w, b | (v ? 0x80 : 0));
    } while (v);
}

static inline void wb_name(wb *w, const char *s)
{
    wb_u32(w, (uint32_t)strlen(s));
    wb_bytes(w, s, strlen(s));
}

static inline void wb_header(wb *w)
{
    w->n = 0;
    wb_bytes(w, "\0asm\1\0\0\0", 8);
}

/* Appends section `id` holding the bytes of `content`. */
static inline void wb_section(wb *w, uint8_t id, const wb *content)
{
    wb_byte(w, id);
    wb_u32(w, (uint32_t)content->n);
    wb_bytes(w, content->b, content->n);
}

/* Appends section `id` from a literal byte string. */
static inline void wb_section_raw(wb *w, uint8_t id, const char *bytes, size_t n)
{
    wb_byte(w, id);
    wb_u32(w, (uint32_t)n);
    wb_bytes(w, bytes, n);
}

/* A module of one function of type (params) -> (results) with `body`
 * (instructions, final end included) and the locals declarations `locals`
 * (raw, count first), plus a memory when `memory` is set. */
static inline void wb_func_module(wb *w, const char *params, const char *results,
                                  const char *locals, size_t nlocals_bytes,
                                  const char *body, size_t nbody, int memory)
{
    wb s;
    wb_header(w);
    s.n = 0;
    wb_byte(&s, 1);
    wb_byte(&s, 0x60);
    wb_name(&s, params);       /* value type bytes are the string's bytes */
    wb_name(&s, results);
    wb_section(w, 1, &s);
    wb_section_raw(w, 3, "\x01\x00", 2);
    if (memory)
        wb_section_raw(w, 5, "\x01\x00\x01", 3);
    s.n = 0;
    wb_byte(&s, 1);
    wb_u32(&s, (uint32_t)(nlocals_bytes + nbody));
    wb_bytes(&s, locals, nlocals_bytes);
    wb_bytes(&s, body, nbody);
    wb_section(w, 10, &s);
}

#endif
