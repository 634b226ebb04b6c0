/* tests/unit/test_config.c: storage/config.c on real INI files in a temp dir.
 *
 * A bad value must name the place: config_load fills struct config_diag and
 * err.detail reads "PATH: [section] key = "value": allowed TEXT" (config.h;
 * STYLE.md §4 "Config and import errors name the place"). Unknown keys and
 * sections only warn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/valid.h"
#include "storage/config.h"
#include "tests/helpers/testutil.h"

struct fixture {
	char *dir;
	char path[600];          /* DIR/posyandu.ini */
	char *saved_env[3];      /* POSYANDU_CONFIG, XDG_CONFIG_HOME, HOME */
};

static const char *const env_names[3] = { "POSYANDU_CONFIG", "XDG_CONFIG_HOME", "HOME" };

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_mkdtemp()))
		return -1;
	tu_path(f->path, sizeof f->path, f->dir, "posyandu.ini");
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(env_names[i]);
		f->saved_env[i] = v ? strdup(v) : NULL;
	}
	/* No test may pick up the developer's own files by accident. */
	unsetenv("POSYANDU_CONFIG");
	setenv("XDG_CONFIG_HOME", f->dir, 1);
	setenv("HOME", f->dir, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 3; i++) {
		if (f->saved_env[i])
			setenv(env_names[i], f->saved_env[i], 1);
		else
			unsetenv(env_names[i]);
		free(f->saved_env[i]);
	}
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Warnings seen by the callback. */
struct warnings {
	int n;
	struct config_diag last;
	char keys[128][32];
};

