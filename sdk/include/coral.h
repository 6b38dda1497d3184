/* sdk/include/coral.h: the `coral` module for C programs compiled to
 * WebAssembly (clang --target=wasm32). docs/api.md describes every call;
 * docs/writing-programs.md shows how to build a program.
 *
 * Every call returns one value: an int32_t that is a result when >= 0 and
 * an error code (CORAL_E*) when < 0, an int64_t for time, or an externref
 * token. Pointers are offsets into the program's own memory; the kernel
 * checks each one (CORAL_EFAULT).
 *
 * The token calls (coral_handle_to_ref, coral_handle_from_ref) need
 * clang-19 with reference types (on by default for wasm32 in clang-19,
 * or -mreference-types): C names an externref `__externref_t`.
 *
 * Freestanding: needs only <stdint.h>. On a non-Wasm target only the
 * constants and structures are declared (the host's tests compare them
 * with the kernel's kernel/coral/abi.h). */
#ifndef CORAL_H
#define CORAL_H

#include <stdint.h>

/* ---- error codes ---- */
#define CORAL_EBADH        (-1)   /* not an open handle of this instance */
#define CORAL_EKIND        (-2)   /* the handle names an object of another kind */
#define CORAL_ESTALE       (-3)   /* the token is no longer (or never was) live */
#define CORAL_EFAULT       (-4)   /* pointer+length outside this instance's memory */
#define CORAL_EINVAL       (-5)   /* an argument is out of its documented range */
#define CORAL_ENOMEM       (-6)   /* the kernel ran out of memory */
#define CORAL_ERANGE       (-7)   /* offset+length outside a VMA */
#define CORAL_EMALFORMED   (-8)   /* the bytes are not a valid module */
#define CORAL_ELINK        (-9)   /* an import cannot be resolved */
#define CORAL_ENOTFOUND    (-10)  /* no exported function of that name */
#define CORAL_ESTATE       (-11)  /* the object's state does not allow it */
#define CORAL_ELIMIT       (-12)  /* a table is full */
#define CORAL_ETRAP        (-13)  /* instantiation trapped: a segment does not fit */
#define CORAL_EUNSUPPORTED (-14)  /* not available here */
/* IPC (channels, wait) */
#define CORAL_ETIMEDOUT    (-15)  /* wait: the time passed, nothing became ready */
#define CORAL_ECLOSED      (-16)  /* the channel's peer end is closed */
#define CORAL_ETOOBIG      (-17)  /* channel_recv: the next message does not fit */
/* devices; -15..-17 are the channels' */
#define CORAL_EDENIED      (-18)  /* outside the I/O capability's grant, or the kernel's own */
#define CORAL_EBUSY        (-19)  /* the interrupt line is taken */

/* ---- handle kinds (coral_handle_kind) ---- */
#define CORAL_KIND_VMA       1
#define CORAL_KIND_MODULE    2
#define CORAL_KIND_COMPONENT 3
#define CORAL_KIND_INSTANCE  4
#define CORAL_KIND_CONSOLE   5
#define CORAL_KIND_IOCAP     6
#define CORAL_KIND_CHANNEL   7
#define CORAL_KIND_IRQ       8

/* ---- component status (coral_component_wait) ---- */
#define CORAL_STATUS_EXITED  0x000   /* | exit code 0..255 */
#define CORAL_STATUS_TRAPPED 0x100   /* | trap kind */
#define CORAL_STATUS_KILLED  0x200
#define CORAL_STATUS_HOW     0x300
#define CORAL_STATUS_DETAIL  0x0ff

/* trap kinds in a TRAPPED status */
#define CORAL_TRAP_UNREACHABLE           1
#define CORAL_TRAP_MEMORY_OOB            2
#define CORAL_TRAP_TABLE_OOB             3
#define CORAL_TRAP_DIV_ZERO              4
#define CORAL_TRAP_INT_OVERFLOW          5
#define CORAL_TRAP_INVALID_CONVERSION    6
#define CORAL_TRAP_UNDEFINED_ELEMENT     7
#define CORAL_TRAP_UNINITIALIZED_ELEMENT 8
#define CORAL_TRAP_INDIRECT_TYPE         9
#define CORAL_TRAP_NULL_REF              10
#define CORAL_TRAP_STACK_EXHAUSTED       11
#define CORAL_TRAP_HOST                  12

