/* host/os_run.c: `coral run` with the real `coral` module: the program is
 * the first component, like userboot in the kernel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/file.h"
#include "host/os_run.h"
#include "kernel/coral/abi.h"
#include "kernel/coral/boot.h"
#include "kernel/coral/component.h"
#include "kernel/coral/coral.h"
#include "kernel/coral/sys.h"
#include "wasm/wasm.h"

/* Reads the boot modules named by the command lines (the first word of
 * each is its file). Returns 0, or -1 after saying why. */
static int read_boot(char **boot, int nboot, coral_bootmod *mods, uint8_t **bufs)
{
    for (int i = 0; i < nboot; i++) {
        char file[4096], why[512];
        size_t n = strcspn(boot[i], " \t");
        if (n == 0 || n >= sizeof file) {
            fprintf(stderr, "coral: boot module %d: no file name in '%s'\n", i + 1, boot[i]);
            return -1;
        }
        memcpy(file, boot[i], n);
        file[n] = 0;
        size_t len;
        bufs[i] = host_read_file(file, &len, why, sizeof why);
        if (!bufs[i]) {
            fprintf(stderr, "coral: %s\n", why);
            return -1;
        }
        if (len == 0 || len > CORAL_VMA_MAX) {
            fprintf(stderr, "coral: %s: empty or too large for a VMA\n", file);
            return -1;
        }
        mods[i].bytes = bufs[i];
        mods[i].size = (uint32_t)len;
        mods[i].cmdline = boot[i];
    }
    return 0;
}

/* The program's name for messages: the file name. */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Builds the first component and starts it (coral_boot_start): 0 and the
 * component, or -1 after saying why. Big lock held. */
static int start_first(const char *path, const uint8_t *bytes, size_t len, unsigned flags,
                       coral_bootmod *mods, int nboot, kcomponent **out)
{
    wasm_error err;
    memset(&err, 0, sizeof err);
    int32_t rc = coral_boot_start(bytes, len, flags, base_name(path), mods, (uint32_t)nboot,
                                  &err, out);
    if (rc < 0 && err.message[0]) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        return -1;
    }
    if (rc < 0) {
        fprintf(stderr, "coral: %s: cannot start: error %d%s\n", path, (int)rc,
                rc == CORAL_ENOTFOUND ? " (no export _start)" : "");
        return -1;
    }
    return 0;
}

int os_run(const char *path, const uint8_t *bytes, size_t len, unsigned flags,
           char **boot, int nboot)
{
    coral_bootmod *mods = calloc((size_t)nboot + 1, sizeof *mods);
    uint8_t **bufs = calloc((size_t)nboot + 1, sizeof *bufs);
    wasm_engine *engine = wasm_engine_new();
    int status = 1;
    if (!mods || !bufs || !engine) {
        fprintf(stderr, "coral: out of memory\n");
        goto out;
    }
    if (read_boot(boot, nboot, mods, bufs) < 0)
        goto out;
    coral_init(engine);
    kcomponent *c;
    sys_lock();
    if (start_first(path, bytes, len, flags, mods, nboot, &c) == 0) {
        int32_t st = comp_wait(c, NULL);
        if ((st & CORAL_STATUS_HOW) == CORAL_STATUS_EXITED)
            status = st & CORAL_STATUS_DETAIL;
        else if ((st & CORAL_STATUS_HOW) == CORAL_STATUS_KILLED)
            fprintf(stderr, "coral: %s: killed\n", path);
        kobj_unref(&c->o);
    }
    /* The run ends with the first component. Components it started and
     * left running may still be using the engine, so it is freed only when
     * none is left (otherwise the process's exit ends them). */
    long left = kobj_live(CORAL_KIND_COMPONENT);
    sys_unlock();
    if (left == 0) {
        coral_init(NULL);
        wasm_engine_free(engine);
        engine = NULL;
    }
out:
    for (int i = 0; bufs && i < nboot; i++)
        free(bufs[i]);
    free(bufs);
    free(mods);
    if (engine && !coral_engine())
        wasm_engine_free(engine);
    return status;
}