static void on_warn(const struct config_diag *d, void *ctx)
{
	struct warnings *w = ctx;
	if (w->n < 128)
		snprintf(w->keys[w->n], sizeof w->keys[0], "%s", d->key);
	w->n++;
	w->last = *d;
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* ---- defaults ---- */

static void assert_defaults(const struct settings *s)
{
	assert_string_equal(s->language, "id");        /* the UI defaults to Indonesian */
	assert_int_equal(s->min_secret, SECRET_PIN6);   /* SECURITY.md §6 */
	assert_int_equal(s->argon2_mem_mib, 0);         /* 0 = calibrate at init */
	assert_int_equal(s->argon2_ops, 0);
	assert_true(s->idle_lock_min > 0);              /* auto-lock is on by default */
	assert_string_equal(s->data_dir, "");           /* "" = default */
	assert_string_equal(s->code, "");
	assert_string_equal(s->name, "");
	assert_string_equal(s->server, "");
	assert_string_equal(s->district_key, "");
	assert_int_equal(s->target_ds, 80);             /* domain.md §3.4: SPM */
	assert_int_equal(s->target_nd, 80);
	assert_string_equal(s->source, "");             /* built-in defaults */
}

static void test_defaults_without_a_file(void **state)
{
	struct settings s, d;
	struct err err = { 0 };
	struct warnings w = { 0 };
	(void)state;

	memset(&s, 0x5a, sizeof s);                     /* garbage must not survive */
	assert_int_equal(config_load("", &s, NULL, on_warn, &w, &err), 0);
	assert_defaults(&s);
	memset(&s, 0x5a, sizeof s);
	assert_int_equal(config_load(NULL, &s, NULL, NULL, NULL, &err), 0);
	assert_defaults(&s);
	assert_int_equal(w.n, 0);

	config_defaults(&d);
	assert_defaults(&d);
	assert_int_equal(d.idle_lock_min, s.idle_lock_min);
}

/* ---- a good file ---- */

static const char good_ini[] =
	"; posyandu.ini written by the admin\n"
	"[posyandu]\n"
	"code = P-0042\n"
	"name = \"Posyandu Melati; Blok A\"\n"
	"desa = Sukamaju\n"
	"kecamatan = Cibeber\n"
	"puskesmas = Puskesmas Cibeber\n"
	"kabupaten = Cianjur\n"
	"\n"
	"[storage]\n"
	"data = /var/lib/posyandu\n"
	"\n"
	"[store]\n"
	"url = postgresql:///posyandu?host=/var/run/postgresql\n"
	"\n"
	"[ui]\n"
	"language = en\n"
	"idle_lock_minutes = 5\n"
	"\n"
	"[security]\n"
	"argon2_mem_mib = 64\n"
	"argon2_ops = 3\n"
	"min_secret = strong\n"
	"\n"
	"[sync]\n"
	"server = https://dinkes.example.id/posyandu\n"
	"district_key = pyd1qqxyzexamplekey0123456789\n"
	"\n"
	"[ilp]\n"
	"steps = register, measure:Penimbangan, record, serve, sync\n"
	"cholesterol_high = 240\n"
	"uric_men_above = 7.5\n"
	"uric_women_above = 5,7\n"
	"hb_pregnant_below = 10,5\n"
	"\n"
	"[report]\n"
	"target_ds = 90\n"
	"target_nd = 85\n";

static void test_good_file_sets_every_field(void **state)
{
	struct fixture *f = *state;
	struct settings s;
	struct config_diag diag;
	struct warnings w = { 0 };
	struct err err = { 0 };

	assert_int_equal(tu_write_file(f->path, good_ini), 0);
	assert_int_equal(config_load(f->path, &s, &diag, on_warn, &w, &err), 0);
	assert_int_equal(w.n, 0);
	assert_string_equal(s.code, "P-0042");
	assert_string_equal(s.name, "Posyandu Melati; Blok A");
	assert_string_equal(s.desa, "Sukamaju");
	assert_string_equal(s.kecamatan, "Cibeber");
	assert_string_equal(s.puskesmas, "Puskesmas Cibeber");
	assert_string_equal(s.kabupaten, "Cianjur");
	assert_string_equal(s.data_dir, "/var/lib/posyandu");
	assert_string_equal(s.store_url, "postgresql:///posyandu?host=/var/run/postgresql");
	assert_string_equal(s.language, "en");
	assert_int_equal(s.idle_lock_min, 5);
	assert_int_equal(s.argon2_mem_mib, 64);
	assert_int_equal(s.argon2_ops, 3);
	assert_int_equal(s.min_secret, SECRET_STRONG);
	assert_string_equal(s.server, "https://dinkes.example.id/posyandu");
	assert_string_equal(s.district_key, "pyd1qqxyzexamplekey0123456789");
	assert_string_equal(s.ilp_steps, "register, measure:Penimbangan, record, serve, sync");
	assert_int_equal(s.cholesterol_high, 240);
	assert_int_equal(s.uric_men_above, 75);        /* a point */
	assert_int_equal(s.uric_women_above, 57);      /* a comma */
	assert_int_equal(s.hb_pregnant_below, 105);
	assert_int_equal(s.target_ds, 90);
	assert_int_equal(s.target_nd, 85);
	assert_string_equal(s.source, f->path);

	/* The file above must cover every known key: a new key extends it. */
	for (size_t i = 0; config_key_name(i); i++) {
		const char *k = config_key_name(i), *colon = strchr(k, ':');
		char section[40], line[80];
		assert_non_null(colon);
		snprintf(section, sizeof section, "[%.*s]\n", (int)(colon - k), k);
		snprintf(line, sizeof line, "\n%s = ", colon + 1);
		if (!strstr(good_ini, section) || !strstr(good_ini, line))
			fail_msg("good_ini lacks %s", k);
	}
}

/* Section and key names are case-insensitive, and a later file line wins. */
static void test_names_ignore_case(void **state)
{
	struct fixture *f = *state;
	struct settings s;
	struct err err = { 0 };

	assert_int_equal(tu_write_file(f->path, "[UI]\nLanguage = en\nIDLE_LOCK_MINUTES = 0\n"), 0);
	assert_int_equal(config_load(f->path, &s, NULL, NULL, NULL, &err), 0);
	assert_string_equal(s.language, "en");
	assert_int_equal(s.idle_lock_min, 0);             /* 0 = never lock */
}

/* ---- bad values ---- */

struct bad_case {
	const char *section, *key, *value;
	const char *allowed;       /* the exact allowed text */
};

static const struct bad_case bad_cases[] = {
	{ "ui", "language", "fr", "id|en" },
	{ "ilp", "cholesterol_high", "119", "120-400 (mg/dL)" },
	{ "ilp", "uric_men_above", "15,1", "3,0-15,0 (mg/dL)" },
	{ "ilp", "uric_men_above", "7,05", "3,0-15,0 (mg/dL)" },
	{ "ilp", "uric_men_above", "7,", "3,0-15,0 (mg/dL)" },
	{ "ilp", "hb_pregnant_below", "11 g", "8,0-14,0 (g/dL)" },
	{ "report", "target_ds", "0", "1-100 (%)" },
	{ "report", "target_ds", "101", "1-100 (%)" },
	{ "report", "target_nd", "85%", "1-100 (%)" },
	{ "report", "target_nd", "85,5", "1-100 (%)" },
	{ "ui", "language", "", "id|en" },
	{ "ui", "idle_lock_minutes", "abc", "0-1440" },
	{ "ui", "idle_lock_minutes", "99999", "0-1440" },
	{ "ui", "idle_lock_minutes", "1441", "0-1440" },
	{ "ui", "idle_lock_minutes", "-1", "0-1440" },
	{ "ui", "idle_lock_minutes", "10min", "0-1440" },
	{ "ui", "idle_lock_minutes", "99999999999999999999", "0-1440" },
	{ "security", "argon2_mem_mib", "16", "0 (calibrate) or 32-4096" },
	{ "security", "argon2_mem_mib", "31", "0 (calibrate) or 32-4096" },
	{ "security", "argon2_mem_mib", "4097", "0 (calibrate) or 32-4096" },
	{ "security", "argon2_ops", "1", "0 (calibrate) or 2-10" },
	{ "security", "argon2_ops", "11", "0 (calibrate) or 2-10" },
	{ "security", "min_secret", "weak", "pin6|strong" },
	{ "security", "min_secret", "PIN6", "pin6|strong" },
	{ "posyandu", "code", "bad code!", "A-Z 0-9 -, up to 15" },
	{ "posyandu", "code", "p-0001", "A-Z 0-9 -, up to 15" },
	{ "posyandu", "code", "P-00000000000001", "A-Z 0-9 -, up to 15" },
	{ "sync", "server", "ftp://x", "http:// or https:// URL" },
	{ "store", "url", "/var/lib/posyandu", "postgresql:// URL" },
	{ "store", "url", "mysql://db/posyandu", "postgresql:// URL" },
	{ "sync", "server", "dinkes.example.id", "http:// or https:// URL" },
};

static void test_bad_values_name_the_place(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		char text[256], want[1024];
		struct settings s;
		struct config_diag diag;
		struct err err = { 0 };

		/* the bad line sits between two good ones */
		snprintf(text, sizeof text, "[posyandu]\nkabupaten = Cianjur\n[%s]\n%s = %s\n"
			 "[storage]\ndata = /srv/p\n", c->section, c->key, c->value);
		assert_int_equal(tu_write_file(f->path, text), 0);
		memset(&diag, 0x5a, sizeof diag);
		if (config_load(f->path, &s, &diag, NULL, NULL, &err) != -1)
			fail_msg("[%s] %s = \"%s\" was accepted", c->section, c->key, c->value);
		snprintf(want, sizeof want, "%s: [%s] %s = \"%s\": allowed %s", f->path, c->section,
			 c->key, c->value, c->allowed);
		if (err.code != ERR_CONFIG || strcmp(err.detail, want) != 0)
			fail_msg("[%s] %s = \"%s\": got %s \"%s\", want ERR_CONFIG \"%s\"", c->section,
				 c->key, c->value, err_code_name(err.code), err.detail, want);
		assert_string_equal(diag.file, f->path);
		assert_string_equal(diag.section, c->section);
		assert_string_equal(diag.key, c->key);
		assert_string_equal(diag.value, c->value);
		assert_non_null(diag.allowed);
		assert_string_equal(diag.allowed, c->allowed);
		assert_non_null(err.field);
		assert_non_null(strstr(err.field, c->key));
	}
}

