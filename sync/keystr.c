/* sync/keystr.c: Bech32 key strings, fingerprints and key ids. */
#include "sync/keystr.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define PAYLOAD_LEN 65             /* version + Ed25519 pk + X25519 pk */
#define DATA5_LEN ((PAYLOAD_LEN * 8 + 4) / 5)
#define CHECKSUM_LEN 6

static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/* BIP 173's checksum polynomial. */
static uint32_t polymod_step(uint32_t chk, uint8_t v)
{
	static const uint32_t gen[5] = { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3 };
	uint8_t top = (uint8_t)(chk >> 25);
	chk = ((chk & 0x1ffffff) << 5) ^ v;
	for (int i = 0; i < 5; i++)
		if ((top >> i) & 1)
			chk ^= gen[i];
	return chk;
}

static uint32_t polymod(const char *hrp, const uint8_t *data, size_t n)
{
	uint32_t chk = 1;
	size_t hl = strlen(hrp);
	for (size_t i = 0; i < hl; i++)
		chk = polymod_step(chk, (uint8_t)(hrp[i] >> 5));
	chk = polymod_step(chk, 0);
	for (size_t i = 0; i < hl; i++)
		chk = polymod_step(chk, (uint8_t)(hrp[i] & 31));
	for (size_t i = 0; i < n; i++)
		chk = polymod_step(chk, data[i]);
	return chk;
}

/* 8-bit bytes to 5-bit groups (padded), or back (no padding allowed). */
static int regroup(const uint8_t *in, size_t n, int from, int to, int pad, uint8_t *out,
		   size_t cap, size_t *outn)
{
	uint32_t acc = 0, maxv = (1u << to) - 1;
	int bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (in[i] >> from)
			return -1;
		acc = (acc << from) | in[i];
		bits += from;
		while (bits >= to) {
			bits -= to;
			if (o >= cap)
				return -1;
			out[o++] = (uint8_t)((acc >> bits) & maxv);
		}
	}
	if (pad && bits) {
		if (o >= cap)
			return -1;
		out[o++] = (uint8_t)((acc << (to - bits)) & maxv);
	} else if (!pad && (bits >= from || ((acc << (to - bits)) & maxv))) {
		return -1;
	}
	*outn = o;
	return 0;
}

void keystr_encode(enum keystr_kind kind, const uint8_t ed_pk[32], const uint8_t x_pk[32],
		   char out[KEYSTR_MAX])
{
	uint8_t payload[PAYLOAD_LEN], data[DATA5_LEN + CHECKSUM_LEN];
	char hrp[4] = { 'p', 'y', (char)kind, '\0' };
	size_t n = 0, o = 0;
	uint32_t chk;

	payload[0] = KEYSTR_VERSION;
	memcpy(payload + 1, ed_pk, 32);
	memcpy(payload + 33, x_pk, 32);
	regroup(payload, sizeof payload, 8, 5, 1, data, DATA5_LEN, &n);
	memset(data + n, 0, CHECKSUM_LEN);
	chk = polymod(hrp, data, n + CHECKSUM_LEN) ^ 1;
	for (int i = 0; i < CHECKSUM_LEN; i++)
		data[n + (size_t)i] = (uint8_t)((chk >> (5 * (5 - i))) & 31);
	memcpy(out, hrp, 3);
	o = 3;
	out[o++] = '1';
	for (size_t i = 0; i < n + CHECKSUM_LEN; i++)
		out[o++] = charset[data[i]];
	out[o] = '\0';
}

