/* tests/unit/test_os_handles.c: handle tables and tokens through the
 * coral_* calls: closed, never-given and wrong-kind handles, stale and
 * forged tokens, and reference counts (objects freed exactly when the last
 * handle or token goes). */
#include "tests/unit/os_fixture.h"

static void never_given_handles(void **state)
{
    assert_int_equal(coral_handle_kind(&ctx, 0), CORAL_EBADH);
    assert_int_equal(coral_handle_kind(&ctx, 7), CORAL_EBADH);
    assert_int_equal(coral_handle_kind(&ctx, -1), CORAL_EBADH);
    assert_int_equal(coral_handle_kind(&ctx, INT32_MIN), CORAL_EBADH);
    assert_int_equal(coral_handle_kind(&ctx, INT32_MAX), CORAL_EBADH);
    assert_int_equal(coral_handle_close(&ctx, 3), CORAL_EBADH);
    assert_int_equal(coral_handle_dup(&ctx, 3), CORAL_EBADH);
    assert_int_equal(coral_vma_size(&ctx, 0), CORAL_EBADH);
    assert_int_equal(coral_component_wait(&ctx, 0), CORAL_EBADH);
    assert_int_equal(coral_component_kill(&ctx, 0), CORAL_EBADH);
    assert_int_equal(coral_module_create(&ctx, 0, 0, 8), CORAL_EBADH);
    assert_true(coral_handle_to_ref(&ctx, 0) == 0);
    assert_int_equal(ctx.trap, 0);
}

static void closed_handles(void **state)
{
    int32_t h = coral_vma_create(&ctx, 100);
    assert_int_equal(h, 0);     /* lowest free number */
    assert_int_equal(coral_handle_kind(&ctx, h), CORAL_KIND_VMA);
    assert_int_equal(coral_vma_size(&ctx, h), 100);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 1);
    assert_int_equal(coral_handle_close(&ctx, h), 0);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 0);   /* freed with its last handle */
    assert_int_equal(coral_handle_close(&ctx, h), CORAL_EBADH);
    assert_int_equal(coral_handle_kind(&ctx, h), CORAL_EBADH);
    assert_int_equal(coral_vma_size(&ctx, h), CORAL_EBADH);
    assert_int_equal(coral_vma_read(&ctx, h, 0, 0, 1), CORAL_EBADH);
}

static void wrong_kind_handles(void **state)
{
    int32_t v = coral_vma_create(&ctx, 16);
    int32_t c = coral_component_create(&ctx);
    assert_true(v >= 0 && c >= 0 && v != c);
    assert_int_equal(coral_handle_kind(&ctx, c), CORAL_KIND_COMPONENT);
    assert_int_equal(coral_vma_size(&ctx, c), CORAL_EKIND);
    assert_int_equal(coral_vma_read(&ctx, c, 0, 0, 1), CORAL_EKIND);
    assert_int_equal(coral_vma_write(&ctx, c, 0, 0, 1), CORAL_EKIND);
    assert_int_equal(coral_vma_copy(&ctx, v, c, 0, 0, 1), CORAL_EKIND);
    assert_int_equal(coral_vma_copy(&ctx, c, v, 0, 0, 1), CORAL_EKIND);
    assert_int_equal(coral_module_create(&ctx, c, 0, 1), CORAL_EKIND);
    assert_int_equal(coral_component_wait(&ctx, v), CORAL_EKIND);
    assert_int_equal(coral_component_kill(&ctx, v), CORAL_EKIND);
    assert_int_equal(coral_component_start(&ctx, v, c, 0, 0), CORAL_EKIND);
    assert_int_equal(coral_component_start(&ctx, c, v, 0, 0), CORAL_EKIND);
    assert_int_equal(coral_component_add_instance(&ctx, v, v, 0, 0, 0, 0), CORAL_EKIND);
    assert_int_equal(coral_component_add_instance(&ctx, c, v, 0, 0, 0, 0), CORAL_EKIND);
    assert_int_equal(coral_handle_close(&ctx, v), 0);
    assert_int_equal(coral_handle_close(&ctx, c), 0);
}