/* A value longer than the field: refused, and the diagnosis keeps as much of
 * the value as struct config_diag holds. */
static void test_too_long_value(void **state)
{
	struct fixture *f = *state;
	static const char long_name[] =          /* 64 bytes: name[] holds 63 */
		"Posyandu Melati Sukamaju Cibeber Cianjur Jawa Barat Indonesia 01";
	struct settings s;
	struct config_diag diag;
	struct err err = { 0 };
	char text[200];

	assert_int_equal(strlen(long_name), 64);
	snprintf(text, sizeof text, "[posyandu]\nname = %s\n", long_name);
	assert_int_equal(tu_write_file(f->path, text), 0);
	assert_int_equal(config_load(f->path, &s, &diag, NULL, NULL, &err), -1);
	assert_int_equal(err.code, ERR_CONFIG);
	assert_string_equal(diag.section, "posyandu");
	assert_string_equal(diag.key, "name");
	assert_int_equal(strlen(diag.value), sizeof diag.value - 1);
	assert_memory_equal(diag.value, long_name, sizeof diag.value - 1);
	assert_string_equal(diag.allowed, "text, up to 63 bytes");
}

/* The exact message of the issue, spelled out once without the table. */
static void test_bad_language_message(void **state)
{
	struct fixture *f = *state;
	struct settings s;
	struct config_diag diag;
	struct err err = { 0 };
	char want[700];

	assert_int_equal(tu_write_file(f->path, "[ui]\nlanguage = fr\n"), 0);
	assert_int_equal(config_load(f->path, &s, &diag, NULL, NULL, &err), -1);
	assert_int_equal(err.code, ERR_CONFIG);
	snprintf(want, sizeof want, "%s: [ui] language = \"fr\": allowed id|en", f->path);
	assert_string_equal(err.detail, want);
}

