/* tests/fuzz/fuzz_bundle_outer.c: the outer header and trailer parser
 * (step 2 of the import pipeline), on any bytes. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "storage/codec.h"
#include "sync/bundle.h"
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
	struct bundle_header h;
	struct bundle_trailer t;
	enum bundle_class cls;
	struct err e = { 0 };

	if (size < BUNDLE_HEADER_LEN + BUNDLE_TRAILER_LEN)
		return 0;
	/* the size as given, and the size the trailer would need */
	bundle_parse(data, data + size - BUNDLE_TRAILER_LEN, size, &h, &t, &cls, &e);
	bundle_parse(data, data + size - BUNDLE_TRAILER_LEN, (uint64_t)size * 977, &h, &t, &cls, &e);
	return 0;
}
