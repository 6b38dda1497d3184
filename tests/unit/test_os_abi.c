/* tests/unit/test_os_abi.c: the interface agrees with itself: the numbers
 * in the C SDK (sdk/include/coral.h) and the Rust crate (sdk/rust) are the
 * kernel's (kernel/coral/abi.h); every function of the coral module is
 * declared by both SDKs and has its section in docs/api.md; and every
 * built program (build/programs/, when built) imports coral functions with
 * the kernel's types. Run from the top of the repository. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include "tests/unit/os_fixture.h"
#include "wasm/module.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc(n + 1);
    if (s && fread(s, 1, n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = 0;
    fclose(f);
    return s;
}

static const struct { const char *name; long value; } numbers[] = {
#define N(x) { #x, x }
    N(CORAL_EBADH), N(CORAL_EKIND), N(CORAL_ESTALE), N(CORAL_EFAULT), N(CORAL_EINVAL),
    N(CORAL_ENOMEM), N(CORAL_ERANGE), N(CORAL_EMALFORMED), N(CORAL_ELINK),
    N(CORAL_ENOTFOUND), N(CORAL_ESTATE), N(CORAL_ELIMIT), N(CORAL_ETRAP),
    N(CORAL_EUNSUPPORTED),
    N(CORAL_KIND_VMA), N(CORAL_KIND_MODULE), N(CORAL_KIND_COMPONENT), N(CORAL_KIND_INSTANCE),
    N(CORAL_KIND_CONSOLE), N(CORAL_KIND_IOCAP),
    N(CORAL_STATUS_EXITED), N(CORAL_STATUS_TRAPPED), N(CORAL_STATUS_KILLED),
    N(CORAL_STATUS_HOW), N(CORAL_STATUS_DETAIL),
    N(CORAL_BOOT_CONSOLE), N(CORAL_BOOT_IOCAP), N(CORAL_BOOT_INFO), N(CORAL_BOOT_MODULES),
    /* IPC */
    N(CORAL_ETIMEDOUT), N(CORAL_ECLOSED), N(CORAL_ETOOBIG), N(CORAL_KIND_CHANNEL),
    /* devices */
    N(CORAL_EDENIED), N(CORAL_EBUSY), N(CORAL_KIND_IRQ),
    N(CORAL_IO_PORTS), N(CORAL_IO_IRQ), N(CORAL_IO_MEM),
#undef N
};

/* The value after `key` in `text` (skipping blanks and one '('), or fails. */
static long value_after(const char *text, const char *key, const char *what)
{
    const char *p = strstr(text, key);
    if (!p)
        fail_msg("%s: no %s", what, key);
    p += strlen(key);
    while (*p == ' ' || *p == '(')
        p++;
    char *end;
    long v = strtol(p, &end, 0);
    if (end == p)
        fail_msg("%s: %s has no number", what, key);
    return v;
}

static void c_sdk_numbers(void **state)
{
    char *h = slurp("sdk/include/coral.h");
    assert_non_null(h);
    char key[128];
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        snprintf(key, sizeof key, "#define %s ", numbers[i].name);
        long v = value_after(h, key, "coral.h");
        if (v != numbers[i].value)
            fail_msg("coral.h: %s is %ld, the kernel says %ld", numbers[i].name, v, numbers[i].value);
    }
    assert_int_equal(value_after(h, "#define CORAL_BOOTINFO_MAGIC ", "coral.h"), CORAL_BOOTINFO_MAGIC);
    assert_int_equal(value_after(h, "#define CORAL_LOG_MAX ", "coral.h"), CORAL_LOG_MAX);
    assert_int_equal(value_after(h, "#define CORAL_HANDLES_MAX ", "coral.h"), CORAL_HANDLES_MAX);
    assert_int_equal(value_after(h, "#define CORAL_NAME_MAX ", "coral.h"), CORAL_NAME_MAX);
    /* IPC */
    assert_int_equal(value_after(h, "#define CORAL_MSG_BYTES_MAX ", "coral.h"), CORAL_MSG_BYTES_MAX);
    assert_int_equal(value_after(h, "#define CORAL_MSG_HANDLES_MAX ", "coral.h"), CORAL_MSG_HANDLES_MAX);
    assert_int_equal(value_after(h, "#define CORAL_CHANNEL_QUEUE_MAX ", "coral.h"),
                     CORAL_CHANNEL_QUEUE_MAX);
    assert_int_equal(value_after(h, "#define CORAL_WAIT_MAX ", "coral.h"), CORAL_WAIT_MAX);
    free(h);
}

static void rust_sdk_numbers(void **state)
{
    char *r = slurp("sdk/rust/src/lib.rs");
    assert_non_null(r);
    char key[128];
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        snprintf(key, sizeof key, "pub const %s: i32 = ", numbers[i].name);
        long v = value_after(r, key, "lib.rs");
        if (v != numbers[i].value)
            fail_msg("lib.rs: %s is %ld, the kernel says %ld", numbers[i].name, v, numbers[i].value);
    }
    free(r);
}

/* Every function: a section in docs/api.md, a C declaration, a Rust one
 * (but for the token calls: Rust 1.63 has no externref). */
