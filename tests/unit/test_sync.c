/* tests/unit/test_sync.c: enrolment, export, import, receipts, downstream
 * and conflicts, with real stores, real files and real crypto (a district
 * store and device stores in temporary folders, all in this process).
 *
 * What the issue and SECURITY.md §2.6-2.11 promise, and what is checked:
 *   - key strings round-trip, a typo fails the checksum, fingerprints are
 *     24 digits in six groups;
 *   - enrol -> export -> import -> receipt moves the watermark, and only a
 *     verified receipt does; the next incremental export has nothing;
 *   - versions imported at the district open with the district's own key
 *     through storage/record.c (store_verify), so both seal alike;
 *   - the same bundle twice: "duplicate", the same receipt bytes, 0 rows
 *     changed; a re-export: all versions counted as duplicates;
 *   - two devices of one posyandu converge through downstream bundles;
 *   - concurrent edits are listed as a conflict on both devices, a review
 *     makes a new version, and the conflict is gone everywhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>

#include "sync/keystr.h"
#include "sync/receipt.h"
#include "tests/unit/test_sync_fixture.h"

struct world {
	struct sf_store district, d1, d2;
};

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	if (!w)
		return -1;
	sf_open(&w->district, NULL);
	sf_open(&w->d1, "P-0001");
	sf_open(&w->d2, "P-0001");
	sf_enrol(&w->district, &w->d1, true);
	sf_enrol(&w->district, &w->d2, true);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	sf_close(&w->district);
	sf_close(&w->d1);
	sf_close(&w->d2);
	free(w);
	return 0;
}

static void ok(int rc, const struct err *e)
{
	if (rc < 0)
		fail_msg("%s %s: %s", err_code_name(e->code), e->field ? e->field : "-", e->detail);
}

/* Upload: export from DEV, import at the district, apply the receipt. */
static void upload(struct world *w, struct sf_store *dev, struct import_result *ir)
{
	struct export_result er;
	struct import_opts o = { .district = true };
	struct receipt rc;
	struct err e = { 0 };
	bool already;
	uint64_t wm;

	ok(export_upstream(dev->s, false, &er, &e), &e);
	if (er.empty)
		return;
	ok(import_bundle(w->district.s, er.e.path, &o, ir, &e), &e);
	assert_true(ir->has_receipt);
	ok(import_receipt(dev->s, ir->receipt, RECEIPT_LEN, &rc, &already, &wm, &e), &e);
	assert_false(already);
	assert_int_equal(wm, er.e.last_change);
}

/* Downstream: what the other devices made, into DEV. */
static void download(struct world *w, struct sf_store *dev)
{
	struct export_result er;
	struct import_opts o = { .district = false };
	struct import_result ir;
	struct err e = { 0 };

	ok(export_downstream(w->district.s, store_device_id(dev->s), 0, &er, &e), &e);
	if (er.empty)
		return;
	ok(import_bundle(dev->s, er.e.path, &o, &ir, &e), &e);
	assert_int_equal(ir.cls, BUNDLE_OK);
}

static void test_keystr(void **state)
{
	uint8_t ed[32], x[32], ed2[32], x2[32];
	char key[KEYSTR_MAX], upper[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN];
	struct err e = { 0 };
	enum keystr_kind kind;
	(void)state;

	randombytes_buf(ed, sizeof ed);
	randombytes_buf(x, sizeof x);
	keystr_encode(KEYSTR_DISTRICT, ed, x, key);
	assert_int_equal(strlen(key), 114);
	assert_memory_equal(key, "pyd1", 4);
	ok(keystr_decode(key, 0, &kind, ed2, x2, &e), &e);
	assert_int_equal(kind, KEYSTR_DISTRICT);
	assert_memory_equal(ed, ed2, 32);
	assert_memory_equal(x, x2, 32);
	/* read aloud and typed in capitals: still the same key */
	for (size_t i = 0; key[i]; i++)
		upper[i] = (char)(key[i] >= 'a' && key[i] <= 'z' ? key[i] - 32 : key[i]);
	upper[strlen(key)] = '\0';
	ok(keystr_decode(upper, KEYSTR_DISTRICT, NULL, ed2, x2, &e), &e);
	/* one mistyped character fails the checksum */
	upper[40] = upper[40] == 'Q' ? 'P' : 'Q';
	assert_int_equal(keystr_decode(upper, 0, NULL, ed2, x2, &e), -1);
	assert_int_equal(e.code, ERR_FORMAT);
	/* a device key where a district key is wanted */
	keystr_encode(KEYSTR_DEVICE, ed, x, key);
	assert_int_equal(keystr_decode(key, KEYSTR_DISTRICT, NULL, ed2, x2, &e), -1);
	keystr_fingerprint(key, fpr);
	assert_int_equal(strlen(fpr), 29);
	for (int i = 0; i < 29; i++)
		assert_true(i % 5 == 4 ? fpr[i] == ' ' : (fpr[i] >= '0' && fpr[i] <= '9'));
}

