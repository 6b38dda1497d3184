/* wasm/trap.h: trap reporting inside the engine (trap.c). */
#ifndef WASM_TRAP_H
#define WASM_TRAP_H

#include "wasm/runtime.h"

/* Fills err with a trap's kind, function and Wasm backtrace. */
void wasm_trap_message(const wasm_entry *e, wasm_error *err);

#endif
