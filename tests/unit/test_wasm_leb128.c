/* Unit tests for wasm/leb128.h: the checked readers with the spec's size
 * and sign limits, and the unchecked readers the compiler uses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "wasm/leb128.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static int u32(const uint8_t *b, size_t n, uint32_t *v, size_t *used)
{
    const uint8_t *p = b;
    int e = wasm_leb_u32(&p, b + n, v);
    *used = (size_t)(p - b);
    return e;
}

static void test_u32(void **state)
{
    uint32_t v;
    size_t used;
    static const uint8_t zero[] = { 0x00 }, big[] = { 0xe5, 0x8e, 0x26 };
    static const uint8_t max[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };
    static const uint8_t padded[] = { 0x80, 0x80, 0x80, 0x80, 0x00 };   /* 0 in five bytes: allowed */
    assert_int_equal(u32(zero, 1, &v, &used), WASM_LEB_OK);
    assert_int_equal(v, 0);
    assert_int_equal(used, 1);
    assert_int_equal(u32(big, 3, &v, &used), WASM_LEB_OK);
    assert_int_equal(v, 624485);
    assert_int_equal(used, 3);
    assert_int_equal(u32(max, 5, &v, &used), WASM_LEB_OK);
    assert_int_equal(v, 0xffffffffu);
    assert_int_equal(u32(padded, 5, &v, &used), WASM_LEB_OK);
    assert_int_equal(v, 0);
    assert_int_equal(used, 5);
}