static void test_upload_receipt_watermark(void **state)
{
	struct world *w = *state;
	struct import_result ir;
	struct export_result er;
	struct err e = { 0 };
	uint8_t kid[16];
	size_t versions, people;
	uint64_t wm;

	sf_add_child(w->d1.s, "Budi Santoso", kid);
	sf_add_visit(w->d1.s, kid, "01-03-2024", 4200);
	sf_add_visit(w->d1.s, kid, "01-04-2024", 5100);
	sf_add_child(w->d1.s, "Dewi Lestari", NULL);
	ok(sync_watermark(w->d1.s, &wm, &e), &e);
	assert_int_equal(wm, 0);

	upload(w, &w->d1, &ir);
	assert_int_equal(ir.cls, BUNDLE_OK);
	assert_int_equal(ir.n_new, 4);
	assert_int_equal(ir.n_dup, 0);
	/* the district opens every version with its own key, through record.c */
	ok(store_verify(w->district.s, &versions, &e), &e);
	assert_int_equal(versions, 4);
	ok(store_counts(w->district.s, &people, NULL, NULL, &e), &e);
	assert_int_equal(people, 2);

	/* nothing new: no bundle */
	ok(export_upstream(w->d1.s, false, &er, &e), &e);
	assert_true(er.empty);
	/* one more change: only it travels */
	sf_add_visit(w->d1.s, kid, "01-05-2024", 5900);
	upload(w, &w->d1, &ir);
	assert_int_equal(ir.n_new, 1);
	assert_int_equal(ir.n_dup, 0);
}

static void test_duplicate_and_replay(void **state)
{
	struct world *w = *state;
	struct import_opts o = { .district = true };
	struct import_result a, b, c;
	struct export_result er;
	struct receipt rc;
	struct err e = { 0 };
	uint8_t d0[32], d1[32];
	size_t v0, v1;
	bool already;
	uint64_t wm;

	sf_add_child(w->d1.s, "Rina Wati", NULL);
	sf_add_child(w->d1.s, "Agus Salim", NULL);
	ok(export_upstream(w->d1.s, false, &er, &e), &e);
	ok(import_bundle(w->district.s, er.e.path, &o, &a, &e), &e);
	assert_int_equal(a.cls, BUNDLE_OK);
	sf_digest(w->district.s, d0, &v0);

	/* the same file again: duplicate, the same receipt, nothing changed */
	ok(import_bundle(w->district.s, er.e.path, &o, &b, &e), &e);
	assert_int_equal(b.cls, BUNDLE_DUPLICATE);
	assert_true(b.has_receipt);
	assert_memory_equal(a.receipt, b.receipt, RECEIPT_LEN);
	sf_digest(w->district.s, d1, &v1);
	assert_memory_equal(d0, d1, 32);
	assert_int_equal(v0, v1);

	/* the receipt applied twice: the second time changes nothing */
	ok(import_receipt(w->d1.s, a.receipt, RECEIPT_LEN, &rc, &already, &wm, &e), &e);
	assert_false(already);
	ok(import_receipt(w->d1.s, b.receipt, RECEIPT_LEN, &rc, &already, &wm, &e), &e);
	assert_true(already);

	/* a full re-export is a new file: every version a duplicate, no new row */
	ok(export_upstream(w->d1.s, true, &er, &e), &e);
	ok(import_bundle(w->district.s, er.e.path, &o, &c, &e), &e);
	assert_int_equal(c.cls, BUNDLE_OK);
	assert_int_equal(c.n_new, 0);
	assert_int_equal(c.n_dup, 2);
	sf_digest(w->district.s, d1, &v1);
	assert_memory_equal(d0, d1, 32);
	assert_int_equal(v0, v1);
}

