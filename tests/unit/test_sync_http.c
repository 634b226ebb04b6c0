/* tests/unit/test_sync_http.c: the district's HTTP server under load
 * (SECURITY.md §5.6): 500 different bundles from 10 enrolled devices, each
 * uploaded twice at the same time (1,000 requests in flight through
 * curl_multi against sync/server.c on 127.0.0.1, port chosen by the
 * system). Every request must get 200 and a receipt that verifies;
 * identical bundles must get identical receipts; the district must hold
 * every version exactly once (0 lost, 0 duplicated), and its store must
 * verify. Then the device side of HTTP: posyandu sync's code (netsync) up
 * and down between two devices, and a re-send of an unacknowledged bundle.
 *
 * Prints:  http    500 concurrent (1000 requests incl. duplicates) → lost 0,
 *          duplicated 0, p95 <ms> */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#include "storage/codec.h"
#include "sync/netsync.h"
#include "sync/receipt.h"
#include "sync/server.h"
#include "tests/unit/test_sync_fixture.h"

#define NDEVICES 10
#define PER_DEVICE 50
#define NBUNDLES (NDEVICES * PER_DEVICE)

struct upload {
	uint8_t *body;
	size_t len, off;
	uint8_t resp[512];
	size_t resp_len;
	long status;
	double ms;
	int bundle;                /* index of the bundle */
	struct timespec start;
	uint32_t versions;
};

static size_t rd(char *buf, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	size_t want = size * n;
	if (want > u->len - u->off)
		want = u->len - u->off;
	memcpy(buf, u->body + u->off, want);
	u->off += want;
	return want;
}

static size_t wr(char *buf, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	size_t got = size * n;
	if (got > sizeof u->resp - u->resp_len)
		return 0;
	memcpy(u->resp + u->resp_len, buf, got);
	u->resp_len += got;
	return got;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void test_500_concurrent(void **state)
{
	struct sf_store district, dev[NDEVICES];
	struct server_opts so = { .threads = 4 };
	struct server *sv;
	struct err e = { 0 };
	struct upload *up = calloc(2 * NBUNDLES, sizeof *up);
	uint8_t (*hash)[32] = calloc(NBUNDLES, 32);
	uint32_t *nver = calloc(NBUNDLES, sizeof *nver);
	double *lat = calloc(2 * NBUNDLES, sizeof *lat);
	uint8_t ded[32], dx[32];
	char url[64];
	CURLM *multi;
	int running, lost = 0, duplicated = 0, bad = 0;
	uint64_t total_new = 0;
	size_t versions;
	(void)state;

	sf_open(&district, NULL);
	if (store_device_pubkeys(district.s, ded, dx, &e) < 0)
		sf_die("keys", &e);
	/* 500 bundles: each device makes one person, then a bundle, 50 times;
	 * no receipts come back, so each bundle repeats the earlier versions
	 * (the server must count those as duplicates, never twice). */
	for (int d = 0; d < NDEVICES; d++) {
		sf_open(&dev[d], "P-0001");
		sf_enrol(&district, &dev[d], true);
		for (int k = 0; k < PER_DEVICE; k++) {
			struct export_result er;
			int i = d * PER_DEVICE + k;
			size_t len;
			sf_add_child(dev[d].s, "Budi Santoso", NULL);
			if (export_upstream(dev[d].s, false, &er, &e) < 0)
				sf_die("export", &e);
			memcpy(hash[i], er.e.hash, 32);
			nver[i] = er.e.versions;
			up[2 * i].body = tu_read_file(er.e.path, &len);
			up[2 * i].len = len;
			up[2 * i + 1].body = up[2 * i].body;
			up[2 * i + 1].len = len;
			up[2 * i].bundle = up[2 * i + 1].bundle = i;
		}
	}
	if (!(sv = server_start(district.s, "127.0.0.1:0", &so, &e)))
		sf_die("server", &e);
	snprintf(url, sizeof url, "http://127.0.0.1:%u/v1/bundles", server_port(sv));

	multi = curl_multi_init();
	curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
	for (int i = 0; i < 2 * NBUNDLES; i++) {
		CURL *c = curl_easy_init();
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, rd);
		curl_easy_setopt(c, CURLOPT_READDATA, &up[i]);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)up[i].len);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, wr);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &up[i]);
		curl_easy_setopt(c, CURLOPT_PRIVATE, &up[i]);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
		curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
		clock_gettime(CLOCK_MONOTONIC, &up[i].start);
		curl_multi_add_handle(multi, c);
	}
	do {
		CURLMsg *m;
		int left;
		curl_multi_perform(multi, &running);
		while ((m = curl_multi_info_read(multi, &left))) {
			struct upload *u;
			struct timespec now;
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&u);
			curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &u->status);
			clock_gettime(CLOCK_MONOTONIC, &now);
			u->ms = (double)(now.tv_sec - u->start.tv_sec) * 1e3 +
				(double)(now.tv_nsec - u->start.tv_nsec) / 1e6;
			if (m->data.result != CURLE_OK)
				print_message("curl: %s\n", curl_easy_strerror(m->data.result));
			curl_multi_remove_handle(multi, m->easy_handle);
			curl_easy_cleanup(m->easy_handle);
		}
		if (running)
			curl_multi_poll(multi, NULL, 0, 100, NULL);
	} while (running);
	curl_multi_cleanup(multi);
	server_stop(sv);

	for (int i = 0; i < NBUNDLES; i++) {
		struct upload *a = &up[2 * i], *b = &up[2 * i + 1];
		struct receipt ra, rb;
		if (a->status != 200 || b->status != 200 || a->resp_len != RECEIPT_LEN ||
		    b->resp_len != RECEIPT_LEN) {
			bad++;
			continue;
		}
		/* both answers are the one stored receipt, signed by the district */
		if (memcmp(a->resp, b->resp, RECEIPT_LEN) != 0 ||
		    receipt_verify(a->resp, ded, &e) < 0 ||
		    receipt_parse(a->resp, RECEIPT_LEN, &ra, &e) < 0 ||
		    receipt_parse(b->resp, RECEIPT_LEN, &rb, &e) < 0 ||
		    memcmp(ra.bundle_hash, hash[i], 32) != 0 || ra.n_new + ra.n_dup != nver[i]) {
			bad++;
			continue;
		}
		total_new += ra.n_new;
	}
	for (int i = 0; i < 2 * NBUNDLES; i++)
		lat[i] = up[i].ms;
	qsort(lat, 2 * NBUNDLES, sizeof *lat, by_double);
	if (store_verify(district.s, &versions, &e) < 0)
		sf_die("verify", &e);
	if (versions < NBUNDLES)
		lost = NBUNDLES - (int)versions;
	if (total_new > NBUNDLES)
		duplicated = (int)(total_new - NBUNDLES);
	if (versions > NBUNDLES)
		duplicated += (int)versions - NBUNDLES;
	printf("http    %d concurrent (%d requests incl. duplicates) → lost %d, duplicated %d, "
	       "p95 %.0f ms\n", NBUNDLES, 2 * NBUNDLES, lost, duplicated, lat[(2 * NBUNDLES * 95) / 100]);
	assert_int_equal(bad, 0);
	assert_int_equal(lost, 0);
	assert_int_equal(duplicated, 0);
	assert_int_equal(total_new, NBUNDLES);
	assert_int_equal(versions, NBUNDLES);

	for (int i = 0; i < NBUNDLES; i++)
		free(up[2 * i].body);
	free(up);
	free(hash);
	free(nver);
	free(lat);
	for (int d = 0; d < NDEVICES; d++)
		sf_close(&dev[d]);
	sf_close(&district);
}

