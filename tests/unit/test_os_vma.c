/* tests/unit/test_os_vma.c: VMA bounds (read, write, copy), pointer
 * checks against the caller's memory, and log. */
#include "tests/unit/os_fixture.h"

static void create_sizes(void **state)
{
    assert_int_equal(coral_vma_create(&ctx, 0), CORAL_EINVAL);
    assert_int_equal(coral_vma_create(&ctx, CORAL_VMA_MAX + 1), CORAL_EINVAL);
    assert_int_equal(coral_vma_create(&ctx, UINT32_MAX), CORAL_EINVAL);
    int32_t h = coral_vma_create(&ctx, 1);
    assert_int_equal(coral_vma_size(&ctx, h), 1);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 1);
}

static void write_then_read(void **state)
{
    int32_t h = coral_vma_create(&ctx, 4096);
    put(1000, "hello, vma");
    assert_int_equal(coral_vma_write(&ctx, h, 4086, 1000, 10), 10);   /* up to the end */
    assert_int_equal(coral_vma_read(&ctx, h, 4086, 2000, 10), 10);
    assert_memory_equal(mem + 2000, "hello, vma", 10);
    /* Fresh VMAs are zeroed. */
    memset(mem + 3000, 0xaa, 16);
    assert_int_equal(coral_vma_read(&ctx, h, 0, 3000, 16), 16);
    for (int i = 0; i < 16; i++)
        assert_int_equal(mem[3000 + i], 0);
    /* Zero bytes at the very end of both. */
    assert_int_equal(coral_vma_read(&ctx, h, 4096, MEM_SIZE, 0), 0);
    assert_int_equal(coral_vma_write(&ctx, h, 4096, MEM_SIZE, 0), 0);
}

static void vma_bounds(void **state)
{
    int32_t h = coral_vma_create(&ctx, 100);
    assert_int_equal(coral_vma_read(&ctx, h, 0, 0, 101), CORAL_ERANGE);
    assert_int_equal(coral_vma_read(&ctx, h, 100, 0, 1), CORAL_ERANGE);
    assert_int_equal(coral_vma_read(&ctx, h, 101, 0, 0), CORAL_ERANGE);
    assert_int_equal(coral_vma_write(&ctx, h, 99, 0, 2), CORAL_ERANGE);
    /* off + len wraps around 32 bits: still out of range. */
    assert_int_equal(coral_vma_read(&ctx, h, UINT32_MAX, 0, 2), CORAL_ERANGE);
    assert_int_equal(coral_vma_write(&ctx, h, 50, 0, UINT32_MAX), CORAL_ERANGE);
    int32_t g = coral_vma_create(&ctx, 10);
    assert_int_equal(coral_vma_copy(&ctx, h, g, 0, 0, 11), CORAL_ERANGE);
    assert_int_equal(coral_vma_copy(&ctx, h, g, 95, 0, 6), CORAL_ERANGE);
    assert_int_equal(coral_vma_copy(&ctx, h, g, 0, 5, 6), CORAL_ERANGE);
    assert_int_equal(coral_vma_copy(&ctx, h, g, UINT32_MAX, 0, 1), CORAL_ERANGE);
    assert_int_equal(coral_vma_copy(&ctx, h, g, 90, 0, 10), 10);
}

static void copy_between_and_within(void **state)
{
    int32_t a = coral_vma_create(&ctx, 64);
    int32_t b = coral_vma_create(&ctx, 64);
    put(0, "0123456789");
    assert_int_equal(coral_vma_write(&ctx, a, 0, 0, 10), 10);
    assert_int_equal(coral_vma_copy(&ctx, a, b, 0, 20, 10), 10);
    assert_int_equal(coral_vma_read(&ctx, b, 20, 100, 10), 10);
    assert_memory_equal(mem + 100, "0123456789", 10);
    /* Overlapping, within one VMA: like memmove. */
    assert_int_equal(coral_vma_copy(&ctx, a, a, 0, 2, 10), 10);
    assert_int_equal(coral_vma_read(&ctx, a, 0, 200, 12), 12);
    assert_memory_equal(mem + 200, "010123456789", 12);
}

static void pointer_checks(void **state)
{
    int32_t h = coral_vma_create(&ctx, 100);
    assert_int_equal(coral_vma_read(&ctx, h, 0, MEM_SIZE - 9, 10), CORAL_EFAULT);
    assert_int_equal(coral_vma_write(&ctx, h, 0, MEM_SIZE, 1), CORAL_EFAULT);
    assert_int_equal(coral_vma_read(&ctx, h, 0, UINT32_MAX, 2), CORAL_EFAULT);
    assert_int_equal(coral_vma_read(&ctx, h, 0, MEM_SIZE + 1, 0), CORAL_EFAULT);
    assert_int_equal(coral_vma_read(&ctx, h, 0, MEM_SIZE - 10, 10), 10);
    assert_int_equal(coral_log(&ctx, MEM_SIZE - 1, 2), CORAL_EFAULT);
    assert_int_equal(coral_log(&ctx, UINT32_MAX, 1), CORAL_EFAULT);
    assert_int_equal(coral_component_start(&ctx, 0, 0, MEM_SIZE, 5), CORAL_EKIND); /* handles first */
    int32_t c = coral_component_create(&ctx);
    int32_t m = coral_vma_create(&ctx, 8);   /* not a module: checked before pointers */
    assert_int_equal(coral_component_add_instance(&ctx, c, m, MEM_SIZE, 4, 0, 0), CORAL_EKIND);
    assert_int_equal(console_len, 0);
}

/* An instance without a memory: only (0, 0) is a valid range. */
static void no_memory(void **state)
{
    coral_ctx c2;
    kinstance *other = other_instance(&c2, NULL, 0);
    int32_t h = coral_vma_create(&c2, 16);
    assert_int_equal(coral_vma_read(&c2, h, 0, 0, 1), CORAL_EFAULT);
    assert_int_equal(coral_vma_write(&c2, h, 0, 0, 1), CORAL_EFAULT);
    assert_int_equal(coral_vma_read(&c2, h, 0, 0, 0), 0);
    assert_int_equal(coral_log(&c2, 0, 1), CORAL_EFAULT);
    assert_int_equal(coral_log(&c2, 0, 0), 0);
    drop_instance(other);
}

static void log_records(void **state)
{
    put(10, "hello from C");
    assert_int_equal(coral_log(&ctx, 10, 12), 12);
    put(100, "line\n");
    assert_int_equal(coral_log(&ctx, 100, 5), 5);
    assert_int_equal(coral_log(&ctx, 0, 0), 0);
    assert_string_equal(console, "hello from C\nline\n\n");
    assert_int_equal(coral_log(&ctx, 0, CORAL_LOG_MAX + 1), CORAL_EFAULT);
    /* Too long for one record, in a memory big enough to hold it. */
    static uint8_t big[2 * CORAL_LOG_MAX];
    coral_ctx c2;
    kinstance *other = other_instance(&c2, big, sizeof big);
    assert_int_equal(coral_log(&c2, 0, CORAL_LOG_MAX + 1), CORAL_EINVAL);
    assert_int_equal(coral_log(&c2, 0, CORAL_LOG_MAX), CORAL_LOG_MAX);
    drop_instance(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(write_then_read, setup, teardown),
        cmocka_unit_test_setup_teardown(vma_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(copy_between_and_within, setup, teardown),
        cmocka_unit_test_setup_teardown(pointer_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(no_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(log_records, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
