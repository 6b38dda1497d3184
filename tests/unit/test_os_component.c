/* tests/unit/test_os_component.c: modules, components and instances
 * through the coral_* calls: module_create on good and bad bytes,
 * component_add_instance's argument and link errors, kill and wait,
 * reclaim (including a cycle through a component that never started),
 * sleep woken by a kill, and userboot's boot handles. Instantiation needs
 * the engine's runtime: until it lands, the one test that instantiates a
 * valid module is skipped when the engine says "not implemented". */
#include <pthread.h>
#include <time.h>
#include "kernel/coral/boot.h"
#include "kernel/coral/device.h"
#include "tests/unit/os_fixture.h"
#include "tests/unit/os_modules.h"
#include "wasm/wasm.h"


/* (module (import "coral" "nonexistent" (func))) */
static const uint8_t unknown_coral_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x02, 0x15, 0x01, 0x05, 0x63, 0x6f, 0x72, 0x61, 0x6c, 0x0b,
    0x6e, 0x6f, 0x6e, 0x65, 0x78, 0x69, 0x73, 0x74, 0x65, 0x6e, 0x74, 0x00,
    0x00
};
/* (module (import "sib" "f" (func))) */
static const uint8_t unknown_sib_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x02, 0x09, 0x01, 0x03, 0x73, 0x69, 0x62, 0x01, 0x66, 0x00,
    0x00
};
/* (module (import "coral" "log" (global i32))) */
static const uint8_t coral_global_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0e, 0x01, 0x05,
    0x63, 0x6f, 0x72, 0x61, 0x6c, 0x03, 0x6c, 0x6f, 0x67, 0x03, 0x7f, 0x00
};
/* (module (func (result i32) i64.const 0)): well-formed, invalid */
static const uint8_t invalid_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
    0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00,
    0x42, 0x00, 0x0b
};

/* A module handle made through a VMA from `bytes`. */
static int32_t module_from(const uint8_t *bytes, uint32_t len)
{
    int32_t v = coral_vma_create(&ctx, len);
    memcpy(mem + 40000, bytes, len);
    assert_int_equal(coral_vma_write(&ctx, v, 0, 40000, len), (int32_t)len);
    int32_t m = coral_module_create(&ctx, v, 0, len);
    assert_int_equal(coral_handle_close(&ctx, v), 0);
    return m;
}

static void module_create_checks(void **state)
{
    int32_t v = coral_vma_create(&ctx, 64);
    memcpy(mem, plain_wasm, sizeof plain_wasm);
    assert_int_equal(coral_vma_write(&ctx, v, 8, 0, sizeof plain_wasm), sizeof plain_wasm);
    assert_int_equal(coral_module_create(&ctx, v, 8, 0), CORAL_EINVAL);
    assert_int_equal(coral_module_create(&ctx, v, 8, 57), CORAL_ERANGE);
    assert_int_equal(coral_module_create(&ctx, v, UINT32_MAX, 2), CORAL_ERANGE);
    assert_int_equal(console_len, 0);
    /* Cut short: malformed, with the engine's reason on the console. */
    assert_int_equal(coral_module_create(&ctx, v, 8, 20), CORAL_EMALFORMED);
    assert_non_null(strstr(console, "module_create: "));
    /* Not a module at all. */
    assert_int_equal(coral_module_create(&ctx, v, 0, 16), CORAL_EMALFORMED);
    int32_t m = coral_module_create(&ctx, v, 8, sizeof plain_wasm);
    assert_true(m >= 0);
    assert_int_equal(coral_handle_kind(&ctx, m), CORAL_KIND_MODULE);
    /* The module holds its own copy: the VMA may change or go. */
    kmodule *km;
    assert_int_equal(htab_get(&self->table, m, CORAL_KIND_MODULE, (kobj **)&km), 0);
    memset(mem, 0xff, 64);
    assert_int_equal(coral_vma_write(&ctx, v, 0, 0, 64), 64);
    assert_memory_equal(km->bytes, plain_wasm, sizeof plain_wasm);
    assert_int_equal(coral_handle_close(&ctx, v), 0);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 0);
    assert_int_equal(module_from(invalid_wasm, sizeof invalid_wasm), CORAL_EMALFORMED);
    assert_int_equal(coral_handle_close(&ctx, m), 0);
    assert_int_equal(kobj_live(CORAL_KIND_MODULE), 0);
}

