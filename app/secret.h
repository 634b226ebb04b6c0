/* app/secret.h: reading a PIN or passphrase without it ever touching argv,
 * ordinary heap, or the screen: from --pin-file / --pin-fd (the first line,
 * without its newline) or from the terminal with echo off. The buffer is
 * sodium_malloc'd; free it with pin_free(), which wipes it. */
#ifndef POSYANDU_APP_SECRET_H
#define POSYANDU_APP_SECRET_H

#include <stddef.h>

#include "core/err.h"

#define PIN_MAX 128

struct pin {
	char *buf;                 /* sodium_malloc(PIN_MAX + 1), NUL-terminated */
	size_t len;
};

/* From FILE if not NULL, else from FD if >= 0, else ask on /dev/tty with
 * PROMPT (twice, compared, when CONFIRM). */
int pin_read(struct pin *p, const char *file, int fd, const char *prompt, int confirm,
	     struct err *err);
void pin_free(struct pin *p);

#endif
