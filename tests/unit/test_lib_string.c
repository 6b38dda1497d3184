/* Unit tests for lib/string.c and lib/list.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "lib/string.h"
#include "lib/list.h"

static void test_memmove_overlap(void **state)
{
    char a[] = "abcdefgh";
    lib_memmove(a + 2, a, 5);
    assert_memory_equal(a, "ababcdeh", 8);
    char b[] = "abcdefgh";
    lib_memmove(b, b + 2, 5);
    assert_memory_equal(b, "cdefgfgh", 8);
}

static void test_mem(void **state)
{
    char a[8];
    lib_memset(a, 'x', sizeof a);
    assert_memory_equal(a, "xxxxxxxx", 8);
    lib_memcpy(a, "1234", 4);
    assert_memory_equal(a, "1234xxxx", 8);
    assert_int_equal(lib_memcmp("ab", "ab", 2), 0);
    assert_true(lib_memcmp("ab", "ac", 2) < 0);
    assert_true(lib_memcmp("\xff", "\x01", 1) > 0);
}

/* Word-at-a-time copies against libc over every small size, alignment and
 * overlap. */
static void test_mem_against_libc(void **state)
{
    unsigned char a[160], b[160];
    for (size_t n = 0; n <= 40; n++)
        for (size_t so = 0; so < 24; so++)
            for (size_t dof = 0; dof < 24; dof++) {
                for (size_t i = 0; i < sizeof a; i++)
                    a[i] = b[i] = (unsigned char)(i * 7 + 1);
                lib_memmove(a + dof, a + so, n);
                memmove(b + dof, b + so, n);
                assert_memory_equal(a, b, sizeof a);
                lib_memcpy(a + 80 + dof, a + so, n);   /* apart: memcpy does not overlap */
                memcpy(b + 80 + dof, b + so, n);
                assert_memory_equal(a, b, sizeof a);
                lib_memset(a + dof, (int)(so + 0x180), n);
                memset(b + dof, (int)(so + 0x180), n);
                assert_memory_equal(a, b, sizeof a);
            }
}

static void test_str(void **state)
{
    assert_int_equal(lib_strlen(""), 0);
    assert_int_equal(lib_strlen("abc"), 3);
    assert_int_equal(lib_strnlen("abcdef", 4), 4);
    assert_int_equal(lib_strcmp("abc", "abc"), 0);
    assert_true(lib_strcmp("abc", "abd") < 0);
    assert_true(lib_strcmp("abcd", "abc") > 0);
    assert_int_equal(lib_strncmp("abcx", "abcy", 3), 0);
    const char *s = "hello";
    assert_ptr_equal(lib_strchr(s, 'l'), s + 2);
    assert_null(lib_strchr(s, 'z'));
    char buf[4];
    assert_int_equal(lib_strlcpy(buf, "hello", sizeof buf), 5);
    assert_string_equal(buf, "hel");
}

typedef struct item {
    int v;
    lib_list link;
} item;

static void test_list(void **state)
{
    lib_list head;
    lib_list_init(&head);
    assert_true(lib_list_empty(&head));
    item a = { 1 }, b = { 2 }, c = { 3 };
    lib_list_push_back(&head, &a.link);
    lib_list_push_back(&head, &b.link);
    lib_list_push_front(&head, &c.link);
    int order[3], n = 0;
    lib_list *p;
    while ((p = lib_list_pop_front(&head)))
        order[n++] = LIB_CONTAINER_OF(p, item, link)->v;
    assert_int_equal(n, 3);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 2);
    assert_true(lib_list_empty(&head));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memmove_overlap),
        cmocka_unit_test(test_mem_against_libc),
        cmocka_unit_test(test_mem),
        cmocka_unit_test(test_str),
        cmocka_unit_test(test_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