static void add_instance_argument_errors(void **state)
{
    int32_t c = coral_component_create(&ctx);
    int32_t m = module_from(plain_wasm, sizeof plain_wasm);
    assert_true(c >= 0 && m >= 0);
    put(0, "child");
    assert_int_equal(coral_component_add_instance(&ctx, c, 99, 0, 5, 0, 0), CORAL_EBADH);
    assert_int_equal(coral_component_add_instance(&ctx, 99, m, 0, 5, 0, 0), CORAL_EBADH);
    assert_int_equal(coral_component_add_instance(&ctx, m, m, 0, 5, 0, 0), CORAL_EKIND);
    assert_int_equal(coral_component_add_instance(&ctx, c, m, MEM_SIZE - 2, 5, 0, 0), CORAL_EFAULT);
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, CORAL_NAME_MAX, 0, 0), CORAL_EINVAL);
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, 5, MEM_SIZE - 4, 2), CORAL_EFAULT);
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, 5, 0, CORAL_HANDLES_MAX + 1),
                     CORAL_EINVAL);
    /* A handle in the array that the caller does not have. */
    int32_t hs[2] = { m, 42 };
    memcpy(mem + 100, hs, sizeof hs);
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, 5, 100, 2), CORAL_EBADH);
    put(0, "coral");
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, 5, 0, 0), CORAL_EINVAL);
    assert_int_equal(kobj_live(CORAL_KIND_INSTANCE), 1);   /* only the fixture's */
}

static void add_instance_link_errors(void **state)
{
    int32_t c = coral_component_create(&ctx);
    put(0, "child");
    int32_t m = module_from(unknown_coral_wasm, sizeof unknown_coral_wasm);
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, 5, 0, 0), CORAL_ELINK);
    assert_non_null(strstr(console, "unknown import coral.nonexistent"));
    m = module_from(unknown_sib_wasm, sizeof unknown_sib_wasm);
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, 5, 0, 0), CORAL_ELINK);
    assert_non_null(strstr(console, "cannot resolve import sib.f"));
    m = module_from(coral_global_wasm, sizeof coral_global_wasm);
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, 5, 0, 0), CORAL_ELINK);
    assert_non_null(strstr(console, "coral.log is not a function"));
    assert_int_equal(kobj_live(CORAL_KIND_INSTANCE), 1);
    assert_int_equal(kobj_live(CORAL_KIND_MODULE), 3);     /* the caller's handles */
}

/* A real instantiation and run: needs the engine's runtime. */
static void add_start_wait(void **state)
{
    int32_t c = coral_component_create(&ctx);
    int32_t m = module_from(plain_wasm, sizeof plain_wasm);
    int32_t v = coral_vma_create(&ctx, 8);
    int32_t hs[2] = { v, m };
    memcpy(mem + 100, hs, sizeof hs);
    put(0, "child_start");
    int32_t i = coral_component_add_instance(&ctx, c, m, 0, 5, 100, 2);
    if (i == CORAL_EUNSUPPORTED) {
        assert_non_null(strstr(console, "not implemented"));
        skip();
    }
    assert_true(i >= 0);
    assert_int_equal(coral_handle_kind(&ctx, i), CORAL_KIND_INSTANCE);
    /* Names are unique within a component. */
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, 5, 0, 0), CORAL_EINVAL);
    assert_int_equal(coral_component_start(&ctx, c, i, 0, 3), CORAL_ENOTFOUND);   /* "chi" */
    assert_int_equal(coral_component_start(&ctx, c, i, 5, 6), 0);                 /* "_start" */
    assert_int_equal(coral_component_start(&ctx, c, i, 5, 6), CORAL_ESTATE);
    assert_int_equal(coral_component_wait(&ctx, c), CORAL_STATUS_EXITED | 0);
    assert_int_equal(coral_component_wait(&ctx, c), CORAL_STATUS_EXITED | 0);
    /* The child's table is closed: only the caller's handles remain. */
    assert_int_equal(coral_handle_close(&ctx, v), 0);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 0);
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, 5, 0, 0), CORAL_ESTATE);
}

