/* programs/drivers/rtc.c: a driver for the PC's CMOS real-time clock (an
 * MC146818: index port 0x70, data port 0x71, ISA interrupt line 8), as a
 * program. Userboot gives it the root I/O capability (handle 0, when its
 * boot arguments say `iocap`); it keeps only what it needs, a capability
 * for the two ports and one for line 8, and closes the root.
 *
 * It reads the date and time, then programs the clock's periodic
 * interrupt at 64 Hz and counts 32 of them through irq_wait, reading
 * register C after each one (which acknowledges it at the device), and
 * checks the rate against coral_time; then that the line stays masked
 * while the driver does not wait. Lines it prints (the kernel test
 * checks them):
 *
 *   rtc: date YYYY-MM-DD hh:mm:ss UTC
 *   rtc: port 0x80 is outside its capability: denied
 *   rtc: io_read8 takes N ns
 *   rtc: 32 periodic interrupts (64 Hz) in N ms, M wake-ups, F flagged: rate ok
 *   rtc: wait returned 0, then irq_wait counted 1
 *   rtc: 100 ms later, irq_wait counted 1: the line stayed masked
 *   rtc: line 8 is free again after close
 *
 * Exit 0 when all went as expected, else the number of the failed step. */
#include <coral.h>
#include "line.h"

#define ROOT        0
#define RTC_INDEX   0x70
#define RTC_DATA    0x71
#define RTC_LINE    8
#define REG_A       0x0a    /* bit 7: update in progress; bits 0..3: rate */
#define REG_B       0x0b    /* bit 6: periodic interrupt on; bit 2: binary; bit 1: 24 h */
#define REG_C       0x0c    /* read: which interrupts came (bit 6: periodic); clears them */
#define RATE        10      /* 32768 >> (RATE - 1) = 64 Hz */
#define HZ          64
#define COUNT       32

static int32_t ports;

/* Port I/O cannot fail once the capability is right, but where there are
 * no devices (`coral run` on Linux: CORAL_EUNSUPPORTED). */
static int32_t io_check(int32_t rc)
{
    if (rc < 0) {
        say("rtc: port I/O failed: error ");
        say_i(rc);
        say_end();
        coral_exit(10);
    }
    return rc;
}

static uint32_t cmos_read(uint32_t reg)
{
    io_check(coral_io_write8(ports, RTC_INDEX, reg));
    return (uint32_t)io_check(coral_io_read8(ports, RTC_DATA));
}

static void cmos_write(uint32_t reg, uint32_t v)
{
    io_check(coral_io_write8(ports, RTC_INDEX, reg));
    io_check(coral_io_write8(ports, RTC_DATA, v));
}

static uint32_t bcd(uint32_t v, int binary)
{
    return binary ? v : (v >> 4) * 10 + (v & 15);
}

/* Reads the date twice, outside an update, until two reads agree. */
static void print_date(void)
{
    static const uint32_t regs[7] = { 0x32, 0x09, 0x08, 0x07, 0x04, 0x02, 0x00 };
    uint32_t a[7], b[7];
    int same = 0;
    for (int tries = 0; tries < 100 && !same; tries++) {
        while (cmos_read(REG_A) & 0x80)
            coral_yield();
        for (int i = 0; i < 7; i++)
            a[i] = cmos_read(regs[i]);
        while (cmos_read(REG_A) & 0x80)
            coral_yield();
        same = 1;
        for (int i = 0; i < 7; i++) {
            b[i] = cmos_read(regs[i]);
            same &= a[i] == b[i];
        }
    }
    uint32_t fmt = cmos_read(REG_B);
    int binary = (fmt & 4) != 0;
    uint32_t hour = a[4];
    int pm = !(fmt & 2) && (hour & 0x80);
    hour = bcd(hour & 0x7f, binary);
    if (!(fmt & 2))
        hour = hour % 12 + (pm ? 12 : 0);
    say("rtc: date ");
    say_u(bcd(a[0], binary) * 100 + bcd(a[1], binary));
    say("-");
    say_2(bcd(a[2], binary));
    say("-");
    say_2(bcd(a[3], binary));
    say(" ");
    say_2(hour);
    say(":");
    say_2(bcd(a[5], binary));
    say(":");
    say_2(bcd(a[6], binary));
    say(" UTC");
    say_end();
}

