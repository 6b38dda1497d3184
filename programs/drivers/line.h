/* programs/drivers/line.h: one line of console output built piece by
 * piece (text, decimal, hex), for the drivers and for test programs, which
 * have no libc. Each program has its own copy of the buffer (static). */
#ifndef DRIVERS_LINE_H
#define DRIVERS_LINE_H

#include <coral.h>

static char line_buf[256];
static uint32_t line_len;

static inline void say(const char *s)
{
    while (*s && line_len < sizeof line_buf)
        line_buf[line_len++] = *s++;
}

/* n bytes of s (no NUL needed). */
static inline void say_n(const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n && line_len < sizeof line_buf; i++)
        line_buf[line_len++] = s[i];
}

static inline void say_u(uint64_t v)
{
    char d[20];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n && line_len < sizeof line_buf)
        line_buf[line_len++] = d[--n];
}

static inline void say_i(int64_t v)
{
    if (v < 0) {
        say("-");
        say_u(0 - (uint64_t)v);
    } else {
        say_u((uint64_t)v);
    }
}

/* `digits` hex digits (at least one), lower case, without 0x. */
static inline void say_x(uint64_t v, int digits)
{
    for (int i = digits - 1; i >= 0 && line_len < sizeof line_buf; i--)
        line_buf[line_len++] = "0123456789abcdef"[(v >> (4 * i)) & 15];
}

/* Two decimal digits (a date's fields). */
static inline void say_2(uint32_t v)
{
    char s[3] = { (char)('0' + v / 10 % 10), (char)('0' + v % 10), 0 };
    say(s);
}

static inline void say_end(void)
{
    coral_log(line_buf, line_len);
    line_len = 0;
}

#endif