/* A start function runs on the component's thread once it starts, not in
 * component_add_instance: one that never returns leaves add_instance alone
 * and is killed with its component; one that traps is the component's
 * trap, reported with its instance and function, and the caller goes on. */
static void start_function_on_component_thread(void **state)
{
    int32_t m = module_from(spin_start_wasm, sizeof spin_start_wasm);
    int32_t c = coral_component_create(&ctx);
    put(0, "spin_start");
    int32_t i = coral_component_add_instance(&ctx, c, m, 0, 4, 0, 0);
    if (i == CORAL_EUNSUPPORTED)
        skip();
    assert_true(i >= 0);
    assert_int_equal(coral_component_start(&ctx, c, i, 4, 6), 0);
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    assert_int_equal(coral_component_kill(&ctx, c), 0);
    assert_int_equal(coral_component_wait(&ctx, c), CORAL_STATUS_KILLED);
    assert_int_equal(coral_handle_close(&ctx, c), 0);

    m = module_from(trap_start_wasm, sizeof trap_start_wasm);
    c = coral_component_create(&ctx);
    put(0, "trap_start");
    i = coral_component_add_instance(&ctx, c, m, 0, 4, 0, 0);
    assert_true(i >= 0);
    assert_int_equal(console_len, 0);
    assert_int_equal(coral_component_start(&ctx, c, i, 4, 6), 0);
    assert_int_equal(coral_component_wait(&ctx, c), CORAL_STATUS_TRAPPED | CORAL_TRAP_UNREACHABLE);
    assert_non_null(strstr(console, "(trap) trapped: unreachable in trap_in_start"));
    assert_int_equal(ctx.trap, 0);
}

/* Runs one component of module handle `m` to its end; returns its status. */
static int32_t run_one(int32_t m, int32_t give)
{
    int32_t c = coral_component_create(&ctx);
    memcpy(mem + 100, &give, 4);
    put(0, "one_start");
    int32_t i = coral_component_add_instance(&ctx, c, m, 0, 3, 100, 1);
    if (i == CORAL_EUNSUPPORTED)
        skip();
    assert_true(i >= 0);
    assert_int_equal(coral_component_start(&ctx, c, i, 3, 6), 0);
    int32_t st = coral_component_wait(&ctx, c);
    assert_int_equal(coral_handle_close(&ctx, i), 0);
    assert_int_equal(coral_handle_close(&ctx, c), 0);
    return st;
}

/* Components that trap or exit, one after another, give back everything:
 * after a warm-up, the kernel's objects and allocations stay where they
 * were (the engine's own memory is checked by the ASan run). */
static void reclaim_many(void **state)
{
    int32_t t = module_from(traps_wasm, sizeof traps_wasm);
    int32_t e = module_from(exits_wasm, sizeof exits_wasm);
    int32_t v = coral_vma_create(&ctx, 4096);
    assert_true(t >= 0 && e >= 0 && v >= 0);
    for (int k = 0; k < 10; k++) {
        assert_int_equal(run_one(t, v), CORAL_STATUS_TRAPPED | CORAL_TRAP_UNREACHABLE);
        assert_int_equal(run_one(e, v), CORAL_STATUS_EXITED | 3);
    }
    long allocs = sys_host_live_allocs(), objs = kobj_live(0);
    for (int k = 0; k < 100; k++) {
        assert_int_equal(run_one(t, v), CORAL_STATUS_TRAPPED | CORAL_TRAP_UNREACHABLE);
        assert_int_equal(run_one(e, v), CORAL_STATUS_EXITED | 3);
    }
    assert_int_equal(sys_host_live_allocs(), allocs);
    assert_int_equal(kobj_live(0), objs);
    assert_non_null(strstr(console, "trapped: unreachable"));
}

