/* tests/fuzz/fuzz_bundle_import.c: the whole import pipeline of the
 * district (sync/importer.c) on a real store, from the spooled file on,
 * with the signature and AEAD checks skipped (FUZZING_BUILD_MODE_UNSAFE_
 * FOR_PRODUCTION), so inputs reach the framing, the frame decoders, the
 * record validators and the idempotent apply. The sender and recipient key
 * id are set to the enrolled test device and the district before each run:
 * the corpus test covers the other identities. */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "storage/codec.h"
#include "storage/store.h"
#include "storage/sync_store.h"
#include "sync/enrol.h"
#include "sync/importer.h"
#include "sync/keystr.h"
#include "tests/fuzz/fuzz_common.h"
#include "tests/fuzz/fuzz_seeds.h"

static struct store *S;
static uint8_t kid[8];
static char dir[64];

static void cleanup(void)
{
	char cmd[128];
	store_close(S);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct store_profile p;
	struct kdf_params kdf = { crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN };
	struct err e = { 0 };
	struct sync_device d;
	uint8_t ed[32], x[32], req[ENROL_LEN];
	bool existed;
	(void)argc;
	(void)argv;

	if (sodium_init() < 0)
		return -1;
	codec_init();
	if (fuzz_maybe_write_seeds())
		exit(0);
	snprintf(dir, sizeof dir, "/tmp/posyandu-fuzz.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	memset(&p, 0, sizeof p);
	snprintf(p.code, sizeof p.code, "DISTRICT");
	snprintf(p.name, sizeof p.name, "Fuzz");
	if (!(S = store_create(dir, &p, "district", "fuzz passphrase 123", 19, &kdf, &e)))
		abort();
	atexit(cleanup);
	if (store_device_pubkeys(S, ed, x, &e) < 0)
		abort();
	keystr_kid(x, kid);
	fuzz_enrol_request(kid, req);
	if (enrol_accept(S, req, sizeof req, &d, &existed, &e) < 0 ||
	    sync_device_set_status(S, d.id, SYNC_DEV_APPROVED, &e) < 0) {
		fprintf(stderr, "fuzz setup: %s\n", e.detail);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_opts o = { .district = true, .max_size = 1 << 22 };
	struct import_result r;
	struct err e = { 0 };
	uint8_t *copy;
	int fd;

	if (size > (1 << 22))
		return 0;
	if (!(copy = malloc(size + 1)))
		return 0;
	memcpy(copy, data, size);
	if (size >= 200) {
		memcpy(copy + 16, FUZZ_DEVICE_ID, 16);
		memcpy(copy + 32, kid, 8);
	}
	fd = memfd_create("bundle", MFD_CLOEXEC);
	if (fd >= 0 && (size == 0 || write(fd, copy, size) == (ssize_t)size))
		import_spooled(S, fd, size, &o, &r, &e);
	if (fd >= 0)
		close(fd);
	free(copy);
	return 0;
}
