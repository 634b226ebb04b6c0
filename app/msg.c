/* app/msg.c: failures as sentences a kader understands. */
#include "app/msg.h"

#include <stdio.h>
#include <string.h>

#include "app/i18n.h"
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
	/* sync (issue 6): bundles, receipts, enrolment, USB, the server. */
	{ ERR_NOTFOUND, "recover", N_("No recovery request of this device is waiting for this answer: it was made elsewhere, or already used"), 0 },
	{ ERR_CRYPTO,   "recover", N_("The district's recovery answer failed its check; nothing changed"), 1 },
	{ ERR_DENIED,   "recover", N_("This recovery answer is for another device; nothing changed"), 0 },
	{ ERR_FORMAT,   "bundle", N_("This file is not a valid bundle (damaged or cut short); nothing was imported"), 1 },
	{ ERR_VERSION,  "bundle", N_("This bundle was made by a newer version of posyandu; update the app"), 1 },
	{ ERR_FORMAT,   "bundle-file", N_("A bundle must be an ordinary file"), 1 },
	{ ERR_IO,       "bundle-file", N_("Cannot read the file"), 1 },
	{ ERR_RANGE,    "bundle-size", N_("The bundle is too large; nothing was imported"), 1 },
	{ ERR_NOTFOUND, "device", N_("The bundle comes from a device that is not enrolled; nothing was imported"), 1 },
	{ ERR_DENIED,   "device-pending", N_("The device is not approved by the district yet; nothing was imported"), 1 },
	{ ERR_DENIED,   "device-revoked", N_("The device was revoked by the district; nothing was imported"), 1 },
	{ ERR_EXISTS,   "device", N_("A device with this id is already enrolled with other keys"), 0 },
	{ ERR_CRYPTO,   "bundle-signature", N_("The bundle's signature does not match: it was changed, cut short or signed by another device; nothing was imported"), 0 },
	{ ERR_CRYPTO,   "bundle-recipient", N_("The bundle is not addressed to this device; nothing was imported"), 1 },
	{ ERR_CRYPTO,   "bundle-key", N_("The bundle cannot be opened with this device's key; nothing was imported"), 0 },
	{ ERR_CRYPTO,   "bundle-payload", N_("The contents of the bundle are damaged; nothing was imported"), 1 },
	{ ERR_FORMAT,   "bundle-data", N_("The bundle holds an invalid record; nothing was imported"), 1 },
	{ ERR_FORMAT,   "receipt", N_("This file is not a valid receipt"), 1 },
	{ ERR_VERSION,  "receipt", N_("This receipt was made by a newer version of posyandu; update the app"), 1 },
	{ ERR_CRYPTO,   "bundle-anchor", N_("The device's audit log is shorter than in an earlier bundle: entries were cut or the store was put back from a copy; nothing was imported"), 1 },
	{ ERR_CRYPTO,   "bundle-audit", N_("The device's audit log does not match its records: data was deleted or changed outside the app; nothing was imported"), 1 },
	{ ERR_CRYPTO,   "receipt", N_("The receipt is not signed by this device's district; nothing changed"), 0 },
	{ ERR_NOTFOUND, "receipt", N_("The receipt is for a bundle this device did not make; nothing changed"), 0 },
	{ ERR_FORMAT,   "import", N_("This file is neither a bundle nor a receipt"), 1 },
	{ ERR_NOTFOUND, "district", N_("This device is not enrolled with the district yet: run \"posyandu enroll\""), 0 },
	{ ERR_FORMAT,   "key", N_("The district key is not valid (a typing mistake?)"), 1 },
	{ ERR_VERSION,  "key", N_("The district key is of a newer version; update the app"), 0 },
	{ ERR_DENIED,   "readonly", N_("Read-only storage: cannot save"), 0 },
	{ ERR_DENIED,   "readonly-open", N_("Read-only storage that cannot be opened here (its -wal file needs its -shm file): copy the whole data folder to a place that can be written; nothing is lost"), 0 },
	{ ERR_FULL,     "usb", N_("The USB drive is full: nothing was written. Free some space and try again"), 0 },
	{ ERR_IO,       "usb", N_("Write error on the USB drive: nothing was written"), 1 },
	{ ERR_CRYPTO,   "usb", N_("The USB drive reads back something other than was written: it may be failing"), 0 },
	{ ERR_NOTFOUND, "usb", N_("No USB drive found: plug one in, or name a folder with --to DIR"), 0 },
	{ ERR_IO,       "server", N_("Cannot reach the district server; nothing was lost, try again later"), 1 },
	{ ERR_FORMAT,   "server", N_("The server address must start with http:// or https://"), 0 },
	{ ERR_RANGE,    "server", N_("The district server gave an unexpected answer"), 1 },
	{ ERR_DENIED,   "server-device", N_("The district server refuses this device (not approved yet, or revoked)"), 1 },
	{ ERR_FORMAT,   "server-bundle", N_("The district server refused the bundle"), 1 },
	{ ERR_NOTFOUND, "conflict", N_("That record or version has no open conflict"), 0 },
	{ ERR_FORMAT,   "request", N_("This is not a valid enrolment request"), 1 },
	{ ERR_CRYPTO,   "request", N_("The enrolment request does not verify"), 1 },
	/* quiz (issue 7): fields are specific, so these rows come first. */
	{ ERR_REQUIRED, "quiz-missing", N_("This key is missing; it is required"), 0 },
	{ ERR_RANGE,    "quiz-answer", N_("The answer is not one of the question's options"), 0 },
	{ ERR_FORMAT,   "quiz-answer", N_("Write the answer as option letters, e.g. b or a, c"), 0 },
	{ ERR_EXISTS,   "quiz-section", N_("This section appears twice: each question needs its own id"), 0 },
	{ ERR_EXISTS,   "quiz-key", N_("This key appears twice in the section"), 0 },
	{ ERR_RANGE,    "quiz-version", N_("The version must be a whole number, 1 or more"), 0 },
	{ ERR_FORMAT,   "quiz-version", N_("The version must be a whole number, 1 or more"), 0 },
	{ ERR_RANGE,    "quiz-pass_mark", N_("The pass mark must be a whole number from 0 to 100 (percent)"), 0 },
	{ ERR_FORMAT,   "quiz-pass_mark", N_("The pass mark must be a whole number from 0 to 100 (percent)"), 0 },
	{ ERR_RANGE,    "quiz-time_limit", N_("The time limit is whole minutes from 0 to 600 (0 = no limit)"), 0 },
	{ ERR_FORMAT,   "quiz-time_limit", N_("The time limit is whole minutes from 0 to 600 (0 = no limit)"), 0 },
	{ ERR_FORMAT,   "quiz-bool", N_("Write yes or no"), 0 },
	{ ERR_FORMAT,   "quiz-language", N_("The language must be id or en"), 0 },
	{ ERR_FORMAT,   "quiz-id", N_("An id may have only a-z, 0-9, '-' and '_', at most 31 characters"), 0 },
	{ ERR_RANGE,    "quiz-id", N_("An id may have only a-z, 0-9, '-' and '_', at most 31 characters"), 0 },
	{ ERR_REQUIRED, "quiz-id", N_("An id may have only a-z, 0-9, '-' and '_', at most 31 characters"), 0 },
	{ ERR_RANGE,    "quiz-options", N_("A question needs 2 to 6 options, a to f, with none skipped"), 0 },
	{ ERR_FORMAT,   "quiz-unknown", N_("Unknown key (a typo?)"), 0 },
	{ ERR_RANGE,    "quiz-length", N_("The text is too long for this key"), 1 },
	{ ERR_FORMAT,   "quiz-syntax", N_("The file is not a valid INI file"), 1 },
	{ ERR_REQUIRED, "quiz-questions", N_("A bank needs 1 to 200 questions"), 0 },
	{ ERR_RANGE,    "quiz-questions", N_("A bank needs 1 to 200 questions"), 0 },
	{ ERR_IO,       "quiz-file", N_("Cannot read the file"), 1 },
	{ ERR_NOTFOUND, "quiz-bank", N_("No such question bank; see \"posyandu quiz list\""), 0 },
	{ ERR_EXISTS,   "quiz-bank", N_("This bank id and version already exist with other content: raise the version"), 0 },
	{ ERR_FORMAT,   "quiz-bank", N_("The answers do not belong to this version of the bank"), 0 },
	{ ERR_NOTFOUND, "quiz-key", N_("Quizzes are not set up on this device yet: a trainer or admin must import a question bank first"), 0 },
	{ ERR_EXISTS,   "quiz-submitted", N_("This attempt was already submitted"), 0 },
	{ ERR_RANGE,    "sheet-count", N_("The number of answers differs from the number of questions"), 0 },
	{ ERR_FORMAT,   "sheet", N_("An answer is not an option of its question (a-f, 1-6, - or [ac])"), 0 },
	{ ERR_RANGE,    "sheet", N_("An answer is not an option of its question (a-f, 1-6, - or [ac])"), 0 },
	{ ERR_NOTFOUND, "training", N_("No such training; see \"posyandu quiz training list\""), 0 },
	/* reports and register loading (issue 5) */
	{ ERR_FORMAT,   "load-column", N_("Unknown column (a typo?); posyandu(1) lists the columns"), 0 },
	{ ERR_EXISTS,   "load-column", N_("This column appears twice in the header"), 0 },
	{ ERR_REQUIRED, "load-column", N_("This column is missing from the header; it is required"), 0 },
	{ ERR_FORMAT,   "load-extra", N_("More cells than the header has columns"), 0 },
	{ ERR_RANGE,    "load-ref", N_("A ref may have at most 63 characters"), 0 },
	{ ERR_EXISTS,   "load-ref", N_("This ref appears twice in the file"), 0 },
	{ ERR_NOTFOUND, "load-ref", N_("No person with this ref: load the people file first"), 0 },
	{ ERR_EXISTS,   "load-identity", N_("This ref already belongs to a person of another kind, sex or date of birth"), 0 },
	{ ERR_NOTFOUND, "load-mother", N_("No woman with this ref in the file or in the store"), 0 },
	{ ERR_FORMAT,   "sex",    N_("The sex must be L or P"), 0 },
	{ ERR_FORMAT,   "sex-woman", N_("A pregnant woman or a mother is P; for a man choose resident"), 0 },
	{ ERR_REQUIRED, "sex-child", N_("Choose the child's sex, L or P: the growth charts follow it"), 0 },
	{ ERR_REQUIRED, "sex-resident", N_("A resident needs the sex: L or P"), 0 },
	{ ERR_FORMAT,   "kk", N_("The family card number (KK) must have exactly 16 digits"), 0 },
	{ ERR_RANGE,    "load-child-only", N_("Only for children"), 0 },
	{ ERR_FORMAT,   "load-yesno", N_("Write y or n"), 0 },
	{ ERR_RANGE,    "load-works", N_("Differs from mother_works on the mother's own row"), 0 },
	{ ERR_FORMAT,   "load-measure", N_("Write l (lying) or h (standing)"), 0 },
	{ ERR_RANGE,    "load-asi-age", N_("The breastfeeding recall is asked only at 0-5 months"), 0 },
	{ ERR_FORMAT,   "load-vita", N_("Write blue or red, or leave it empty"), 0 },
	{ ERR_RANGE,    "load-vita-age", N_("A vitamin A capsule is for children of 6-59 months"), 0 },
	{ ERR_EXISTS,   "load-visit", N_("Two rows for the same person and date"), 0 },
	{ ERR_IO,       "load-file", N_("Cannot read the file"), 1 },
	{ ERR_RANGE,    "load-file", N_("The file is too large (at most 32 MiB)"), 1 },
	{ ERR_FORMAT,   "load-rows", N_("The file has errors; nothing was loaded"), 1 },
	{ ERR_FORMAT,   "POSYANDU_NOW", N_("POSYANDU_NOW must be a date and time such as 2026-12-31T23:30"), 1 },
	{ ERR_REQUIRED, "load-empty", N_("The file is empty: a header row is needed"), 1 },
	{ ERR_FORMAT,   "csv",    N_("The file is not valid CSV"), 1 },
	{ ERR_FORMAT,   "csv-nul", N_("A NUL byte in the cell: this is not a text file's cell"), 0 },
	{ ERR_RANGE,    "month-future", N_("That month has not come yet"), 0 },
	{ ERR_RANGE,    "month-span", N_("Check the months: the first must not be after the last, at most 10 years"), 0 },
	{ ERR_RANGE,    "month",  N_("There is no such month"), 0 },
	{ ERR_IO,       "report-file", N_("Cannot write the report file"), 1 },
	{ ERR_AUTH,     NULL,     N_("Wrong PIN"), 0 },
	{ ERR_LOCKED,   NULL,     N_("Too many wrong PINs: wait before trying again"), 1 },
	{ ERR_DISABLED, NULL,     N_("This user is disabled; ask an admin"), 0 },
	{ ERR_DENIED,   "user",   N_("The last admin cannot be disabled"), 0 },
	{ ERR_DENIED,   NULL,     N_("Not allowed for your role"), 0 },
	{ ERR_FULL,     NULL,     N_("The disk is full: nothing was saved. Free some space and try again"), 0 },
	{ ERR_IO,       "data",   N_("Cannot use the data folder"), 1 },
	{ ERR_IO,       NULL,     N_("Write error on the disk: nothing was saved"), 1 },
	/* issue 13: slots and certificates (storage/cert.c) */
	{ ERR_CRYPTO,   "device-key", N_("This store was changed outside the app: the device key was replaced. Contact the admin"), 0 },
	{ ERR_CRYPTO,   "user-cert", N_("This account is not authorised by the admin"), 0 },
	{ ERR_CRYPTO,   "user-role", N_("The user's role was changed outside the app: the PIN was not reset"), 0 },
	{ ERR_CRYPTO,   "user-legacy", N_("This account is not authorised by the admin yet: ask the admin to log in once and reset your PIN"), 0 },
	/* issue 13.10: data-key rotation (storage/rotate.c) */
	{ ERR_CRYPTO,   "key-epoch", N_("This account holds a data key that was replaced: ask the admin to reset your PIN"), 0 },
	{ ERR_CRYPTO,   "key-update", N_("The new data key waiting for this account failed its check (changed outside the app). Contact the admin"), 0 },
	/* issue 13.10: device key rotation (sync/rekey.c, storage/devkey.c) */
	{ ERR_NOTFOUND, "rekey",  N_("No new device key is waiting: first run posyandu key rotate --device --out FILE"), 0 },
	{ ERR_CRYPTO,   "rekey",  N_("The new device key failed its check (changed outside the app). Contact the admin"), 1 },
	{ ERR_FORMAT,   "rekey-answer", N_("This is not a valid answer of the district to a key change"), 1 },
	{ ERR_CRYPTO,   "rekey-answer", N_("The district's answer does not verify for this device's new key"), 1 },
	{ ERR_CRYPTO,   NULL,     N_("The data failed its integrity check (damaged or tampered with)"), 1 },
	{ ERR_BUSY,     NULL,     N_("The store is busy in another window; try again"), 0 },
	{ ERR_VERSION,  NULL,     N_("This store was made by a newer version of posyandu; update the app"), 0 },
	{ ERR_NOMEM,    NULL,     N_("Out of memory"), 0 },
	{ ERR_NOTFOUND, "user",   N_("No such user"), 0 },
	{ ERR_NOTFOUND, "data",   N_("No store here yet: run \"posyandu init\" or open the app to create one"), 1 },
	{ ERR_NOTFOUND, "config", N_("Configuration file not found"), 1 },
	{ ERR_NOTFOUND, NULL,     N_("Not found"), 0 },
	{ ERR_EXISTS,   "nik",    N_("This NIK already belongs to another person"), 1 },
	{ ERR_EXISTS,   "user",   N_("A user with that name already exists"), 0 },
	{ ERR_EXISTS,   "data",   N_("A store already exists in that folder"), 1 },
	{ ERR_EXISTS,   NULL,     N_("Already exists"), 0 },
	{ ERR_REQUIRED, "dob",    N_("The date of birth is required"), 0 },
	{ ERR_REQUIRED, NULL,     N_("This field is required"), 0 },
	{ ERR_FORMAT,   "date",   N_("Write the date as DD-MM-YYYY, e.g. 17-08-2024"), 0 },
	{ ERR_RANGE,    "date-future", N_("The date is in the future"), 0 },
	{ ERR_RANGE,    "date-before-birth", N_("The date is before the birth"), 0 },
	{ ERR_RANGE,    "date-old", N_("The date is more than 5 years ago"), 0 },
	{ ERR_RANGE,    "weight", N_("That weight is not possible: check the scale and the number"), 0 },
	{ ERR_RANGE,    "length", N_("That length or height is not possible: measure again"), 0 },
	{ ERR_RANGE,    "headc",  N_("That head circumference is not possible: measure again"), 0 },
	{ ERR_RANGE,    "muac",   N_("That arm circumference is not possible: measure again"), 0 },
	{ ERR_RANGE,    "lila",   N_("That arm circumference is not possible: measure again"), 0 },
	{ ERR_FORMAT,   "number", N_("Write a number, e.g. 9,1 or 9.1"), 0 },
	{ ERR_FORMAT,   "decimal1", N_("Write at most one decimal, e.g. 11,9"), 0 },
	{ ERR_FORMAT,   "imm",    N_("Unknown vaccine code; use codes like BCG OPV1 DPT-HB-Hib1 MR1"), 1 },
	{ ERR_FORMAT,   "bp",     N_("Write the blood pressure as 120/80"), 0 },
	{ ERR_RANGE,    "bp",     N_("That blood pressure is not possible: measure again"), 0 },
	{ ERR_RANGE,    "rt",     N_("RT and RW are numbers from 1 to 255"), 0 },
	{ ERR_RANGE,    "rw",     N_("RT and RW are numbers from 1 to 255"), 0 },
	{ ERR_RANGE,    "gest_weeks", N_("Weeks of pregnancy are 1 to 45"), 0 },
	{ ERR_RANGE,    "iron_tablets", N_("Iron tablets given are 0 to 120"), 0 },
	{ ERR_RANGE,    "anc_no", N_("The ANC visit number is 1 to 12"), 0 },
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
	{ ERR_RANGE,    "nik-woman", N_("This NIK is a woman's (birth day + 40), but the sex is L"), 0 },
	{ ERR_RANGE,    "nik-man", N_("This NIK is a man's (birth day without + 40), but the sex is P"), 0 },
	{ ERR_RANGE,    "nik-dob", N_("NIK digits 7-12 differ from the date of birth"), 1 },
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
	char why[160];

	/* what is wrong in the value, in the user's language when it is known
	 * as a msgid (core/ilp_steps.c), else as storage said it */
	if (d->why_msgid)
		snprintf(why, sizeof why, _(d->why_msgid), d->why_arg);
	else
		snprintf(why, sizeof why, "%s", d->why);
	if (!d->key[0])
		snprintf(buf, size, _("%s: the configuration file cannot be read"), d->file);
	else
		snprintf(buf, size, _("%s: [%s] %s = \"%s\" is not allowed (allowed: %s)%s%s"),
			 d->file, d->section, d->key, d->value, d->allowed ? _(d->allowed) : "?",
			 why[0] ? ": " : "", why);
	return buf;
}

void msg_print(const struct err *e)
{
	char buf[512];
	fprintf(stderr, "posyandu: %s\n", msg_err(e, buf, sizeof buf));
}

const char *msg_integrity(unsigned warn)
{
	if (warn & STORE_WARN_RECORDS)
		return _("Warning: records were deleted or rolled back outside the app. Tell the admin (posyandu audit verify)");
	if (warn & STORE_WARN_AUDIT)
		return _("Warning: entries of your audit log are missing: it was cut or replaced outside the app. Tell the admin");
	return NULL;
}
