/* Unit tests for lib/fmt.c: each conversion against what C's printf gives. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "lib/fmt.h"

/* Formats with both lib_snprintf and libc's snprintf and compares. */
#define SAME(...) do { \
        char ours[256], theirs[256]; \
        int a = lib_snprintf(ours, sizeof ours, __VA_ARGS__); \
        int b = snprintf(theirs, sizeof theirs, __VA_ARGS__); \
        assert_string_equal(ours, theirs); \
        assert_int_equal(a, b); \
    } while (0)

static void test_integers(void **state)
{
    SAME("%d %d %d", 0, -1, 2147483647);
    SAME("%d", (int)0x80000000);
    SAME("%i|%5d|%-5d|%05d|%+d|% d", 42, 42, 42, -42, 7, 7);
    SAME("%u %lu %llu", 4000000000u, 123456789012ul, 18446744073709551615ull);
    SAME("%lld", (long long)INT64_MIN);
    SAME("%x %X %#x %#X %08x", 0xdeadbeefu, 0xabcu, 255u, 255u, 0x1fu);
    SAME("%lx %llx", 0xffffffffffful, 0x0123456789abcdefull);
    SAME("%o %#o", 8u, 8u);
    SAME("%.3d|%.0d|%5.3d", 7, 0, -7);
    SAME("%zu %zd", (size_t)12345, (ptrdiff_t)-5);
    SAME("%hhd %hd %hhu", 300, 70000, 300);
    SAME("%*d|%-*d", 6, 12, 6, 12);
}

static void test_strings_and_chars(void **state)
{
    SAME("[%s] [%10s] [%-10s] [%.2s]", "abc", "abc", "abc", "abc");
    SAME("%c%c%3c", 'a', 'b', 'c');
    SAME("100%%");
    SAME("%p", (void *)0x1234);
}

static void test_truncation(void **state)
{
    char buf[5];
    int n = lib_snprintf(buf, sizeof buf, "%s", "hello world");
    assert_int_equal(n, 11);
    assert_string_equal(buf, "hell");
    n = lib_snprintf(NULL, 0, "%d", 12345);
    assert_int_equal(n, 5);
}

static void collect(void *ctx, char c)
{
    char **p = ctx;
    *(*p)++ = c;
}

static void test_callback(void **state)
{
    char buf[32] = { 0 }, *p = buf;
    int n = lib_format(collect, &p, "x=%d", 9);
    assert_int_equal(n, 3);
    assert_string_equal(buf, "x=9");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_strings_and_chars),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_callback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
