/* sync/wire.h: big-endian integers and hex, for the fixed byte layouts of
 * bundles, receipts and enrolment requests (SECURITY.md §2.6-2.8: every
 * integer on the wire is big-endian, as in age's STREAM counters). */
#ifndef POSYANDU_SYNC_WIRE_H
#define POSYANDU_SYNC_WIRE_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void wire_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void wire_put32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static inline void wire_put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static inline uint16_t wire_get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t wire_get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline uint64_t wire_get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static inline int wire_all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* Hex is libsodium's (constant time). These thin wrappers keep the two
 * contracts the call sites rely on: */

/* Lower-case hex of N bytes into OUT (2N + 1 bytes); returns OUT, so that
 * it can stand in a printf's arguments. */
static inline char *wire_hex(const uint8_t *b, size_t n, char *out)
{
	return sodium_bin2hex(out, 2 * n + 1, b, n);
}

/* Exactly 2N hex digits (either case) and nothing after them, into N
 * bytes; -1 otherwise. */
static inline int wire_unhex(const char *s, uint8_t *b, size_t n)
{
	size_t got;
	if (strnlen(s, 2 * n + 1) != 2 * n)
		return -1;
	return sodium_hex2bin(b, n, s, 2 * n, NULL, &got, NULL) == 0 && got == n ? 0 : -1;
}

#endif
