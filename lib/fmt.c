/* lib/fmt.c: the printf-style formatter behind the kernel's printf, the
 * engine's error messages and the host tools' reports. */
#include "lib/fmt.h"
#include "lib/string.h"
#include <stdint.h>
#include <stdbool.h>

typedef struct spec {
    bool left, zero, plus, space, alt;
    int width;      /* 0 when absent */
    int prec;       /* -1 when absent */
} spec;

typedef struct out {
    lib_putc_fn *put;
    void *ctx;
    int count;
} out;

static void emit(out *o, char c)
{
    o->put(o->ctx, c);
    o->count++;
}

static void emit_pad(out *o, char c, int n)
{
    while (n-- > 0)
        emit(o, c);
}

static void emit_str(out *o, const spec *sp, const char *s)
{
    if (!s)
        s = "(null)";
    int len = (int)(sp->prec >= 0 ? lib_strnlen(s, (size_t)sp->prec) : lib_strlen(s));
    if (!sp->left)
        emit_pad(o, ' ', sp->width - len);
    for (int i = 0; i < len; i++)
        emit(o, s[i]);
    if (sp->left)
        emit_pad(o, ' ', sp->width - len);
}

/* Prints an unsigned magnitude with an optional sign or prefix. */
static void emit_num(out *o, const spec *sp, uint64_t v, unsigned base,
                     bool upper, const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0;
    if (v == 0 && sp->prec == 0) {
        /* "%.0d" of zero prints no digits */
    } else {
        do {
            buf[n++] = digits[v % base];
            v /= base;
        } while (v);
    }
    int prec_zeros = sp->prec > n ? sp->prec - n : 0;
    int plen = (int)lib_strlen(prefix);
    int total = plen + prec_zeros + n;
    bool zero_pad = sp->zero && !sp->left && sp->prec < 0;
    if (!sp->left && !zero_pad)
        emit_pad(o, ' ', sp->width - total);
    for (int i = 0; i < plen; i++)
        emit(o, prefix[i]);
    if (zero_pad)
        emit_pad(o, '0', sp->width - total);
    emit_pad(o, '0', prec_zeros);
    while (n)
        emit(o, buf[--n]);
    if (sp->left)
        emit_pad(o, ' ', sp->width - total);
}

/* Reads a width or precision: digits, or '*' taken from the arguments. */
static int read_count(const char **f, va_list *ap)
{
    if (**f == '*') {
        (*f)++;
        return va_arg(*ap, int);
    }
    int v = 0;
    while (**f >= '0' && **f <= '9')
        v = v * 10 + (*(*f)++ - '0');
    return v;
}

enum { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static int read_length(const char **f)
{
    const char *p = *f;
    int len = LEN_INT;
    if (p[0] == 'h' && p[1] == 'h')      len = LEN_CHAR, p += 2;
    else if (p[0] == 'h')                len = LEN_SHORT, p++;
    else if (p[0] == 'l' && p[1] == 'l') len = LEN_LLONG, p += 2;
    else if (p[0] == 'l')                len = LEN_LONG, p++;
    else if (p[0] == 'z' || p[0] == 't') len = LEN_SIZE, p++;
    else if (p[0] == 'j')                len = LEN_LLONG, p++;
    *f = p;
    return len;
}

static int64_t arg_signed(va_list *ap, int len)
{
    switch (len) {
    case LEN_CHAR:  return (signed char)va_arg(*ap, int);
    case LEN_SHORT: return (short)va_arg(*ap, int);
    case LEN_LONG:  return va_arg(*ap, long);
    case LEN_LLONG: return va_arg(*ap, long long);
    case LEN_SIZE:  return (int64_t)va_arg(*ap, size_t);
    default:        return va_arg(*ap, int);
    }
}

static uint64_t arg_unsigned(va_list *ap, int len)
{
    switch (len) {
    case LEN_CHAR:  return (unsigned char)va_arg(*ap, unsigned);
    case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_LONG:  return va_arg(*ap, unsigned long);
    case LEN_LLONG: return va_arg(*ap, unsigned long long);
    case LEN_SIZE:  return va_arg(*ap, size_t);
    default:        return va_arg(*ap, unsigned);
    }
}

static void format_one(out *o, const char **f, va_list *ap)
{
    spec sp = { .prec = -1 };
    for (;; (*f)++) {
        char c = **f;
        if (c == '-')      sp.left = true;
        else if (c == '0') sp.zero = true;
        else if (c == '+') sp.plus = true;
        else if (c == ' ') sp.space = true;
        else if (c == '#') sp.alt = true;
        else break;
    }
    sp.width = read_count(f, ap);
    if (sp.width < 0) {
        sp.left = true;
        sp.width = -sp.width;
    }
    if (**f == '.') {
        (*f)++;
        sp.prec = read_count(f, ap);
    }
    int len = read_length(f);
    char conv = **f;
    if (conv)
        (*f)++;
    switch (conv) {
    case 'd': case 'i': {
        int64_t v = arg_signed(ap, len);
        uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
        const char *sign = v < 0 ? "-" : sp.plus ? "+" : sp.space ? " " : "";
        emit_num(o, &sp, mag, 10, false, sign);
        break;
    }
    case 'u':
        emit_num(o, &sp, arg_unsigned(ap, len), 10, false, "");
        break;
    case 'x': case 'X': {
        uint64_t v = arg_unsigned(ap, len);
        const char *pre = sp.alt && v ? (conv == 'x' ? "0x" : "0X") : "";
        emit_num(o, &sp, v, 16, conv == 'X', pre);
        break;
    }
    case 'o':
        emit_num(o, &sp, arg_unsigned(ap, len), 8, false, sp.alt ? "0" : "");
        break;
    case 'p':
        emit_num(o, &sp, (uintptr_t)va_arg(*ap, void *), 16, false, "0x");
        break;
    case 's':
        emit_str(o, &sp, va_arg(*ap, const char *));
        break;
    case 'c': {
        char s[2] = { (char)va_arg(*ap, int), 0 };
        sp.prec = -1;
        if (!sp.left)
            emit_pad(o, ' ', sp.width - 1);
        emit(o, s[0]);
        if (sp.left)
            emit_pad(o, ' ', sp.width - 1);
        break;
    }
    case '%':
        emit(o, '%');
        break;
    case 0:
        emit(o, '%');
        break;
    default:
        emit(o, '%');
        emit(o, conv);
        break;
    }
}

int lib_vformat(lib_putc_fn *put, void *ctx, const char *fmt, va_list ap)
{
    out o = { put, ctx, 0 };
    va_list args;
    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            emit(&o, *fmt++);
            continue;
        }
        fmt++;
        format_one(&o, &fmt, &args);
    }
    va_end(args);
    return o.count;
}

int lib_format(lib_putc_fn *put, void *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = lib_vformat(put, ctx, fmt, ap);
    va_end(ap);
    return n;
}

typedef struct strbuf {
    char *buf;
    size_t size, len;
} strbuf;

static void put_buf(void *ctx, char c)
{
    strbuf *b = ctx;
    if (b->len + 1 < b->size)
        b->buf[b->len] = c;
    b->len++;
}

int lib_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    strbuf b = { buf, size, 0 };
    int n = lib_vformat(put_buf, &b, fmt, ap);
    if (size)
        buf[b.len < size ? b.len : size - 1] = 0;
    return n;
}

int lib_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = lib_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
