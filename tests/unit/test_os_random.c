/* tests/unit/test_os_random.c: many coral calls with random arguments
 * (handles, pointers, lengths, offsets, tokens near live ones), from two
 * instances that pass tokens to each other: every call returns a result or
 * a documented error code, nothing crashes (the ASan build checks memory),
 * and at the end, with every handle closed, nothing is left. Seeded, so a
 * failure repeats. */
#include "tests/unit/os_fixture.h"
#include "wasm/wasm.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* A handle: usually a small number, sometimes anything. */
static int32_t any_handle(void)
{
    uint32_t r = next();
    return (r & 7) ? (int32_t)(r % 24) - 2 : (int32_t)next();
}

/* A length or offset: small, near a boundary, or anything. */
static uint32_t any_size(void)
{
    switch (next() % 4) {
    case 0: return next() % 64;
    case 1: return MEM_SIZE - next() % 16;
    case 2: return next() % 5000;
    default: return next();
    }
}

static int known(int32_t rc)
{
    return rc >= 0 || (rc <= CORAL_EBADH && rc >= CORAL_EUNSUPPORTED);
}

static void random_calls(void **state)
{
    uint8_t mem2[4096];
    coral_ctx c2;
    kinstance *other = other_instance(&c2, mem2, sizeof mem2);
    coral_ctx *who[2] = { &ctx, &c2 };
    uint64_t tokens[8] = { 0 };
    for (int i = 0; i < 200000; i++) {
        coral_ctx *c = who[next() & 1];
        int32_t rc = 0;
        switch (next() % 14) {
        case 0: rc = coral_vma_create(c, next() % 3 ? next() % 8192 : next() | 0x40000001u); break;
        case 1: rc = coral_vma_size(c, any_handle()); break;
        case 2: rc = coral_vma_read(c, any_handle(), any_size(), any_size(), any_size() % 9000); break;
        case 3: rc = coral_vma_write(c, any_handle(), any_size(), any_size(), any_size() % 9000); break;
        case 4: rc = coral_vma_copy(c, any_handle(), any_handle(), any_size(), any_size(),
                                    any_size() % 9000); break;
        case 5: rc = coral_handle_close(c, any_handle()); break;
        case 6: rc = coral_handle_dup(c, any_handle()); break;
        case 7: rc = coral_handle_kind(c, any_handle()); break;
        case 8: tokens[next() % 8] = coral_handle_to_ref(c, any_handle()); break;
        case 9: {
            uint64_t t = tokens[next() % 8];
            if (next() % 4 == 0)
                t += (uint64_t)(next() % 3) << 32 | (next() % 3);   /* near a real one */
            rc = coral_handle_from_ref(c, t);
            break;
        }
        case 10: rc = coral_component_create(c); break;
        case 11: rc = coral_component_kill(c, any_handle()); break;
        case 12: rc = coral_component_wait(c, any_handle()); break;
        default: rc = coral_module_create(c, any_handle(), any_size() % 64, any_size() % 64); break;
        }
        if (!known(rc))
            fail_msg("call %d returned %d", i, (int)rc);
        assert_int_equal(c->trap, 0);
        /* Keep the tables from filling up for good. */
        if (next() % 64 == 0)
            for (int32_t h = 0; h < 40; h++) {
                coral_handle_close(&ctx, h);
                coral_handle_close(&c2, h);
            }
    }
    drop_instance(other);
    for (int32_t h = 0; h < (int32_t)CORAL_HANDLES_MAX; h++)
        coral_handle_close(&ctx, h);
    assert_int_equal(token_live(), 0);
    assert_int_equal(kobj_live(0), 2);     /* the fixture's component and instance */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(random_calls, setup, teardown),
    };
    return cmocka_run_group_tests(tests, setup_engine, teardown_engine);
}
