/* storage/config.h: posyandu.ini (man/posyandu.ini.5), read with iniparser.
 * Callers get a plain struct settings; no dictionary leaves config.c. */
#ifndef POSYANDU_STORAGE_CONFIG_H
#define POSYANDU_STORAGE_CONFIG_H

#include <stddef.h>

#include "core/err.h"

struct settings {
	/* [posyandu] */
	char code[16];
	char name[64];
	char desa[64];
	char kecamatan[64];
	char puskesmas[64];
	char kabupaten[64];
	/* [storage] */
	char data_dir[512];       /* "" = default */
	/* [store] (posyandu-server): PostgreSQL instead of the data folder */
	char store_url[512];      /* "" = SQLite in the data folder */
	/* [ui] */
	char language[4];         /* "id" or "en" */
	int idle_lock_min;        /* auto-lock after this many idle minutes; 0 = never */
	/* [security] */
	int argon2_mem_mib;       /* 0 = calibrate at init */
	int argon2_ops;           /* 0 = calibrate at init */
	int min_secret;           /* enum secret_policy */
	/* [sync] */
	char server[256];
	char district_key[160];
	/* [ilp] steps: the day's steps, checked with core/ilp_steps.h's parser
	 * when loaded ("" = the default five); callers parse it again. */
	char ilp_steps[256];
	/* [ilp] the UNCONFIRMED cut-offs (core/ilp.h struct ilp_limits) */
	int cholesterol_high;     /* mg/dL, high at or above */
	int uric_men_above;       /* 0.1 mg/dL */
	int uric_women_above;
	int hb_pregnant_below;    /* 0.1 g/dL */
	/* [report] the SKDN targets, % (domain.md §3.4): posyandu-server's
	 * web interface marks the D/S and N/D ratios below them */
	int target_ds;
	int target_nd;
	char source[512];         /* the file these came from, "" for built-in defaults */
};

/* Where a bad value was found, for a message that names it. */
struct config_diag {
	char file[512];
	char section[32];
	char key[32];
	char value[64];
	const char *allowed;      /* static text: "id|en", "0-1440", ... (a msgid) */
	char why[128];            /* what is wrong in it, when more is known, or "" */
	const char *why_msgid;    /* the same to translate: a msgid (at most one %s), or NULL */
	char why_arg[48];         /* ... and its %s */
	int line;                 /* 0 when unknown */
};

/* Called once per warning (an unknown key, an unknown section). */
typedef void (*config_warn_fn)(const struct config_diag *d, void *ctx);

/* Fill S with the built-in defaults. */
void config_defaults(struct settings *s);

/* Find the file: EXPLICIT (--config), then $POSYANDU_CONFIG, then
 * $XDG_CONFIG_HOME/posyandu/posyandu.ini, then /etc/posyandu/posyandu.ini.
 * Writes the path into BUF, or "" when none exists. An explicit file (flag or
 * variable) that does not exist is an error. */
int config_locate(const char *explicit_path, char *buf, size_t bufsz, struct err *err);

/* Load PATH over the defaults in S ("" = defaults only). A bad value is an
 * ERR_CONFIG error described in DIAG; unknown keys go to WARN (may be NULL). */
int config_load(const char *path, struct settings *s, struct config_diag *diag,
		config_warn_fn warn, void *ctx, struct err *err);

/* Iterate the known keys ("section:key"), for the docs test; NULL at the end. */
const char *config_key_name(size_t i);

#endif
