/* host/coral.c: the `coral` command line tool (build/coral), the engine on
 * Linux. One function per subcommand, found through the table below;
 * adding one (run, compile) means writing its function and its row.
 *
 *   coral validate FILE.wasm   decode and validate: prints `ok` (exit 0) or
 *                              `FILE: malformed|invalid: ` and the engine's
 *                              message (exit 1)
 *   coral run, coral compile   see host/cli_run.c
 *
 * Exit status: 0 success, 1 the module or program failed, 2 usage errors
 * and subcommands not written yet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/cli_run.h"
#include "host/file.h"
#include "wasm/wasm.h"

typedef struct command {
    const char *name;
    const char *args;
    const char *help;
    int (*fn)(int argc, char **argv);   /* argv[0] is the subcommand */
} command;

static int usage(void);

/* "malformed: " and "invalid: " say which check refused a module. */
static const char *err_kind_prefix(wasm_err_kind kind)
{
    switch (kind) {
    case WASM_ERR_MALFORMED: return "malformed: ";
    case WASM_ERR_INVALID: return "invalid: ";
    case WASM_ERR_LINK: return "link error: ";
    case WASM_ERR_RESOURCE: return "out of resources: ";
    default: return "";
    }
}

/* Reads a module file and decodes it with `flags`; prints the error and
 * returns NULL when that fails. *bytes must outlive the module. */
static wasm_module *load_module(wasm_engine *engine, const char *path, unsigned flags,
                                uint8_t **bytes)
{
    char why[512];
    size_t len;
    wasm_error err;
    memset(&err, 0, sizeof err);
    *bytes = host_read_file(path, &len, why, sizeof why);
    if (!*bytes) {
        fprintf(stderr, "coral: %s\n", why);
        return NULL;
    }
    wasm_module *m = wasm_module_new(engine, *bytes, len, flags, &err);
    if (!m)
        printf("%s: %s%s\n", path, err_kind_prefix(err.kind),
               err.message[0] ? err.message : "rejected (no message)");
    return m;
}

static int cmd_validate(int argc, char **argv)
{
    if (argc != 2)
        return usage();
    wasm_engine *engine = wasm_engine_new();
    if (!engine) {
        fprintf(stderr, "coral: cannot create the engine\n");
        return 1;
    }
    uint8_t *bytes = NULL;
    wasm_module *m = load_module(engine, argv[1], WASM_MODULE_VALIDATE_ONLY, &bytes);
    if (m) {
        printf("ok\n");
        wasm_module_free(m);
    }
    free(bytes);
    wasm_engine_free(engine);
    return m ? 0 : 1;
}

static const command commands[] = {
    { "validate", "FILE.wasm", "decode and validate a module; prints ok or the error", cmd_validate },
    { "run", "[--explicit-bounds] [--time] FILE.wasm [--invoke NAME] [ARGS...]",
      "call _start or NAME with typed ARGS and print the results (host/cli_run.c)", coral_cmd_run },
    { "compile", "[--explicit-bounds] FILE.wasm",
      "compile and report code size, compile time and MB/s (host/cli_run.c)", coral_cmd_compile },
};

static int usage(void)
{
    fprintf(stderr, "usage:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(stderr, "  coral %s %s\n      %s\n", commands[i].name, commands[i].args, commands[i].help);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    if (strcmp(argv[1], "help") != 0 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0)
        fprintf(stderr, "coral: unknown command '%s'\n", argv[1]);
    return usage();
}
