/* tui/msg.c: failures as sentences a kader understands. */
#include "tui/msg.h"

#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"
#include "core/banned.h"

/* Most specific first: a row with a field matches only that field; a row
 * with field NULL matches any. The msgids are English; po/id.po holds the
 * Indonesian the UI shows by default. */
static const struct msgdef {
	enum err_code code;
	const char *field;
	const char *msgid;
	int with_detail;          /* append err->detail in parentheses */
} msgdefs[] = {
	{ ERR_AUTH,     NULL,     N_("Wrong PIN"), 0 },
	{ ERR_LOCKED,   NULL,     N_("Too many wrong PINs: wait before trying again"), 1 },
	{ ERR_DISABLED, NULL,     N_("This user is disabled; ask an admin"), 0 },
	{ ERR_DENIED,   "user",   N_("The last admin cannot be disabled"), 0 },
	{ ERR_DENIED,   NULL,     N_("Not allowed for your role"), 0 },
	{ ERR_FULL,     NULL,     N_("The disk is full: nothing was saved. Free some space and try again"), 0 },
	{ ERR_IO,       "data",   N_("Cannot use the data folder"), 1 },
	{ ERR_IO,       NULL,     N_("Write error on the disk: nothing was saved"), 1 },
	{ ERR_CRYPTO,   NULL,     N_("The data failed its integrity check (damaged or tampered with)"), 1 },
	{ ERR_BUSY,     NULL,     N_("The store is busy in another window; try again"), 0 },
	{ ERR_VERSION,  NULL,     N_("This store was made by a newer version of posyandu; update the app"), 0 },
	{ ERR_NOMEM,    NULL,     N_("Out of memory"), 0 },
	{ ERR_NOTFOUND, "user",   N_("No such user"), 0 },
	{ ERR_NOTFOUND, "data",   N_("No store here yet: run \"posyandu init\" or open the app to create one"), 1 },
	{ ERR_NOTFOUND, "config", N_("Configuration file not found"), 1 },
	{ ERR_NOTFOUND, NULL,     N_("Not found"), 0 },
	{ ERR_EXISTS,   "user",   N_("A user with that name already exists"), 0 },
	{ ERR_EXISTS,   "data",   N_("A store already exists in that folder"), 1 },
	{ ERR_EXISTS,   NULL,     N_("Already exists"), 0 },
	{ ERR_REQUIRED, NULL,     N_("This field is required"), 0 },
	{ ERR_FORMAT,   "date",   N_("Write the date as DD-MM-YYYY, e.g. 17-08-2024"), 0 },
	{ ERR_RANGE,    "date-future", N_("The date is in the future"), 0 },
	{ ERR_RANGE,    "date-before-birth", N_("The date is before the birth"), 0 },
	{ ERR_RANGE,    "date-old", N_("The date is more than 5 years ago"), 0 },
	{ ERR_REQUIRED, "dob",    N_("The date of birth is required"), 0 },
	{ ERR_RANGE,    "weight", N_("That weight is not possible: check the scale and the number"), 1 },
	{ ERR_RANGE,    "length", N_("That length or height is not possible: measure again"), 1 },
	{ ERR_RANGE,    "headc",  N_("That head circumference is not possible: measure again"), 1 },
	{ ERR_RANGE,    "muac",   N_("That arm circumference is not possible: measure again"), 1 },
	{ ERR_RANGE,    "lila",   N_("That arm circumference is not possible: measure again"), 1 },
	{ ERR_FORMAT,   "number", N_("Write a number, e.g. 9,1 or 9.1"), 0 },
	{ ERR_FORMAT,   "imm",    N_("Unknown vaccine code; use codes like BCG OPV1 DPT-HB-Hib1 MR1"), 1 },
	{ ERR_FORMAT,   "bp",     N_("Write the blood pressure as 120/80"), 0 },
	{ ERR_RANGE,    "bp",     N_("That blood pressure is not possible: measure again"), 0 },
	{ ERR_RANGE,    "rt",     N_("RT and RW are numbers from 1 to 255"), 0 },
	{ ERR_RANGE,    "date",   N_("There is no such date"), 0 },
	{ ERR_FORMAT,   "month",  N_("Write the month as YYYY-MM, e.g. 2024-08"), 0 },
	{ ERR_RANGE,    "pin",    N_("The PIN must have at least 6 digits and not be easy to guess (like 123456 or 111111)"), 0 },
	{ ERR_RANGE,    "pin-strong", N_("This device asks for a strong secret: 12 or more digits that are not easy to guess, or a passphrase of 16 or more characters"), 0 },
	{ ERR_FORMAT,   "pin",    N_("The PIN has characters that cannot be used"), 0 },
	{ ERR_FORMAT,   "pin-confirm", N_("The two PINs differ"), 0 },
	{ ERR_REQUIRED, "pin",    N_("No PIN was given"), 0 },
	{ ERR_USAGE,    "pin",    N_("No terminal to ask for the PIN: use --pin-file or --pin-fd"), 0 },
	{ ERR_IO,       "pin-file", N_("Cannot read the PIN file"), 1 },
	{ ERR_FORMAT,   "nik",    N_("The NIK must have exactly 16 digits"), 0 },
	{ ERR_RANGE,    "nik",    N_("The NIK does not match a region or the birth date"), 1 },
	{ ERR_FORMAT,   "name",   N_("A name may have letters, spaces and ' . - only"), 0 },
	{ ERR_RANGE,    "name",   N_("A name must have 2 to 63 characters"), 0 },
	{ ERR_FORMAT,   "code",   N_("The posyandu code may have only A-Z, 0-9 and '-'"), 0 },
	{ ERR_RANGE,    "code",   N_("The posyandu code may have at most 15 characters"), 0 },
	{ ERR_FORMAT,   "user",   N_("A user name may have letters, digits, space, '.', '-' and '_'"), 0 },
	{ ERR_RANGE,    "user",   N_("A user name may have at most 32 characters"), 0 },
	{ ERR_RANGE,    "role",   N_("The role must be kader, trainer or admin"), 0 },
	{ ERR_FORMAT,   NULL,     N_("Not a valid value"), 1 },
	{ ERR_RANGE,    NULL,     N_("Value out of range"), 1 },
	{ ERR_USAGE,    NULL,     N_("Wrong use of the command; see posyandu --help"), 1 },
};

