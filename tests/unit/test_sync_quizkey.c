/* tests/unit/test_sync_quizkey.c: quiz box keys between the devices of a
 * posyandu (issue 13 point 2, frame kind 7), with real stores and crypto:
 *   - the frame bodies round-trip and decode strictly;
 *   - a device's signed key goes up, the district keeps it, and the other
 *     device of the posyandu gets it down and seals to it;
 *   - the district refuses an upstream key that its device key did not
 *     sign; a device refuses a downstream key whose device signature is
 *     wrong (a district relaying a forged key); nothing is stored;
 *   - a device revoked at the district is no longer a recipient. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>

#include "storage/quiz_internal.h"
#include "sync/bundle.h"
#include "sync/frame.h"
#include "sync/keystr.h"
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

static void upload(struct world *w, struct sf_store *dev)
{
	struct export_result er;
	struct import_opts o = { .district = true };
	struct import_result ir;
	struct receipt rc;
	struct err e = { 0 };
	bool already;
	uint64_t wm;

	ok(export_upstream(dev->s, false, &er, &e), &e);
	assert_false(er.empty);
	ok(import_bundle(w->district.s, er.e.path, &o, &ir, &e), &e);
	ok(import_receipt(dev->s, ir.receipt, RECEIPT_LEN, &rc, &already, &wm, &e), &e);
}

/* The downstream bundle for DEV imported there: its class (0 when empty). */
static int download(struct world *w, struct sf_store *dev, struct err *e)
{
	struct export_result er;
	struct import_opts o = { .district = false };
	struct import_result ir;

	uint64_t ack;

	ok(sync_down_ack(dev->s, &ack, e), e);     /* as a signed pull request says */
	ok(export_downstream(w->district.s, store_device_id(dev->s), ack, &er, e), e);
	if (er.empty)
		return -1;
	(void)import_bundle(dev->s, er.e.path, &o, &ir, e);
	return (int)ir.cls;
}

static size_t recipients(struct store *s)
{
	uint8_t pks[QUIZ_MAX_RECIPIENTS][32];
	size_t n;
	struct err e = { 0 };
	ok(quiz_recipients(s, pks, &n, &e), &e);
	return n;
}