void _start(void)
{
    if (coral_handle_kind(ROOT) != CORAL_KIND_IOCAP) {
        coral_puts("rtc: no I/O capability in handle 0 (boot it with `iocap`)");
        coral_exit(1);
    }
    ports = coral_iocap_derive(ROOT, CORAL_IO_PORTS, RTC_INDEX, 2);
    int32_t lines = coral_iocap_derive(ROOT, CORAL_IO_IRQ, RTC_LINE, 1);
    if (ports < 0 || lines < 0)
        coral_exit(2);
    coral_handle_close(ROOT);

    print_date();
    if (coral_io_read8(ports, 0x80) != CORAL_EDENIED ||
        coral_iocap_derive(ports, CORAL_IO_PORTS, RTC_INDEX, 3) != CORAL_EDENIED)
        coral_exit(3);
    coral_puts("rtc: port 0x80 is outside its capability: denied");

    /* What a port access costs, call included. */
    int64_t c0 = coral_time();
    for (int i = 0; i < 1000; i++)
        io_check(coral_io_read8(ports, RTC_DATA));
    say("rtc: io_read8 takes ");
    say_u((uint64_t)(coral_time() - c0) / 1000);
    say(" ns");
    say_end();

    int32_t irq = coral_irq_create(lines, RTC_LINE);
    if (irq < 0) {
        say("rtc: irq_create: error ");
        say_i(irq);
        say_end();
        coral_exit(4);
    }
    if (coral_irq_create(lines, RTC_LINE) != CORAL_EBUSY)
        coral_exit(5);
    cmos_write(REG_A, (cmos_read(REG_A) & 0xf0) | RATE);
    cmos_write(REG_B, cmos_read(REG_B) | 0x40);
    cmos_read(REG_C);                   /* nothing pending at the device */
    int64_t t0 = coral_time();
    int32_t total = 0, wakeups = 0, flagged = 0;
    while (total < COUNT) {
        int32_t n = coral_irq_wait(irq);
        if (n <= 0)
            coral_exit(6);
        total += n;
        wakeups++;
        flagged += (cmos_read(REG_C) & 0x40) != 0;   /* acknowledges it */
    }
    int64_t ms = (coral_time() - t0) / 1000000;

    /* The kernel masked the line at the last interrupt and keeps it
     * masked until the next irq_wait: over 100 ms (6 periods) at most one
     * more interrupt gets counted (two, if the emulator stalls while one
     * is on its way), not six. */
    coral_sleep(100 * 1000 * 1000);
    cmos_read(REG_C);
    int32_t masked = coral_irq_wait(irq);
    /* wait() on the interrupt object asks for the next one, as irq_wait
     * does (it unmasks the line), and returns when it is pending; then
     * irq_wait takes it at once. */
    cmos_read(REG_C);
    int32_t w = coral_wait(&irq, 1, 1000 * 1000 * 1000);
    int32_t next = coral_irq_wait(irq);
    cmos_read(REG_C);
    say("rtc: wait returned ");
    say_i(w);
    say(", then irq_wait counted ");
    say_i(next);
    say_end();
    if (w != 0 || next < 1)
        coral_exit(10);
    cmos_write(REG_B, cmos_read(REG_B) & ~0x40u);
    cmos_read(REG_C);
    say("rtc: 100 ms later, irq_wait counted ");
    say_i(masked);
    say(masked >= 1 && masked <= 2 ? ": the line stayed masked" : ": NOT masked");
    say_end();
    if (masked < 1 || masked > 2)
        coral_exit(9);
    /* Wake-ups whose register C shows the periodic flag: all of them
     * normally. When the emulator stalls longer than a period between
     * irq_wait's return and the read of C, the next period's edge is
     * latched while the line is masked, comes after the unmask, and finds
     * its flag already read: so at least half, not all. */
    /* At most HZ a second (less a little for the first, which may come at
     * once); fewer when the emulator drops ticks under load. */
    int ok = ms >= (COUNT - 1) * 1000 / HZ * 9 / 10 && ms <= 20 * COUNT * 1000 / HZ &&
             flagged * 2 >= wakeups;
    say("rtc: ");
    say_u((uint64_t)total);
    say(" periodic interrupts (");
    say_u(HZ);
    say(" Hz) in ");
    say_u((uint64_t)ms);
    say(" ms, ");
    say_u((uint64_t)wakeups);
    say(" wake-ups, ");
    say_u((uint64_t)flagged);
    say(" flagged");
    say(ok ? ": rate ok" : ": NOT ok");
    say_end();
    if (!ok)
        coral_exit(7);

    coral_handle_close(irq);
    irq = coral_irq_create(lines, RTC_LINE);
    if (irq < 0)
        coral_exit(8);
    coral_handle_close(irq);
    coral_puts("rtc: line 8 is free again after close");
}
