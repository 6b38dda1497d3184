/* tests/programs/conin.c: console input. Run as the first program (it
 * uses the console in boot slot 0): reads what is typed, line by line,
 * and answers each line with "conin: line N: TEXT"; stops at a line
 * "quit" or at the end of input and says which. Before that, the console
 * calls' bad arguments, each with its error code, and a wait() on the
 * console for the first input. Exits with the number
 * of mismatches. */
#include <coral.h>
#include "../../programs/drivers/line.h"

static int bad;
/* Writes the line built so far, and a newline, with console_write. */
static void flush(void)
{
    say("\n");
    coral_console_write(CORAL_BOOT_CONSOLE, line_buf, line_len);
    line_len = 0;
}

static void expect(const char *what, int32_t got, int32_t want)
{
    if (got == want)
        return;
    say("conin: ");
    say(what);
    say(": got ");
    say_i(got);
    say(", want ");
    say_i(want);
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
    say(": reading");
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
            say("conin: end of input after ");
            say_i(lines);
            say(" lines");
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
            say("conin: line ");
            say_i(lines);
            say(": ");
            say_n(line, n);
            flush();
            n = 0;
        }
        if (quit) {
            say("conin: quit after ");
            say_i(lines);
            say(" lines");
            flush();
            break;
        }
    }
    coral_exit(bad);
}