const char *msg_err(const struct err *e, char *buf, size_t size)
{
	const struct msgdef *m = NULL;

	for (size_t i = 0; i < sizeof msgdefs / sizeof msgdefs[0]; i++) {
		const struct msgdef *d = &msgdefs[i];
		if (d->code != e->code)
			continue;
		if (d->field && (!e->field || strcmp(d->field, e->field) != 0))
			continue;
		m = d;
		break;
	}
	if (!m) {
		snprintf(buf, size, "%s%s%s", err_code_text(e->code), e->detail[0] ? ": " : "",
			 e->detail);
		return buf;
	}
	if (m->with_detail && e->detail[0])
		snprintf(buf, size, "%s (%s)", _(m->msgid), e->detail);
	else
		snprintf(buf, size, "%s", _(m->msgid));
	return buf;
}

const char *msg_config(const struct config_diag *d, char *buf, size_t size)
{
	if (!d->key[0])
		snprintf(buf, size, _("%s: the configuration file cannot be read"), d->file);
	else
		snprintf(buf, size, _("%s: [%s] %s = \"%s\" is not allowed (allowed: %s)"),
			 d->file, d->section, d->key, d->value, d->allowed ? d->allowed : "?");
	return buf;
}

void msg_print(const struct err *e)
{
	char buf[512];
	fprintf(stderr, "posyandu: %s\n", msg_err(e, buf, sizeof buf));
}
