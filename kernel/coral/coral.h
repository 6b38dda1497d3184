/* kernel/coral/coral.h: the `coral` module, the kernel's primitives as
 * programs import them (docs/api.md is the reference for each call).
 *
 * Two layers. The coral_* functions below do the work: each takes the big
 * lock, checks every handle against the caller's table and every pointer
 * against the caller's memory as described by a coral_ctx, and returns the
 * call's one result. The Wasm host functions in coral.c only unpack the
 * arguments, build the coral_ctx from the wasm_caller, and call them; so
 * the checks are tested on the host with a fake memory, without an engine
 * that runs code. */
#ifndef CORAL_CORAL_H
#define CORAL_CORAL_H

#include <stdint.h>
#include "kernel/coral/component.h"
#include "wasm/wasm.h"

/* Sets the engine that compiles modules and makes host functions. */
void coral_init(wasm_engine *engine);
wasm_engine *coral_engine(void);

/* printf to the console (at most one line of 512 bytes). */
void coral_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Makes imp->func, the host function for import `coral.NAME` of instance
 * imp->ki (imp is its data: it must stay where it is while the function
 * lives): 0, or CORAL_ELINK (no such function; logged) or
 * CORAL_EUNSUPPORTED. */
int32_t coral_import_func(const char *name, uint32_t len, kimport *imp);

/* The functions of the module, by index (0..count-1): name, and parameter
 * and result types as letters (i: i32, I: i64, r: externref). */
uint32_t coral_fn_count(void);
void coral_fn_info(uint32_t i, const char **name, const char **params, const char **results);

/* Who is calling: the instance, and its memory 0 (NULL, 0 when it has none). */
typedef struct coral_ctx {
    kinstance *self;
    uint8_t *mem;
    uint64_t mem_size;
    int trap;           /* set by a call: the caller's thread must unwind (exit, kill) */
} coral_ctx;

int32_t coral_log(coral_ctx *c, uint32_t ptr, uint32_t len);
void coral_exit(coral_ctx *c, int32_t code);

int32_t coral_handle_kind(coral_ctx *c, int32_t h);
int32_t coral_handle_close(coral_ctx *c, int32_t h);
int32_t coral_handle_dup(coral_ctx *c, int32_t h);
uint64_t coral_handle_to_ref(coral_ctx *c, int32_t h);
int32_t coral_handle_from_ref(coral_ctx *c, uint64_t token);

int32_t coral_vma_create(coral_ctx *c, uint32_t size);
int32_t coral_vma_size(coral_ctx *c, int32_t vma);
int32_t coral_vma_read(coral_ctx *c, int32_t vma, uint32_t off, uint32_t ptr, uint32_t len);
int32_t coral_vma_write(coral_ctx *c, int32_t vma, uint32_t off, uint32_t ptr, uint32_t len);
int32_t coral_vma_copy(coral_ctx *c, int32_t src, int32_t dst, uint32_t src_off,
                       uint32_t dst_off, uint32_t len);

int32_t coral_module_create(coral_ctx *c, int32_t vma, uint32_t off, uint32_t len);
int32_t coral_component_create(coral_ctx *c);
int32_t coral_component_add_instance(coral_ctx *c, int32_t comp, int32_t module,
                                     uint32_t name_ptr, uint32_t name_len,
                                     uint32_t handles_ptr, uint32_t count);
int32_t coral_component_start(coral_ctx *c, int32_t comp, int32_t inst,
                              uint32_t name_ptr, uint32_t name_len);
int32_t coral_component_wait(coral_ctx *c, int32_t comp);
int32_t coral_component_kill(coral_ctx *c, int32_t comp);

int64_t coral_time(coral_ctx *c);
int32_t coral_sleep(coral_ctx *c, int64_t ns);
int32_t coral_yield(coral_ctx *c);

int32_t coral_console_write(coral_ctx *c, int32_t console, uint32_t ptr, uint32_t len);
int32_t coral_console_read(coral_ctx *c, int32_t console, uint32_t ptr, uint32_t cap);
/* IPC: channels and wait (kernel/coral/channel.h, wait.h) */
int32_t coral_channel_create(coral_ctx *c, uint32_t ends_ptr);
int32_t coral_channel_send(coral_ctx *c, int32_t end, uint32_t ptr, uint32_t len,
                           uint32_t handles_ptr, uint32_t count);
int32_t coral_channel_recv(coral_ctx *c, int32_t end, uint32_t ptr, uint32_t cap,
                           uint32_t handles_ptr, uint32_t hcap);
int32_t coral_wait(coral_ctx *c, uint32_t handles_ptr, uint32_t count, int64_t timeout_ns);
/* devices (kernel/coral/device.c) */
int32_t coral_iocap_derive(coral_ctx *c, int32_t iocap, int32_t kind, uint64_t first,
                           uint64_t count);
int32_t coral_io_read8(coral_ctx *c, int32_t iocap, uint32_t port);
int32_t coral_io_read16(coral_ctx *c, int32_t iocap, uint32_t port);
int64_t coral_io_read32(coral_ctx *c, int32_t iocap, uint32_t port);
int32_t coral_io_write8(coral_ctx *c, int32_t iocap, uint32_t port, uint32_t value);
int32_t coral_io_write16(coral_ctx *c, int32_t iocap, uint32_t port, uint32_t value);
int32_t coral_io_write32(coral_ctx *c, int32_t iocap, uint32_t port, uint32_t value);
int32_t coral_irq_create(coral_ctx *c, int32_t iocap, int32_t line);
int32_t coral_irq_wait(coral_ctx *c, int32_t irq);
int32_t coral_vma_device(coral_ctx *c, int32_t iocap, uint64_t phys, uint32_t size);

#endif
