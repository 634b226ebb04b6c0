/* storage/config.c: one table says each key's type, default, bounds and
 * destination, so reading, checking and documenting cannot disagree. */
#include "storage/config.h"

#include <errno.h>
#include <iniparser.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/ilp_steps.h"
#include "core/valid.h"
#include "core/banned.h"

enum cfg_type { CFG_STR, CFG_INT, CFG_DEC1, CFG_ENUM, CFG_ENUM_INT, CFG_CODE };

struct cfgdef {
	const char *key;          /* "section:key", lower case as iniparser keeps it */
	enum cfg_type type;
	const char *def;
	size_t off, size;         /* destination in struct settings */
	int min, max;             /* CFG_INT bounds (CFG_DEC1: in tenths); CFG_STR maximum
	                             length is size - 1 */
	const char *allowed;      /* shown in errors; CFG_ENUM: the values, '|'-separated */
};

#define N_(s) (s)    /* the allowed values: msgids, shown through app/msg.c msg_config */
#define STEPS_ALLOWED N_("register, measure, record, serve, sync, comma-separated, each at most " \
	"once, optionally code:label")
/* What was wrong in a refused [ilp] steps, for its message: in English,
 * and as core/ilp_steps.c said it, to translate. */
static char steps_why[sizeof ((struct config_diag *)0)->why];
static struct ilp_steps steps_refused;

#define OFF(f) offsetof(struct settings, f), sizeof(((struct settings *)0)->f)
static const struct cfgdef cfgdefs[] = {
	/* key                        type       default  where                min  max   allowed */
	{ "posyandu:code",           CFG_CODE,  "",      OFF(code),            0,   0,    N_("A-Z 0-9 -, up to 15") },
	{ "posyandu:name",           CFG_STR,   "",      OFF(name),            0,   0,    N_("text, up to 63 bytes") },
	{ "posyandu:desa",           CFG_STR,   "",      OFF(desa),            0,   0,    N_("text, up to 63 bytes") },
	{ "posyandu:kecamatan",      CFG_STR,   "",      OFF(kecamatan),       0,   0,    N_("text, up to 63 bytes") },
	{ "posyandu:puskesmas",      CFG_STR,   "",      OFF(puskesmas),       0,   0,    N_("text, up to 63 bytes") },
	{ "posyandu:kabupaten",      CFG_STR,   "",      OFF(kabupaten),       0,   0,    N_("text, up to 63 bytes") },
	{ "storage:data",            CFG_STR,   "",      OFF(data_dir),        0,   0,    N_("a directory path") },
	/* posyandu-server only (issue 16): the store on PostgreSQL */
	{ "store:url",               CFG_STR,   "",      OFF(store_url),       0,   0,    N_("postgresql:// URL") },
	{ "ui:language",             CFG_ENUM,  "id",    OFF(language),        0,   0,    "id|en" },
	{ "ui:idle_lock_minutes",    CFG_INT,   "10",    OFF(idle_lock_min),   0,   1440, "0-1440" },
	{ "security:argon2_mem_mib", CFG_INT,   "0",     OFF(argon2_mem_mib),  0,   4096, N_("0 (calibrate) or 32-4096") },
	{ "security:argon2_ops",     CFG_INT,   "0",     OFF(argon2_ops),      0,   10,   N_("0 (calibrate) or 2-10") },
	{ "security:min_secret",     CFG_ENUM_INT,"pin6",  OFF(min_secret),      0,   0,    "pin6|strong" },
	{ "sync:server",             CFG_STR,   "",      OFF(server),          0,   0,    N_("http:// or https:// URL") },
	{ "sync:district_key",       CFG_STR,   "",      OFF(district_key),    0,   0,    N_("the district key line") },
	/* the day's steps (issue 14, core/ilp_steps.h) */
	{ "ilp:steps",               CFG_STR,   "",      OFF(ilp_steps),       0,   0,    STEPS_ALLOWED },
	/* the cut-offs domain.md leaves UNCONFIRMED (core/ilp.h): the desk's
	 * panel and follow-up; none of them changes the monthly ilp counts */
	{ "ilp:cholesterol_high",    CFG_INT,   "200",   OFF(cholesterol_high), 120, 400,  "120-400 (mg/dL)" },
	{ "ilp:uric_men_above",      CFG_DEC1,  "7,0",   OFF(uric_men_above),   30,  150,  "3,0-15,0 (mg/dL)" },
	{ "ilp:uric_women_above",    CFG_DEC1,  "6,0",   OFF(uric_women_above), 30,  150,  "3,0-15,0 (mg/dL)" },
	{ "ilp:hb_pregnant_below",   CFG_DEC1,  "11,0",  OFF(hb_pregnant_below), 80, 140,  "8,0-14,0 (g/dL)" },
	/* the SKDN targets (domain.md §3.4: SPM 80%, some districts aim
	 * higher); only the marks of posyandu-server's web interface */
	{ "report:target_ds",        CFG_INT,   "80",    OFF(target_ds),        1,   100,  "1-100 (%)" },
	{ "report:target_nd",        CFG_INT,   "80",    OFF(target_nd),        1,   100,  "1-100 (%)" },
};
#define NDEFS (sizeof cfgdefs / sizeof cfgdefs[0])