static void dup_and_lowest_number(void **state)
{
    int32_t a = coral_vma_create(&ctx, 8);
    int32_t b = coral_vma_create(&ctx, 8);
    int32_t d = coral_handle_dup(&ctx, a);
    assert_int_equal(a, 0);
    assert_int_equal(b, 1);
    assert_int_equal(d, 2);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 2);
    assert_int_equal(coral_handle_close(&ctx, a), 0);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 2);      /* d still names it */
    assert_int_equal(coral_vma_size(&ctx, d), 8);
    assert_int_equal(coral_vma_create(&ctx, 4), 0);      /* 0 is free again */
    assert_int_equal(coral_handle_close(&ctx, d), 0);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 2);
}

static void table_limit(void **state)
{
    for (uint32_t i = 0; i < CORAL_HANDLES_MAX; i++)
        assert_int_equal(coral_vma_create(&ctx, 1), (int32_t)i);
    assert_int_equal(coral_vma_create(&ctx, 1), CORAL_ELIMIT);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), CORAL_HANDLES_MAX);  /* the refused one is gone */
    assert_int_equal(coral_handle_dup(&ctx, 5), CORAL_ELIMIT);
    assert_int_equal(coral_handle_close(&ctx, 5), 0);
    assert_int_equal(coral_handle_dup(&ctx, 6), 5);
}

static void out_of_memory(void **state)
{
    long before = sys_host_live_allocs();
    sys_host_fail_after(0);
    assert_int_equal(coral_vma_create(&ctx, 64), CORAL_ENOMEM);
    sys_host_fail_after(1);          /* the object, not its bytes */
    assert_int_equal(coral_vma_create(&ctx, 64), CORAL_ENOMEM);
    sys_host_fail_after(2);          /* object and bytes, not the table */
    assert_int_equal(coral_vma_create(&ctx, 64), CORAL_ENOMEM);
    sys_host_fail_after(-1);
    assert_int_equal(sys_host_live_allocs(), before);
    assert_int_equal(kobj_live(0), 2);   /* the fixture's component and instance */
}

/* A token made in one instance gives the other a handle of its own. */
static void token_passes_a_handle(void **state)
{
    uint8_t mem2[256];
    coral_ctx c2;
    kinstance *other = other_instance(&c2, mem2, sizeof mem2);
    int32_t h = coral_vma_create(&ctx, 32);
    uint64_t t = coral_handle_to_ref(&ctx, h);
    assert_true(t != 0);
    assert_true(coral_handle_to_ref(&ctx, h) == t);      /* one token per handle */
    assert_int_equal(token_live(), 1);
    int32_t h2 = coral_handle_from_ref(&c2, t);
    assert_int_equal(h2, 0);
    assert_int_equal(coral_handle_kind(&c2, h2), CORAL_KIND_VMA);
    /* Same object: what one writes, the other reads. */
    memcpy(mem, "shared", 6);
    assert_int_equal(coral_vma_write(&ctx, h, 3, 0, 6), 6);
    assert_int_equal(coral_vma_read(&c2, h2, 3, 100, 6), 6);
    assert_memory_equal(mem2 + 100, "shared", 6);
    /* Redeeming again gives another handle while the token lives. */
    assert_int_equal(coral_handle_from_ref(&c2, t), 1);
    assert_int_equal(coral_handle_close(&c2, 1), 0);
    /* Closing the source revokes the token; the receiver's handle lives on. */
    assert_int_equal(coral_handle_close(&ctx, h), 0);
    assert_int_equal(token_live(), 0);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 1);
    assert_int_equal(coral_handle_from_ref(&c2, t), CORAL_ESTALE);
    assert_int_equal(coral_vma_size(&c2, h2), 32);
    assert_int_equal(coral_handle_close(&c2, h2), 0);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 0);
    drop_instance(other);
}

