/* storage/codec.h: record payloads as canonical JSON (jansson, sorted keys,
 * compact), the form that is sealed at rest and travels in bundles. Each
 * payload is {"a": author uuid, "t": wall time, "d": {fields}}; a tombstone
 * has no "d". Decoding checks every type and length. */
#ifndef POSYANDU_STORAGE_CODEC_H
#define POSYANDU_STORAGE_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/person.h"

/* Make jansson wipe every buffer it frees (payloads hold names and NIKs). */
void codec_init(void);

/* Return an allocated JSON string (free with codec_free), or NULL. */
char *codec_person_encode(const struct person *p, const uint8_t author[16], int64_t time);
char *codec_visit_encode(const struct visit *v, const uint8_t author[16], int64_t time);
char *codec_session_encode(const struct session *x, const uint8_t author[16], int64_t time);
char *codec_tombstone_encode(const uint8_t author[16], int64_t time);
void codec_free(char *json);              /* wipes, then frees; NULL is fine */
/* A buffer of N + 1 bytes that codec_free() wipes (for decrypted payloads). */
char *codec_alloc(size_t n);

/* Decode; P / V may be NULL for a tombstone (then only author/time are read). */
int codec_person_decode(const char *json, size_t len, struct person *p,
			uint8_t author[16], int64_t *time, struct err *err);
int codec_visit_decode(const char *json, size_t len, struct visit *v,
		       uint8_t author[16], int64_t *time, struct err *err);
int codec_session_decode(const char *json, size_t len, struct session *x,
			 uint8_t author[16], int64_t *time, struct err *err);
/* Decode a payload of record KIND (REC_PERSON, REC_VISIT, REC_SESSION) into
 * ITEM, the matching struct; a tombstone (DELETED) or another kind reads
 * only the author and time. ITEM's uuid is left for the caller to set. */
int codec_decode(int kind, bool deleted, const char *json, size_t len, void *item,
		 uint8_t author[16], int64_t *time, struct err *err);
int codec_meta_decode(const char *json, size_t len, uint8_t author[16], int64_t *time,
		      struct err *err);

#endif