/* Edge values that are allowed. */
static void test_boundary_values_accepted(void **state)
{
	struct fixture *f = *state;
	static const struct { const char *text; } rows[] = {
		{ "[ui]\nidle_lock_minutes = 1440\n" },
		{ "[report]\ntarget_ds = 1\ntarget_nd = 100\n" },
		{ "[report]\ntarget_ds = 100\ntarget_nd = 1\n" },
		{ "[ilp]\ncholesterol_high = 400\nuric_men_above = 3\nhb_pregnant_below = 14.0\n" },
		{ "[security]\nargon2_mem_mib = 32\nargon2_ops = 2\n" },
		{ "[security]\nargon2_mem_mib = 4096\nargon2_ops = 10\n" },
		{ "[security]\nargon2_mem_mib = 0\nargon2_ops = 0\n" },
		{ "[sync]\nserver = http://10.0.0.2:8080\n" },
		{ "[posyandu]\ncode = 123456789012345\n" },
		{ "[posyandu]\nname = Posyandu Melati Sukamaju Cibeber Cianjur Jawa Barat Indonesia 0\n" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct settings s;
		struct err err = { 0 };
		assert_int_equal(tu_write_file(f->path, rows[i].text), 0);
		if (config_load(f->path, &s, NULL, NULL, NULL, &err) != 0)
			fail_msg("refused %s: %s", rows[i].text, err.detail);
	}
}

/* ---- warnings ---- */

static void test_unknown_key_warns(void **state)
{
	struct fixture *f = *state;
	struct settings s;
	struct warnings w = { 0 };
	struct err err = { 0 };

	assert_int_equal(tu_write_file(f->path, "[ui]\ntheme = dark\nlanguage = en\n"), 0);
	assert_int_equal(config_load(f->path, &s, NULL, on_warn, &w, &err), 0);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.last.file, f->path);
	assert_string_equal(w.last.section, "ui");
	assert_string_equal(w.last.key, "theme");
	assert_string_equal(w.last.value, "dark");
	assert_string_equal(s.language, "en");            /* the rest still loads */
	assert_string_equal(s.source, f->path);
	/* no callback: still fine */
	assert_int_equal(config_load(f->path, &s, NULL, NULL, NULL, &err), 0);
}

static void test_unknown_section_warns(void **state)
{
	struct fixture *f = *state;
	struct settings s;
	struct warnings w = { 0 };
	struct err err = { 0 };

	assert_int_equal(tu_write_file(f->path, "[colors]\nfg = red\n[ui]\nlanguage = en\n"), 0);
	assert_int_equal(config_load(f->path, &s, NULL, on_warn, &w, &err), 0);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.last.section, "colors");
	assert_string_equal(w.last.file, f->path);
	assert_string_equal(s.language, "en");
}

/* A section with more keys than any fixed buffer: every unknown key warns
 * once, and the known key after them still applies. */
static void test_many_keys_in_one_section(void **state)
{
	struct fixture *f = *state;
	struct settings s;
	struct warnings w = { 0 };
	struct err err = { 0 };
	char text[8192];
	size_t n = 0;

	n += (size_t)snprintf(text + n, sizeof text - n, "[ui]\n");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "extra%03d = %d\n", i, i);
	snprintf(text + n, sizeof text - n, "language = en\n");
	assert_int_equal(tu_write_file(f->path, text), 0);
	assert_int_equal(config_load(f->path, &s, NULL, on_warn, &w, &err), 0);
	assert_int_equal(w.n, 100);
	assert_string_equal(w.keys[0], "extra000");
	assert_string_equal(w.keys[99], "extra099");
	assert_string_equal(s.language, "en");
}

