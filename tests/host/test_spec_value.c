/* Unit tests for host/spec_value.c: how the spec runner reads wast2json
 * values and matches results (NaN patterns, v128 lanes, references). Built
 * by mk/host.mk into build/tests/unit/, so tests/steps/10-unit runs it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "host/spec_value.h"

/* Parses `json` as an expected value; fails the test if it does not parse. */
static spec_expect expect(const char *json)
{
    char why[256];
    spec_expect e;
    json_t *j = json_loads(json, 0, NULL);
    assert_non_null(j);
    assert_int_equal(spec_parse_expect(j, &e, why, sizeof why), 0);
    json_decref(j);
    return e;
}

static int arg(const char *json, wasm_val *v)
{
    char why[256];
    json_t *j = json_loads(json, 0, NULL);
    assert_non_null(j);
    int rc = spec_parse_arg(j, v, why, sizeof why);
    json_decref(j);
    return rc;
}

static wasm_val val32(uint8_t type, uint32_t bits)
{
    wasm_val v;
    memset(&v, 0, sizeof v);
    v.type = type;
    v.of.i32 = bits;
    return v;
}

static wasm_val val64(uint8_t type, uint64_t bits)
{
    wasm_val v;
    memset(&v, 0, sizeof v);
    v.type = type;
    v.of.i64 = bits;
    return v;
}

static void test_integers(void **state)
{
    spec_expect e = expect("{\"type\": \"i32\", \"value\": \"4294967295\"}");
    wasm_val v = val32(WASM_I32, 0xffffffffu);
    assert_true(spec_match(&e, &v));
    v.of.i32 = 0x7fffffff;
    assert_false(spec_match(&e, &v));
    v = val64(WASM_I64, 0xffffffffu);   /* right bits, wrong type */
    assert_false(spec_match(&e, &v));

    e = expect("{\"type\": \"i64\", \"value\": \"9223372036854775808\"}");
    v = val64(WASM_I64, 0x8000000000000000ull);
    assert_true(spec_match(&e, &v));

    assert_int_equal(arg("{\"type\": \"i32\", \"value\": \"12x\"}", &v), -1);
    assert_int_equal(arg("{\"type\": \"i32\"}", &v), -1);
    assert_int_equal(arg("{\"type\": \"i33\", \"value\": \"1\"}", &v), -1);
    /* A NaN pattern is no argument. */
    assert_int_equal(arg("{\"type\": \"f32\", \"value\": \"nan:canonical\"}", &v), -1);
}

static void test_float_bits(void **state)
{
    /* Floats compare by bits: -0 is not 0, and one NaN is not another. */
    spec_expect e = expect("{\"type\": \"f32\", \"value\": \"2147483648\"}");
    wasm_val v = val32(WASM_F32, 0x80000000u);
    assert_true(spec_match(&e, &v));
    v.of.f32 = 0;
    assert_false(spec_match(&e, &v));

    e = expect("{\"type\": \"f64\", \"value\": \"9221120237041090561\"}");  /* 0x7ff8000000000001 */
    v = val64(WASM_F64, 0x7ff8000000000001ull);
    assert_true(spec_match(&e, &v));
    v.of.f64 = 0x7ff8000000000000ull;
    assert_false(spec_match(&e, &v));
}

static void test_nan_patterns(void **state)
{
    spec_expect canon = expect("{\"type\": \"f32\", \"value\": \"nan:canonical\"}");
    spec_expect arith = expect("{\"type\": \"f32\", \"value\": \"nan:arithmetic\"}");
    wasm_val v = val32(WASM_F32, 0x7fc00000u);
    assert_true(spec_match(&canon, &v));
    assert_true(spec_match(&arith, &v));
    v.of.f32 = 0xffc00000u;                 /* the sign is free */
    assert_true(spec_match(&canon, &v));
    assert_true(spec_match(&arith, &v));
    v.of.f32 = 0x7fc00001u;                 /* a payload: arithmetic only */
    assert_false(spec_match(&canon, &v));
    assert_true(spec_match(&arith, &v));
    v.of.f32 = 0x7f800001u;                 /* signalling: neither */
    assert_false(spec_match(&canon, &v));
    assert_false(spec_match(&arith, &v));
    v.of.f32 = 0x7f800000u;                 /* infinity: neither */
    assert_false(spec_match(&arith, &v));

    canon = expect("{\"type\": \"f64\", \"value\": \"nan:canonical\"}");
    arith = expect("{\"type\": \"f64\", \"value\": \"nan:arithmetic\"}");
    v = val64(WASM_F64, 0xfff8000000000000ull);
    assert_true(spec_match(&canon, &v));
    v.of.f64 = 0x7ff8000000000001ull;
    assert_false(spec_match(&canon, &v));
    assert_true(spec_match(&arith, &v));
    v.of.f64 = 0x7ff0000000000001ull;
    assert_false(spec_match(&arith, &v));
}

