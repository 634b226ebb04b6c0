/* tests/unit/test_transfer.c: the use cases of app/transfer.h and
 * app/setup.h on real stores in temporary folders:
 *   - export into a folder, the district imports it, its receipt imported
 *     from a file moves the watermark once; the next export has nothing;
 *   - import refuses a folder, a FIFO, a link, a file over the cap, an
 *     oversized receipt, a missing file and one that is neither, each with
 *     the error the front ends turn into the same sentence;
 *   - export from a device that is not enrolled is refused;
 *   - a store made by setup_store_create, users added, re-PINned,
 *     disabled; a weak PIN and an unknown role refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/setup.h"
#include "app/transfer.h"
#include "tests/unit/test_sync_fixture.h"

struct world {
	struct sf_store district, d1;
	struct app c;
	char *stick;
};

static void cheap_config(struct app *c)
{
	app_init(c);
	config_defaults(&c->cfg);
	c->cfg.argon2_mem_mib = 8;
	c->cfg.argon2_ops = 1;
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	uint8_t uuid[16];

	if (!w)
		return -1;
	sf_open(&w->district, NULL);
	sf_open(&w->d1, "P-0001");
	sf_enrol(&w->district, &w->d1, true);
	sf_add_child(w->d1.s, "Budi Santoso", uuid);
	cheap_config(&w->c);
	w->c.store = w->d1.s;
	snprintf(w->c.data_dir, sizeof w->c.data_dir, "%s", w->d1.dir);
	if (!(w->stick = tu_mkdtemp()))
		return -1;
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	sf_close(&w->district);
	sf_close(&w->d1);
	tu_rmtree(w->stick);
	free(w->stick);
	free(w);
	return 0;
}

static void ok(int rc, const struct err *e)
{
	if (rc < 0)
		fail_msg("%s %s: %s", err_code_name(e->code), e->field ? e->field : "-", e->detail);
}

static void test_export_receipt_roundtrip(void **state)
{
	struct world *w = *state;
	struct transfer_export_opts o = { .dir = w->stick };
	struct transfer_export_result x;
	struct transfer_import_result r;
	struct import_opts io = { .district = true };
	struct import_result ir;
	struct err e = { 0 };
	char rpath[800];
	int fd;

	ok(transfer_export(&w->c, &o, &x, &e), &e);
	assert_false(x.ex.empty);
	assert_non_null(strstr(x.path, w->stick));
	assert_true(tu_file_size(x.path) > 0);
	ok(import_bundle(w->district.s, x.path, &io, &ir, &e), &e);
	assert_true(ir.has_receipt);

	tu_path(rpath, sizeof rpath, w->stick, "back.pyr");
	fd = open(rpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ir.receipt, RECEIPT_LEN), RECEIPT_LEN);
	close(fd);
	ok(transfer_import(&w->c, rpath, &r, &e), &e);
	assert_int_equal(r.kind, TRANSFER_RECEIPT);
	assert_false(r.already);
	assert_true(r.watermark > 0);
	ok(transfer_import(&w->c, rpath, &r, &e), &e);
	assert_true(r.already);

	ok(transfer_export(&w->c, &o, &x, &e), &e);
	assert_true(x.ex.empty);
}

/* PATH must be refused with CODE and FIELD. */
static void refused(struct app *c, const char *path, enum err_code code, const char *field)
{
	struct transfer_import_result r;
	struct err e = { 0 };

	assert_int_equal(transfer_import(c, path, &r, &e), -1);
	if (e.code != code || !e.field || strcmp(e.field, field) != 0)
		fail_msg("%s: %s %s, wanted %s %s", path, err_code_name(e.code), e.field ? e.field : "-",
			 err_code_name(code), field);
}

