/* programs/shell/shell.c: an interactive shell on the console. Run as the
 * first program (`make shell`, or `build/coral run shell.wasm PROGRAMS...`):
 * it holds the boot handles, so it can list the boot modules and run them,
 * one component each, waiting for each to end; a program it runs gets the
 * console as its handle 0, and the shell reads no further than the end of
 * the command line, so what follows is the program's. It echoes what is typed and
 * edits the line itself (the console gives raw bytes): backspace erases,
 * Ctrl-C drops the line, Ctrl-D on an empty line leaves.
 *
 *   help              the commands
 *   ls                the boot modules, with their sizes
 *   run NAME          runs boot module NAME and says how it ended
 *   echo WORDS...     prints the words
 *   time              time since boot
 *   exit [N]          leaves with status N (0 by default)
 */
#include <coral.h>

#define MAX_MODULES 32
#define LINE_MAX 200

static coral_bootinfo_module mods[MAX_MODULES];
static char names[MAX_MODULES][64];
static uint32_t nmods;

/* ---- output, gathered and written with console_write ---- */

static char out[512];
static uint32_t olen;

static void flush(void)
{
    if (olen)
        coral_console_write(CORAL_BOOT_CONSOLE, out, olen);
    olen = 0;
}

static void put(const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (olen == sizeof out)
            flush();
        out[olen++] = s[i];
    }
}

static void puts_(const char *s) { put(s, coral_strlen(s)); }

