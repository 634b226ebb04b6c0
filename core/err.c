/* core/err.c: the error struct. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define ERR_NAME_(name, text) #name,
#define ERR_TEXT_(name, text) text,
static const char *const names[] = { ERR_CODES(ERR_NAME_) };
static const char *const texts[] = { ERR_CODES(ERR_TEXT_) };

int err_set(struct err *e, enum err_code code, const char *field, const char *fmt, ...)
{
	if (!e)
		return -1;
	e->code = code;
	e->field = field;
	e->detail[0] = '\0';
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->detail, sizeof e->detail, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void err_clear(struct err *e)
{
	if (e) {
		e->code = ERR_NONE;
		e->field = NULL;
		e->detail[0] = '\0';
	}
}

const char *err_code_name(enum err_code code)
{
	return (unsigned)code < ERR__COUNT ? names[code] : "ERR_?";
}

const char *err_code_text(enum err_code code)
{
	return (unsigned)code < ERR__COUNT ? texts[code] : "unknown error";
}