static void functions_documented_and_declared(void **state)
{
    char *doc = slurp("docs/api.md"), *h = slurp("sdk/include/coral.h"),
         *r = slurp("sdk/rust/src/lib.rs");
    assert_non_null(doc);
    assert_non_null(h);
    assert_non_null(r);
    assert_true(coral_fn_count() >= 21);
    char key[128];
    for (uint32_t i = 0; i < coral_fn_count(); i++) {
        const char *name, *params, *results;
        coral_fn_info(i, &name, &params, &results);
        snprintf(key, sizeof key, "\n### `%s`\n", name);
        if (!strstr(doc, key))
            fail_msg("docs/api.md has no section for %s", name);
        snprintf(key, sizeof key, "CORAL_IMPORT(\"%s\")", name);
        if (!strstr(h, key))
            fail_msg("coral.h does not declare %s", name);
        int token_call = strchr(params, 'r') || strchr(results, 'r');
        snprintf(key, sizeof key, "#[link_name = \"%s\"]", name);
        if (!token_call && !strstr(r, key))
            fail_msg("the Rust crate does not declare %s", name);
    }
    free(doc);
    free(h);
    free(r);
}

static char letter(uint8_t t)
{
    return t == WASM_I32 ? 'i' : t == WASM_I64 ? 'I' : t == WASM_EXTERNREF ? 'r' : '?';
}

/* Checks the coral imports of one module; returns how many it has. */
static int check_imports(const char *path, wasm_engine *e)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *bytes = malloc(1 << 20);
    size_t n = fread(bytes, 1, 1 << 20, f);
    fclose(f);
    wasm_error err;
    memset(&err, 0, sizeof err);
    wasm_module *m = wasm_module_new(e, bytes, n, WASM_MODULE_VALIDATE_ONLY, &err);
    if (!m)
        fail_msg("%s: %s", path, err.message);
    int count = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wasm_import *imp = &m->imports[i];
        if (imp->module_len != 5 || memcmp(imp->module, "coral", 5) != 0)
            continue;
        assert_int_equal(imp->kind, WASM_EXTERN_FUNC);
        const wasm_functype *t = wasm_module_func_type(m, imp->index);
        char got_p[16] = "", got_r[16] = "";
        for (uint32_t k = 0; k < t->nparams && k < 15; k++)
            got_p[k] = letter(t->params[k]);
        for (uint32_t k = 0; k < t->nresults && k < 15; k++)
            got_r[k] = letter(t->results[k]);
        int found = 0;
        for (uint32_t k = 0; k < coral_fn_count(); k++) {
            const char *name, *params, *results;
            coral_fn_info(k, &name, &params, &results);
            if (strlen(name) != imp->name_len || memcmp(name, imp->name, imp->name_len) != 0)
                continue;
            found = 1;
            if (strcmp(params, got_p) || strcmp(results, got_r))
                fail_msg("%s: coral.%s imported as (%s) -> (%s), the kernel has (%s) -> (%s)",
                         path, name, got_p, got_r, params, results);
        }
        if (!found)
            fail_msg("%s: imports coral.%.*s, which does not exist", path, (int)imp->name_len,
                     (const char *)imp->name);
        count++;
    }
    wasm_module_free(m);
    free(bytes);
    return count;
}

static void programs_import_kernel_types(void **state)
{
    DIR *d = opendir("build/programs");
    if (!d)
        skip();
    wasm_engine *e = wasm_engine_new();
    int modules = 0, imports = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        size_t n = strlen(ent->d_name);
        if (n < 6 || strcmp(ent->d_name + n - 5, ".wasm") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "build/programs/%s", ent->d_name);
        imports += check_imports(path, e);
        modules++;
    }
    closedir(d);
    wasm_engine_free(e);
    if (modules == 0)
        skip();
    assert_true(imports >= modules);
}

/* A TRAPPED status carries the engine's trap kind as it is. */
static void trap_numbers_are_the_engines(void **state)
{
    assert_int_equal(CORAL_TRAP_UNREACHABLE, WASM_TRAP_UNREACHABLE);
    assert_int_equal(CORAL_TRAP_MEMORY_OOB, WASM_TRAP_MEMORY_OOB);
    assert_int_equal(CORAL_TRAP_TABLE_OOB, WASM_TRAP_TABLE_OOB);
    assert_int_equal(CORAL_TRAP_DIV_ZERO, WASM_TRAP_DIV_ZERO);
    assert_int_equal(CORAL_TRAP_INT_OVERFLOW, WASM_TRAP_INT_OVERFLOW);
    assert_int_equal(CORAL_TRAP_INVALID_CONVERSION, WASM_TRAP_INVALID_CONVERSION);
    assert_int_equal(CORAL_TRAP_UNDEFINED_ELEMENT, WASM_TRAP_UNDEFINED_ELEMENT);
    assert_int_equal(CORAL_TRAP_UNINITIALIZED_ELEMENT, WASM_TRAP_UNINITIALIZED_ELEMENT);
    assert_int_equal(CORAL_TRAP_INDIRECT_TYPE, WASM_TRAP_INDIRECT_TYPE);
    assert_int_equal(CORAL_TRAP_NULL_REF, WASM_TRAP_NULL_REF);
    assert_int_equal(CORAL_TRAP_STACK_EXHAUSTED, WASM_TRAP_STACK_EXHAUSTED);
    assert_int_equal(CORAL_TRAP_HOST, WASM_TRAP_HOST);
    assert_true(WASM_TRAP_COUNT <= CORAL_STATUS_DETAIL + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trap_numbers_are_the_engines),
        cmocka_unit_test(c_sdk_numbers),
        cmocka_unit_test(rust_sdk_numbers),
        cmocka_unit_test(functions_documented_and_declared),
        cmocka_unit_test(programs_import_kernel_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
