/* host/spec_run.h: running one spec-suite script (the JSON that wast2json
 * makes from a .wast file) against the engine, through wasm/wasm.h only. */
#ifndef HOST_SPEC_RUN_H
#define HOST_SPEC_RUN_H

/* Outcomes of one command. */
enum { SPEC_PASS = 'p', SPEC_FAIL = 'f', SPEC_SKIP = 's' };

/* Where the results go: `total` once, with the number of commands, before
 * any of them runs; then `result` once per command, in order, with its line
 * in the .wast file and (for a failure or skip) a one-line message. */
typedef struct spec_reporter {
    void (*total)(void *ctx, int commands);
    void (*result)(void *ctx, int line, int outcome, const char *msg);
    void *ctx;
} spec_reporter;

/* Runs every command of `json_path` with module flags `flags` (0 or
 * WASM_MODULE_EXPLICIT_BOUNDS). Every command passes, fails or (only an
 * assert_malformed / assert_invalid on a text-format module) is skipped;
 * a failed `module` makes the commands that use it fail too. Returns 0, or
 * -1 when the script itself cannot be read (reported as one failure). */
int spec_run_file(const char *json_path, unsigned flags, const spec_reporter *rep);

#endif
