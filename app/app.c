/* app/app.c: the context every use case runs in (app/app.h): the
 * configuration, the data folder, opening and unlocking the store. The
 * district's program shares the first two (app_config_read, app_data_dir). */
#include "app/app.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ilp.h"
#include "storage/clock.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "app/secret.h"
#include "core/banned.h"

void app_init(struct app *c)
{
	memset(c, 0, sizeof *c);
	c->pin_fd = c->new_pin_fd = -1;
	c->utc_offset = clock_utc_offset();
}

void app_close(struct app *c)
{
	if (!c->store)
		return;
	store_checkpoint(c->store);
	store_close(c->store);
	c->store = NULL;
}


static void config_warning(const struct config_diag *d, void *ctx)
{
	(void)ctx;
	if (d->key[0])
		fprintf(stderr, _("posyandu: warning: %s: unknown key [%s] %s\n"), d->file, d->section, d->key);
	else
		fprintf(stderr, _("posyandu: warning: %s: unknown section [%s]\n"), d->file, d->section);
}

int app_config_read(struct app *c, config_warn_fn warn, struct config_diag *diag,
		    struct err *err)
{
	char path[512];

	struct ilp_limits l = ilp_limits_default;

	if (config_locate(c->config_arg, path, sizeof path, err) < 0 ||
	    config_load(path, &c->cfg, diag, warn, NULL, err) < 0)
		return -1;
	/* [ilp]: the cut-offs domain.md leaves open, for the panel and follow-up */
	l.cholesterol_high = c->cfg.cholesterol_high;
	l.uric_men_above = c->cfg.uric_men_above;
	l.uric_women_above = c->cfg.uric_women_above;
	l.hb_pregnant_below = c->cfg.hb_pregnant_below;
	ilp_limits_configure(&l);
	return 0;
}

int app_load_config(struct app *c)
{
	struct config_diag diag;
	struct err err = { 0 };
	char buf[1024];

	if (app_config_read(c, config_warning, &diag, &err) == 0)
		return 0;
	if (err.code == ERR_CONFIG)
		fprintf(stderr, "posyandu: %s\n", msg_config(&diag, buf, sizeof buf));
	else
		msg_print(&err);
	return -1;
}

void app_data_dir(char *out, size_t size, const char *arg, const char *env_name,
		  const char *configured, const char *name)
{
	const char *env = getenv(env_name);
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (arg)
		snprintf(out, size, "%s", arg);
	else if (env && *env)
		snprintf(out, size, "%s", env);
	else if (configured && *configured)
		snprintf(out, size, "%s", configured);
	else if (xdg && *xdg)
		snprintf(out, size, "%s/%s", xdg, name);
	else
		snprintf(out, size, "%s/.local/share/%s", home ? home : ".", name);
}

void app_resolve_data_dir(struct app *c)
{
	app_data_dir(c->data_dir, sizeof c->data_dir, c->data_arg, "POSYANDU_DATA", c->cfg.data_dir,
		     "posyandu");
}

int app_fail(const struct err *e)
{
	msg_print(e);
	return e->code == ERR_USAGE ? APP_USAGE : APP_ERROR;
}

/* The Argon2id cost for a new slot: the config's, or calibrated (§2.3). */
void app_kdf(const struct app *c, struct kdf_params *kdf, double *seconds)
{
	if (c->cfg.argon2_mem_mib && c->cfg.argon2_ops) {
		kdf->memlimit = (size_t)c->cfg.argon2_mem_mib << 20;
		kdf->opslimit = (uint64_t)c->cfg.argon2_ops;
		if (seconds)
			*seconds = -1;
		return;
	}
	store_kdf_calibrate(kdf, seconds);
}

int app_open_store(struct app *c)
{
	static const struct store_open_opts one = { .one_thread = true };   /* the command line */
	struct err err = { 0 };
	if (!(c->store = store_open(c->data_dir, &one, &err)))
		return app_fail(&err);
	return 0;
}

int app_unlock(struct app *c)
{
	struct pin pin;
	int rc = app_unlock_pin(c, &pin);

	if (rc == 0)
		pin_free(&pin);
	return rc;
}

