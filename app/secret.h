/* app/secret.h: reading a PIN or passphrase without it ever touching argv,
 * ordinary heap, or the screen: from --pin-file / --pin-fd (the first line,
 * without its newline) or from the terminal with echo off. One reader for
 * both programs: a device user's PIN (posyandu) and the district passphrase
 * (posyandu-server) differ only in their longest length. The buffer is
 * sodium_malloc'd; free it with pin_free(), which wipes it. */
#ifndef POSYANDU_APP_SECRET_H
#define POSYANDU_APP_SECRET_H

#include <stddef.h>

#include "core/err.h"

/* The longest secret, in bytes: a device user's PIN or passphrase (also
 * the length of the screen's PIN field), and the district passphrase,
 * which guards every key of the district and may be a long sentence. */
#define PIN_MAX 128
#define PASSPHRASE_MAX 256

struct pin {
	char *buf;                 /* sodium_malloc(MAX + 1), NUL-terminated */
	size_t len;
};

/* From FILE if not NULL, else from FD if >= 0, else ask on /dev/tty with
 * PROMPT (twice, compared, when CONFIRM); at most MAX bytes. Failures:
 * ERR_IO "pin-file" (FILE cannot be opened) or "pin" (a read failed),
 * ERR_RANGE "pin" (longer than MAX), ERR_REQUIRED "pin" (an empty line),
 * ERR_USAGE "pin" (no terminal), ERR_FORMAT "pin-confirm" (the two differ),
 * ERR_NOMEM. */
int secret_read(struct pin *p, size_t max, const char *file, int fd, const char *prompt,
		int confirm, struct err *err);
/* secret_read() of a PIN: at most PIN_MAX bytes. */
int pin_read(struct pin *p, const char *file, int fd, const char *prompt, int confirm,
	     struct err *err);
void pin_free(struct pin *p);

#endif
