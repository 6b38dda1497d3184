/* host/spec_run.c: runs the commands of one spec-suite script (wast2json's
 * JSON) against the engine: module, register, action, and every assert_*
 * kind. The engine is used only through wasm/wasm.h. Imports are resolved
 * here, by (module, name), from the registered instances and `spectest`,
 * and handed to wasm_instance_new in the module's import order.
 *
 * What counts as a pass:
 *   module                 decodes, validates, compiles, links, instantiates
 *   register               the module it names was instantiated
 *   action                 the call returns without an error
 *   assert_return          the call returns exactly the expected results
 *   assert_trap            the call traps with the kind the text names
 *   assert_exhaustion      the call traps with "call stack exhausted"
 *   assert_malformed       wasm_module_new (validate only) rejects the bytes
 *   assert_invalid           as malformed or invalid (either kind): the
 *                            suite's split between the two is not the
 *                            engine's contract
 *   assert_unlinkable      the module compiles; an import is unknown (the
 *                          text says "unknown import") or the engine's link
 *                          check refuses it (any other text)
 *   assert_uninstantiable  the module compiles and links, and instantiation
 *                          traps with the kind the text names
 * Skipped: assert_malformed / assert_invalid on a text-format module only
 * (the engine reads the binary format). Everything else passes or fails. */
#include <jansson.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/file.h"
#include "host/spec_run.h"
#include "host/spec_value.h"
#include "host/spectest.h"
#include "wasm/wasm.h"

enum { WHY = 1024 };

/* A `module` command: its instance is NULL when the command failed. */
typedef struct mod_rec {
    char *name;               /* "$name" given in the script, or NULL */
    int line;
    uint8_t *bytes;           /* kept alive for the module (it refers to them) */
    wasm_module *module;
    wasm_instance *instance;
} mod_rec;

/* A `register` command: `mod` is NULL when the module it named had failed,
 * so that imports from that name fail instead of looking unknown. */
typedef struct reg_rec {
    const char *as;
    size_t as_len;
    mod_rec *mod;
    int line;
} reg_rec;

typedef struct run {
    const spec_reporter *rep;
    const char *dir;          /* where the script's .wasm files are */
    unsigned flags;
    wasm_engine *engine;
    spectest *spectest;
    mod_rec **mods;
    int nmods;
    mod_rec *current;         /* the last module command, failed or not */
    reg_rec *regs;
    int nregs;
} run;

static const struct { const char *text; wasm_trap_kind kind; } trap_texts[] = {
    { "unreachable", WASM_TRAP_UNREACHABLE },
    { "out of bounds memory access", WASM_TRAP_MEMORY_OOB },
    { "out of bounds table access", WASM_TRAP_TABLE_OOB },
    { "integer divide by zero", WASM_TRAP_DIV_ZERO },
    { "integer overflow", WASM_TRAP_INT_OVERFLOW },
    { "invalid conversion to integer", WASM_TRAP_INVALID_CONVERSION },
    { "undefined element", WASM_TRAP_UNDEFINED_ELEMENT },
    { "uninitialized element", WASM_TRAP_UNINITIALIZED_ELEMENT },
    { "indirect call type mismatch", WASM_TRAP_INDIRECT_TYPE },
    { "null", WASM_TRAP_NULL_REF },
    { "call stack exhausted", WASM_TRAP_STACK_EXHAUSTED },
};

static const char *err_kind_name(wasm_err_kind kind)
{
    switch (kind) {
    case WASM_OK: return "ok";
    case WASM_ERR_MALFORMED: return "malformed";
    case WASM_ERR_INVALID: return "invalid";
    case WASM_ERR_LINK: return "link error";
    case WASM_ERR_TRAP: return "trap";
    case WASM_ERR_RESOURCE: return "resource";
    case WASM_ERR_UNSUPPORTED: return "unsupported";
    case WASM_ERR_ARGUMENT: return "bad argument";
    }
    return "error";
}

/* The engine's error as one line: "kind: message". */
static void describe_err(const wasm_error *err, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s: %s", err_kind_name(err->kind),
             err->message[0] ? err->message : "(no message)");
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