int app_unlock_pin(struct app *c, struct pin *out)
{
	struct err err = { 0 };
	struct store_user *users = NULL;
	const char *label = c->user;
	char only[40] = "", prompt[96];
	struct pin pin;
	size_t n, active = 0;
	int64_t wait_s;
	int rc;

	if (!label) {
		if (store_users(c->store, &users, &n, &err) < 0)
			return app_fail(&err);
		for (size_t i = 0; i < n; i++)
			if (!users[i].disabled && active++ == 0)
				snprintf(only, sizeof only, "%s", users[i].label);
		free(users);
		if (active != 1) {
			fprintf(stderr, "posyandu: %s\n", _("Say which user with --user NAME"));
			return APP_USAGE;
		}
		label = only;
	}
	snprintf(prompt, sizeof prompt, _("PIN for %s: "), label);
	if (pin_read(&pin, c->pin_file, c->pin_fd, prompt, 0, &err) < 0)
		return app_fail(&err);
	rc = store_login(c->store, label, pin.buf, pin.len, &wait_s, &err);
	if (rc < 0)
		pin_free(&pin);
	else
		*out = pin;
	if (rc < 0) {
		/* ERR_LOCKED's sentence already says how long to wait. */
		if (err.code == ERR_AUTH && wait_s > 0) {
			char buf[256];
			fprintf(stderr, "posyandu: %s. ", msg_err(&err, buf, sizeof buf));
			fprintf(stderr, _("Wait %lld seconds before the next try.\n"), (long long)wait_s);
			return APP_ERROR;
		}
		return app_fail(&err);
	}
	{
		const char *note[2];
		size_t k = app_unlock_notes(c->store, note);
		for (size_t i = 0; i < k; i++)
			fprintf(stderr, "posyandu: %s\n", note[i]);
	}
	return 0;
}

size_t app_unlock_notes(struct store *s, const char *note[2])
{
	size_t n = 0;

	/* records deleted or rolled back outside the app (issue 13.3): the
	 * data stays readable, the warning comes first */
	if (msg_integrity(store_integrity_warning(s)))
		note[n++] = msg_integrity(store_integrity_warning(s));
	/* posyandu(1) "Read-only storage": unlocked, but nothing was counted */
	if (store_read_only(s) == STORE_RO_MEDIA)
		note[n++] = _("read-only: PIN attempts are not recorded");
	else if (store_read_only(s) == STORE_RO_FULL)
		note[n++] = _("disk full: attempts are not recorded, reading only");
	return n;
}

static long parse_long(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);
	return (end == s || *end || v < min || v > max) ? LONG_MIN : v;
}

int atoi_checked(const char *s)
{
	long v = parse_long(s, 0, INT_MAX);
	return v == LONG_MIN ? -1 : (int)v;
}

int app_parse_format(const char *s, int allow_csv)
{
	if (strcmp(s, "text") == 0)
		return APP_FMT_TEXT;
	if (allow_csv && strcmp(s, "csv") == 0)
		return APP_FMT_CSV;
	if (strcmp(s, "json") == 0)
		return APP_FMT_JSON;
	return -1;
}

int app_cmd_run(const struct app_cmd *cmds, size_t n, struct app *c, int argc, char **argv)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			return cmds[i].fn(c, argc, argv);
	return -1;
}

/* getopt_long over a table made from OPTS, so that every command of both
 * programs says "unrecognized option" and "requires an argument" alike. */
int app_opt_next(int argc, char **argv, const struct app_opt *opts)
{
	enum { MAXOPTS = 16, FIRST = 256 };
	struct option lo[MAXOPTS + 1];
	int n = 0, ch;

	for (; n < MAXOPTS && opts[n].name; n++)
		lo[n] = (struct option){ opts[n].name, opts[n].flag ? no_argument : required_argument,
					  NULL, FIRST + n };
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	ch = getopt_long(argc, argv, "", lo, NULL);
	if (ch == -1)
		return -1;
	if (ch < FIRST || ch >= FIRST + n)
		return -2;
	ch -= FIRST;
	if (opts[ch].val)
		*opts[ch].val = opts[ch].flag ? opts[ch].name : optarg;
	return ch;
}

int app_opts(int argc, char **argv, const struct app_opt *opts)
{
	int i;

	optind = 0;
	while ((i = app_opt_next(argc, argv, opts)) != -1)
		if (i == -2)
			return -1;
	return optind;
}

int app_read_small(const char *path, uint8_t *buf, size_t cap, size_t *len, const char *field,
		   const char *what, struct err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return err_set(err, ERR_IO, field, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > cap) {
		close(fd);
		return err_set(err, ERR_FORMAT, field, "%s is not %s", path, what);
	}
	n = read(fd, buf, cap);
	close(fd);
	if (n < 0)
		return err_set(err, ERR_IO, field, "%s: %s", path, strerror(errno));
	*len = (size_t)n;
	return 0;
}
