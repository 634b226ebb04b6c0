/* core/err.h: failures as values. A function returns 0 or -1 (or a pointer or
 * NULL) and fills a struct err; the one place that talks to a person (tui/)
 * turns the code and field into a translated sentence. */
#ifndef POSYANDU_CORE_ERR_H
#define POSYANDU_CORE_ERR_H

/* X-macro: code, English summary (developer-facing; the UI has its own msgids). */
#define ERR_CODES(X) \
	X(ERR_NONE,      "no error") \
	X(ERR_USAGE,     "usage error") \
	X(ERR_RANGE,     "value out of range") \
	X(ERR_FORMAT,    "malformed value") \
	X(ERR_REQUIRED,  "required value missing") \
	X(ERR_NOMEM,     "out of memory") \
	X(ERR_IO,        "input/output error") \
	X(ERR_FULL,      "disk full") \
	X(ERR_CRYPTO,    "integrity check failed") \
	X(ERR_AUTH,      "wrong PIN or passphrase") \
	X(ERR_LOCKED,    "too many wrong attempts, wait") \
	X(ERR_DISABLED,  "user disabled") \
	X(ERR_DENIED,    "not allowed for this role") \
	X(ERR_NOTFOUND,  "not found") \
	X(ERR_EXISTS,    "already exists") \
	X(ERR_CONFIG,    "configuration error") \
	X(ERR_DB,        "database error") \
	X(ERR_VERSION,   "unsupported version") \
	X(ERR_BUSY,      "store is busy")

#define ERR_ENUM_(name, text) name,
enum err_code { ERR_CODES(ERR_ENUM_) ERR__COUNT };
#undef ERR_ENUM_

struct err {
	enum err_code code;
	const char *field;     /* form field or config key at fault, or NULL; static storage */
	char detail[192];      /* English, for logs and developers; never a secret or PII */
};

/* Fill E (which may be NULL) and return -1, so a failure site is one line:
 *   return err_set(err, ERR_RANGE, "weight", "%.1f kg outside 0.5-60", kg); */
int err_set(struct err *e, enum err_code code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

void err_clear(struct err *e);
const char *err_code_name(enum err_code code);   /* "ERR_RANGE" */
const char *err_code_text(enum err_code code);   /* English summary */

#endif