static void test_import_refusals(void **state)
{
	struct world *w = *state;
	char p[800], target[800];
	int fd;

	tu_path(p, sizeof p, w->stick, "folder.pyb");
	assert_int_equal(mkdir(p, 0700), 0);
	refused(&w->c, p, ERR_FORMAT, "bundle-file");

	tu_path(p, sizeof p, w->stick, "pipe.pyb");
	assert_int_equal(mkfifo(p, 0600), 0);
	refused(&w->c, p, ERR_FORMAT, "bundle-file");

	tu_path(target, sizeof target, w->stick, "junk.txt");
	assert_int_equal(tu_write_file(target, "neither a bundle nor a receipt\n"), 0);
	refused(&w->c, target, ERR_FORMAT, "import");
	tu_path(p, sizeof p, w->stick, "link.pyb");
	assert_int_equal(symlink(target, p), 0);
	refused(&w->c, p, ERR_FORMAT, "bundle-file");

	tu_path(p, sizeof p, w->stick, "big.pyb");
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, BUNDLE_MAGIC, 8), 8);
	assert_int_equal(ftruncate(fd, (off_t)BUNDLE_MAX_SIZE + 1), 0);   /* sparse */
	close(fd);
	refused(&w->c, p, ERR_RANGE, "bundle-size");

	tu_path(p, sizeof p, w->stick, "big.pyr");
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, RECEIPT_MAGIC, 8), 8);
	assert_int_equal(ftruncate(fd, TRANSPORT_RECEIPT_MAX + 1), 0);
	close(fd);
	refused(&w->c, p, ERR_FORMAT, "receipt");

	tu_path(p, sizeof p, w->stick, "missing.pyb");
	refused(&w->c, p, ERR_IO, "bundle-file");
}

static void test_export_needs_enrolment(void **state)
{
	struct world *w = *state;
	struct sf_store lone;
	struct app c;
	struct transfer_export_opts o = { .dir = w->stick };
	struct transfer_export_result x;
	struct err e = { 0 };

	sf_open(&lone, "P-0002");
	cheap_config(&c);
	c.store = lone.s;
	assert_int_equal(transfer_export(&c, &o, &x, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_string_equal(e.field, "district");
	sf_close(&lone);
}

static struct pin pin_of(const char *s)
{
	struct pin p = { .buf = (char *)s, .len = strlen(s) };
	return p;
}

static void test_setup_store_and_users(void **state)
{
	struct store_profile p;
	struct setup_kdf k;
	struct store_user *users;
	struct app c;
	struct err e = { 0 };
	struct pin good = pin_of("739164"), weak = pin_of("123456");
	enum role role;
	size_t n;
	char *dir = tu_mkdtemp();
	(void)state;

	assert_non_null(dir);
	cheap_config(&c);
	snprintf(c.data_dir, sizeof c.data_dir, "%s/data", dir);
	setup_profile_from_config(&c, &p);
	assert_int_equal(setup_store_check(&c, &p, "ani", &e), -1);     /* no code in the config */
	snprintf(p.code, sizeof p.code, "P-0001");
	snprintf(p.name, sizeof p.name, "Posyandu Mawar");
	ok(setup_store_check(&c, &p, "ani", &e), &e);
	assert_int_equal(setup_store_create(&c, &p, "ani", &weak, &k, &e), -1);
	assert_null(c.store);
	ok(setup_store_create(&c, &p, "ani", &good, &k, &e), &e);
	assert_non_null(c.store);
	assert_true(k.seconds < 0);            /* the cost came from the configuration */
	assert_int_equal(setup_store_check(&c, &p, "ani", &e), -1);
	assert_int_equal(e.code, ERR_EXISTS);

	assert_int_equal(setup_role("boss", &role, &e), -1);
	assert_string_equal(e.field, "role");
	ok(setup_role("trainer", &role, &e), &e);
	assert_int_equal(setup_user_add(&c, "sri", role, &weak, &e), -1);
	ok(setup_user_add(&c, "sri", role, &good, &e), &e);
	ok(setup_user_passwd(&c, "sri", &good, &e), &e);
	ok(setup_user_disable(&c, "sri", &e), &e);
	ok(setup_user_list(&c, &users, &n, &e), &e);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++)
		if (strcmp(users[i].label, "sri") == 0)
			assert_true(users[i].disabled && users[i].role == ROLE_TRAINER);
	free(users);
	app_close(&c);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_export_receipt_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_needs_enrolment, setup, teardown),
		cmocka_unit_test(test_setup_store_and_users),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
