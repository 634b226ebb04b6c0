/* storage/arena.c: sodium_malloc blocks for decrypted personal data.
 *
 * What libsodium 1.0.18 does on Linux (utils.c, _sodium_malloc): mmap the
 * block with a guard page each side and a read-only page holding its size,
 * place the data so that it ends at the upper guard page, write a canary
 * before it, madvise(MADV_DONTDUMP) and mlock() the data pages. The mlock
 * result is ignored, so a small RLIMIT_MEMLOCK never makes it fail: we
 * mlock again ourselves (a no-op when it worked) only to learn whether it
 * did. sodium_free checks the canary, wipes the data pages, munlocks and
 * unmaps.
 *
 * Each block starts with a 16-byte header (its size and a tag) so that
 * arena_grow can copy and arena_free can refuse a pointer that is not
 * ours. Sizes are rounded to 16 bytes, so the data stays aligned. */
#include "storage/arena.h"

#include <errno.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "core/banned.h"

#define ARENA_TAG ((size_t)0x70796172656e6131ull)   /* "pyarena1" */

struct arena_hdr {
	size_t size;               /* bytes after the header */
	size_t tag;
};
_Static_assert(sizeof(struct arena_hdr) == 16, "the header keeps the data 16-aligned");

static atomic_size_t live_blocks, live_bytes;
static atomic_bool ready, unlocked, warned;
static FILE *warn_file;
static bool warn_set;

void arena_warn_to(FILE *f)
{
	warn_file = f;
	warn_set = true;
}

static void warn_unlocked(void)
{
	struct rlimit rl;
	FILE *f = warn_set ? warn_file : stderr;

	atomic_store(&unlocked, true);
	if (atomic_exchange(&warned, true) || !f)
		return;
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		fprintf(f, "posyandu: warning: cannot lock decrypted data in memory (RLIMIT_MEMLOCK "
			"%llu KiB): it stays guarded and is wiped, but may be swapped to disk\n",
			(unsigned long long)rl.rlim_cur / 1024);
	else
		fputs("posyandu: warning: cannot lock decrypted data in memory: it stays guarded "
		      "and is wiped, but may be swapped to disk\n", f);
}

static struct arena_hdr *hdr_of(void *p)
{
	struct arena_hdr *h = (struct arena_hdr *)p - 1;
	if (h->tag != ARENA_TAG) {
		fputs("posyandu: arena_free of a pointer the arena did not allocate\n", stderr);
		abort();
	}
	return h;
}

void *arena_alloc(size_t n, size_t size)
{
	struct arena_hdr *h;
	size_t bytes;

	if (size && n > (SIZE_MAX - 64) / size) {
		errno = ENOMEM;
		return NULL;
	}
	/* sodium_malloc before sodium_init aborts (no page size yet): main
	 * calls it first, but a library user or a test may not. */
	if (!atomic_load(&ready)) {
		if (sodium_init() < 0)
			return NULL;
		atomic_store(&ready, true);
	}
	bytes = (n * size + 15) & ~(size_t)15;
	if (!(h = sodium_malloc(sizeof *h + bytes)))
		return NULL;
	if (sodium_mlock(h, sizeof *h + bytes) != 0)
		warn_unlocked();
	h->size = bytes;
	h->tag = ARENA_TAG;
	memset(h + 1, 0, bytes);     /* sodium_malloc fills with 0xdb */
	atomic_fetch_add(&live_blocks, 1);
	atomic_fetch_add(&live_bytes, bytes);
	return h + 1;
}

int arena_grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *fresh;

	if (*p && need <= *cap)
		return 0;
	ncap = *cap > SIZE_MAX / 4 ? need : *cap * 2;
	if (ncap < need)
		ncap = need;
	if (ncap < 16)
		ncap = 16;
	if (!(fresh = arena_alloc(ncap, size)))
		return -1;
	if (*p) {
		memcpy(fresh, *p, *cap * size);
		arena_free(*p);
	}
	*p = fresh;
	*cap = ncap;
	return 0;
}

void arena_free(void *p)
{
	struct arena_hdr *h;

	if (!p)
		return;
	h = hdr_of(p);
	atomic_fetch_sub(&live_blocks, 1);
	atomic_fetch_sub(&live_bytes, h->size);
	h->tag = 0;
	sodium_free(h);              /* wipes the data pages, munlocks, unmaps */
}

char *arena_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = arena_alloc(n, 1);
	if (d)
		memcpy(d, s, n);
	return d;
}

size_t arena_live_blocks(void)
{
	return atomic_load(&live_blocks);
}

size_t arena_live_bytes(void)
{
	return atomic_load(&live_bytes);
}

bool arena_unlocked(void)
{
	return atomic_load(&unlocked);
}