/* Imports resolve from an earlier sibling by its name; a coral function
 * re-exported by one instance traps when another instance calls it (it
 * acts only for the instance that imported it). */
static void sibling_import_and_reexport(void **state)
{
    int32_t c = coral_component_create(&ctx);
    int32_t a = module_from(reexport_wasm, sizeof reexport_wasm);
    int32_t u = module_from(user_wasm, sizeof user_wasm);
    put(0, "a_user_start");
    /* "user" first: there is no instance "a" yet. */
    assert_int_equal(coral_component_add_instance(&ctx, c, u, 2, 4, 0, 0), CORAL_ELINK);
    assert_non_null(strstr(console, "cannot resolve import a.log (no instance of that name)"));
    int32_t ia = coral_component_add_instance(&ctx, c, a, 0, 1, 0, 0);
    if (ia == CORAL_EUNSUPPORTED)
        skip();
    assert_true(ia >= 0);
    int32_t iu = coral_component_add_instance(&ctx, c, u, 2, 4, 0, 0);
    assert_true(iu >= 0);
    assert_int_equal(coral_component_start(&ctx, c, iu, 6, 6), 0);
    assert_int_equal(coral_component_wait(&ctx, c), CORAL_STATUS_TRAPPED | CORAL_TRAP_HOST);
}

/* With the caller's table full, component_add_instance refuses before
 * making an instance that nobody could reach. */
static void add_instance_with_a_full_table(void **state)
{
    int32_t c = coral_component_create(&ctx);
    int32_t m = module_from(plain_wasm, sizeof plain_wasm);
    while (coral_handle_dup(&ctx, m) >= 0)
        ;
    put(0, "full");
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, 4, 0, 0), CORAL_ELIMIT);
    assert_int_equal(kobj_live(CORAL_KIND_INSTANCE), 1);      /* the fixture's only */
    assert_int_equal(coral_handle_close(&ctx, 100), 0);
    int32_t i = coral_component_add_instance(&ctx, c, m, 0, 4, 0, 0);
    if (i == CORAL_EUNSUPPORTED)
        skip();
    assert_int_equal(i, 100);
}

static void kill_and_wait(void **state)
{
    int32_t c = coral_component_create(&ctx);
    assert_int_equal(coral_component_wait(&ctx, c), CORAL_ESTATE);   /* never started */
    assert_int_equal(coral_component_kill(&ctx, c), 0);
    assert_int_equal(coral_component_wait(&ctx, c), CORAL_STATUS_KILLED);
    assert_int_equal(coral_component_kill(&ctx, c), 0);              /* dead: nothing to do */
    int32_t m = module_from(plain_wasm, sizeof plain_wasm);
    assert_int_equal(coral_component_add_instance(&ctx, c, m, 0, 0, 0, 0), CORAL_ESTATE);
    assert_int_equal(ctx.trap, 0);
}

static void wait_for_itself(void **state)
{
    sys_lock();
    int32_t me = htab_add(&self->table, &comp->o);
    sys_unlock();
    assert_int_equal(coral_component_wait(&ctx, me), CORAL_EINVAL);
    /* Killing its own component: this call and every later one trap. */
    assert_int_equal(coral_component_kill(&ctx, me), 0);
    assert_int_equal(ctx.trap, 1);
    ctx.trap = 0;
    assert_int_equal(coral_vma_create(&ctx, 1), CORAL_ESTATE);
    assert_int_equal(ctx.trap, 1);
    ctx.trap = 0;
    coral_exit(&ctx, 3);
    assert_int_equal(ctx.trap, 1);
}

/* A child that never starts and whose own instance holds a handle to it
 * (a cycle) is reclaimed when its parent dies. */