static void put_uint(uint64_t u)
{
    char d[20];
    int k = 0;
    do {
        d[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (k) {
        char c = d[--k];
        put(&c, 1);
    }
}

static void put_int(int32_t v)
{
    if (v < 0) {
        puts_("-");
        put_uint(0u - (uint32_t)v);
    } else {
        put_uint((uint32_t)v);
    }
}

/* ---- words ---- */

static int same(const char *a, uint32_t n, const char *b)
{
    uint32_t i = 0;
    for (; i < n && b[i]; i++)
        if (a[i] != b[i])
            return 0;
    return i == n && !b[i];
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static uint32_t word_len(const char *s)
{
    uint32_t n = 0;
    while (s[n] && s[n] != ' ' && s[n] != '\t')
        n++;
    return n;
}

/* ---- boot modules ---- */

static void load_boot_info(void)
{
    coral_bootinfo_header h;
    if (coral_vma_read(CORAL_BOOT_INFO, 0, &h, sizeof h) != sizeof h ||
        h.magic != CORAL_BOOTINFO_MAGIC || h.version != CORAL_BOOTINFO_VERSION)
        return;
    nmods = h.count < MAX_MODULES ? h.count : MAX_MODULES;
    if (coral_vma_read(CORAL_BOOT_INFO, sizeof h, mods, nmods * sizeof mods[0]) < 0) {
        nmods = 0;
        return;
    }
    for (uint32_t i = 0; i < nmods; i++) {
        uint32_t n = mods[i].name_len < sizeof names[i] - 1 ? mods[i].name_len : sizeof names[i] - 1;
        if (coral_vma_read(CORAL_BOOT_INFO, mods[i].name_off, names[i], n) < 0)
            n = 0;
        names[i][n] = 0;
    }
}

/* The boot module called NAME, or NAME.wasm; -1 when there is none. */
static int find_module(const char *name, uint32_t n)
{
    for (uint32_t i = 0; i < nmods; i++) {
        uint32_t k = coral_strlen(names[i]);
        int prefix = k >= n;
        for (uint32_t j = 0; j < n && prefix; j++)
            prefix = names[i][j] == name[j];
        if (prefix && (k == n || (k == n + 5 && same(names[i] + n, 5, ".wasm"))))
            return (int)i;
    }
    return -1;
}

/* Runs boot module i as a component of its own and waits for it; returns
 * its status, or an error code (< 0) when it could not start. */
static int32_t run_module(uint32_t i)
{
    int32_t m = coral_module_create((int32_t)mods[i].handle, 0, mods[i].size);
    if (m < 0)
        return m;
    int32_t c = coral_component_create();
    int32_t console = CORAL_BOOT_CONSOLE;
    int32_t inst = c < 0 ? c : coral_component_add_instance(c, m, names[i], coral_strlen(names[i]),
                                                             &console, 1);
    coral_handle_close(m);
    int32_t rc = inst < 0 ? inst : coral_component_start(c, inst, "_start", 6);
    if (inst >= 0)
        coral_handle_close(inst);
    if (rc >= 0)
        rc = coral_component_wait(c);
    if (c >= 0)
        coral_handle_close(c);
    return rc;
}

/* ---- commands ---- */

static void cmd_help(void)
{
    puts_("commands:\n"
          "  help         this list\n"
          "  ls           the boot modules\n"
          "  run NAME     run boot module NAME and say how it ended\n"
          "  echo WORDS   print the words\n"
          "  time         time since boot\n"
          "  exit [N]     leave with status N\n");
}

static void cmd_ls(void)
{
    if (nmods == 0)
        puts_("no boot modules\n");
    for (uint32_t i = 0; i < nmods; i++) {
        puts_(names[i]);
        puts_("  ");
        put_uint(mods[i].size);
        puts_(" bytes\n");
    }
}

static void cmd_run(const char *arg)
{
    uint32_t n = word_len(arg);
    if (n == 0) {
        puts_("run: which program? (see ls)\n");
        return;
    }
    int i = find_module(arg, n);
    if (i < 0) {
        puts_("run: no boot module ");
        put(arg, n);
        puts_(" (see ls)\n");
        return;
    }
    flush();                        /* the program's output comes after ours */
    int32_t st = run_module((uint32_t)i);
    puts_(names[i]);
    if (st < 0) {
        puts_(": cannot start: error ");
        put_int(st);
    } else if (coral_status_exited(st)) {
        puts_(": exited with ");
        put_int(coral_status_detail(st));
    } else if (coral_status_trapped(st)) {
        puts_(": trapped (");
        puts_(coral_trap_name(coral_status_detail(st)));
        puts_(")");
    } else {
        puts_(": killed");
    }
    puts_("\n");
}

static void cmd_time(void)
{
    uint64_t ms = (uint64_t)coral_time() / 1000000u;
    put_uint(ms / 1000);
    puts_(".");
    char d[3] = { (char)('0' + ms / 100 % 10), (char)('0' + ms / 10 % 10), (char)('0' + ms % 10) };
    put(d, 3);
    puts_(" s since boot\n");
}

/* Parses a decimal exit status (0..255); -1 when it is not one. */
static int32_t parse_status(const char *s, uint32_t n)
{
    int32_t v = 0;
    if (n == 0 || n > 3)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v <= 255 ? v : -1;
}

/* Runs one line; returns 0 to go on, 1 to leave (with *status). */
static int execute(const char *line, int32_t *status)
{
    const char *cmd = skip_spaces(line);
    uint32_t n = word_len(cmd);
    const char *arg = skip_spaces(cmd + n);
    if (n == 0)
        return 0;
    if (same(cmd, n, "help")) {
        cmd_help();
    } else if (same(cmd, n, "ls")) {
        cmd_ls();
    } else if (same(cmd, n, "run")) {
        cmd_run(arg);
    } else if (same(cmd, n, "echo")) {
        puts_(arg);
        puts_("\n");
    } else if (same(cmd, n, "time")) {
        cmd_time();
    } else if (same(cmd, n, "exit")) {
        uint32_t an = word_len(arg);
        *status = an ? parse_status(arg, an) : 0;
        if (*status >= 0)
            return 1;
        puts_("exit: the status is a number from 0 to 255\n");
    } else {
        put(cmd, n);
        puts_(": no such command (try help)\n");
    }
    return 0;
}

/* ---- the line editor ---- */

static char line[LINE_MAX + 1];
static uint32_t llen;
static char in[1];         /* one byte at a time: see the header */

static void prompt(void)
{
    puts_("coral> ");
    flush();
}

/* Takes one typed byte; returns 0 to go on, 1 to leave. */
static int take(char c, int32_t *status)
{
    if (c == '\r' || c == '\n') {
        puts_("\n");
        line[llen] = 0;
        int leave = execute(line, status);
        llen = 0;
        if (!leave)
            prompt();
        return leave;
    }
    if (c == 0x7f || c == '\b') {               /* backspace */
        if (llen) {
            llen--;
            puts_("\b \b");
        }
    } else if (c == 0x03) {                     /* Ctrl-C: drop the line */
        puts_("^C\n");
        llen = 0;
        prompt();
    } else if (c == 0x04) {                     /* Ctrl-D: leave on an empty line */
        if (llen == 0) {
            puts_("exit\n");
            *status = 0;
            return 1;
        }
    } else if (c >= ' ' && c < 0x7f && llen < LINE_MAX) {
        line[llen++] = c;
        put(&c, 1);
    }
    return 0;
}

void _start(void)
{
    load_boot_info();
    puts_("Coral shell: type help for the commands\n");
    prompt();
    int32_t status = 0;
    int last_cr = 0;
    for (;;) {
        int32_t got = coral_console_read(CORAL_BOOT_CONSOLE, in, sizeof in);
        if (got <= 0) {                         /* the end of input */
            puts_("\n");
            break;
        }
        int leave = 0;
        for (int32_t i = 0; i < got && !leave; i++) {
            if (in[i] == '\n' && last_cr) {     /* \r\n is one end of line */
                last_cr = 0;
                continue;
            }
            last_cr = in[i] == '\r';
            leave = take(in[i], &status);
        }
        flush();
        if (leave)
            break;
    }
    flush();
    coral_exit(status);
}