/* ---- unreadable files ---- */

static void test_syntax_error(void **state)
{
	struct fixture *f = *state;
	static const char *const texts[] = {
		"[ui]\nlanguage en\n",              /* no '=' */
		"[ui\nlanguage = en\n",             /* unterminated section */
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct settings s;
		struct config_diag diag;
		struct err err = { 0 };
		assert_int_equal(tu_write_file(f->path, texts[i]), 0);
		assert_int_equal(config_load(f->path, &s, &diag, NULL, NULL, &err), -1);
		assert_int_equal(err.code, ERR_CONFIG);
		assert_string_equal(diag.file, f->path);
		assert_memory_equal(err.detail, f->path, strlen(f->path));   /* names the file */
	}
}

static void test_missing_file_is_an_error(void **state)
{
	struct fixture *f = *state;
	struct settings s;
	struct err err = { 0 };
	char path[700];

	tu_path(path, sizeof path, f->dir, "nope.ini");
	assert_int_equal(config_load(path, &s, NULL, NULL, NULL, &err), -1);
	assert_int_equal(err.code, ERR_CONFIG);
	assert_non_null(strstr(err.detail, path));
}

/* ---- config_locate ---- */

static void test_locate_explicit(void **state)
{
	struct fixture *f = *state;
	char buf[700], missing[700];
	struct err err = { 0 };

	tu_path(missing, sizeof missing, f->dir, "missing.ini");
	snprintf(buf, sizeof buf, "junk");
	assert_int_equal(config_locate(missing, buf, sizeof buf, &err), -1);
	assert_int_equal(err.code, ERR_NOTFOUND);
	assert_non_null(strstr(err.detail, missing));
	assert_string_equal(buf, "");

	assert_int_equal(tu_write_file(f->path, "[ui]\n"), 0);
	assert_int_equal(config_locate(f->path, buf, sizeof buf, &err), 0);
	assert_string_equal(buf, f->path);

	/* the flag wins over the variable */
	setenv("POSYANDU_CONFIG", missing, 1);
	assert_int_equal(config_locate(f->path, buf, sizeof buf, &err), 0);
	assert_string_equal(buf, f->path);
}

static void test_locate_env_variable(void **state)
{
	struct fixture *f = *state;
	char buf[700], missing[700], xdg_file[700], sub[700];
	struct err err = { 0 };

	assert_int_equal(tu_write_file(f->path, "[ui]\n"), 0);
	setenv("POSYANDU_CONFIG", f->path, 1);
	assert_int_equal(config_locate(NULL, buf, sizeof buf, &err), 0);
	assert_string_equal(buf, f->path);

	/* $POSYANDU_CONFIG beats an existing XDG file */
	tu_path(sub, sizeof sub, f->dir, "posyandu");
	assert_int_equal(mkdir(sub, 0700), 0);
	tu_path(xdg_file, sizeof xdg_file, sub, "posyandu.ini");
	assert_int_equal(tu_write_file(xdg_file, "[ui]\n"), 0);
	assert_int_equal(config_locate(NULL, buf, sizeof buf, &err), 0);
	assert_string_equal(buf, f->path);

	/* a variable naming a missing file is an error, like the flag */
	tu_path(missing, sizeof missing, f->dir, "missing.ini");
	setenv("POSYANDU_CONFIG", missing, 1);
	assert_int_equal(config_locate(NULL, buf, sizeof buf, &err), -1);
	assert_int_equal(err.code, ERR_NOTFOUND);
}