static void test_receipt_forged_or_foreign(void **state)
{
	struct world *w = *state;
	struct import_opts o = { .district = true };
	struct import_result a;
	struct export_result er;
	struct receipt rc;
	struct err e = { 0 };
	bool already;
	uint64_t wm;

	sf_add_child(w->d1.s, "Rina Wati", NULL);
	ok(export_upstream(w->d1.s, false, &er, &e), &e);
	ok(import_bundle(w->district.s, er.e.path, &o, &a, &e), &e);
	/* a flipped bit in the counts: the signature fails, the watermark stays */
	a.receipt[97] ^= 1;
	assert_int_equal(import_receipt(w->d1.s, a.receipt, RECEIPT_LEN, &rc, &already, &wm, &e), -1);
	assert_int_equal(e.code, ERR_CRYPTO);
	a.receipt[97] ^= 1;
	/* d1's receipt given to d2: refused */
	assert_int_equal(import_receipt(w->d2.s, a.receipt, RECEIPT_LEN, &rc, &already, &wm, &e), -1);
	ok(sync_watermark(w->d1.s, &wm, &e), &e);
	assert_int_equal(wm, 0);
	ok(import_receipt(w->d1.s, a.receipt, RECEIPT_LEN, &rc, &already, &wm, &e), &e);
	assert_int_not_equal(wm, 0);
}

static void test_two_devices_converge(void **state)
{
	struct world *w = *state;
	struct import_result ir;
	uint8_t a[32], b[32], s[32], kid[16];
	size_t va, vb, vs, people;
	struct err e = { 0 };

	sf_add_child(w->d1.s, "Budi Santoso", kid);
	sf_add_visit(w->d1.s, kid, "01-03-2024", 4200);
	sf_add_child(w->d2.s, "Dewi Lestari", NULL);
	upload(w, &w->d1, &ir);
	upload(w, &w->d2, &ir);
	download(w, &w->d1);
	download(w, &w->d2);
	sf_digest(w->d1.s, a, &va);
	sf_digest(w->d2.s, b, &vb);
	sf_digest(w->district.s, s, &vs);
	assert_int_equal(va, 3);
	assert_int_equal(va, vb);
	assert_int_equal(va, vs);
	assert_memory_equal(a, b, 32);
	assert_memory_equal(a, s, 32);
	ok(store_counts(w->d2.s, &people, NULL, NULL, &e), &e);
	assert_int_equal(people, 2);
	/* a device verifies what it received, and a second downstream is empty */
	ok(store_verify(w->d2.s, NULL, &e), &e);
	sf_add_visit(w->d2.s, kid, "01-04-2024", 5000);
	upload(w, &w->d2, &ir);       /* carries d2's downstream acknowledgement */
	assert_int_equal(ir.n_new, 1);
	{
		struct export_result er;
		ok(export_downstream(w->district.s, store_device_id(w->d2.s), 0, &er, &e), &e);
		if (!er.empty) {
			struct import_opts o = { .district = false };
			ok(import_bundle(w->d2.s, er.e.path, &o, &ir, &e), &e);
			assert_int_equal(ir.n_new, 0);
			assert_int_equal(ir.n_dup, 0);
		}
	}
}

static void test_conflict_review(void **state)
{
	struct world *w = *state;
	struct import_result ir;
	struct sync_conflict *c1, *c2;
	size_t n1, n2, va, vb;
	uint8_t kid[16], a[32], b[32];
	struct err e = { 0 };

	sf_add_child(w->d1.s, "Budi Santoso", kid);
	upload(w, &w->d1, &ir);
	download(w, &w->d2);
	/* both laptops correct the name, neither has seen the other's edit */
	sf_rename(w->d1.s, kid, "Budi Santosa");
	sf_rename(w->d2.s, kid, "Budi Susanto");
	upload(w, &w->d1, &ir);
	upload(w, &w->d2, &ir);
	download(w, &w->d1);
	download(w, &w->d2);
	sf_digest(w->d1.s, a, &va);
	sf_digest(w->d2.s, b, &vb);
	assert_memory_equal(a, b, 32);           /* same winner everywhere */
	ok(sync_conflicts(w->d1.s, &c1, &n1, &e), &e);
	ok(sync_conflicts(w->d2.s, &c2, &n2, &e), &e);
	assert_int_equal(n1, 1);
	assert_int_equal(n2, 1);
	assert_memory_equal(c1[0].uuid, kid, 16);
	assert_int_equal(c1[0].n_open, 1);
	assert_memory_equal(&c1[0].head, &c2[0].head, sizeof c1[0].head);

	/* a trainer on d1 keeps the losing version: a new version, merged */
	ok(sync_conflict_resolve(w->d1.s, kid, &c1[0].open[0], &e), &e);
	free(c1);
	free(c2);
	ok(sync_conflicts(w->d1.s, &c1, &n1, &e), &e);
	assert_int_equal(n1, 0);
	free(c1);
	upload(w, &w->d1, &ir);
	download(w, &w->d2);
	ok(sync_conflicts(w->d2.s, &c2, &n2, &e), &e);
	assert_int_equal(n2, 0);
	free(c2);
	sf_digest(w->d1.s, a, &va);
	sf_digest(w->d2.s, b, &vb);
	assert_memory_equal(a, b, 32);
	assert_int_equal(va, vb);
}

