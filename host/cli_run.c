/* host/cli_run.c: `coral run` and `coral compile`, the engine's execution
 * side of the CLI (host/coral.c dispatches here).
 *
 *   coral run [--explicit-bounds] FILE.wasm ['BOOTFILE [ARGS...]'...]
 *       runs FILE as Coral runs its first program (host/os_run.c): as a
 *       component with the whole `coral` module, its `_start` on a thread of
 *       its own, with userboot's boot handles (each BOOTFILE becomes a boot
 *       module, its ARGS its arguments); exits with the component's exit
 *       code, or 1 when it trapped or was killed.
 *   coral run [--explicit-bounds] [--time] FILE.wasm --invoke NAME [ARGS...]
 *       instantiates FILE (imports from the emulated `coral` module:
 *       log(ptr, len) and exit(code)), then calls NAME with ARGS parsed by
 *       the parameter types (or `_start` without arguments) and prints each
 *       result on its own line. A trap prints its kind and the Wasm
 *       backtrace on stderr and exits 1. --time prints the compile,
 *       instantiate and call times on stderr, and the call's CPU time.
 *   coral compile [--explicit-bounds] [--dump OUT.bin] FILE.wasm
 *       compiles and prints the code section size, the machine code size,
 *       the compile time (best of 5) and the speed in MB/s of code section;
 *       --dump writes the machine code for objdump.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "host/cli_run.h"
#include "host/file.h"
#include "host/os_run.h"
#include "wasm/wasm.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: the machine may be shared, and wall-clock time
 * then counts waiting too. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *type_name(uint8_t t)
{
    switch (t) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_V128: return "v128";
    case WASM_FUNCREF: return "funcref";
    case WASM_EXTERNREF: return "externref";
    default: return "?";
    }
}

/* ---- the emulated `coral` module ---- */

typedef struct run_state {
    bool exited;
    int exit_code;
} run_state;

static int coral_log(wasm_caller *caller, uint64_t *io)
{
    uint64_t size;
    uint8_t *mem = wasm_caller_memory(caller, &size);
    uint64_t ptr = (uint32_t)io[0], len = (uint32_t)io[1];
    if (!mem || ptr + len > size) {
        io[0] = (uint32_t)-1;
        return 0;
    }
    fwrite(mem + ptr, 1, len, stdout);
    fflush(stdout);
    io[0] = (uint32_t)len;
    return 0;
}

static int coral_exit(wasm_caller *caller, uint64_t *io)
{
    run_state *st = wasm_caller_data(caller);
    st->exited = true;
    st->exit_code = (int)(uint32_t)io[0];
    return 1;                    /* unwinds the program */
}

typedef struct host_def {
    const char *name;
    uint8_t np, nr;
    uint8_t params[2], results[1];
    wasm_host_fn *fn;
} host_def;

static const host_def coral_defs[] = {
    { "log", 2, 1, { WASM_I32, WASM_I32 }, { WASM_I32 }, coral_log },
    { "exit", 1, 0, { WASM_I32 }, { 0 }, coral_exit },
};

/* Resolves the module's imports; prints what is missing. */
static int resolve(wasm_engine *engine, wasm_module *m, run_state *st, wasm_extern **out,
                   wasm_func ***funcs_out)
{
    uint32_t n = wasm_module_import_count(m);
    wasm_extern *ex = calloc(n + 1, sizeof *ex);
    wasm_func **funcs = calloc(n + 1, sizeof *funcs);
    if (!ex || !funcs) {
        free(ex);
        free(funcs);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        wasm_import_info im;
        wasm_module_import(m, i, &im);
        const host_def *d = NULL;
        if (im.kind == WASM_EXTERN_FUNC && im.module_len == 5 && memcmp(im.module, "coral", 5) == 0)
            for (size_t k = 0; k < sizeof coral_defs / sizeof coral_defs[0]; k++)
                if (strlen(coral_defs[k].name) == im.name_len &&
                    memcmp(coral_defs[k].name, im.name, im.name_len) == 0)
                    d = &coral_defs[k];
        if (!d) {
            fprintf(stderr, "coral: unknown import %.*s.%.*s\n", (int)im.module_len, im.module,
                    (int)im.name_len, im.name);
            for (uint32_t k = 0; k < i; k++)
                wasm_func_free(funcs[k]);
            free(ex);
            free(funcs);
            return -1;
        }
        funcs[i] = wasm_func_new_host(engine, d->params, d->np, d->results, d->nr, d->fn, st);
        ex[i].kind = WASM_EXTERN_FUNC;
        ex[i].of.func = funcs[i];
    }
    *out = ex;
    *funcs_out = funcs;
    return 0;
}