static void test_v128(void **state)
{
    wasm_val v;
    assert_int_equal(arg("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": "
                         "[\"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"65535\"]}", &v), 0);
    assert_int_equal(v.type, WASM_V128);
    assert_int_equal(v.of.v128[0], 1);      /* little-endian lanes */
    assert_int_equal(v.of.v128[1], 0);
    assert_int_equal(v.of.v128[2], 2);
    assert_int_equal(v.of.v128[14], 0xff);
    assert_int_equal(v.of.v128[15], 0xff);
    /* Wrong lane count. */
    assert_int_equal(arg("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"1\"]}", &v), -1);

    /* Float lanes: a pattern in one lane, exact bits in the other. */
    spec_expect e = expect("{\"type\": \"v128\", \"lane_type\": \"f64\", "
                           "\"value\": [\"nan:arithmetic\", \"4607182418800017408\"]}");  /* 1.0 */
    wasm_val got;
    memset(&got, 0, sizeof got);
    got.type = WASM_V128;
    uint64_t lanes[2] = { 0x7ff8000000000123ull, 0x3ff0000000000000ull };
    memcpy(got.of.v128, lanes, 16);
    assert_true(spec_match(&e, &got));
    lanes[1] = 0xbff0000000000000ull;
    memcpy(got.of.v128, lanes, 16);
    assert_false(spec_match(&e, &got));

    e = expect("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": "
               "[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\",\"12\",\"13\",\"14\",\"255\"]}");
    for (int i = 0; i < 16; i++)
        got.of.v128[i] = (uint8_t)(i == 15 ? 255 : i);
    assert_true(spec_match(&e, &got));
    got.of.v128[7] = 0;
    assert_false(spec_match(&e, &got));
}

static void test_references(void **state)
{
    wasm_val v;
    assert_int_equal(arg("{\"type\": \"externref\", \"value\": \"0\"}", &v), 0);
    assert_int_equal(v.type, WASM_EXTERNREF);
    assert_true(v.of.ref != 0);             /* ref.extern 0 is not null */
    assert_int_equal(v.of.ref, spec_extern_ref(0));
    assert_int_equal(arg("{\"type\": \"externref\", \"value\": \"null\"}", &v), 0);
    assert_int_equal(v.of.ref, 0);
    assert_int_equal(arg("{\"type\": \"funcref\", \"value\": \"null\"}", &v), 0);
    assert_int_equal(v.type, WASM_FUNCREF);

    spec_expect e = expect("{\"type\": \"externref\", \"value\": \"1\"}");
    v = val64(WASM_EXTERNREF, spec_extern_ref(1));
    assert_true(spec_match(&e, &v));
    v.of.ref = spec_extern_ref(2);
    assert_false(spec_match(&e, &v));
    e = expect("{\"type\": \"funcref\", \"value\": \"null\"}");
    v = val64(WASM_FUNCREF, 0);
    assert_true(spec_match(&e, &v));
    v.type = WASM_EXTERNREF;                /* null, but of the other type */
    assert_false(spec_match(&e, &v));
}

static void test_format(void **state)
{
    char buf[256];
    wasm_val v = val32(WASM_I32, 0xffffffffu);
    spec_format_val(&v, 0, buf, sizeof buf);
    assert_string_equal(buf, "i32:-1 (0xffffffff)");
    spec_expect e = expect("{\"type\": \"f32\", \"value\": \"nan:canonical\"}");
    spec_format_expect(&e, buf, sizeof buf);
    assert_string_equal(buf, "f32:nan:canonical");
    v = val64(WASM_EXTERNREF, 0);
    spec_format_val(&v, 0, buf, sizeof buf);
    assert_string_equal(buf, "externref:null");
    /* Truncation keeps the buffer terminated. */
    e = expect("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"0\", \"1\", \"2\", \"3\"]}");
    spec_format_expect(&e, buf, 20);
    assert_int_equal(strlen(buf), 19);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_float_bits),
        cmocka_unit_test(test_nan_patterns),
        cmocka_unit_test(test_v128),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
