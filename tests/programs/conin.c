/* tests/programs/conin.c: console input. Run as the first program (it
 * uses the console in boot slot 0): reads what is typed, line by line,
 * and answers each line with "conin: line N: TEXT"; stops at a line
 * "quit" or at the end of input and says which. Before that, the console
 * calls' bad arguments, each with its error code, and a wait() on the
 * console for the first input. Exits with the number
 * of mismatches. */
#include <coral.h>

static int bad;
static char out[300];
static uint32_t olen;

static void put(const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n && olen < sizeof out; i++)
        out[olen++] = s[i];
}

static void puts_(const char *s) { put(s, coral_strlen(s)); }

static void put_int(int32_t v)
{
    char d[12];
    int k = 0;
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    do {
        d[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        puts_("-");
    while (k) {
        char c = d[--k];
        put(&c, 1);
    }
}

/* Writes the line built so far with console_write (no newline added). */
static void flush(void)
{
    puts_("\n");
    coral_console_write(CORAL_BOOT_CONSOLE, out, olen);
    olen = 0;
}

static void expect(const char *what, int32_t got, int32_t want)
{
    if (got == want)
        return;
    puts_("conin: ");
    puts_(what);
    puts_(": got ");
    put_int(got);
    puts_(", want ");
    put_int(want);
    flush();
    bad++;
}

static char in[64];
static char line[200];

void _start(void)
{
    uint32_t memsize = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
    expect("console_read(cap 0)", coral_console_read(CORAL_BOOT_CONSOLE, in, 0), CORAL_EINVAL);
    expect("console_read(past memory)",
           coral_console_read(CORAL_BOOT_CONSOLE, (void *)(memsize - 4), 8), CORAL_EFAULT);
    expect("console_write(past memory)",
           coral_console_write(CORAL_BOOT_CONSOLE, (void *)(memsize - 4), 8), CORAL_EFAULT);
    expect("console_write(5 bytes)", coral_console_write(CORAL_BOOT_CONSOLE, "conin", 5), 5);
    expect("console_write(0 bytes)", coral_console_write(CORAL_BOOT_CONSOLE, in, 0), 0);
    puts_(": reading");
    flush();
    /* wait() takes the console: it returns once input is there (or its
     * end), without taking any; a VMA beside it cannot be waited on. */
    int32_t con = CORAL_BOOT_CONSOLE;
    expect("wait(console)", coral_wait(&con, 1, 10ll * 1000 * 1000 * 1000), 0);
    int32_t pair[2] = { con, coral_vma_create(16) };
    expect("wait(console, vma)", coral_wait(pair, 2, 0), CORAL_EKIND);
    coral_handle_close(pair[1]);

    int32_t lines = 0;
    uint32_t n = 0;
    for (;;) {
        int32_t got = coral_console_read(CORAL_BOOT_CONSOLE, in, sizeof in);
        if (got < 0) {
            expect("console_read", got, 1);
            break;
        }
        if (got == 0) {
            puts_("conin: end of input after ");
            put_int(lines);
            puts_(" lines");
            flush();
            break;
        }
        int quit = 0;
        for (int32_t i = 0; i < got && !quit; i++) {
            char c = in[i];
            if (c != '\n' && c != '\r') {
                if (n < sizeof line)
                    line[n++] = c;
                continue;
            }
            if (n == 0)
                continue;           /* empty lines, and the \n of \r\n */
            if (n == 4 && line[0] == 'q' && line[1] == 'u' && line[2] == 'i' && line[3] == 't') {
                quit = 1;
                break;
            }
            lines++;
            puts_("conin: line ");
            put_int(lines);
            puts_(": ");
            put(line, n);
            flush();
            n = 0;
        }
        if (quit) {
            puts_("conin: quit after ");
            put_int(lines);
            puts_(" lines");
            flush();
            break;
        }
    }
    coral_exit(bad);
}
