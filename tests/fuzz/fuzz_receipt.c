/* tests/fuzz/fuzz_receipt.c: receipts, enrolment requests and downstream
 * requests: the small signed messages, on any bytes. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "storage/codec.h"
#include "sync/receipt.h"
#include "sync/request.h"
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
	struct receipt r;
	struct enrol_request q;
	struct pull_request p;
	struct err e = { 0 };
	static const uint8_t pk[32];

	if (receipt_parse(data, size, &r, &e) == 0)
		receipt_verify(data, pk, &e);
	enrol_parse(data, size, &q, &e);
	if (pull_parse(data, size, &p, &e) == 0)
		pull_verify(data, pk, &e);
	return 0;
}
