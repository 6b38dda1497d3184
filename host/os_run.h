/* host/os_run.h: running a program as Coral runs it, on Linux: as the
 * first component, with the whole `coral` module (kernel/coral/ over
 * host/sys.c) and userboot's boot handles. `coral run FILE.wasm` without
 * --invoke comes here (host/cli_run.c). */
#ifndef HOST_OS_RUN_H
#define HOST_OS_RUN_H

#include <stddef.h>
#include <stdint.h>

/* Runs `bytes` (read from `path`) as the first component, starting its
 * export `_start`. Each of boot[0..nboot-1] is a boot module's command
 * line, "FILE [ARGS...]": FILE's bytes become a boot module VMA and the
 * whole line its boot-info entry (docs/api.md, "Boot handles"). Waits for
 * the component; returns the process's exit status: its exit code, or 1
 * when it trapped (reported on the console) or was killed, or when it
 * could not start (reported on stderr). `flags` are WASM_MODULE_* flags. */
int os_run(const char *path, const uint8_t *bytes, size_t len, unsigned flags,
           char **boot, int nboot);

#endif