const char *config_key_name(size_t i)
{
	return i < NDEFS ? cfgdefs[i].key : NULL;
}

/* Index of VALUE in the '|'-separated list ALLOWED, or -1. */
static int enum_index(const char *allowed, const char *value)
{
	size_t vlen = strlen(value);
	int i = 0;
	for (const char *p = allowed; *p; i++) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == vlen && strncmp(p, value, n) == 0)
			return i;
		if (!bar)
			break;
		p = bar + 1;
	}
	return -1;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* [ilp] steps: the list core/ilp_steps.c reads, refused at startup with
 * what is wrong in it rather than shown wrong on the opening day. */
static int steps_check(const char *value)
{
	struct ilp_steps st;
	struct err err = { 0 };

	if (ilp_steps_parse(value, &st, &err) == 0)
		return 0;
	snprintf(steps_why, sizeof steps_why, "%s", err.detail);
	steps_refused = st;
	return -1;
}

/* Store VALUE for row D into S; -1 when it is not allowed. */
static int apply(const struct cfgdef *d, const char *value, struct settings *s)
{
	char *dst = (char *)s + d->off;
	char *end;
	long v;

	switch (d->type) {
	case CFG_STR:
		if (strlen(value) >= d->size)
			return -1;
		if (strcmp(d->key, "sync:server") == 0 && *value &&
		    strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0)
			return -1;
		if (strcmp(d->key, "store:url") == 0 && *value &&
		    strncmp(value, "postgresql://", 13) != 0 && strncmp(value, "postgres://", 11) != 0)
			return -1;
		if (strcmp(d->key, "ilp:steps") == 0 && steps_check(value) < 0)
			return -1;
		copy(dst, d->size, value);
		return 0;
	case CFG_CODE:
		if (*value && valid_posyandu_code(value, NULL) < 0)
			return -1;
		copy(dst, d->size, value);
		return 0;
	case CFG_INT:
		errno = 0;
		v = strtol(value, &end, 10);
		if (errno || end == value || *end || v < d->min || v > d->max)
			return -1;
		/* Argon2 settings: 0 means calibrate; otherwise at least the floor. */
		if (strcmp(d->key, "security:argon2_mem_mib") == 0 && v && v < 32)
			return -1;
		if (strcmp(d->key, "security:argon2_ops") == 0 && v && v < 2)
			return -1;
		*(int *)(void *)dst = (int)v;
		return 0;
	case CFG_DEC1:         /* "7", "7,0" or "7.0": one decimal, in tenths */
		errno = 0;
		v = strtol(value, &end, 10);
		if (errno || end == value || v < 0 || v > 10000)
			return -1;
		v *= 10;
		if (*end == ',' || *end == '.') {
			if (end[1] < '0' || end[1] > '9' || end[2])
				return -1;
			v += end[1] - '0';
		} else if (*end) {
			return -1;
		}
		if (v < d->min || v > d->max)
			return -1;
		*(int *)(void *)dst = (int)v;
		return 0;
	case CFG_ENUM:
		if (enum_index(d->allowed, value) < 0)
			return -1;
		copy(dst, d->size, value);
		return 0;
	case CFG_ENUM_INT:
		if (enum_index(d->allowed, value) < 0)
			return -1;
		*(int *)(void *)dst = enum_index(d->allowed, value);
		return 0;
	}
	return -1;
}

void config_defaults(struct settings *s)
{
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < NDEFS; i++)
		(void)apply(&cfgdefs[i], cfgdefs[i].def, s);
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

int config_locate(const char *explicit_path, char *buf, size_t bufsz, struct err *err)
{
	const char *env = getenv("POSYANDU_CONFIG");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	buf[0] = '\0';
	if (explicit_path || (env && *env)) {
		const char *p = explicit_path ? explicit_path : env;
		if (!file_exists(p))
			return err_set(err, ERR_NOTFOUND, "config", "%s: no such file", p);
		copy(buf, bufsz, p);
		return 0;
	}
	if (xdg && *xdg)
		snprintf(buf, bufsz, "%s/posyandu/posyandu.ini", xdg);
	else if (home && *home)
		snprintf(buf, bufsz, "%s/.config/posyandu/posyandu.ini", home);
	if (buf[0] && file_exists(buf))
		return 0;
	copy(buf, bufsz, "/etc/posyandu/posyandu.ini");
	if (file_exists(buf))
		return 0;
	buf[0] = '\0';
	return 0;
}

