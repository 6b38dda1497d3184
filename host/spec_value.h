/* host/spec_value.h: the values of the spec suite's JSON scripts (as written
 * by wast2json): arguments to parse, expected results to match (with the NaN
 * patterns nan:canonical and nan:arithmetic, per lane in a v128), and values
 * to print in failure messages. */
#ifndef HOST_SPEC_VALUE_H
#define HOST_SPEC_VALUE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "wasm/wasm.h"

/* How a float (or a float lane) must look. */
enum { SPEC_EXACT, SPEC_NAN_CANONICAL, SPEC_NAN_ARITHMETIC };

/* Lane shapes of a v128, by the lane_type wast2json gives. */
enum { SPEC_LANES_NONE, SPEC_LANES_I8, SPEC_LANES_I16, SPEC_LANES_I32,
       SPEC_LANES_I64, SPEC_LANES_F32, SPEC_LANES_F64 };

typedef struct spec_expect {
    wasm_val val;         /* type and the exact bits, where exact */
    uint8_t lanes;        /* SPEC_LANES_*: how a v128 is compared and shown */
    uint8_t pattern[4];   /* SPEC_* per float lane; a scalar float uses [0] */
} spec_expect;

/* The `ref.extern N` of a script becomes this non-null opaque value (and
 * null is 0), both as an argument and as an expected result. */
uint64_t spec_extern_ref(uint64_t n);

/* Value type from its name in the JSON ("i32", ..., "externref"); 0 if none. */
uint8_t spec_type_from_name(const char *name);
const char *spec_type_name(uint8_t type);

/* Parse one {"type":..., "value":...} object. Return 0, or -1 with a reason
 * in `why`. */
int spec_parse_arg(json_t *j, wasm_val *out, char *why, size_t whycap);
int spec_parse_expect(json_t *j, spec_expect *out, char *why, size_t whycap);

/* Whether `got` is what `e` expects (type included). */
bool spec_match(const spec_expect *e, const wasm_val *got);

/* Printable forms for failure messages; `lanes` picks the v128 shape. */
void spec_format_val(const wasm_val *v, uint8_t lanes, char *buf, size_t cap);
void spec_format_expect(const spec_expect *e, char *buf, size_t cap);

#endif
