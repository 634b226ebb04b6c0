/* tests/fuzz/fuzz_frame.c: the frame bodies (inner header, record version
 * in its JSON (format 1) and binary (format 2) layouts, audit anchor) and
 * the record payload codecs, on any bytes: the validators that run after
 * decryption. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "storage/codec.h"
#include "sync/frame.h"
#include "tests/fuzz/fuzz_common.h"
#include "tests/fuzz/fuzz_seeds.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		return -1;
	codec_init();
	if (fuzz_maybe_write_seeds())
		exit(0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_inner in;
	struct sync_version v;
	struct person p;
	struct visit vi;
	struct err e = { 0 };
	uint8_t head[32], author[16];
	uint64_t seq;
	int64_t t;
	char *payload;
	const char *p2;
	size_t plen;

	frame_inner_decode(data, size, &in, &e);
	frame_anchor_decode(data, size, &seq, head, &e);
	if (frame_version_decode(data, size, &v, &payload, &plen, &e) == 0) {
		codec_person_decode(payload, plen, &p, author, &t, &e);
		codec_visit_decode(payload, plen, &vi, author, &t, &e);
		frame_free(payload);
	}
	if (frame_version2_decode(data, size, &v, &p2, &plen, &e) == 0) {
		codec_person_decode(p2, plen, &p, author, &t, &e);
		codec_visit_decode(p2, plen, &vi, author, &t, &e);
	}
	if (frame_depth_ok(data, size, FRAME_DEPTH_MAX)) {
		codec_person_decode((const char *)data, size, &p, author, &t, &e);
		codec_visit_decode((const char *)data, size, &vi, author, &t, &e);
		codec_meta_decode((const char *)data, size, author, &t, &e);
	}
	return 0;
}