static void test_device_status_classes(void **state)
{
	struct world *w = *state;
	struct sf_store d3;
	struct import_opts o = { .district = true };
	struct import_result ir;
	struct export_result er;
	struct err e = { 0 };
	uint8_t d0[32], d1[32];
	size_t v0, v1;

	sf_open(&d3, "P-0002");
	sf_enrol(&w->district, &d3, false);
	sf_add_child(d3.s, "Sri Mulyani", NULL);
	ok(export_upstream(d3.s, false, &er, &e), &e);
	sf_digest(w->district.s, d0, &v0);
	assert_int_equal(import_bundle(w->district.s, er.e.path, &o, &ir, &e), -1);
	assert_int_equal(ir.cls, BUNDLE_PENDING_DEVICE);
	ok(sync_device_set_status(w->district.s, store_device_id(d3.s), SYNC_DEV_APPROVED, &e), &e);
	ok(sync_device_set_status(w->district.s, store_device_id(d3.s), SYNC_DEV_REVOKED, &e), &e);
	assert_int_equal(import_bundle(w->district.s, er.e.path, &o, &ir, &e), -1);
	assert_int_equal(ir.cls, BUNDLE_REVOKED_DEVICE);
	/* a revoked device is never approved again */
	assert_int_equal(sync_device_set_status(w->district.s, store_device_id(d3.s),
						SYNC_DEV_APPROVED, &e), -1);
	sf_digest(w->district.s, d1, &v1);
	assert_memory_equal(d0, d1, 32);
	assert_int_equal(v0, v1);
	sf_close(&d3);
}

/* For tests/e2e/t0620-sync-tui.sh: a district and two devices of P-0001
 * under DIR (district, d1, d2; admin "admin", PIN 739182), enrolled, with
 * one person both devices renamed before seeing each other's edit, and
 * both synced: a conflict to review on each device. */
static int make_conflict(const char *dir)
{
	struct world w;
	struct import_result ir;
	uint8_t kid[16];
	char path[600];

	memset(&w, 0, sizeof w);
	sf_open(&w.district, NULL);
	sf_open(&w.d1, "P-0001");
	sf_open(&w.d2, "P-0001");
	sf_enrol(&w.district, &w.d1, true);
	sf_enrol(&w.district, &w.d2, true);
	sf_add_child(w.d1.s, "Budi Santoso", kid);
	upload(&w, &w.d1, &ir);
	download(&w, &w.d2);
	sf_rename(w.d1.s, kid, "Budi Santosa");
	sf_rename(w.d2.s, kid, "Budi Susanto");
	upload(&w, &w.d1, &ir);
	upload(&w, &w.d2, &ir);
	download(&w, &w.d1);
	download(&w, &w.d2);
	store_checkpoint(w.district.s);
	store_checkpoint(w.d1.s);
	store_checkpoint(w.d2.s);
	store_close(w.district.s);
	store_close(w.d1.s);
	store_close(w.d2.s);
	snprintf(path, sizeof path, "mv '%s' '%s/district' && mv '%s' '%s/d1' && mv '%s' '%s/d2'",
		 w.district.dir, dir, w.d1.dir, dir, w.d2.dir, dir);
	free(w.district.dir);
	free(w.d1.dir);
	free(w.d2.dir);
	return system(path) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keystr),
		cmocka_unit_test_setup_teardown(test_upload_receipt_watermark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_and_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receipt_forged_or_foreign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_devices_converge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflict_review, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_status_classes, setup, teardown),
	};
	if (sodium_init() < 0)
		return 1;
	if (argc == 3 && strcmp(argv[1], "--make-conflict") == 0)
		return make_conflict(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
