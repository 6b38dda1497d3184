/* programs/userboot/userboot.c: the first program. The kernel starts it
 * with the boot handles (docs/api.md, "Boot handles"): it reads the
 * boot-info VMA, starts every boot module as a component of its own with
 * an empty handle table, all at once (so they run side by side), waits for
 * each in turn, prints how each ended, and exits 0 only if every one ended
 * as its command line says it should:
 *
 *   NAME.wasm                 must exit with 0
 *   NAME.wasm expect=exit:N   must exit with N
 *   NAME.wasm expect=trap     must trap
 *   NAME.wasm expect=killed   must be killed
 *
 * A module whose arguments hold the word `iocap` (a driver) gets the root
 * I/O capability as its handle 0; the others get nothing.
 */
#include <coral.h>

#define MAX_MODULES 32

static coral_bootinfo_header info;
static coral_bootinfo_module mods[MAX_MODULES];
static char names[MAX_MODULES][64];
static char args[MAX_MODULES][64];
static int32_t comps[MAX_MODULES];

/* ---- a little output ---- */

static char line[256];
static uint32_t len;

static void add(const char *s)
{
    while (*s && len < sizeof line)
        line[len++] = *s++;
}

static void add_int(int32_t v)
{
    char d[12];
    int n = 0;
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    do {
        d[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        add("-");
    while (n--) {
        char s[2] = { d[n], 0 };
        add(s);
    }
}

static void flush(void)
{
    coral_log(line, len);
    len = 0;
}

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return 0;
    return 1;
}

/* Appends how a component ended. */
static void add_status(int32_t st)
{
    if (st < 0) {
        add("wait failed: ");
        add_int(st);
    } else if (coral_status_exited(st)) {
        add("exited with ");
        add_int(coral_status_detail(st));
    } else if (coral_status_trapped(st)) {
        add("trapped (");
        add(coral_trap_name(coral_status_detail(st)));
        add(")");
    } else {
        add("killed");
    }
}

/* Whether status `st` is what the arguments `a` ask for. */
static int as_expected(const char *a, int32_t st)
{
    const char *e = a;
    while (*e && !starts_with(e, "expect="))
        e++;
    if (!*e)
        return coral_status_exited(st) && coral_status_detail(st) == 0;
    e += 7;
    if (starts_with(e, "trap"))
        return coral_status_trapped(st);
    if (starts_with(e, "killed"))
        return coral_status_killed(st);
    if (starts_with(e, "exit:")) {
        int32_t n = 0;
        for (e += 5; *e >= '0' && *e <= '9'; e++)
            n = n * 10 + (*e - '0');
        return coral_status_exited(st) && coral_status_detail(st) == n;
    }
    return 0;
}

/* Copies a string of the boot-info VMA into `dst` (NUL-terminated). */
static void read_string(uint32_t off, uint32_t n, char *dst, uint32_t cap)
{
    if (n >= cap)
        n = cap - 1;
    if (coral_vma_read(CORAL_BOOT_INFO, off, dst, n) < 0)
        n = 0;
    dst[n] = 0;
}

/* Whether the arguments `a` hold the word `w`. */
static int has_word(const char *a, const char *w)
{
    uint32_t n = coral_strlen(w);
    for (const char *p = a; *p; p++) {
        if ((p == a || p[-1] == ' ') && starts_with(p, w) && (p[n] == 0 || p[n] == ' '))
            return 1;
    }
    return 0;
}

static int32_t start(uint32_t i)
{
    int32_t m = coral_module_create((int32_t)mods[i].handle, 0, mods[i].size);
    if (m < 0)
        return m;
    int32_t c = coral_component_create();
    if (c < 0)
        return c;
    static const int32_t iocap[1] = { CORAL_BOOT_IOCAP };
    uint32_t nh = has_word(args[i], "iocap") ? 1 : 0;
    int32_t inst = coral_component_add_instance(c, m, names[i], coral_strlen(names[i]), iocap, nh);
    coral_handle_close(m);
    if (inst < 0)
        return inst;
    int32_t rc = coral_component_start(c, inst, "_start", 6);
    coral_handle_close(inst);
    return rc < 0 ? rc : c;
}

void _start(void)
{
    if (coral_vma_read(CORAL_BOOT_INFO, 0, &info, sizeof info) != sizeof info ||
        info.magic != CORAL_BOOTINFO_MAGIC || info.version != CORAL_BOOTINFO_VERSION) {
        coral_puts("userboot: no boot info");
        coral_exit(2);
    }
    uint32_t n = info.count < MAX_MODULES ? info.count : MAX_MODULES;
    if (coral_vma_read(CORAL_BOOT_INFO, sizeof info, mods, n * sizeof mods[0]) < 0)
        coral_exit(2);
    for (uint32_t i = 0; i < n; i++) {
        read_string(mods[i].name_off, mods[i].name_len, names[i], sizeof names[i]);
        read_string(mods[i].args_off, mods[i].args_len, args[i], sizeof args[i]);
        comps[i] = start(i);
        if (comps[i] < 0) {
            add("userboot: ");
            add(names[i]);
            add(": cannot start: error ");
            add_int(comps[i]);
            flush();
        }
    }
    uint32_t good = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (comps[i] < 0)
            continue;
        int32_t st = coral_component_wait(comps[i]);
        int ok = as_expected(args[i], st);
        good += ok;
        add("userboot: ");
        add(names[i]);
        add(": ");
        add_status(st);
        add(ok ? " (as expected)" : " (NOT as expected)");
        flush();
        coral_handle_close(comps[i]);
    }
    add("userboot: ");
    add_int((int32_t)good);
    add(" of ");
    add_int((int32_t)n);
    add(" programs did what they were meant to");
    flush();
    coral_exit(good == n ? 0 : 1);
}