static const char *jstr(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static void pass(run *r, int line)
{
    r->rep->result(r->rep->ctx, line, SPEC_PASS, NULL);
}

static void skip(run *r, int line, const char *why)
{
    r->rep->result(r->rep->ctx, line, SPEC_SKIP, why);
}

static void fail(run *r, int line, const char *fmt, ...)
{
    char msg[2 * WHY];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->rep->result(r->rep->ctx, line, SPEC_FAIL, msg);
}

/* Reads the module file `name` (relative to the script). */
static uint8_t *read_module(run *r, const char *name, size_t *len, char *why)
{
    char path[4096];
    if (!name) {
        snprintf(why, WHY, "command has no filename");
        return NULL;
    }
    snprintf(path, sizeof path, "%s/%s", r->dir, name);
    return host_read_file(path, len, why, WHY);
}

/* ---- imports ---- */

enum { RESOLVED = 0, UNKNOWN_IMPORT = -1, RESOLVE_FAILED = -2 };

/* Finds what import `imp` names, latest registration first, then spectest. */
static int resolve_one(run *r, const wasm_import_info *imp, wasm_extern *out, char *why)
{
    for (int i = r->nregs - 1; i >= 0; i--) {
        reg_rec *g = &r->regs[i];
        if (g->as_len != imp->module_len || memcmp(g->as, imp->module, g->as_len) != 0)
            continue;
        if (!g->mod) {
            snprintf(why, WHY, "import %.*s.%.*s: the module registered as %.*s at line %d had failed",
                     (int)imp->module_len, imp->module, (int)imp->name_len, imp->name,
                     (int)g->as_len, g->as, g->line);
            return RESOLVE_FAILED;
        }
        if (wasm_instance_export(g->mod->instance, imp->name, imp->name_len, out) != 0) {
            snprintf(why, WHY, "unknown import %.*s.%.*s", (int)imp->module_len, imp->module,
                     (int)imp->name_len, imp->name);
            return UNKNOWN_IMPORT;
        }
        return RESOLVED;
    }
    if (imp->module_len == 8 && memcmp(imp->module, "spectest", 8) == 0) {
        int rc = spectest_lookup(r->spectest, imp->name, imp->name_len, out, why, WHY);
        return rc == 0 ? RESOLVED : rc == -1 ? UNKNOWN_IMPORT : RESOLVE_FAILED;
    }
    snprintf(why, WHY, "unknown import %.*s.%.*s (no module registered as %.*s)",
             (int)imp->module_len, imp->module, (int)imp->name_len, imp->name,
             (int)imp->module_len, imp->module);
    return UNKNOWN_IMPORT;
}

/* Resolves every import of `m` into a malloc'd array in import order. */
static int resolve_imports(run *r, wasm_module *m, wasm_extern **out, uint32_t *n, char *why)
{
    uint32_t count = wasm_module_import_count(m);
    wasm_extern *ext = calloc(count ? count : 1, sizeof *ext);
    if (!ext) {
        snprintf(why, WHY, "out of memory");
        return RESOLVE_FAILED;
    }
    for (uint32_t i = 0; i < count; i++) {
        wasm_import_info imp;
        memset(&imp, 0, sizeof imp);
        wasm_module_import(m, i, &imp);
        int rc = resolve_one(r, &imp, &ext[i], why);
        if (rc != RESOLVED) {
            free(ext);
            return rc;
        }
    }
    *out = ext;
    *n = count;
    return RESOLVED;
}

/* ---- modules ---- */

static void free_mod(mod_rec *m)
{
    if (!m)
        return;
    if (m->instance)
        wasm_instance_free(m->instance);
    if (m->module)
        wasm_module_free(m->module);
    free(m->bytes);
    free(m->name);
    free(m);
}

/* Decodes, compiles, links and instantiates; fills m or says why not. */
static int instantiate(run *r, mod_rec *m, const char *filename, char *why)
{
    wasm_error err;
    size_t len;
    memset(&err, 0, sizeof err);
    m->bytes = read_module(r, filename, &len, why);
    if (!m->bytes)
        return -1;
    m->module = wasm_module_new(r->engine, m->bytes, len, r->flags, &err);
    if (!m->module) {
        describe_err(&err, why, WHY);
        return -1;
    }
    wasm_extern *imports;
    uint32_t n;
    if (resolve_imports(r, m->module, &imports, &n, why) != RESOLVED)
        return -1;
    m->instance = wasm_instance_new(m->module, imports, n, &err);
    free(imports);
    if (!m->instance) {
        describe_err(&err, why, WHY);
        return -1;
    }
    return 0;
}

static void cmd_module(run *r, json_t *cmd, int line)
{
    char why[WHY];
    mod_rec *m = calloc(1, sizeof *m);
    mod_rec **grown = realloc(r->mods, (r->nmods + 1) * sizeof *grown);
    if (!m || !grown) {
        free(m);
        if (grown)
            r->mods = grown;
        fail(r, line, "module: out of memory");
        return;
    }
    r->mods = grown;
    r->mods[r->nmods++] = m;
    r->current = m;
    m->line = line;
    const char *name = jstr(cmd, "name");
    m->name = name ? strdup(name) : NULL;
    if (instantiate(r, m, jstr(cmd, "filename"), why) != 0) {
        fail(r, line, "module: %s", why);
        return;
    }
    pass(r, line);
}

/* The module a command refers to (by name, else the current one), with its
 * instance; NULL with a reason when there is none or it had failed. */
static mod_rec *find_mod(run *r, const char *name, char *why)
{
    mod_rec *m = NULL;
    if (name) {
        for (int i = r->nmods - 1; i >= 0 && !m; i--)
            if (r->mods[i]->name && strcmp(r->mods[i]->name, name) == 0)
                m = r->mods[i];
        if (!m) {
            snprintf(why, WHY, "no module named %s", name);
            return NULL;
        }
    } else {
        m = r->current;
        if (!m) {
            snprintf(why, WHY, "no module defined yet");
            return NULL;
        }
    }
    if (!m->instance) {
        snprintf(why, WHY, "the module at line %d had failed", m->line);
        return NULL;
    }
    return m;
}

static void cmd_register(run *r, json_t *cmd, int line)
{
    char why[WHY];
    json_t *as = json_object_get(cmd, "as");
    reg_rec *grown = realloc(r->regs, (r->nregs + 1) * sizeof *grown);
    if (!json_is_string(as) || !grown) {
        if (grown)
            r->regs = grown;
        fail(r, line, "register: %s", grown ? "no 'as' name" : "out of memory");
        return;
    }
    r->regs = grown;
    mod_rec *m = find_mod(r, jstr(cmd, "name"), why);
    reg_rec *g = &r->regs[r->nregs++];
    g->as = json_string_value(as);
    g->as_len = json_string_length(as);
    g->mod = m;
    g->line = line;
    if (!m) {
        fail(r, line, "register: %s", why);
        return;
    }
    pass(r, line);
}

/* ---- actions ---- */

enum { ACT_OK = 0, ACT_RUNNER = -1, ACT_ENGINE = -2 };

typedef struct act {
    char what[512];           /* e.g. invoke "add"(i32:1, i32:2), for messages */
    wasm_val *results;        /* malloc'd */
    uint32_t nresults;
    wasm_error err;           /* when ACT_ENGINE */
    char why[WHY];            /* when ACT_RUNNER */
} act;

/* Describes the action for messages: its kind, export name and arguments. */
static void describe_action(act *a, const char *kind, json_t *field, const wasm_val *args, size_t nargs)
{
    size_t n = (size_t)snprintf(a->what, sizeof a->what, "%s \"%s\"", kind,
                                field && json_string_value(field) ? json_string_value(field) : "?");
    if (strcmp(kind, "invoke") != 0)
        return;
    for (size_t i = 0; i < nargs && n < sizeof a->what; i++) {
        char v[256];
        spec_format_val(&args[i], 0, v, sizeof v);
        n += (size_t)snprintf(a->what + n, sizeof a->what - n, "%s%s", i ? ", " : "(", v);
    }
    if (n < sizeof a->what)
        snprintf(a->what + n, sizeof a->what - n, "%s", nargs ? ")" : "()");
}

static int invoke(run *r, wasm_instance *inst, json_t *field, json_t *jargs, act *a)
{
    size_t nargs = json_array_size(jargs);
    wasm_val *args = calloc(nargs ? nargs : 1, sizeof *args);
    int rc = ACT_RUNNER;
    if (!args) {
        snprintf(a->why, WHY, "out of memory");
        return ACT_RUNNER;
    }
    for (size_t i = 0; i < nargs; i++)
        if (spec_parse_arg(json_array_get(jargs, i), &args[i], a->why, WHY) != 0)
            goto out;
    describe_action(a, "invoke", field, args, nargs);

    wasm_extern ext;
    if (wasm_instance_export(inst, json_string_value(field), json_string_length(field), &ext) != 0) {
        snprintf(a->why, WHY, "%s: no such export", a->what);
        goto out;
    }
    if (ext.kind != WASM_EXTERN_FUNC) {
        snprintf(a->why, WHY, "%s: export is not a function", a->what);
        goto out;
    }
    const uint8_t *ptypes, *rtypes;
    uint32_t np = 0, nr = 0;
    wasm_func_type(ext.of.func, &ptypes, &np, &rtypes, &nr);
    if (np != nargs) {
        snprintf(a->why, WHY, "%s: the function takes %u arguments", a->what, np);
        goto out;
    }
    for (uint32_t i = 0; i < np; i++)
        if (ptypes[i] != args[i].type) {
            snprintf(a->why, WHY, "%s: argument %u should be %s", a->what, i, spec_type_name(ptypes[i]));
            goto out;
        }
    a->nresults = nr;
    a->results = calloc(nr ? nr : 1, sizeof *a->results);
    if (!a->results) {
        snprintf(a->why, WHY, "out of memory");
        goto out;
    }
    rc = wasm_func_call(ext.of.func, args, (uint32_t)nargs, a->results, nr, &a->err) == 0
        ? ACT_OK : ACT_ENGINE;
out:
    free(args);
    return rc;
}

static int get(run *r, wasm_instance *inst, json_t *field, act *a)
{
    wasm_extern ext;
    describe_action(a, "get", field, NULL, 0);
    if (wasm_instance_export(inst, json_string_value(field), json_string_length(field), &ext) != 0) {
        snprintf(a->why, WHY, "%s: no such export", a->what);
        return ACT_RUNNER;
    }
    if (ext.kind != WASM_EXTERN_GLOBAL) {
        snprintf(a->why, WHY, "%s: export is not a global", a->what);
        return ACT_RUNNER;
    }
    a->results = calloc(1, sizeof *a->results);
    if (!a->results) {
        snprintf(a->why, WHY, "out of memory");
        return ACT_RUNNER;
    }
    a->results[0] = wasm_global_get(ext.of.global);
    a->nresults = 1;
    return ACT_OK;
}

/* Performs the command's action: ACT_OK with results, ACT_ENGINE with the
 * engine's error in a->err, or ACT_RUNNER with a reason in a->why. */
static int do_action(run *r, json_t *cmd, act *a)
{
    json_t *action = json_object_get(cmd, "action");
    const char *type = jstr(action, "type");
    json_t *field = json_object_get(action, "field");
    memset(a, 0, sizeof *a);
    snprintf(a->what, sizeof a->what, "%s", type ? type : "action");
    if (!json_is_string(field)) {
        snprintf(a->why, WHY, "action without a field");
        return ACT_RUNNER;
    }
    mod_rec *m = find_mod(r, jstr(action, "module"), a->why);
    if (!m)
        return ACT_RUNNER;
    if (type && strcmp(type, "invoke") == 0)
        return invoke(r, m->instance, field, json_object_get(action, "args"), a);
    if (type && strcmp(type, "get") == 0)
        return get(r, m->instance, field, a);
    snprintf(a->why, WHY, "unknown action type '%s'", type ? type : "(none)");
    return ACT_RUNNER;
}

/* Fails the command for an action that did not do what was expected. */
static void fail_action(run *r, int line, const char *cmdtype, int rc, act *a)
{
    char why[WHY];
    if (rc == ACT_RUNNER) {
        fail(r, line, "%s: %s", cmdtype, a->why);
        return;
    }
    describe_err(&a->err, why, sizeof why);
    fail(r, line, "%s: %s: %s", cmdtype, a->what, why);
}

static void cmd_action(run *r, json_t *cmd, int line)
{
    act a;
    int rc = do_action(r, cmd, &a);
    if (rc == ACT_OK)
        pass(r, line);
    else
        fail_action(r, line, "action", rc, &a);
    free(a.results);
}

static void cmd_assert_return(run *r, json_t *cmd, int line)
{
    act a;
    char why[WHY], want[512], got[512];
    json_t *expected = json_object_get(cmd, "expected");
    size_t nexp = json_array_size(expected);
    int rc = do_action(r, cmd, &a);
    if (rc != ACT_OK) {
        fail_action(r, line, "assert_return", rc, &a);
        goto out;
    }
    if (a.nresults != nexp) {
        fail(r, line, "assert_return: %s: %u results, expected %zu", a.what, a.nresults, nexp);
        goto out;
    }
    for (size_t i = 0; i < nexp; i++) {
        spec_expect e;
        if (spec_parse_expect(json_array_get(expected, i), &e, why, sizeof why) != 0) {
            fail(r, line, "assert_return: %s: expected value: %s", a.what, why);
            goto out;
        }
        if (!spec_match(&e, &a.results[i])) {
            spec_format_expect(&e, want, sizeof want);
            spec_format_val(&a.results[i], e.lanes, got, sizeof got);
            fail(r, line, "assert_return: %s: result %zu is %s, expected %s", a.what, i, got, want);
            goto out;
        }
    }
    pass(r, line);
out:
    free(a.results);
}

/* Whether the engine's error is the trap that `text` names. */
static bool is_trap(const wasm_error *err, const char *text)
{
    if (err->kind != WASM_ERR_TRAP || !text)
        return false;
    for (size_t i = 0; i < sizeof trap_texts / sizeof trap_texts[0]; i++)
        if (strncmp(text, trap_texts[i].text, strlen(trap_texts[i].text)) == 0)
            return err->trap == trap_texts[i].kind;
    return false;
}

/* assert_trap on an action, and assert_exhaustion. */
static void cmd_assert_trap(run *r, json_t *cmd, int line, const char *cmdtype)
{
    act a;
    const char *text = jstr(cmd, "text");
    int rc = do_action(r, cmd, &a);
    if (rc == ACT_OK)
        fail(r, line, "%s: %s: returned, expected trap \"%s\"", cmdtype, a.what, text);
    else if (rc == ACT_ENGINE && is_trap(&a.err, text))
        pass(r, line);
    else if (rc == ACT_ENGINE && a.err.kind == WASM_ERR_TRAP)
        fail(r, line, "%s: %s: trapped with %s (%s), expected \"%s\"", cmdtype, a.what,
             wasm_trap_name(a.err.trap), a.err.message, text);
    else
        fail_action(r, line, cmdtype, rc, &a);
    free(a.results);
}

/* assert_malformed and assert_invalid: the bytes must be refused. */
static void cmd_assert_rejected(run *r, json_t *cmd, int line, const char *cmdtype)
{
    char why[WHY];
    const char *mtype = jstr(cmd, "module_type");
    if (mtype && strcmp(mtype, "text") == 0) {
        skip(r, line, "text-format module");
        return;
    }
    size_t len;
    uint8_t *bytes = read_module(r, jstr(cmd, "filename"), &len, why);
    if (!bytes) {
        fail(r, line, "%s: %s", cmdtype, why);
        return;
    }
    wasm_error err;
    memset(&err, 0, sizeof err);
    wasm_module *m = wasm_module_new(r->engine, bytes, len, r->flags | WASM_MODULE_VALIDATE_ONLY, &err);
    if (m) {
        fail(r, line, "%s: module accepted, expected \"%s\"", cmdtype, jstr(cmd, "text"));
        wasm_module_free(m);
    } else if (err.kind == WASM_ERR_MALFORMED || err.kind == WASM_ERR_INVALID) {
        pass(r, line);
    } else {
        describe_err(&err, why, sizeof why);
        fail(r, line, "%s: %s, expected \"%s\"", cmdtype, why, jstr(cmd, "text"));
    }
    free(bytes);
}

/* assert_unlinkable and assert_uninstantiable: the module is fine, but
 * linking (or instantiating) it must fail as the text says. */
static void cmd_assert_instantiation(run *r, json_t *cmd, int line, const char *cmdtype)
{
    char why[WHY];
    const char *text = jstr(cmd, "text");
    bool want_link = strcmp(cmdtype, "assert_unlinkable") == 0;
    mod_rec m;
    wasm_error err;
    size_t len;
    memset(&m, 0, sizeof m);
    memset(&err, 0, sizeof err);

    m.bytes = read_module(r, jstr(cmd, "filename"), &len, why);
    if (!m.bytes) {
        fail(r, line, "%s: %s", cmdtype, why);
        return;
    }
    m.module = wasm_module_new(r->engine, m.bytes, len, r->flags, &err);
    if (!m.module) {
        describe_err(&err, why, sizeof why);
        fail(r, line, "%s: module rejected: %s", cmdtype, why);
        goto out;
    }
    wasm_extern *imports;
    uint32_t n;
    int rc = resolve_imports(r, m.module, &imports, &n, why);
    if (rc == UNKNOWN_IMPORT && want_link && text && strncmp(text, "unknown import", 14) == 0) {
        pass(r, line);
        goto out;
    }
    if (rc != RESOLVED) {
        fail(r, line, "%s: %s, expected \"%s\"", cmdtype, why, text);
        goto out;
    }
    m.instance = wasm_instance_new(m.module, imports, n, &err);
    free(imports);
    if (m.instance) {
        fail(r, line, "%s: instantiated, expected \"%s\"", cmdtype, text);
        goto out;
    }
    if (want_link ? err.kind == WASM_ERR_LINK && strncmp(text ? text : "", "unknown import", 14) != 0
                  : is_trap(&err, text)) {
        pass(r, line);
        goto out;
    }
    describe_err(&err, why, sizeof why);
    fail(r, line, "%s: %s, expected \"%s\"", cmdtype, why, text);
out:
    if (m.instance)
        wasm_instance_free(m.instance);
    if (m.module)
        wasm_module_free(m.module);
    free(m.bytes);
}

static void run_command(run *r, json_t *cmd)
{
    const char *type = jstr(cmd, "type");
    int line = (int)json_integer_value(json_object_get(cmd, "line"));
    if (!type)
        fail(r, line, "command without a type");
    else if (strcmp(type, "module") == 0)
        cmd_module(r, cmd, line);
    else if (strcmp(type, "register") == 0)
        cmd_register(r, cmd, line);
    else if (strcmp(type, "action") == 0)
        cmd_action(r, cmd, line);
    else if (strcmp(type, "assert_return") == 0)
        cmd_assert_return(r, cmd, line);
    else if (strcmp(type, "assert_trap") == 0 || strcmp(type, "assert_exhaustion") == 0)
        cmd_assert_trap(r, cmd, line, type);
    else if (strcmp(type, "assert_malformed") == 0 || strcmp(type, "assert_invalid") == 0)
        cmd_assert_rejected(r, cmd, line, type);
    else if (strcmp(type, "assert_unlinkable") == 0 || strcmp(type, "assert_uninstantiable") == 0)
        cmd_assert_instantiation(r, cmd, line, type);
    else
        fail(r, line, "unknown command type '%s'", type);
}

int spec_run_file(const char *json_path, unsigned flags, const spec_reporter *rep)
{
    json_error_t jerr;
    json_t *root = json_load_file(json_path, JSON_ALLOW_NUL, &jerr);   /* names.wast has "\u0000" */
    json_t *cmds = json_object_get(root, "commands");
    if (!json_is_array(cmds)) {
        char msg[WHY];
        snprintf(msg, sizeof msg, "%s: %s", json_path, root ? "no commands" : jerr.text);
        rep->total(rep->ctx, 1);
        rep->result(rep->ctx, 0, SPEC_FAIL, msg);
        json_decref(root);
        return -1;
    }

    char *pathcopy = strdup(json_path);
    run r;
    memset(&r, 0, sizeof r);
    r.rep = rep;
    r.flags = flags;
    r.dir = dirname(pathcopy);
    r.engine = wasm_engine_new();
    r.spectest = r.engine ? spectest_new(r.engine) : NULL;

    size_t n = json_array_size(cmds);
    rep->total(rep->ctx, (int)n);
    for (size_t i = 0; i < n; i++) {
        json_t *cmd = json_array_get(cmds, i);
        if (!r.spectest) {
            fail(&r, (int)json_integer_value(json_object_get(cmd, "line")),
                 "could not create the engine or the spectest module");
            continue;
        }
        run_command(&r, cmd);
    }

    /* Instances before modules, newest first: later ones import from earlier. */
    for (int i = r.nmods - 1; i >= 0; i--)
        if (r.mods[i]->instance) {
            wasm_instance_free(r.mods[i]->instance);
            r.mods[i]->instance = NULL;
        }
    for (int i = r.nmods - 1; i >= 0; i--)
        free_mod(r.mods[i]);
    free(r.mods);
    free(r.regs);
    spectest_free(r.spectest);
    if (r.engine)
        wasm_engine_free(r.engine);
    free(pathcopy);
    json_decref(root);
    return 0;
}