/* posyandu sync's own code against the server: up, down, a re-send. */
static void test_netsync(void **state)
{
	struct sf_store district, a, b;
	struct server_opts so = { 0 };
	struct server *sv;
	struct netsync_result r;
	struct err e = { 0 };
	char url[64];
	uint8_t da[32], db[32];
	size_t va, vb;
	(void)state;

	sf_open(&district, NULL);
	sf_open(&a, "P-0001");
	sf_open(&b, "P-0001");
	if (!(sv = server_start(district.s, "127.0.0.1:0", &so, &e)))
		sf_die("server", &e);
	snprintf(url, sizeof url, "http://127.0.0.1:%u", server_port(sv));
	{
		struct http_opts ho = { .url = url, .retries = 0 };
		char key[KEYSTR_MAX], answer[128];
		uint8_t req[ENROL_LEN];
		struct sync_device *list;
		size_t n;
		server_lock(sv);
		if (enrol_own_key(district.s, KEYSTR_DISTRICT, key, NULL, &e) < 0)
			sf_die("key", &e);
		server_unlock(sv);
		if (enrol_device(a.s, key, req, &e) < 0 || netsync_enrol(&ho, req, answer, sizeof answer, &e) < 0 ||
		    enrol_device(b.s, key, req, &e) < 0 || netsync_enrol(&ho, req, answer, sizeof answer, &e) < 0)
			sf_die("enrol over http", &e);
		assert_non_null(strstr(answer, "pending"));
		/* a pending device: the server refuses, 403, no retry */
		sf_add_child(a.s, "Budi Santoso", NULL);
		assert_int_equal(netsync_run(a.s, &ho, &r, &e), -1);
		assert_int_equal(e.code, ERR_DENIED);
		server_lock(sv);
		if (sync_device_list(district.s, &list, &n, &e) < 0)
			sf_die("list", &e);
		for (size_t i = 0; i < n; i++)
			if (sync_device_set_status(district.s, list[i].id, SYNC_DEV_APPROVED, &e) < 0)
				sf_die("approve", &e);
		free(list);
		server_unlock(sv);
		/* the bundle made for the refused try is sent again, not a new one */
		if (netsync_run(a.s, &ho, &r, &e) < 0)
			sf_die("sync a", &e);
		assert_true(r.sent);
		assert_true(r.resent);
		assert_int_equal(r.receipt.n_new, 1);
		sf_add_child(b.s, "Dewi Lestari", NULL);
		if (netsync_run(b.s, &ho, &r, &e) < 0)
			sf_die("sync b", &e);
		assert_true(r.got_down);
		assert_int_equal(r.down.n_new, 1);
		if (netsync_run(a.s, &ho, &r, &e) < 0)
			sf_die("sync a again", &e);
		assert_false(r.sent);
		assert_int_equal(r.down.n_new, 1);
		sf_digest(a.s, da, &va);
		sf_digest(b.s, db, &vb);
		assert_memory_equal(da, db, 32);
		assert_int_equal(va, 2);
		/* nobody listening: a clear error after the retries, nothing lost */
		server_stop(sv);
		sv = NULL;
		sf_add_child(a.s, "Agus Salim", NULL);
		ho.retries = 1;
		ho.backoff_ms = 10;
		assert_int_equal(netsync_run(a.s, &ho, &r, &e), -1);
		assert_int_equal(e.code, ERR_IO);
	}
	server_stop(sv);
	sf_close(&a);
	sf_close(&b);
	sf_close(&district);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netsync),
		cmocka_unit_test(test_500_concurrent),
	};
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (sodium_init() < 0)
		return 1;
	codec_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