static int parse_arg(const char *s, uint8_t type, wasm_val *v)
{
    char *end;
    errno = 0;
    v->type = type;
    switch (type) {
    case WASM_I32: {
        long long x = strtoll(s, &end, 0);
        if (*end || errno || x < INT32_MIN || x > (long long)UINT32_MAX)
            return -1;
        v->of.i32 = (uint32_t)x;
        return 0;
    }
    case WASM_I64: {
        if (s[0] == '-') {
            long long x = strtoll(s, &end, 0);
            v->of.i64 = (uint64_t)x;
        } else {
            v->of.i64 = strtoull(s, &end, 0);
        }
        return *end || errno ? -1 : 0;
    }
    case WASM_F32: {
        float f = strtof(s, &end);
        memcpy(&v->of.f32, &f, 4);
        return *end ? -1 : 0;
    }
    case WASM_F64: {
        double d = strtod(s, &end);
        memcpy(&v->of.f64, &d, 8);
        return *end ? -1 : 0;
    }
    case WASM_V128: {
        /* one 128-bit number, as wasmtime prints it: 0x + up to 32 hex digits */
        size_t n = strlen(s);
        if (n < 3 || n > 34 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
            return -1;
        memset(v->of.v128, 0, 16);
        for (size_t k = 0; k < n - 2; k++) {
            char c = s[n - 1 - k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0)
                return -1;
            v->of.v128[k / 2] |= (uint8_t)(d << (4 * (k % 2)));
        }
        return 0;
    }
    default:
        return -1;
    }
}

static void print_val(const wasm_val *v)
{
    switch (v->type) {
    case WASM_I32: printf("%" PRId32 "\n", (int32_t)v->of.i32); break;
    case WASM_I64: printf("%" PRId64 "\n", (int64_t)v->of.i64); break;
    case WASM_F32: {
        float f;
        memcpy(&f, &v->of.f32, 4);
        printf("%.9g\n", (double)f);
        break;
    }
    case WASM_F64: {
        double d;
        memcpy(&d, &v->of.f64, 8);
        printf("%.17g\n", d);
        break;
    }
    case WASM_V128:
        printf("0x");
        for (int k = 15; k >= 0; k--)
            printf("%02x", v->of.v128[k]);
        printf("\n");
        break;
    default:
        printf("%s:0x%" PRIx64 "\n", type_name(v->type), v->of.ref);
        break;
    }
}

static const char *err_kind(wasm_err_kind k)
{
    switch (k) {
    case WASM_ERR_MALFORMED: return "malformed: ";
    case WASM_ERR_INVALID: return "invalid: ";
    case WASM_ERR_LINK: return "link error: ";
    case WASM_ERR_TRAP: return "trap: ";
    case WASM_ERR_RESOURCE: return "out of resources: ";
    case WASM_ERR_UNSUPPORTED: return "unsupported: ";
    default: return "";
    }
}

int coral_cmd_run(int argc, char **argv)
{
    unsigned flags = 0;
    bool timing = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (strcmp(argv[i], "--explicit-bounds") == 0)
            flags |= WASM_MODULE_EXPLICIT_BOUNDS;
        else if (strcmp(argv[i], "--time") == 0)
            timing = true;
        else
            break;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: coral run [--explicit-bounds] [--time] FILE.wasm [--invoke NAME] [ARGS...]\n");
        return 2;
    }
    const char *path = argv[i++];
    const char *name = "_start";
    if (!timing && (i >= argc || strcmp(argv[i], "--invoke") != 0)) {
        char why[512];
        size_t len;
        uint8_t *bytes = host_read_file(path, &len, why, sizeof why);
        if (!bytes) {
            fprintf(stderr, "coral: %s\n", why);
            return 1;
        }
        int status = os_run(path, bytes, len, flags, argv + i, argc - i);
        free(bytes);
        return status;
    }
    if (i < argc && strcmp(argv[i], "--invoke") == 0) {
        if (i + 1 >= argc) {
            fprintf(stderr, "coral run: --invoke needs a name\n");
            return 2;
        }
        name = argv[i + 1];
        i += 2;
    }
    char why[512];
    size_t len;
    uint8_t *bytes = host_read_file(path, &len, why, sizeof why);
    if (!bytes) {
        fprintf(stderr, "coral: %s\n", why);
        return 1;
    }
    int status = 1;
    wasm_error err;
    run_state st = { false, 0 };
    wasm_engine *engine = wasm_engine_new();
    double t0 = now();
    wasm_module *m = engine ? wasm_module_new(engine, bytes, len, flags, &err) : NULL;
    double t1 = now();
    wasm_extern *ex = NULL;
    wasm_func **funcs = NULL;
    wasm_instance *inst = NULL;
    wasm_val *args = NULL, *results = NULL;
    if (!m) {
        fprintf(stderr, "%s: %s%s\n", path, err_kind(err.kind), err.message);
        goto out;
    }
    if (resolve(engine, m, &st, &ex, &funcs) != 0)
        goto out;
    inst = wasm_instance_new(m, ex, wasm_module_import_count(m), &err);
    double t2 = now();
    if (!inst) {
        if (st.exited) {
            status = st.exit_code;
            goto out;
        }
        fprintf(stderr, "%s: %s%s\n", path, err_kind(err.kind), err.message);
        goto out;
    }
    wasm_extern fx;
    if (wasm_instance_export(inst, name, strlen(name), &fx) != 0 || fx.kind != WASM_EXTERN_FUNC) {
        fprintf(stderr, "coral: %s exports no function '%s'\n", path, name);
        goto out;
    }
    const uint8_t *pt, *rt;
    uint32_t np, nr;
    wasm_func_type(fx.of.func, &pt, &np, &rt, &nr);
    if ((uint32_t)(argc - i) != np) {
        fprintf(stderr, "coral: %s takes %u arguments (", name, np);
        for (uint32_t k = 0; k < np; k++)
            fprintf(stderr, "%s%s", k ? " " : "", type_name(pt[k]));
        fprintf(stderr, "), %d given\n", argc - i);
        status = 2;
        goto out;
    }
    args = calloc(np + 1, sizeof *args);
    results = calloc(nr + 1, sizeof *results);
    if (!args || !results)
        goto out;
    for (uint32_t k = 0; k < np; k++) {
        if (parse_arg(argv[i + k], pt[k], &args[k]) != 0) {
            fprintf(stderr, "coral: argument %u ('%s') is not a %s\n", k + 1, argv[i + k],
                    type_name(pt[k]));
            status = 2;
            goto out;
        }
    }
    double c3 = cpu_now(), t3 = now();
    int rc = wasm_func_call(fx.of.func, args, np, results, nr, &err);
    double t4 = now(), c4 = cpu_now();
    if (timing)
        fprintf(stderr, "time: compile %.3f ms, instantiate %.3f ms, call %.6f s, cpu %.6f s\n",
                (t1 - t0) * 1e3, (t2 - t1) * 1e3, t4 - t3, c4 - c3);
    if (rc != 0) {
        if (st.exited) {
            status = st.exit_code;
            goto out;
        }
        fprintf(stderr, "%s: %s%s\n", path, err_kind(err.kind), err.message);
        goto out;
    }
    for (uint32_t k = 0; k < nr; k++)
        print_val(&results[k]);
    status = 0;
out:
    free(args);
    free(results);
    if (inst)
        wasm_instance_free(inst);
    if (funcs)
        for (uint32_t k = 0; m && k < wasm_module_import_count(m); k++)
            wasm_func_free(funcs[k]);
    free(funcs);
    free(ex);
    wasm_module_free(m);
    wasm_engine_free(engine);
    free(bytes);
    return status;
}