static void test_locate_xdg_then_home(void **state)
{
	struct fixture *f = *state;
	char buf[700], xdg[700], sub[700], want[700], home[700], dotconf[700];
	struct err err = { 0 };
	const char *etc = "/etc/posyandu/posyandu.ini";
	const char *none = file_exists(etc) ? etc : "";

	/* $XDG_CONFIG_HOME/posyandu/posyandu.ini */
	tu_path(xdg, sizeof xdg, f->dir, "xdg");
	tu_path(sub, sizeof sub, xdg, "posyandu");
	assert_int_equal(mkdir(xdg, 0700), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	tu_path(want, sizeof want, sub, "posyandu.ini");
	setenv("XDG_CONFIG_HOME", xdg, 1);
	assert_int_equal(config_locate(NULL, buf, sizeof buf, &err), 0);
	assert_string_equal(buf, none);                   /* nothing there yet */
	assert_int_equal(tu_write_file(want, "[ui]\n"), 0);
	assert_int_equal(config_locate(NULL, buf, sizeof buf, &err), 0);
	assert_string_equal(buf, want);

	/* without XDG_CONFIG_HOME: $HOME/.config/posyandu/posyandu.ini */
	unsetenv("XDG_CONFIG_HOME");
	tu_path(home, sizeof home, f->dir, "home");
	assert_int_equal(mkdir(home, 0700), 0);
	setenv("HOME", home, 1);
	assert_int_equal(config_locate(NULL, buf, sizeof buf, &err), 0);
	assert_string_equal(buf, none);
	tu_path(dotconf, sizeof dotconf, home, ".config");
	assert_int_equal(mkdir(dotconf, 0700), 0);
	tu_path(sub, sizeof sub, dotconf, "posyandu");
	assert_int_equal(mkdir(sub, 0700), 0);
	tu_path(want, sizeof want, sub, "posyandu.ini");
	assert_int_equal(tu_write_file(want, "[ui]\n"), 0);
	assert_int_equal(config_locate(NULL, buf, sizeof buf, &err), 0);
	assert_string_equal(buf, want);
}

/* ---- the key table ---- */

static void test_key_names(void **state)
{
	size_t n = 0;
	(void)state;
	for (; config_key_name(n); n++) {
		const char *k = config_key_name(n), *colon = strchr(k, ':');
		assert_non_null(colon);
		assert_true(colon > k && colon[1] != '\0');
		assert_null(strchr(colon + 1, ':'));
		for (const char *p = k; *p; p++)
			assert_false(*p >= 'A' && *p <= 'Z');      /* iniparser keeps keys lower case */
		for (size_t j = 0; j < n; j++)
			assert_string_not_equal(k, config_key_name(j));
	}
	assert_true(n >= 14);
	assert_null(config_key_name(n + 1000));
}

/* Is KEY a whole word in [FROM, TO)? */
static bool has_word(const char *from, const char *to, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = from; p && p + kl <= to; p++) {
		if (!(p = strstr(p, key)) || p + kl > to)
			return false;
		bool left = p == from || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'));
		bool right = !(p[kl] == '_' || (p[kl] >= 'a' && p[kl] <= 'z'));
		if (left && right)
			return true;
	}
	return false;
}

/* Every key of the table is documented in man/posyandu.ini.5: either as
 * "section:key", or by name inside the block of its "[section]" (up to the
 * next mdoc section or subsection). */
static void test_keys_documented_in_man_page(void **state)
{
	const char *path = POSYANDU_SRCDIR "/man/posyandu.ini.5";
	unsigned char *raw;
	char *text;
	size_t len;
	(void)state;

	if (!file_exists(path)) {
		print_message("SKIP: %s does not exist yet; the docs test runs once it does\n", path);
		skip();
	}
	assert_non_null(raw = tu_read_file(path, &len));
	assert_non_null(text = calloc(1, len + 1));
	memcpy(text, raw, len);
	free(raw);
	for (size_t i = 0; config_key_name(i); i++) {
		const char *k = config_key_name(i), *colon = strchr(k, ':');
		char section[40];
		bool found = strstr(text, k) != NULL;

		snprintf(section, sizeof section, "[%.*s]", (int)(colon - k), k);
		for (const char *sec = strstr(text, section); !found && sec; sec = strstr(sec + 1, section)) {
			const char *end = strstr(sec, "\n.Sh "), *ss = strstr(sec, "\n.Ss ");
			if (ss && (!end || ss < end))
				end = ss;
			found = has_word(sec, end ? end : text + len, colon + 1);
		}
		if (!found) {
			free(text);
			fail_msg("%s: key \"%s\" is not documented", path, k);
		}
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults_without_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_file_sets_every_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_ignore_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values_name_the_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_long_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_language_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boundary_values_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_key_warns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_section_warns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_keys_in_one_section, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locate_explicit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locate_env_variable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locate_xdg_then_home, setup, teardown),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_keys_documented_in_man_page),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
