/* kernel/coral/abi.h: the numbers of the `coral` module's interface, as
 * programs see them: error codes, handle kinds, component status, boot
 * slots and the boot-info layout. docs/api.md explains each one;
 * sdk/include/coral.h repeats them for programs (tests/unit/test_os_abi.c
 * checks that the two agree). Numbers never change meaning once released. */
#ifndef CORAL_ABI_H
#define CORAL_ABI_H

/* Error codes: every i32-returning call gives a result >= 0 or one of these. */
enum {
    CORAL_EBADH      = -1,  /* not an open handle of the caller's table */
    CORAL_EKIND      = -2,  /* the handle names an object of another kind */
    CORAL_ESTALE     = -3,  /* the token is no longer (or never was) live */
    CORAL_EFAULT     = -4,  /* pointer+length outside the caller's memory */
    CORAL_EINVAL     = -5,  /* an argument is out of its documented range */
    CORAL_ENOMEM     = -6,  /* the kernel ran out of memory */
    CORAL_ERANGE     = -7,  /* offset+length outside a VMA */
    CORAL_EMALFORMED = -8,  /* the bytes are not a valid module */
    CORAL_ELINK      = -9,  /* an import cannot be resolved or has the wrong type */
    CORAL_ENOTFOUND  = -10, /* no export of that name (or not a function) */
    CORAL_ESTATE     = -11, /* the object is not in a state that allows it */
    CORAL_ELIMIT     = -12, /* a table is full (handles, instances) */
    CORAL_ETRAP      = -13, /* instantiation trapped: a segment does not fit */
    CORAL_EUNSUPPORTED = -14, /* not available in this build or on this machine */
    /* IPC (channels, wait) */
    CORAL_ETIMEDOUT  = -15, /* wait: the time passed and no handle became ready */
    CORAL_ECLOSED    = -16, /* the channel's peer end is closed */
    CORAL_ETOOBIG    = -17, /* channel_recv: the next message does not fit the buffers */
    /* devices (kernel/coral/device.c); -15..-17 are the channels' */
    CORAL_EDENIED    = -18, /* outside what the I/O capability grants, or the kernel's own */
    CORAL_EBUSY      = -19, /* the interrupt line is taken */
};

/* Handle kinds, as handle_kind() returns them. */
enum {
    CORAL_KIND_VMA       = 1,
    CORAL_KIND_MODULE    = 2,
    CORAL_KIND_COMPONENT = 3,
    CORAL_KIND_INSTANCE  = 4,
    CORAL_KIND_CONSOLE   = 5,
    CORAL_KIND_IOCAP     = 6,
    CORAL_KIND_CHANNEL   = 7,
    CORAL_KIND_IRQ       = 8,
    CORAL_KIND_COUNT     = 9
};

/* Component status (component_wait): how it ended in bits 8..9, the
 * detail in bits 0..7 (exit code, or trap kind). Always >= 0. */
enum {
    CORAL_STATUS_EXITED  = 0x000,  /* | exit code (0..255) */
    CORAL_STATUS_TRAPPED = 0x100,  /* | trap kind (CORAL_TRAP_*) */
    CORAL_STATUS_KILLED  = 0x200,
    CORAL_STATUS_HOW     = 0x300,  /* mask of how it ended */
    CORAL_STATUS_DETAIL  = 0x0ff,  /* mask of the detail */
};

/* Trap kinds in a TRAPPED status: the numbers of wasm_trap_kind. */
enum {
    CORAL_TRAP_UNREACHABLE = 1,
    CORAL_TRAP_MEMORY_OOB = 2,
    CORAL_TRAP_TABLE_OOB = 3,
    CORAL_TRAP_DIV_ZERO = 4,
    CORAL_TRAP_INT_OVERFLOW = 5,
    CORAL_TRAP_INVALID_CONVERSION = 6,
    CORAL_TRAP_UNDEFINED_ELEMENT = 7,
    CORAL_TRAP_UNINITIALIZED_ELEMENT = 8,
    CORAL_TRAP_INDIRECT_TYPE = 9,
    CORAL_TRAP_NULL_REF = 10,
    CORAL_TRAP_STACK_EXHAUSTED = 11,
    CORAL_TRAP_HOST = 12,         /* a coral call trapped (e.g. a bad caller) */
};

/* userboot's handle table at start. */
enum {
    CORAL_BOOT_CONSOLE  = 0,   /* the console */
    CORAL_BOOT_IOCAP    = 1,   /* the root I/O capability */
    CORAL_BOOT_INFO     = 2,   /* a VMA: the boot-info table below */
    CORAL_BOOT_MODULES  = 3,   /* the first boot module's VMA; the others follow */
};

/* The boot-info VMA (little-endian u32 fields): a header, then `count`
 * module records, then the names and arguments they point at. */
#define CORAL_BOOTINFO_MAGIC   0x544f4f42u   /* "BOOT" */
#define CORAL_BOOTINFO_VERSION 1u
typedef struct coral_bootinfo_header {
    unsigned int magic;     /* CORAL_BOOTINFO_MAGIC */
    unsigned int version;   /* CORAL_BOOTINFO_VERSION */
    unsigned int count;     /* number of boot modules */
    unsigned int size;      /* bytes of the whole table */
} coral_bootinfo_header;
typedef struct coral_bootinfo_module {
    unsigned int handle;    /* its VMA in userboot's table */
    unsigned int size;      /* bytes in that VMA */
    unsigned int name_off;  /* name: offset in this VMA, length */
    unsigned int name_len;
    unsigned int args_off;  /* the rest of its command line */
    unsigned int args_len;
} coral_bootinfo_module;

/* What an I/O capability grants (iocap_derive's `kind`): a range of I/O
 * ports, of ISA interrupt lines, or of physical device memory. The root
 * capability grants all three whole. */
enum {
    CORAL_IO_PORTS = 1,     /* ports [first, first+count), below CORAL_IO_PORTS_END */
    CORAL_IO_IRQ   = 2,     /* ISA lines [first, first+count), below CORAL_IO_IRQ_END */
    CORAL_IO_MEM   = 3,     /* physical bytes [first, first+count), below CORAL_IO_MEM_END */
};
#define CORAL_IO_PORTS_END 0x10000ull
#define CORAL_IO_IRQ_END   16ull
#define CORAL_IO_MEM_END   (1ull << 46)

/* Limits. */
#define CORAL_VMA_MAX      (1u << 30)   /* bytes in one VMA */
#define CORAL_LOG_MAX      65536u       /* bytes in one log record */
#define CORAL_HANDLES_MAX  4096u        /* entries in one handle table */
#define CORAL_NAME_MAX     256u         /* bytes in an instance or export name */
/* IPC (channels, wait) */
#define CORAL_MSG_BYTES_MAX     65536u  /* bytes in one channel message */
#define CORAL_MSG_HANDLES_MAX   64u     /* handles in one channel message */
#define CORAL_CHANNEL_QUEUE_MAX 64u     /* messages queued at one end */
#define CORAL_WAIT_MAX          64u     /* handles in one wait */

#endif