/* For --dump: where each defined function starts in the dump, with its
 * export name when it has one. */
static void print_func_map(const wasm_module *m, const wasm_module_stats *s)
{
    uint32_t nimported = 0, nexports = wasm_module_export_count(m);
    for (uint32_t i = 0; i < wasm_module_import_count(m); i++) {
        wasm_import_info imp;
        wasm_module_import(m, i, &imp);
        nimported += imp.kind == WASM_EXTERN_FUNC;
    }
    for (uint32_t f = 0; s->func_start && f < s->functions; f++) {
        wasm_export_info ex = { .name = "", .name_len = 0 };
        for (uint32_t e = 0; e < nexports; e++) {
            wasm_export_info x;
            wasm_module_export(m, e, &x);
            if (x.kind == WASM_EXTERN_FUNC && x.index == nimported + f)
                ex = x;
        }
        printf("  func %u at 0x%x %.*s\n", nimported + f, s->func_start[f], (int)ex.name_len,
               ex.name);
    }
}

int coral_cmd_compile(int argc, char **argv)
{
    unsigned flags = 0;
    const char *dump = NULL;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--explicit-bounds") == 0)
            flags |= WASM_MODULE_EXPLICIT_BOUNDS;
        else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
            dump = argv[++i];
        else
            break;
    }
    if (i + 1 != argc) {
        fprintf(stderr, "usage: coral compile [--explicit-bounds] [--dump OUT.bin] FILE.wasm\n");
        return 2;
    }
    char why[512];
    size_t len;
    uint8_t *bytes = host_read_file(argv[i], &len, why, sizeof why);
    if (!bytes) {
        fprintf(stderr, "coral: %s\n", why);
        return 1;
    }
    wasm_engine *engine = wasm_engine_new();
    wasm_error err;
    /* The first module also creates the engine's stubs: not timed. Then
     * the best of 5 (the machine is shared; the best is the least noisy). */
    wasm_module *warm = wasm_module_new(engine, bytes, len, flags, &err);
    wasm_module_free(warm);
    wasm_module *m = NULL;
    double best = 1e30;
    for (int k = 0; k < 5; k++) {
        wasm_module_free(m);
        double t0 = now();
        m = wasm_module_new(engine, bytes, len, flags, &err);
        double t = now() - t0;
        if (!m)
            break;
        if (t < best)
            best = t;
    }
    int status = 1;
    if (!m) {
        fprintf(stderr, "%s: %s%s\n", argv[i], err_kind(err.kind), err.message);
    } else {
        wasm_module_stats s;
        wasm_module_get_stats(m, &s);
        double secs = best;
        printf("%s: %u functions, code section %" PRIu64 " bytes, machine code %" PRIu64
               " bytes (%.2fx)\n", argv[i], s.functions, s.code_bytes, s.machine_bytes,
               s.code_bytes ? (double)s.machine_bytes / (double)s.code_bytes : 0.0);
        printf("compile (decode + validate + compile, best of 5): %.3f ms, %.1f MB/s of code section\n",
               secs * 1e3, secs > 0 ? (double)s.code_bytes / secs / 1e6 : 0.0);
        status = 0;
        if (dump) {
            FILE *f = fopen(dump, "wb");
            if (!f || fwrite(s.machine_code, 1, s.machine_bytes, f) != s.machine_bytes) {
                fprintf(stderr, "coral: cannot write %s\n", dump);
                status = 1;
            } else {
                printf("machine code written to %s (objdump -D -b binary -mi386:x86-64 %s)\n",
                       dump, dump);
                print_func_map(m, &s);
            }
            if (f)
                fclose(f);
        }
        wasm_module_free(m);
    }
    wasm_engine_free(engine);
    free(bytes);
    return status;
}
