/* Unit tests for wasm/utf8.c: the spec's UTF-8 rules for names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "wasm/utf8.h"

static bool ok(const char *s, size_t n)
{
    return wasm_utf8_valid((const uint8_t *)s, n);
}

static void test_valid(void **state)
{
    assert_true(ok("", 0));
    assert_true(ok("memory", 6));
    assert_true(ok("\0", 1));                      /* NUL is a character like any other */
    assert_true(ok("\xc2\x80", 2));                /* U+0080 */
    assert_true(ok("\xdf\xbf", 2));                /* U+07FF */
    assert_true(ok("\xe0\xa0\x80", 3));            /* U+0800 */
    assert_true(ok("\xed\x9f\xbf", 3));            /* U+D7FF */
    assert_true(ok("\xee\x80\x80", 3));            /* U+E000 */
    assert_true(ok("\xef\xbf\xbf", 3));            /* U+FFFF */
    assert_true(ok("\xf0\x90\x80\x80", 4));        /* U+10000 */
    assert_true(ok("\xf4\x8f\xbf\xbf", 4));        /* U+10FFFF */
    assert_true(ok("a\xe2\x82\xac" "b", 5));       /* a€b */
}

static void test_invalid(void **state)
{
    assert_false(ok("\x80", 1));                   /* lone continuation byte */
    assert_false(ok("\xbf", 1));
    assert_false(ok("\xc0\x80", 2));               /* overlong NUL */
    assert_false(ok("\xc1\xbf", 2));               /* overlong */
    assert_false(ok("\xe0\x80\x80", 3));           /* overlong */
    assert_false(ok("\xe0\x9f\xbf", 3));           /* overlong U+07FF */
    assert_false(ok("\xf0\x80\x80\x80", 4));       /* overlong */
    assert_false(ok("\xf0\x8f\xbf\xbf", 4));       /* overlong U+FFFF */
    assert_false(ok("\xed\xa0\x80", 3));           /* surrogate U+D800 */
    assert_false(ok("\xed\xbf\xbf", 3));           /* surrogate U+DFFF */
    assert_false(ok("\xf4\x90\x80\x80", 4));       /* U+110000 */
    assert_false(ok("\xf5\x80\x80\x80", 4));
    assert_false(ok("\xff", 1));
    assert_false(ok("\xc2", 1));                   /* truncated */
    assert_false(ok("\xe2\x82", 2));
    assert_false(ok("\xf0\x90\x80", 3));
    assert_false(ok("\xc2\x41", 2));               /* bad continuation */
    assert_false(ok("\xe2\x82\xc0", 3));
    /* The length is what counts, not a terminator. */
    assert_false(ok("\xe2\x82\xac", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
