/* host/spec_value.c: parsing, matching and printing the values of the spec
 * suite's JSON scripts. wast2json writes every number as the unsigned
 * decimal of its bits (floats included), NaN patterns as the strings
 * "nan:canonical" / "nan:arithmetic", and a v128 as an array of lanes with
 * a lane_type. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/spec_value.h"

static const struct { const char *name; uint8_t type; } type_names[] = {
    { "i32", WASM_I32 }, { "i64", WASM_I64 }, { "f32", WASM_F32 }, { "f64", WASM_F64 },
    { "v128", WASM_V128 }, { "funcref", WASM_FUNCREF }, { "externref", WASM_EXTERNREF },
};

/* Lane shapes: name, lane width in bytes, whether the lanes are floats. */
static const struct { const char *name; unsigned width; bool is_float; } lane_shapes[] = {
    [SPEC_LANES_NONE] = { "i32", 4, false },  /* how an unshaped v128 is shown */
    [SPEC_LANES_I8] = { "i8", 1, false },
    [SPEC_LANES_I16] = { "i16", 2, false },
    [SPEC_LANES_I32] = { "i32", 4, false },
    [SPEC_LANES_I64] = { "i64", 8, false },
    [SPEC_LANES_F32] = { "f32", 4, true },
    [SPEC_LANES_F64] = { "f64", 8, true },
};

uint64_t spec_extern_ref(uint64_t n)
{
    /* Anything but 0 (null) will do; N + 1 keeps `ref.extern 0` non-null. */
    return n + 1;
}

uint8_t spec_type_from_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(name, type_names[i].name) == 0)
            return type_names[i].type;
    return 0;
}

const char *spec_type_name(uint8_t type)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (type_names[i].type == type)
            return type_names[i].name;
    return "?";
}

static uint8_t lanes_from_name(const char *name)
{
    for (uint8_t i = SPEC_LANES_I8; name && i <= SPEC_LANES_F64; i++)
        if (strcmp(name, lane_shapes[i].name) == 0)
            return i;
    return SPEC_LANES_NONE;
}

/* A decimal number, unsigned (the usual form) or negative. */
static int parse_number(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    if (*s == '-')
        *out = (uint64_t)strtoll(s, &end, 10);
    else
        *out = strtoull(s, &end, 10);
    return errno || *end ? -1 : 0;
}

static int parse_pattern(const char *s, uint8_t *pattern)
{
    if (s && strcmp(s, "nan:canonical") == 0)
        *pattern = SPEC_NAN_CANONICAL;
    else if (s && strcmp(s, "nan:arithmetic") == 0)
        *pattern = SPEC_NAN_ARITHMETIC;
    else
        return -1;
    return 0;
}

static void put_lane(uint8_t *bytes, unsigned width, unsigned i, uint64_t v)
{
    for (unsigned b = 0; b < width; b++)
        bytes[i * width + b] = (uint8_t)(v >> (8 * b));
}

static uint64_t get_lane(const uint8_t *bytes, unsigned width, unsigned i)
{
    uint64_t v = 0;
    for (unsigned b = 0; b < width; b++)
        v |= (uint64_t)bytes[i * width + b] << (8 * b);
    return v;
}

/* Parses the "value" of `j` into `out` (whose type is set); float values and
 * lanes may be NaN patterns when `pattern` is given. */
static int parse_value(json_t *j, wasm_val *out, uint8_t *lanes, uint8_t *pattern,
                       char *why, size_t whycap)
{
    const char *tname = json_string_value(json_object_get(j, "type"));
    json_t *value = json_object_get(j, "value");
    const char *s = json_string_value(value);
    uint64_t n;

    memset(out, 0, sizeof *out);
    out->type = spec_type_from_name(tname);
    if (!out->type) {
        snprintf(why, whycap, "unknown value type '%s'", tname ? tname : "(none)");
        return -1;
    }
    if (out->type == WASM_V128) {
        uint8_t shape = lanes_from_name(json_string_value(json_object_get(j, "lane_type")));
        unsigned width = lane_shapes[shape].width;
        if (shape == SPEC_LANES_NONE || !json_is_array(value) || json_array_size(value) != 16 / width) {
            snprintf(why, whycap, "bad v128 value");
            return -1;
        }
        *lanes = shape;
        for (unsigned i = 0; i < 16 / width; i++) {
            const char *ls = json_string_value(json_array_get(value, i));
            if (parse_number(ls, &n) == 0)
                put_lane(out->of.v128, width, i, n);
            else if (!(pattern && lane_shapes[shape].is_float && parse_pattern(ls, &pattern[i]) == 0)) {
                snprintf(why, whycap, "bad v128 lane '%s'", ls ? ls : "(none)");
                return -1;
            }
        }
        return 0;
    }
    if (out->type == WASM_FUNCREF || out->type == WASM_EXTERNREF) {
        if (s && strcmp(s, "null") == 0)
            out->of.ref = 0;
        else if (out->type == WASM_EXTERNREF && parse_number(s, &n) == 0)
            out->of.ref = spec_extern_ref(n);
        else {
            snprintf(why, whycap, "bad %s value '%s'", tname, s ? s : "(none)");
            return -1;
        }
        return 0;
    }
    if (parse_number(s, &n) == 0) {
        if (out->type == WASM_I32 || out->type == WASM_F32)
            out->of.i32 = (uint32_t)n;
        else
            out->of.i64 = n;
        return 0;
    }
    if (pattern && (out->type == WASM_F32 || out->type == WASM_F64) && parse_pattern(s, &pattern[0]) == 0)
        return 0;
    snprintf(why, whycap, "bad %s value '%s'", tname, s ? s : "(none)");
    return -1;
}