int keystr_decode(const char *s, int want, enum keystr_kind *kind, uint8_t ed_pk[32],
		  uint8_t x_pk[32], struct err *err)
{
	char buf[KEYSTR_MAX];
	uint8_t data[KEYSTR_MAX], payload[PAYLOAD_LEN + 1];
	size_t len, n = 0, plen;
	int lower = 0, upper = 0;
	char hrp[4];

	while (*s && isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len != 3 + 1 + DATA5_LEN + CHECKSUM_LEN)
		return err_set(err, ERR_FORMAT, "key", "a key string has %d characters, not %zu",
			       3 + 1 + DATA5_LEN + CHECKSUM_LEN, len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 33 || c > 126)
			return err_set(err, ERR_FORMAT, "key", "character %zu is not printable", i + 1);
		lower |= islower(c) != 0;
		upper |= isupper(c) != 0;
		buf[i] = (char)tolower(c);
	}
	buf[len] = '\0';
	if (lower && upper)
		return err_set(err, ERR_FORMAT, "key", "mixed upper and lower case");
	if (buf[0] != 'p' || buf[1] != 'y' || (buf[2] != 'd' && buf[2] != 'v') || buf[3] != '1')
		return err_set(err, ERR_FORMAT, "key", "the key does not start with pyd1 or pyv1");
	if (want && buf[2] != want)
		return err_set(err, ERR_FORMAT, "key", "this is a %s key, not a %s key",
			       buf[2] == 'd' ? "district" : "device", want == 'd' ? "district" : "device");
	for (size_t i = 4; i < len; i++) {
		const char *p = strchr(charset, buf[i]);
		if (!p || !*p)
			return err_set(err, ERR_FORMAT, "key", "character %zu is not Bech32", i + 1);
		data[n++] = (uint8_t)(p - charset);
	}
	memcpy(hrp, buf, 3);
	hrp[3] = '\0';
	if (polymod(hrp, data, n) != 1)
		return err_set(err, ERR_FORMAT, "key", "the checksum does not match (a typing mistake?)");
	if (regroup(data, n - CHECKSUM_LEN, 5, 8, 0, payload, sizeof payload, &plen) < 0 ||
	    plen != PAYLOAD_LEN)
		return err_set(err, ERR_FORMAT, "key", "the key has the wrong length");
	if (payload[0] != KEYSTR_VERSION)
		return err_set(err, ERR_VERSION, "key", "key version %u is not supported", payload[0]);
	memcpy(ed_pk, payload + 1, 32);
	memcpy(x_pk, payload + 33, 32);
	if (kind)
		*kind = (enum keystr_kind)buf[2];
	return 0;
}

void keystr_fingerprint_of(const char *domain, const void *data, size_t len,
			   char out[KEYSTR_FPR_LEN])
{
	crypto_generichash_state st;
	uint8_t h[32], num[10];
	char digits[25];

	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const uint8_t *)domain, strlen(domain));
	crypto_generichash_update(&st, data, len);
	crypto_generichash_final(&st, h, sizeof h);
	memcpy(num, h, sizeof num);
	/* 24 decimal digits of the 80-bit number (mod 10^24): long division. */
	for (int d = 23; d >= 0; d--) {
		unsigned rem = 0;
		for (size_t i = 0; i < sizeof num; i++) {
			unsigned cur = (rem << 8) | num[i];
			num[i] = (uint8_t)(cur / 10);
			rem = cur % 10;
		}
		digits[d] = (char)('0' + rem);
	}
	for (int g = 0, o = 0; g < 6; g++) {
		memcpy(out + o, digits + 4 * g, 4);
		o += 4;
		out[o++] = g < 5 ? ' ' : '\0';
	}
}

void keystr_fingerprint(const char *keystr, char out[KEYSTR_FPR_LEN])
{
	keystr_fingerprint_of("posyandu/v1/fpr", keystr, strlen(keystr), out);
}

static void domain_hash(const char *domain, const uint8_t *b, size_t n, uint8_t *out, size_t outn)
{
	crypto_generichash_state st;
	uint8_t h[32];
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const uint8_t *)domain, strlen(domain));
	crypto_generichash_update(&st, b, n);
	crypto_generichash_final(&st, h, sizeof h);
	memcpy(out, h, outn);
}

void keystr_kid(const uint8_t x_pk[32], uint8_t kid[8])
{
	domain_hash("posyandu/v1/kid", x_pk, 32, kid, 8);
}

void keystr_district_id(const uint8_t ed_pk[32], uint8_t id[16])
{
	domain_hash("posyandu/v1/id", ed_pk, 32, id, 16);
}