/* iniparser reports syntax errors through a printf-like callback. */
static char parse_error[256];
static int capture_error(const char *fmt, ...)
{
	va_list ap;
	if (parse_error[0])
		return 0;      /* keep the first */
	va_start(ap, fmt);
	vsnprintf(parse_error, sizeof parse_error, fmt, ap);
	va_end(ap);
	return 0;
}

static const struct cfgdef *find_def(const char *key)
{
	for (size_t i = 0; i < NDEFS; i++)
		if (strcmp(cfgdefs[i].key, key) == 0)
			return &cfgdefs[i];
	return NULL;
}

static bool section_known(const char *sec)
{
	size_t n = strlen(sec);
	for (size_t i = 0; i < NDEFS; i++)
		if (strncmp(cfgdefs[i].key, sec, n) == 0 && cfgdefs[i].key[n] == ':')
			return true;
	return false;
}

static void diag_set(struct config_diag *diag, const char *file, const char *fullkey,
		     const char *value, const char *allowed)
{
	const char *colon = strchr(fullkey, ':');
	memset(diag, 0, sizeof *diag);
	copy(diag->file, sizeof diag->file, file);
	if (colon) {
		snprintf(diag->section, sizeof diag->section, "%.*s", (int)(colon - fullkey), fullkey);
		copy(diag->key, sizeof diag->key, colon + 1);
	} else {
		copy(diag->section, sizeof diag->section, fullkey);
	}
	copy(diag->value, sizeof diag->value, value ? value : "");
	diag->allowed = allowed;
}

int config_load(const char *path, struct settings *s, struct config_diag *diag,
		config_warn_fn warn, void *ctx, struct err *err)
{
	struct config_diag scratch;
	dictionary *ini;
	const char **keys = NULL;
	int rc = -1;

	if (!diag)
		diag = &scratch;
	config_defaults(s);
	if (!path || !*path)
		return 0;
	parse_error[0] = '\0';
	iniparser_set_error_callback(capture_error);
	ini = iniparser_load(path);
	if (!ini || parse_error[0]) {
		diag_set(diag, path, "", "", NULL);
		err_set(err, ERR_CONFIG, "config", "%s: %s", path,
			parse_error[0] ? parse_error : "cannot read the file");
		goto out;
	}
	for (int i = 0; i < iniparser_getnsec(ini); i++) {
		const char *sec = iniparser_getsecname(ini, i);
		int nkeys = iniparser_getsecnkeys(ini, sec);

		if (!section_known(sec)) {
			if (warn) {
				diag_set(diag, path, sec, NULL, NULL);
				warn(diag, ctx);
			}
			continue;
		}
		/* iniparser_getseckeys writes all NKEYS pointers: size the array to fit. */
		if (nkeys <= 0)
			continue;
		free(keys);
		if (!(keys = calloc((size_t)nkeys, sizeof *keys))) {
			err_set(err, ERR_NOMEM, NULL, "out of memory");
			goto out;
		}
		if (!iniparser_getseckeys(ini, sec, keys))
			continue;
		for (int k = 0; k < nkeys; k++) {
			const struct cfgdef *d = find_def(keys[k]);
			const char *value = iniparser_getstring(ini, keys[k], "");
			if (!d) {
				if (warn) {
					diag_set(diag, path, keys[k], value, NULL);
					warn(diag, ctx);
				}
				continue;
			}
			if (apply(d, value, s) < 0) {
				diag_set(diag, path, d->key, value, d->allowed);
				if (strcmp(d->key, "ilp:steps") == 0) {
					snprintf(diag->why, sizeof diag->why, "%s", steps_why);
					diag->why_msgid = steps_refused.why;
					snprintf(diag->why_arg, sizeof diag->why_arg, "%s",
						 steps_refused.why_arg);
				}
				/* what is wrong first: a long path may cut the end */
				err_set(err, ERR_CONFIG, d->key, "%s: [%s] %s = \"%s\": %s%sallowed %s",
					path, diag->section, diag->key, diag->value, diag->why,
					diag->why[0] ? "; " : "", diag->allowed);
				goto out;
			}
		}
	}
	copy(s->source, sizeof s->source, path);
	rc = 0;
out:
	free(keys);
	if (ini)
		iniparser_freedict(ini);
	iniparser_set_error_callback(NULL);
	return rc;
}
