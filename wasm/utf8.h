/* wasm/utf8.h: UTF-8 validation for names (imports, exports, custom
 * sections, the name section), as the spec defines it: no overlong forms,
 * no surrogates (U+D800..U+DFFF), nothing above U+10FFFF. */
#ifndef WASM_UTF8_H
#define WASM_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool wasm_utf8_valid(const uint8_t *s, size_t len);

#endif