static inline int coral_status_exited(int32_t s)  { return s >= 0 && (s & CORAL_STATUS_HOW) == CORAL_STATUS_EXITED; }
static inline int coral_status_trapped(int32_t s) { return s >= 0 && (s & CORAL_STATUS_HOW) == CORAL_STATUS_TRAPPED; }
static inline int coral_status_killed(int32_t s)  { return s >= 0 && (s & CORAL_STATUS_HOW) == CORAL_STATUS_KILLED; }
/* The exit code of an EXITED status, the trap kind of a TRAPPED one. */
static inline int coral_status_detail(int32_t s)  { return s & CORAL_STATUS_DETAIL; }

/* The words a trap report uses for trap kind `k` ("?" for an unknown one). */
static inline const char *coral_trap_name(int k)
{
    static const char *const names[] = {
        "none", "unreachable", "out of bounds memory access", "out of bounds table access",
        "integer divide by zero", "integer overflow", "invalid conversion to integer",
        "undefined element", "uninitialized element", "indirect call type mismatch",
        "null reference", "call stack exhausted", "host trap",
    };
    return k >= 0 && k < (int)(sizeof names / sizeof names[0]) ? names[k] : "?";
}

/* ---- userboot's handles ---- */
#define CORAL_BOOT_CONSOLE 0   /* the console */
#define CORAL_BOOT_IOCAP   1   /* the root I/O capability */
#define CORAL_BOOT_INFO    2   /* a VMA: coral_bootinfo_header, then records */
#define CORAL_BOOT_MODULES 3   /* the first boot module's VMA */

#define CORAL_BOOTINFO_MAGIC   0x544f4f42u   /* "BOOT" */
#define CORAL_BOOTINFO_VERSION 1u

typedef struct coral_bootinfo_header {
    uint32_t magic;      /* CORAL_BOOTINFO_MAGIC */
    uint32_t version;    /* CORAL_BOOTINFO_VERSION */
    uint32_t count;      /* boot modules */
    uint32_t size;       /* bytes of the whole table */
} coral_bootinfo_header;

typedef struct coral_bootinfo_module {
    uint32_t handle;     /* its VMA in userboot's table */
    uint32_t size;       /* bytes in that VMA */
    uint32_t name_off;   /* its name: offset in the boot-info VMA, length */
    uint32_t name_len;
    uint32_t args_off;   /* the rest of its command line */
    uint32_t args_len;
} coral_bootinfo_module;

/* ---- what an I/O capability grants (coral_iocap_derive) ---- */
#define CORAL_IO_PORTS 1     /* I/O ports, below 0x10000 */
#define CORAL_IO_IRQ   2     /* ISA interrupt lines, below 16 */
#define CORAL_IO_MEM   3     /* physical device memory, below 2^46 */

/* ---- limits ---- */
#define CORAL_VMA_MAX     (1u << 30)
#define CORAL_LOG_MAX     65536u
#define CORAL_HANDLES_MAX 4096u
#define CORAL_NAME_MAX    256u
/* IPC (channels, wait) */
#define CORAL_MSG_BYTES_MAX     65536u  /* bytes in one message */
#define CORAL_MSG_HANDLES_MAX   64u     /* handles in one message */
#define CORAL_CHANNEL_QUEUE_MAX 64u     /* messages queued at one end */
#define CORAL_WAIT_MAX          64u     /* handles in one wait */

#if defined(__wasm__)

#define CORAL_IMPORT(name) __attribute__((import_module("coral"), import_name(name)))

/* diagnostics */
CORAL_IMPORT("log") int32_t coral_log(const void *ptr, uint32_t len);
CORAL_IMPORT("exit") __attribute__((noreturn)) void coral_exit(int32_t code);

/* handles */
CORAL_IMPORT("handle_kind") int32_t coral_handle_kind(int32_t h);
CORAL_IMPORT("handle_close") int32_t coral_handle_close(int32_t h);
CORAL_IMPORT("handle_dup") int32_t coral_handle_dup(int32_t h);
#if defined(__wasm_reference_types__)
CORAL_IMPORT("handle_to_ref") __externref_t coral_handle_to_ref(int32_t h);
CORAL_IMPORT("handle_from_ref") int32_t coral_handle_from_ref(__externref_t token);
#endif

