/* wasm/leb128.h: readers for the binary format's integers, shared by the
 * decoder, the validator and the compiler.
 *
 * Two families:
 *   wasm_leb_*(&p, end, &v)  checked: never read at or past `end`, and
 *                            enforce the spec's limits (at most ceil(N/7)
 *                            bytes, and unused bits of the last byte must be
 *                            zero, or copies of the sign bit for signed).
 *                            Return WASM_LEB_OK or a WASM_LEB_* error.
 *   wasm_rd_*(&p)            unchecked, for bytes the validator already
 *                            accepted (the compiler re-reading a body).
 * Both advance *p past what they read. */
#ifndef WASM_LEB128_H
#define WASM_LEB128_H

#include <stdint.h>

enum {
    WASM_LEB_OK = 0,
    WASM_LEB_EOF,        /* ran into `end` */
    WASM_LEB_TOO_LONG,   /* more bytes than ceil(N/7) */
    WASM_LEB_TOO_LARGE,  /* unused bits of the last byte are not zero / sign */
};

/* The spec's wording for a WASM_LEB_* error. */
static inline const char *wasm_leb_error(int e)
{
    switch (e) {
    case WASM_LEB_EOF: return "unexpected end";
    case WASM_LEB_TOO_LONG: return "integer representation too long";
    case WASM_LEB_TOO_LARGE: return "integer too large";
    default: return "ok";
    }
}

/* Reads an N-bit integer (N <= 64), signed or not, into *out (sign-extended
 * to 64 bits when signed). The workhorse of the checked family. */
static inline int wasm_leb_read(const uint8_t **pp, const uint8_t *end, unsigned bits,
                                int is_signed, uint64_t *out)
{
    const uint8_t *p = *pp;
    uint64_t result = 0;
    unsigned shift = 0;
    unsigned maxbytes = (bits + 6) / 7;
    for (unsigned i = 0;; i++) {
        if (p >= end)
            return WASM_LEB_EOF;
        uint8_t b = *p++;
        if (i == maxbytes - 1) {
            /* The last byte allowed: it may carry bits - shift payload bits. */
            unsigned used = bits - shift;          /* 1..7 */
            if (b & 0x80)
                return WASM_LEB_TOO_LONG;
            if (used < 7) {
                uint8_t unused = (uint8_t)(b & 0x7f) >> used;   /* bits above the payload */
                if (is_signed) {
                    uint8_t sign = (b >> (used - 1)) & 1;
                    uint8_t want = sign ? (uint8_t)(0x7f >> used) : 0;
                    if (unused != want)
                        return WASM_LEB_TOO_LARGE;
                } else if (unused != 0) {
                    return WASM_LEB_TOO_LARGE;
                }
            }
            result |= (uint64_t)(b & 0x7f) << shift;
            shift += 7;
            break;
        }
        result |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80))
            break;
    }
    if (is_signed && shift < 64 && (p[-1] & 0x40))
        result |= ~(uint64_t)0 << shift;
    if (!is_signed && bits < 64)
        result &= ((uint64_t)1 << bits) - 1;
    *pp = p;
    *out = result;
    return WASM_LEB_OK;
}

static inline int wasm_leb_u32(const uint8_t **pp, const uint8_t *end, uint32_t *out)
{
    const uint8_t *p = *pp;
    if (p < end && *p < 0x80) {          /* the common one-byte case */
        *out = *p;
        *pp = p + 1;
        return WASM_LEB_OK;
    }
    uint64_t v = 0;
    int e = wasm_leb_read(pp, end, 32, 0, &v);
    *out = (uint32_t)v;
    return e;
}

static inline int wasm_leb_s32(const uint8_t **pp, const uint8_t *end, int32_t *out)
{
    uint64_t v = 0;
    int e = wasm_leb_read(pp, end, 32, 1, &v);
    *out = (int32_t)(uint32_t)v;
    return e;
}

/* Block types: a signed 33-bit integer (negative: a value type or 0x40). */
static inline int wasm_leb_s33(const uint8_t **pp, const uint8_t *end, int64_t *out)
{
    uint64_t v = 0;
    int e = wasm_leb_read(pp, end, 33, 1, &v);
    *out = (int64_t)v;
    return e;
}

static inline int wasm_leb_s64(const uint8_t **pp, const uint8_t *end, int64_t *out)
{
    uint64_t v = 0;
    int e = wasm_leb_read(pp, end, 64, 1, &v);
    *out = (int64_t)v;
    return e;
}

static inline int wasm_leb_u64(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
    return wasm_leb_read(pp, end, 64, 0, out);
}

/* ---- unchecked readers for validated bytes ---- */

static inline uint8_t wasm_rd_u8(const uint8_t **pp)
{
    return *(*pp)++;
}

static inline uint32_t wasm_rd_u32(const uint8_t **pp)
{
    const uint8_t *p = *pp;
    uint32_t result = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *p++;
        result |= (uint32_t)(b & 0x7f) << shift;
        shift += 7;
    } while ((b & 0x80) && shift < 35);
    *pp = p;
    return result;
}

static inline uint64_t wasm_rd_sleb(const uint8_t **pp, unsigned maxshift)
{
    const uint8_t *p = *pp;
    uint64_t result = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *p++;
        result |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while ((b & 0x80) && shift < maxshift);
    if (shift < 64 && (b & 0x40))
        result |= ~(uint64_t)0 << shift;
    *pp = p;
    return result;
}

static inline int32_t wasm_rd_s32(const uint8_t **pp)
{
    return (int32_t)(uint32_t)wasm_rd_sleb(pp, 35);
}

/* A block type: < 0 is a value type (-0x01 = i32 ... ) or -0x40 (empty);
 * >= 0 is a type index. Compare with the WASM_BLOCKTYPE_* helpers below. */
static inline int64_t wasm_rd_s33(const uint8_t **pp)
{
    return (int64_t)wasm_rd_sleb(pp, 35);
}

static inline int64_t wasm_rd_s64(const uint8_t **pp)
{
    return (int64_t)wasm_rd_sleb(pp, 70);
}

/* Little-endian fixed-width values (f32/f64 constants, v128 lanes). */
static inline uint32_t wasm_rd_fixed32(const uint8_t **pp)
{
    const uint8_t *p = *pp;
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    *pp = p + 4;
    return v;
}

static inline uint64_t wasm_rd_fixed64(const uint8_t **pp)
{
    uint64_t lo = wasm_rd_fixed32(pp);
    uint64_t hi = wasm_rd_fixed32(pp);
    return lo | hi << 32;
}

/* Block type helpers for a value read with wasm_rd_s33 / wasm_leb_s33:
 * the empty type is -0x40, a value type t is (int8_t)t - 0x80 ... i.e. the
 * byte t sign-extended from 7 bits: i32 (0x7f) reads as -1. */
#define WASM_BLOCKTYPE_EMPTY (-0x40)
static inline uint8_t wasm_blocktype_valtype(int64_t bt)
{
    return (uint8_t)(bt + 0x80);        /* -1 -> 0x7f (i32), -0x10 -> 0x70 (funcref) */
}

#endif
