/* app/secret.c: secrets from a file, a descriptor or the terminal. */
#include "app/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app/i18n.h"
#include "core/banned.h"

/* Read the first line of FD into P (one byte at a time: nothing of a second
 * line is consumed, and no stdio buffer holds a copy). */
static int read_line(int fd, struct pin *p, size_t max, struct err *err)
{
	char c;
	ssize_t n;

	p->len = 0;
	for (;;) {
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, ERR_IO, "pin", "read: %s", strerror(errno));
		if (n == 0 || c == '\n')
			break;
		if (p->len >= max)
			return err_set(err, ERR_RANGE, "pin", "longer than %zu bytes", max);
		p->buf[p->len++] = c;
	}
	if (p->len && p->buf[p->len - 1] == '\r')
		p->len--;
	p->buf[p->len] = '\0';
	if (!p->len)
		return err_set(err, ERR_REQUIRED, "pin", "empty PIN");
	return 0;
}

static int read_tty(struct pin *p, size_t max, int tty, const char *prompt, struct err *err)
{
	struct termios old, quiet;
	int rc, have_termios = tcgetattr(tty, &old) == 0;

	if (write(tty, prompt, strlen(prompt)) < 0)
		return err_set(err, ERR_IO, "pin", "cannot write to the terminal");
	if (have_termios) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		tcsetattr(tty, TCSAFLUSH, &quiet);
	}
	rc = read_line(tty, p, max, err);
	if (have_termios)
		tcsetattr(tty, TCSAFLUSH, &old);
	if (write(tty, "\n", 1) < 0)
		rc = -1;
	return rc;
}

int secret_read(struct pin *p, size_t max, const char *file, int fd, const char *prompt,
		int confirm, struct err *err)
{
	int rc;

	if (!(p->buf = sodium_malloc(max + 1)))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	p->len = 0;
	p->buf[0] = '\0';
	if (file) {
		int f = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (f < 0) {
			rc = err_set(err, ERR_IO, "pin-file", "%s: %s", file, strerror(errno));
		} else {
			rc = read_line(f, p, max, err);
			close(f);
		}
	} else if (fd >= 0) {
		rc = read_line(fd, p, max, err);
	} else {
		int tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
		if (tty < 0) {
			rc = err_set(err, ERR_USAGE, "pin", "no terminal to ask for the PIN: use --pin-file or --pin-fd");
		} else {
			rc = read_tty(p, max, tty, prompt, err);
			if (rc == 0 && confirm) {
				struct pin again;
				if (!(again.buf = sodium_malloc(max + 1))) {
					rc = err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
				} else {
					rc = read_tty(&again, max, tty, _("Again: "), err);
					if (rc == 0 && (again.len != p->len ||
							sodium_memcmp(again.buf, p->buf, p->len) != 0))
						rc = err_set(err, ERR_FORMAT, "pin-confirm", "the two PINs differ");
					sodium_free(again.buf);
				}
			}
			close(tty);
		}
	}
	if (rc < 0)
		pin_free(p);
	return rc;
}

int pin_read(struct pin *p, const char *file, int fd, const char *prompt, int confirm,
	     struct err *err)
{
	return secret_read(p, PIN_MAX, file, fd, prompt, confirm, err);
}

void pin_free(struct pin *p)
{
	if (p->buf)
		sodium_free(p->buf);
	p->buf = NULL;
	p->len = 0;
}