static void unstarted_child_cycle(void **state)
{
    int32_t c = coral_component_create(&ctx);
    kcomponent *child;
    kinstance *ki;
    vma *v;
    sys_lock();
    assert_int_equal(htab_get(&self->table, c, CORAL_KIND_COMPONENT, (kobj **)&child), 0);
    assert_int_equal(inst_new(child, "inner", 5, &ki), 0);
    assert_int_equal(comp_adopt(child, ki), 0);
    assert_int_equal(htab_add(&ki->table, &child->o), 0);
    assert_int_equal(vma_new(10, &v), 0);
    assert_int_equal(htab_add(&ki->table, &v->o), 1);
    kobj_unref(&v->o);
    sys_unlock();
    assert_int_equal(coral_handle_close(&ctx, c), 0);
    assert_int_equal(kobj_live(CORAL_KIND_COMPONENT), 2);    /* kept by the cycle */
    assert_int_equal(kobj_live(CORAL_KIND_INSTANCE), 2);
    sys_lock();
    comp_kill(comp);                                        /* the parent dies */
    sys_unlock();
    assert_int_equal(kobj_live(CORAL_KIND_COMPONENT), 1);
    assert_int_equal(kobj_live(CORAL_KIND_INSTANCE), 1);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 0);
}

/* Closing the last handle to a NEW component reclaims it and what its
 * instances hold; husk instance handles stay safe to use. */
static void drop_new_component(void **state)
{
    int32_t c = coral_component_create(&ctx);
    kcomponent *child;
    kinstance *ki;
    vma *v;
    sys_lock();
    htab_get(&self->table, c, CORAL_KIND_COMPONENT, (kobj **)&child);
    inst_new(child, "inner", 5, &ki);
    comp_adopt(child, ki);
    int32_t hi = htab_add(&self->table, &ki->o);
    vma_new(10, &v);
    htab_add(&ki->table, &v->o);
    kobj_unref(&v->o);
    sys_unlock();
    assert_int_equal(coral_handle_close(&ctx, c), 0);
    assert_int_equal(kobj_live(CORAL_KIND_COMPONENT), 1);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 0);
    assert_int_equal(kobj_live(CORAL_KIND_INSTANCE), 2);     /* a husk, named by hi */
    assert_int_equal(coral_handle_kind(&ctx, hi), CORAL_KIND_INSTANCE);
    int32_t c2 = coral_component_create(&ctx);
    assert_int_equal(coral_component_start(&ctx, c2, hi, 0, 1), CORAL_EINVAL);
    assert_int_equal(coral_handle_close(&ctx, hi), 0);
    assert_int_equal(kobj_live(CORAL_KIND_INSTANCE), 1);
}

static void time_and_sleep(void **state)
{
    int64_t t0 = coral_time(&ctx);
    assert_int_equal(coral_sleep(&ctx, 2000000), 0);
    int64_t t1 = coral_time(&ctx);
    assert_true(t1 - t0 >= 2000000);
    assert_int_equal(coral_sleep(&ctx, -1), CORAL_EINVAL);
    assert_int_equal(coral_sleep(&ctx, 0), 0);
    assert_int_equal(coral_yield(&ctx), 0);
    assert_int_equal(ctx.trap, 0);
}

static int32_t sleeper_rc;
static void *sleeper(void *arg)
{
    sleeper_rc = coral_sleep(&ctx, 10 * 1000000000LL);
    return NULL;
}

/* A kill wakes a sleeping component, whose call then traps. */
static void kill_wakes_sleeper(void **state)
{
    sys_lock();
    comp->state = COMP_RUNNING;      /* as if its thread were running */
    sys_unlock();
    pthread_t t;
    uint64_t t0 = now_ns();
    assert_int_equal(pthread_create(&t, NULL, sleeper, NULL), 0);
    struct timespec pause = { 0, 50 * 1000000 };
    nanosleep(&pause, NULL);
    sys_lock();
    comp_kill(comp);
    sys_unlock();
    pthread_join(t, NULL);
    assert_int_equal(sleeper_rc, CORAL_ESTATE);
    assert_int_equal(ctx.trap, 1);
    assert_true(now_ns() - t0 < 5000000000ull);
}

