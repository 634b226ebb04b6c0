/* tests/attack/atk_door.c: what an outsider sends to the district server's
 * door (issue 13.5); tests/e2e/t0840-attack-door.sh posts it with curl.
 *   atk_door requests KEY CODE N DIR   N self-signed enrolment requests for
 *                                      posyandu CODE, each a fresh device
 *                                      with fresh keys, as DIR/req-I.pyq
 *   atk_door header SENDER CODE        a well-formed 200-byte bundle header
 *                                      naming SENDER (32 hex digits) on stdout
 *   atk_door audit-keys DIR            the number of key audit entries of
 *                                      the store in DIR (no passphrase) */
#include "tests/attack/attack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/keystr.h"
#include "sync/request.h"
#include "sync/wire.h"

static int sign_with(void *ctx, const uint8_t digest[64], uint8_t sig[64], struct err *err)
{
	(void)err;
	crypto_sign_detached(sig, NULL, digest, 64, ctx);
	return 0;
}

static int requests(const char *key, const char *code, long n, const char *dir)
{
	uint8_t ed[32], x[32], sk[64], xsk[32], out[ENROL_LEN];
	struct err e = { 0 };
	char path[600];

	if (keystr_decode(key, KEYSTR_DISTRICT, NULL, ed, x, &e) < 0)
		atk_die("bad district key: %s", e.detail);
	for (long i = 1; i <= n; i++) {
		struct enrol_request r;
		FILE *f;
		memset(&r, 0, sizeof r);
		randombytes_buf(r.device, 16);
		snprintf(r.posyandu, sizeof r.posyandu, "%s", code);
		snprintf(r.name, sizeof r.name, "Posyandu Palsu %ld", i);
		crypto_sign_keypair(r.ed_pk, sk);
		crypto_box_keypair(r.x_pk, xsk);
		r.time = 1780000000;
		snprintf(r.app, sizeof r.app, "0.1.0");
		keystr_kid(x, r.district_kid);
		if (enrol_make(&r, sign_with, sk, out, &e) < 0)
			atk_die("enrol_make: %s", e.detail);
		snprintf(path, sizeof path, "%s/req-%ld.pyq", dir, i);
		if (!(f = fopen(path, "wb")) || fwrite(out, 1, sizeof out, f) != sizeof out || fclose(f))
			atk_die("%s: cannot write", path);
	}
	printf("attack: %ld enrolment requests for %s\n", n, code);
	return 0;
}

static int header(const char *hex, const char *code)
{
	uint8_t h[200] = { 0 };

	if (strlen(hex) != 32 || strlen(code) > 16)
		atk_die("sender is 32 hex digits, code at most 16 characters");
	memcpy(h, "\x89PYB\r\n\x1a\n", 8);
	wire_put16(h + 8, 1);
	h[12] = 1;                                        /* device to district */
	for (int i = 0; i < 16; i++) {
		unsigned b;
		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			atk_die("bad hex");
		h[16 + i] = (uint8_t)b;
	}
	randombytes_buf(h + 32, 8);                       /* any key id */
	memcpy(h + 40, code, strlen(code));
	wire_put64(h + 56, 1);                            /* sequence */
	wire_put64(h + 80, 1);                            /* changes 0..1 */
	randombytes_buf(h + 96, 104);                     /* sealed key, stream header */
	if (fwrite(h, 1, sizeof h, stdout) != sizeof h)
		atk_die("write");
	return 0;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		atk_die("sodium_init");
	if (argc == 6 && strcmp(argv[1], "requests") == 0)
		return requests(argv[2], argv[3], strtol(argv[4], NULL, 10), argv[5]);
	if (argc == 4 && strcmp(argv[1], "header") == 0)
		return header(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "audit-keys") == 0) {
		struct store *s = atk_open(argv[2], NULL);
		printf("%lld\n", atk_int(s, "SELECT COUNT(*) FROM audit WHERE action = 11"));
		store_close(s);
		return 0;
	}
	atk_die("usage: atk_door requests KEY CODE N DIR | header SENDER CODE | audit-keys DIR");
}