/* After close and reuse of its slot, an old token is stale, and never
 * names the new object. */
static void stale_token_after_slot_reuse(void **state)
{
    int32_t a = coral_vma_create(&ctx, 10);
    uint64_t ta = coral_handle_to_ref(&ctx, a);
    assert_int_equal(coral_handle_close(&ctx, a), 0);
    int32_t b = coral_vma_create(&ctx, 20);
    uint64_t tb = coral_handle_to_ref(&ctx, b);
    assert_true((uint32_t)ta == (uint32_t)tb);           /* same slot ... */
    assert_true(ta != tb);                               /* ... new generation */
    assert_int_equal(coral_handle_from_ref(&ctx, ta), CORAL_ESTALE);
    int32_t hb = coral_handle_from_ref(&ctx, tb);
    assert_true(hb >= 0);
    assert_int_equal(coral_vma_size(&ctx, hb), 20);
    assert_int_equal(coral_handle_close(&ctx, hb), 0);
    assert_int_equal(coral_handle_close(&ctx, b), 0);
}

static void null_and_forged_tokens(void **state)
{
    assert_int_equal(coral_handle_from_ref(&ctx, 0), CORAL_EINVAL);
    assert_int_equal(coral_handle_from_ref(&ctx, 1), CORAL_ESTALE);
    assert_int_equal(coral_handle_from_ref(&ctx, (uint64_t)1 << 32), CORAL_ESTALE);
    assert_int_equal(coral_handle_from_ref(&ctx, UINT64_MAX), CORAL_ESTALE);
    int32_t h = coral_vma_create(&ctx, 1);
    uint64_t t = coral_handle_to_ref(&ctx, h);
    assert_int_equal(coral_handle_from_ref(&ctx, t + ((uint64_t)1 << 32)), CORAL_ESTALE);
    assert_int_equal(coral_handle_from_ref(&ctx, t + 1), CORAL_ESTALE);
    assert_int_equal(coral_handle_close(&ctx, h), 0);
}

/* An instance's death closes its table and revokes its tokens. */
static void instance_death_closes_its_table(void **state)
{
    uint8_t mem2[64];
    coral_ctx c2;
    kinstance *other = other_instance(&c2, mem2, sizeof mem2);
    int32_t h = coral_vma_create(&c2, 8);
    coral_handle_dup(&c2, h);
    uint64_t t = coral_handle_to_ref(&c2, h);
    assert_int_equal(token_live(), 1);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 1);
    drop_instance(other);
    assert_int_equal(token_live(), 0);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 0);
    assert_int_equal(coral_handle_from_ref(&ctx, t), CORAL_ESTALE);
}

/* Many tokens, opened and closed in turns: the table grows, slots are
 * reused, and every stale one is refused. */
static void many_tokens(void **state)
{
    enum { N = 300 };
    uint64_t old[N];
    for (int i = 0; i < N; i++) {
        int32_t h = coral_vma_create(&ctx, 1);
        old[i] = coral_handle_to_ref(&ctx, h);
        assert_true(old[i] != 0);
    }
    assert_int_equal(token_live(), N);
    for (int i = 0; i < N; i++)
        assert_int_equal(coral_handle_close(&ctx, i), 0);
    for (int i = 0; i < N; i++) {
        int32_t h = coral_vma_create(&ctx, 2);
        assert_true(coral_handle_to_ref(&ctx, h) != 0);
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(coral_handle_from_ref(&ctx, old[i]), CORAL_ESTALE);
    assert_int_equal(token_live(), N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(never_given_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(closed_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(wrong_kind_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(dup_and_lowest_number, setup, teardown),
        cmocka_unit_test_setup_teardown(table_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(token_passes_a_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(stale_token_after_slot_reuse, setup, teardown),
        cmocka_unit_test_setup_teardown(null_and_forged_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(instance_death_closes_its_table, setup, teardown),
        cmocka_unit_test_setup_teardown(many_tokens, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