static uint32_t get32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* userboot's table: console, root I/O capability, boot info, modules. */
static void boot_handles(void **state)
{
    static const uint8_t a[] = "first module";
    static const uint8_t b[] = "second";
    coral_bootmod mods[2] = {
        { a, sizeof a, "/boot/hello.wasm" },
        { b, sizeof b, "  trap.wasm  --flag x" },
    };
    kobj **objs;
    uint32_t n;
    sys_lock();
    kobj *console_obj = kobj_new_plain(CORAL_KIND_CONSOLE);
    kobj *iocap = &iocap_new_root()->o;
    assert_int_equal(coral_boot_objects(console_obj, iocap, mods, 2, &objs, &n), 0);
    assert_int_equal(n, 5);
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(htab_add(&self->table, objs[i]), (int32_t)i);
    coral_boot_objects_free(objs, n);
    kobj_unref(console_obj);
    kobj_unref(iocap);
    sys_unlock();
    assert_int_equal(coral_handle_kind(&ctx, CORAL_BOOT_CONSOLE), CORAL_KIND_CONSOLE);
    assert_int_equal(coral_handle_kind(&ctx, CORAL_BOOT_IOCAP), CORAL_KIND_IOCAP);
    assert_int_equal(coral_handle_kind(&ctx, CORAL_BOOT_INFO), CORAL_KIND_VMA);
    int32_t size = coral_vma_size(&ctx, CORAL_BOOT_INFO);
    assert_true(size > 0);
    assert_int_equal(coral_vma_read(&ctx, CORAL_BOOT_INFO, 0, 0, size), size);
    assert_int_equal(get32(mem), CORAL_BOOTINFO_MAGIC);
    assert_int_equal(get32(mem + 4), CORAL_BOOTINFO_VERSION);
    assert_int_equal(get32(mem + 8), 2);
    assert_int_equal(get32(mem + 12), size);
    const char *names[2] = { "hello.wasm", "trap.wasm" }, *args[2] = { "", "--flag x" };
    for (int i = 0; i < 2; i++) {
        const uint8_t *r = mem + 16 + 24 * i;
        uint32_t h = get32(r), sz = get32(r + 4);
        assert_int_equal(h, CORAL_BOOT_MODULES + i);
        assert_int_equal(sz, mods[i].size);
        assert_int_equal(get32(r + 12), strlen(names[i]));
        assert_memory_equal(mem + get32(r + 8), names[i], strlen(names[i]));
        assert_int_equal(get32(r + 20), strlen(args[i]));
        assert_memory_equal(mem + get32(r + 16), args[i], strlen(args[i]));
        assert_int_equal(coral_vma_size(&ctx, h), sz);
        assert_int_equal(coral_vma_read(&ctx, h, 0, 1000, sz), sz);
        assert_memory_equal(mem + 1000, mods[i].bytes, sz);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(module_create_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(add_instance_argument_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(add_instance_link_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(add_start_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(start_function_on_component_thread, setup, teardown),
        cmocka_unit_test_setup_teardown(reclaim_many, setup, teardown),
        cmocka_unit_test_setup_teardown(sibling_import_and_reexport, setup, teardown),
        cmocka_unit_test_setup_teardown(add_instance_with_a_full_table, setup, teardown),
        cmocka_unit_test_setup_teardown(kill_and_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(wait_for_itself, setup, teardown),
        cmocka_unit_test_setup_teardown(unstarted_child_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(drop_new_component, setup, teardown),
        cmocka_unit_test_setup_teardown(time_and_sleep, setup, teardown),
        cmocka_unit_test_setup_teardown(kill_wakes_sleeper, setup, teardown),
        cmocka_unit_test_setup_teardown(boot_handles, setup, teardown),
    };
    return cmocka_run_group_tests(tests, setup_engine, teardown_engine);
}