static void test_u32_limits(void **state)
{
    uint32_t v;
    size_t used;
    static const uint8_t too_long[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
    static const uint8_t too_large[] = { 0xff, 0xff, 0xff, 0xff, 0x1f };  /* bit 32 set */
    static const uint8_t high_bit[] = { 0x80, 0x80, 0x80, 0x80, 0x40 };
    static const uint8_t cut[] = { 0x80, 0x80 };
    assert_int_equal(u32(too_long, LEN(too_long), &v, &used), WASM_LEB_TOO_LONG);
    assert_int_equal(u32(too_large, LEN(too_large), &v, &used), WASM_LEB_TOO_LARGE);
    assert_int_equal(u32(high_bit, LEN(high_bit), &v, &used), WASM_LEB_TOO_LARGE);
    assert_int_equal(u32(cut, LEN(cut), &v, &used), WASM_LEB_EOF);
    assert_int_equal(u32(cut, 0, &v, &used), WASM_LEB_EOF);
    /* An error leaves the position where it was. */
    assert_int_equal(used, 0);
}

static void test_s32(void **state)
{
    int32_t v;
    const uint8_t *p;
    static const uint8_t minus1[] = { 0x7f }, minus64[] = { 0x40 }, plus64[] = { 0xc0, 0x00 };
    static const uint8_t min[] = { 0x80, 0x80, 0x80, 0x80, 0x78 };
    static const uint8_t max[] = { 0xff, 0xff, 0xff, 0xff, 0x07 };
    static const uint8_t bad_pos[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };   /* bit 3 set, bits above clear */
    static const uint8_t bad_neg[] = { 0x80, 0x80, 0x80, 0x80, 0x70 };   /* bits above set, bit 3 clear */
    static const uint8_t neg_pad[] = { 0xff, 0xff, 0xff, 0xff, 0x7f };   /* -1 in five bytes: allowed */
    p = minus1; assert_int_equal(wasm_leb_s32(&p, minus1 + 1, &v), 0); assert_int_equal(v, -1);
    p = minus64; assert_int_equal(wasm_leb_s32(&p, minus64 + 1, &v), 0); assert_int_equal(v, -64);
    p = plus64; assert_int_equal(wasm_leb_s32(&p, plus64 + 2, &v), 0); assert_int_equal(v, 64);
    p = min; assert_int_equal(wasm_leb_s32(&p, min + 5, &v), 0); assert_int_equal(v, INT32_MIN);
    p = max; assert_int_equal(wasm_leb_s32(&p, max + 5, &v), 0); assert_int_equal(v, INT32_MAX);
    p = neg_pad; assert_int_equal(wasm_leb_s32(&p, neg_pad + 5, &v), 0); assert_int_equal(v, -1);
    p = bad_pos; assert_int_equal(wasm_leb_s32(&p, bad_pos + 5, &v), WASM_LEB_TOO_LARGE);
    p = bad_neg; assert_int_equal(wasm_leb_s32(&p, bad_neg + 5, &v), WASM_LEB_TOO_LARGE);
}

static void test_s64_s33(void **state)
{
    int64_t v;
    const uint8_t *p;
    static const uint8_t min[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f };
    static const uint8_t max[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 };
    static const uint8_t bad[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
    static const uint8_t toolong[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
    p = min; assert_int_equal(wasm_leb_s64(&p, min + 10, &v), 0); assert_true(v == INT64_MIN);
    p = max; assert_int_equal(wasm_leb_s64(&p, max + 10, &v), 0); assert_true(v == INT64_MAX);
    p = bad; assert_int_equal(wasm_leb_s64(&p, bad + 10, &v), WASM_LEB_TOO_LARGE);
    p = toolong; assert_int_equal(wasm_leb_s64(&p, toolong + 11, &v), WASM_LEB_TOO_LONG);
    /* Block types: 0x7f is i32 (-1), 0x40 the empty type, a type index is >= 0. */
    static const uint8_t i32[] = { 0x7f }, empty[] = { 0x40 }, idx[] = { 0x80, 0x80, 0x80, 0x80, 0x0f };
    p = i32; assert_int_equal(wasm_leb_s33(&p, i32 + 1, &v), 0);
    assert_int_equal(wasm_blocktype_valtype(v), 0x7f);
    p = empty; assert_int_equal(wasm_leb_s33(&p, empty + 1, &v), 0); assert_int_equal(v, WASM_BLOCKTYPE_EMPTY);
    p = idx; assert_int_equal(wasm_leb_s33(&p, idx + 5, &v), 0); assert_true(v == 0xf0000000ll);
}

/* Encodes v in the shortest signed LEB128. */
static size_t enc_s64(int64_t v, uint8_t *out)
{
    size_t n = 0;
    for (;;) {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
            out[n++] = b;
            return n;
        }
        out[n++] = b | 0x80;
    }
}

/* The unchecked readers agree with the checked ones on valid encodings. */
static void test_unchecked_agree(void **state)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        int64_t v = (int64_t)(x >> (i % 64));
        if (i & 1)
            v = -v;
        uint8_t buf[16];
        size_t n = enc_s64(v, buf);
        const uint8_t *p = buf;
        int64_t c;
        assert_int_equal(wasm_leb_s64(&p, buf + n, &c), 0);
        assert_true(c == v);
        p = buf;
        assert_true(wasm_rd_s64(&p) == v);
        assert_int_equal(p - buf, n);
        int32_t v32 = (int32_t)v;
        n = enc_s64(v32, buf);
        p = buf;
        assert_int_equal(wasm_rd_s32(&p), v32);
        uint32_t u = (uint32_t)x;
        n = 0;
        do { buf[n++] = (u & 0x7f) | (u >= 0x80 ? 0x80 : 0); u >>= 7; } while (u);
        p = buf;
        assert_int_equal(wasm_rd_u32(&p), (uint32_t)x);
        assert_int_equal(p - buf, n);
    }
    static const uint8_t f[] = { 0x00, 0x00, 0x80, 0x3f, 1, 2, 3, 4, 5, 6, 7, 8 };
    const uint8_t *p = f;
    assert_int_equal(wasm_rd_fixed32(&p), 0x3f800000u);
    assert_true(wasm_rd_fixed64(&p) == 0x0807060504030201ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_u32),
        cmocka_unit_test(test_u32_limits),
        cmocka_unit_test(test_s32),
        cmocka_unit_test(test_s64_s33),
        cmocka_unit_test(test_unchecked_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