int spec_parse_arg(json_t *j, wasm_val *out, char *why, size_t whycap)
{
    uint8_t lanes;
    return parse_value(j, out, &lanes, NULL, why, whycap);
}

int spec_parse_expect(json_t *j, spec_expect *out, char *why, size_t whycap)
{
    memset(out, 0, sizeof *out);
    return parse_value(j, &out->val, &out->lanes, out->pattern, why, whycap);
}

static bool match_f32(uint8_t pattern, uint32_t want, uint32_t got)
{
    if (pattern == SPEC_NAN_CANONICAL)
        return (got & 0x7fffffffu) == 0x7fc00000u;
    if (pattern == SPEC_NAN_ARITHMETIC)
        return (got & 0x7fc00000u) == 0x7fc00000u;
    return got == want;
}

static bool match_f64(uint8_t pattern, uint64_t want, uint64_t got)
{
    if (pattern == SPEC_NAN_CANONICAL)
        return (got & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
    if (pattern == SPEC_NAN_ARITHMETIC)
        return (got & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
    return got == want;
}

bool spec_match(const spec_expect *e, const wasm_val *got)
{
    if (got->type != e->val.type)
        return false;
    switch (e->val.type) {
    case WASM_I32:
        return got->of.i32 == e->val.of.i32;
    case WASM_I64:
        return got->of.i64 == e->val.of.i64;
    case WASM_F32:
        return match_f32(e->pattern[0], e->val.of.f32, got->of.f32);
    case WASM_F64:
        return match_f64(e->pattern[0], e->val.of.f64, got->of.f64);
    case WASM_FUNCREF:
    case WASM_EXTERNREF:
        return got->of.ref == e->val.of.ref;
    case WASM_V128:
        if (e->lanes == SPEC_LANES_F32) {
            for (unsigned i = 0; i < 4; i++)
                if (!match_f32(e->pattern[i], (uint32_t)get_lane(e->val.of.v128, 4, i),
                               (uint32_t)get_lane(got->of.v128, 4, i)))
                    return false;
            return true;
        }
        if (e->lanes == SPEC_LANES_F64) {
            for (unsigned i = 0; i < 2; i++)
                if (!match_f64(e->pattern[i], get_lane(e->val.of.v128, 8, i),
                               get_lane(got->of.v128, 8, i)))
                    return false;
            return true;
        }
        return memcmp(got->of.v128, e->val.of.v128, 16) == 0;
    }
    return false;
}

static const char *pattern_name(uint8_t pattern)
{
    return pattern == SPEC_NAN_CANONICAL ? "nan:canonical" : "nan:arithmetic";
}

static void format_f32(uint32_t bits, char *buf, size_t cap)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    snprintf(buf, cap, "%.9g (0x%08x)", f, bits);
}

static void format_f64(uint64_t bits, char *buf, size_t cap)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    snprintf(buf, cap, "%.17g (0x%016llx)", d, (unsigned long long)bits);
}

/* Formats `v`, with the NaN patterns of `pattern` where given. */
static void format(const wasm_val *v, uint8_t lanes, const uint8_t *pattern, char *buf, size_t cap)
{
    char tmp[64];
    size_t n;

    switch (v->type) {
    case WASM_I32:
        snprintf(buf, cap, "i32:%d (0x%08x)", (int32_t)v->of.i32, v->of.i32);
        break;
    case WASM_I64:
        snprintf(buf, cap, "i64:%lld (0x%016llx)", (long long)v->of.i64, (unsigned long long)v->of.i64);
        break;
    case WASM_F32:
        if (pattern && pattern[0])
            snprintf(tmp, sizeof tmp, "%s", pattern_name(pattern[0]));
        else
            format_f32(v->of.f32, tmp, sizeof tmp);
        snprintf(buf, cap, "f32:%s", tmp);
        break;
    case WASM_F64:
        if (pattern && pattern[0])
            snprintf(tmp, sizeof tmp, "%s", pattern_name(pattern[0]));
        else
            format_f64(v->of.f64, tmp, sizeof tmp);
        snprintf(buf, cap, "f64:%s", tmp);
        break;
    case WASM_FUNCREF:
    case WASM_EXTERNREF:
        if (v->of.ref == 0)
            snprintf(buf, cap, "%s:null", spec_type_name(v->type));
        else
            snprintf(buf, cap, "%s:0x%llx", spec_type_name(v->type), (unsigned long long)v->of.ref);
        break;
    case WASM_V128: {
        unsigned width = lane_shapes[lanes].width;
        n = (size_t)snprintf(buf, cap, "v128:%sx%u[", lane_shapes[lanes].name, 16 / width);
        for (unsigned i = 0; i < 16 / width && n < cap; i++) {
            uint64_t lane = get_lane(v->of.v128, width, i);
            if (pattern && lane_shapes[lanes].is_float && pattern[i])
                snprintf(tmp, sizeof tmp, "%s", pattern_name(pattern[i]));
            else if (lanes == SPEC_LANES_F32)
                format_f32((uint32_t)lane, tmp, sizeof tmp);
            else if (lanes == SPEC_LANES_F64)
                format_f64(lane, tmp, sizeof tmp);
            else
                snprintf(tmp, sizeof tmp, "0x%0*llx", (int)width * 2, (unsigned long long)lane);
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? " " : "", tmp);
        }
        if (n < cap)
            snprintf(buf + n, cap - n, "]");
        break;
    }
    default:
        snprintf(buf, cap, "<value of type 0x%02x>", v->type);
    }
}

void spec_format_val(const wasm_val *v, uint8_t lanes, char *buf, size_t cap)
{
    format(v, lanes, NULL, buf, cap);
}

void spec_format_expect(const spec_expect *e, char *buf, size_t cap)
{
    format(&e->val, e->lanes, e->pattern, buf, cap);
}
