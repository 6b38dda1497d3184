/* host/file.h: reading a whole file into memory, for the host tools. */
#ifndef HOST_FILE_H
#define HOST_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Reads `path` into a malloc'd buffer (at least one byte, so an empty file
 * still gets a non-NULL pointer) and sets *len. Returns NULL on failure with
 * a one-line reason in `why` (errno's text). */
uint8_t *host_read_file(const char *path, size_t *len, char *why, size_t whycap);

#endif