/* memory areas */
CORAL_IMPORT("vma_create") int32_t coral_vma_create(uint32_t size);
CORAL_IMPORT("vma_size") int32_t coral_vma_size(int32_t vma);
CORAL_IMPORT("vma_read") int32_t coral_vma_read(int32_t vma, uint32_t off, void *ptr, uint32_t len);
CORAL_IMPORT("vma_write") int32_t coral_vma_write(int32_t vma, uint32_t off, const void *ptr,
                                                  uint32_t len);
CORAL_IMPORT("vma_copy") int32_t coral_vma_copy(int32_t src, int32_t dst, uint32_t src_off,
                                                uint32_t dst_off, uint32_t len);

/* modules and components */
CORAL_IMPORT("module_create") int32_t coral_module_create(int32_t vma, uint32_t off, uint32_t len);
CORAL_IMPORT("component_create") int32_t coral_component_create(void);
CORAL_IMPORT("component_add_instance")
int32_t coral_component_add_instance(int32_t component, int32_t module, const char *name,
                                     uint32_t name_len, const int32_t *handles, uint32_t count);
CORAL_IMPORT("component_start")
int32_t coral_component_start(int32_t component, int32_t instance, const char *name,
                              uint32_t name_len);
CORAL_IMPORT("component_wait") int32_t coral_component_wait(int32_t component);
CORAL_IMPORT("component_kill") int32_t coral_component_kill(int32_t component);

/* time and scheduling */
CORAL_IMPORT("time") int64_t coral_time(void);
CORAL_IMPORT("sleep") int32_t coral_sleep(int64_t ns);
CORAL_IMPORT("yield") int32_t coral_yield(void);

/* the console */
CORAL_IMPORT("console_write") int32_t coral_console_write(int32_t console, const void *ptr,
                                                          uint32_t len);
CORAL_IMPORT("console_read") int32_t coral_console_read(int32_t console, void *ptr, uint32_t cap);
/* IPC: channels and wait. channel_recv returns the message's byte count;
 * its handles are written at handles[0..n-1] and the rest of the hcap
 * slots are set to -1 (coral_msg_handles counts them). */
CORAL_IMPORT("channel_create") int32_t coral_channel_create(int32_t ends[2]);
CORAL_IMPORT("channel_send")
int32_t coral_channel_send(int32_t end, const void *ptr, uint32_t len, const int32_t *handles,
                           uint32_t count);
CORAL_IMPORT("channel_recv")
int32_t coral_channel_recv(int32_t end, void *ptr, uint32_t cap, int32_t *handles, uint32_t hcap);
CORAL_IMPORT("wait") int32_t coral_wait(const int32_t *handles, uint32_t count, int64_t timeout_ns);

/* devices, through an I/O capability (docs/api.md, "Devices") */
CORAL_IMPORT("iocap_derive")
int32_t coral_iocap_derive(int32_t iocap, int32_t kind, uint64_t first, uint64_t count);
CORAL_IMPORT("io_read8") int32_t coral_io_read8(int32_t iocap, uint32_t port);
CORAL_IMPORT("io_read16") int32_t coral_io_read16(int32_t iocap, uint32_t port);
CORAL_IMPORT("io_read32") int64_t coral_io_read32(int32_t iocap, uint32_t port);
CORAL_IMPORT("io_write8") int32_t coral_io_write8(int32_t iocap, uint32_t port, uint32_t value);
CORAL_IMPORT("io_write16") int32_t coral_io_write16(int32_t iocap, uint32_t port, uint32_t value);
CORAL_IMPORT("io_write32") int32_t coral_io_write32(int32_t iocap, uint32_t port, uint32_t value);
CORAL_IMPORT("irq_create") int32_t coral_irq_create(int32_t iocap, int32_t line);
CORAL_IMPORT("irq_wait") int32_t coral_irq_wait(int32_t irq);
CORAL_IMPORT("vma_device") int32_t coral_vma_device(int32_t iocap, uint64_t phys, uint32_t size);

/* ---- conveniences (no imports of their own) ---- */

static inline uint32_t coral_strlen(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* Logs a NUL-terminated string as one line. */
static inline int32_t coral_puts(const char *s)
{
    return coral_log(s, coral_strlen(s));
}

/* How many handles channel_recv received in handles[0..hcap-1]. */
static inline uint32_t coral_msg_handles(const int32_t *handles, uint32_t hcap)
{
    uint32_t n = 0;
    while (n < hcap && handles[n] >= 0)
        n++;
    return n;
}

#endif /* __wasm__ */
#endif