static void test_frame_roundtrip(void **state)
{
	struct frame_quizkey k, back, *list = NULL;
	struct err e = { 0 };
	size_t n;
	char *json;

	(void)state;
	memset(&k, 0, sizeof k);
	randombytes_buf(k.device, 16);
	randombytes_buf(k.ed_pk, 32);
	randombytes_buf(k.pk, 32);
	randombytes_buf(k.sig, 64);
	json = frame_quizkey_encode(&k);
	assert_non_null(json);
	assert_null(strstr(json, "ed_pk"));
	assert_int_equal(frame_quizkey_decode((const uint8_t *)json, strlen(json), &back, &e), 0);
	assert_memory_equal(back.device, k.device, 16);
	assert_memory_equal(back.pk, k.pk, 32);
	assert_memory_equal(back.sig, k.sig, 64);
	/* the upstream form is not a list, nor the list an upstream key */
	assert_int_equal(frame_quizkeys_decode((const uint8_t *)json, strlen(json), &list, &n, &e), -1);
	frame_free(json);

	json = frame_quizkeys_encode(&k, 1);
	assert_non_null(json);
	assert_int_equal(frame_quizkeys_decode((const uint8_t *)json, strlen(json), &list, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_memory_equal(&list[0], &k, sizeof k);
	free(list);
	assert_int_equal(frame_quizkey_decode((const uint8_t *)json, strlen(json), &back, &e), -1);
	frame_free(json);

	json = frame_quizkeys_encode(NULL, 0);
	assert_string_equal(json, "{\"keys\":[]}");
	assert_int_equal(frame_quizkeys_decode((const uint8_t *)json, strlen(json), &list, &n, &e), 0);
	assert_int_equal(n, 0);
	frame_free(json);

	/* strict: an unknown field, a short key, a non-hex signature */
	{
		static const char *const bad[] = {
			"{\"device\":\"00000000-0000-4000-8000-000000000000\",\"pk\":\"aa\",\"sig\":\"bb\"}",
			"{\"device\":\"x\",\"pk\":\"00\",\"sig\":\"00\",\"more\":1}",
			"{\"keys\":[{\"device\":\"00000000-0000-4000-8000-000000000000\",\"pk\":\"aa\"}]}",
			"{\"keys\":{}}",
		};
		for (size_t i = 0; i < 2; i++) {
			e = (struct err){ 0 };
			assert_int_equal(frame_quizkey_decode((const uint8_t *)bad[i], strlen(bad[i]),
							      &back, &e), -1);
			assert_int_equal(e.code, ERR_FORMAT);
		}
		for (size_t i = 2; i < 4; i++)
			assert_int_equal(frame_quizkeys_decode((const uint8_t *)bad[i], strlen(bad[i]),
							       &list, &n, &e), -1);
	}
}

/* Both devices' admins sign their keys; after up, up, down, down each
 * seals to the other; the district keeps both. */
static void exchange(struct world *w)
{
	uint8_t pk[32], sig[64];
	struct err e = { 0 };

	ok(quizstore_box_key(w->d1.s, pk, sig, &e), &e);
	ok(quizstore_box_key(w->d2.s, pk, sig, &e), &e);
	sf_add_child(w->d1.s, "Budi Santoso", NULL);
	sf_add_child(w->d2.s, "Dewi Lestari", NULL);
	upload(w, &w->d1);
	upload(w, &w->d2);
	assert_int_equal(download(w, &w->d1, &e), BUNDLE_OK);
	assert_int_equal(download(w, &w->d2, &e), BUNDLE_OK);
}

static void test_keys_travel(void **state)
{
	struct world *w = *state;
	struct sync_quizkey *keys;
	uint8_t pk2[32], sig2[64], ed2[32], x2[32];
	struct err e = { 0 };
	size_t n;

	assert_int_equal(recipients(w->d1.s), 1);
	exchange(w);
	ok(sync_quizkeys_for(w->district.s, "P-0001", store_device_id(w->d1.s), &keys, &n, &e), &e);
	assert_int_equal(n, 1);
	ok(quizstore_box_key(w->d2.s, pk2, sig2, &e), &e);
	ok(store_device_pubkeys(w->d2.s, ed2, x2, &e), &e);
	assert_memory_equal(keys[0].device, store_device_id(w->d2.s), 16);
	assert_memory_equal(keys[0].box_pk, pk2, 32);
	assert_memory_equal(keys[0].ed_pk, ed2, 32);
	free(keys);
	assert_int_equal(recipients(w->d1.s), 2);
	assert_int_equal(recipients(w->d2.s), 2);
	/* nothing new: no downstream bundle at all */
	assert_int_equal(download(w, &w->d1, &e), -1);
}

/* Write an upstream bundle from DEV by hand with one quiz key frame K. */
struct fout { FILE *f; };
static int fout_write(void *ctx, const void *buf, size_t len, struct err *err)
{
	(void)err;
	return fwrite(buf, 1, len, ((struct fout *)ctx)->f) == len ? 0 : -1;
}

static void forged_upstream(struct world *w, struct sf_store *dev, const struct frame_quizkey *k,
			    const char *path)
{
	struct sync_district dist;
	struct bundle_header h;
	struct frame_inner in;
	struct bundle_writer *bw;
	struct fout fo;
	struct err e = { 0 };
	uint8_t hash[32];
	uint64_t size;
	char *json;

	(void)w;
	memset(&h, 0, sizeof h);
	memset(&in, 0, sizeof in);
	ok(sync_district_get(dev->s, &dist, &e), &e);
	h.kind = BUNDLE_UP;
	memcpy(h.sender, store_device_id(dev->s), 16);
	snprintf(h.posyandu, sizeof h.posyandu, "P-0001");
	ok(sync_next_seq(dev->s, &h.seq, &e), &e);
	h.created = 1700000000;
	h.first_change = 1;
	h.last_change = 1;
	assert_non_null(fo.f = fopen(path, "wb"));
	assert_non_null(bw = bundle_writer_new(&h, dist.x_pk, fout_write, &fo, &e));
	in.kind = h.kind;
	memcpy(in.sender, h.sender, 16);
	snprintf(in.posyandu, sizeof in.posyandu, "P-0001");
	in.seq = h.seq;
	snprintf(in.app, sizeof in.app, "test");
	json = frame_inner_encode(&in);
	ok(bundle_writer_frame(bw, FRAME_HEADER, json, strlen(json), &e), &e);
	frame_free(json);
	json = frame_quizkey_encode(k);
	ok(bundle_writer_frame(bw, FRAME_QUIZKEY, json, strlen(json), &e), &e);
	frame_free(json);
	ok(bundle_writer_finish(bw, export_sign, dev->s, hash, &size, &e), &e);
	bundle_writer_free(bw);
	assert_int_equal(fclose(fo.f), 0);
}

static void test_district_refuses_unsigned_key(void **state)
{
	struct world *w = *state;
	struct import_opts o = { .district = true };
	struct import_result ir;
	struct frame_quizkey k;
	struct sync_quizkey *keys;
	struct err e = { 0 };
	char path[700];
	size_t n;

	memset(&k, 0, sizeof k);
	memcpy(k.device, store_device_id(w->d1.s), 16);
	ok(quizstore_box_key(w->d1.s, k.pk, k.sig, &e), &e);
	/* signed, but over another key: a key swapped on the way */
	k.pk[0] ^= 1;
	snprintf(path, sizeof path, "%s/forged.pyb", w->d1.dir);
	forged_upstream(w, &w->d1, &k, path);
	assert_int_equal(import_bundle(w->district.s, path, &o, &ir, &e), -1);
	assert_int_equal(ir.cls, BUNDLE_DATA);
	assert_non_null(strstr(e.detail, "not signed by its enrolled device key"));
	ok(sync_quizkeys_for(w->district.s, "P-0001", store_device_id(w->d2.s), &keys, &n, &e), &e);
	assert_int_equal(n, 0);
	free(keys);

	/* another device's key in d1's bundle, even well signed: refused */
	memset(&k, 0, sizeof k);
	memcpy(k.device, store_device_id(w->d2.s), 16);
	ok(quizstore_box_key(w->d2.s, k.pk, k.sig, &e), &e);
	forged_upstream(w, &w->d1, &k, path);
	e = (struct err){ 0 };
	assert_int_equal(import_bundle(w->district.s, path, &o, &ir, &e), -1);
	assert_int_equal(ir.cls, BUNDLE_DATA);

	/* the genuine one is kept */
	memset(&k, 0, sizeof k);
	memcpy(k.device, store_device_id(w->d1.s), 16);
	ok(quizstore_box_key(w->d1.s, k.pk, k.sig, &e), &e);
	forged_upstream(w, &w->d1, &k, path);
	ok(import_bundle(w->district.s, path, &o, &ir, &e), &e);
	ok(sync_quizkeys_for(w->district.s, "P-0001", store_device_id(w->d2.s), &keys, &n, &e), &e);
	assert_int_equal(n, 1);
	free(keys);
}

/* The district (or its database) relays a key for d2 that d2's device key
 * did not sign: d1 refuses the bundle and seals to nobody new. */
static void test_device_refuses_forged_key(void **state)
{
	struct world *w = *state;
	uint8_t fpk[32], fsk[32], sig[64], pk[32];
	struct err e = { 0 };

	ok(quizstore_box_key(w->d1.s, pk, sig, &e), &e);
	sf_add_child(w->d2.s, "Dewi Lestari", NULL);
	upload(w, &w->d2);         /* d2 has no quiz key: no frame */
	crypto_box_keypair(fpk, fsk);
	randombytes_buf(sig, sizeof sig);
	ok(sync_quizkey_put(w->district.s, store_device_id(w->d2.s), fpk, sig, &e), &e);
	e = (struct err){ 0 };
	assert_int_equal(download(w, &w->d1, &e), BUNDLE_DATA);
	assert_non_null(strstr(e.detail, "not signed by that device's key"));
	assert_int_equal(recipients(w->d1.s), 1);
	/* nothing of the bundle was kept: d2's person is not there either */
	{
		size_t people;
		ok(store_counts(w->d1.s, &people, NULL, NULL, &e), &e);
		assert_int_equal(people, 0);
	}
}

static void test_revoked_device_removed(void **state)
{
	struct world *w = *state;
	struct err e = { 0 };

	exchange(w);
	assert_int_equal(recipients(w->d1.s), 2);
	ok(sync_device_set_status(w->district.s, store_device_id(w->d2.s), SYNC_DEV_REVOKED, &e), &e);
	/* no new versions, but a new key list: a bundle of keys alone */
	assert_int_equal(download(w, &w->d1, &e), BUNDLE_OK);
	assert_int_equal(recipients(w->d1.s), 1);
	assert_int_equal(download(w, &w->d1, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_roundtrip),
		cmocka_unit_test_setup_teardown(test_keys_travel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_district_refuses_unsigned_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_refuses_forged_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoked_device_removed, setup, teardown),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
