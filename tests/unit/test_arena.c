/* tests/unit/test_arena.c: the guarded memory decrypted records live in
 * (storage/arena.c, SECURITY.md §2.5, §2.13): blocks are sodium_malloc'd
 * (out of core dumps), grow without losing what they hold, are all released
 * when the desk is unloaded (the lock path), and a small RLIMIT_MEMLOCK
 * only brings a warning. Under `make asan` a free() of an arena pointer
 * anywhere in these paths would be reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/desk_data.h"
#include "storage/arena.h"
#include "storage/store.h"
#include "tests/helpers/testutil.h"

/* The smaps VmFlags of the mapping holding P, or "" (into BUF). */
static const char *vmflags_of(const void *p, char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool in = false;

	buf[0] = '\0';
	if (!f)
		return buf;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3)
			in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
		else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(buf, size, "%s", line + 8);
			break;
		}
	}
	fclose(f);
	return buf;
}

/* Whether this system shows MADV_DONTDUMP as " dd" in smaps at all: a
 * control mapping advised here. qemu-user (the arm64 unit tests in CI)
 * accepts madvise and does nothing, so nothing is marked there. */
static bool dontdump_shows(void)
{
	static int known = -1;
	char flags[256];
	long page = sysconf(_SC_PAGESIZE);
	void *m;

	if (known >= 0)
		return known;
	m = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	known = m != MAP_FAILED && madvise(m, (size_t)page, MADV_DONTDUMP) == 0 &&
		strstr(vmflags_of(m, flags, sizeof flags), " dd") != NULL;
	if (m != MAP_FAILED)
		munmap(m, (size_t)page);
	if (!known)
		fputs("note: this system does not show MADV_DONTDUMP in smaps; "
		      "the dump flag is not checked\n", stderr);
	return known;
}

/* P's mapping is out of core dumps, where the system can tell. */
static bool not_dumped(const void *p)
{
	char flags[256];
	return !dontdump_shows() || strstr(vmflags_of(p, flags, sizeof flags), " dd") != NULL;
}

static void test_alloc_is_guarded_memory(void **state)
{
	size_t blocks = arena_live_blocks();
	struct person *p;
	(void)state;

	p = arena_alloc(100, sizeof *p);
	assert_non_null(p);
	assert_int_equal(arena_live_blocks(), blocks + 1);
	assert_true(arena_live_bytes() >= 100 * sizeof *p);
	for (size_t i = 0; i < 100 * sizeof *p; i++)
		assert_int_equal(((unsigned char *)p)[i], 0);
	assert_int_equal((uintptr_t)p % 16, 0);
	/* MADV_DONTDUMP: the block is not in a core dump, unlike the heap. */
	assert_true(not_dumped(p));
	arena_free(p);
	arena_free(NULL);
	assert_int_equal(arena_live_blocks(), blocks);
}

static void test_grow_keeps_the_items(void **state)
{
	struct visit *v = NULL;
	size_t cap = 0, blocks = arena_live_blocks();
	(void)state;

	for (uint32_t i = 0; i < 1000; i++) {
		void *p = v;
		assert_int_equal(arena_grow(&p, &cap, i + 1, sizeof *v), 0);
		v = p;
		assert_true(cap >= i + 1);
		v[i].weight_g = 1000 + i;
		snprintf(v[i].note, sizeof v[i].note, "note %u", i);
	}
	assert_int_equal(arena_live_blocks(), blocks + 1);      /* the old blocks are gone */
	for (uint32_t i = 0; i < 1000; i++) {
		char want[16];
		snprintf(want, sizeof want, "note %u", i);
		assert_int_equal(v[i].weight_g, 1000 + i);
		assert_string_equal(v[i].note, want);
	}
	assert_int_equal(arena_grow((void **)&v, &cap, 10, sizeof *v), 0);   /* no shrink */
	assert_true(cap >= 1000);
	store_free(v);
	store_free(NULL);
	assert_int_equal(arena_live_blocks(), blocks);
	/* overflow is refused, not wrapped */
	assert_null(arena_alloc(SIZE_MAX / 8, 16));
}

static void test_strdup(void **state)
{
	char *s = arena_strdup("Zulaikha Qwertyanti");
	(void)state;
	assert_non_null(s);
	assert_string_equal(s, "Zulaikha Qwertyanti");
	arena_free(s);
}

/* A store's records come back as arena blocks, and the desk loaded from it
 * holds only arena blocks, which its unload (the lock path) all releases. */
static void test_store_and_desk_use_the_arena(void **state)
{
	char *dir = tu_mkdtemp();
	struct err err = { 0 };
	struct store *s;
	struct person *people, p;
	struct visit *visits, v;
	struct store_version *h;
	struct draft d;
	size_t n, nh, blocks = arena_live_blocks();
	(void)state;

	assert_non_null(dir);
	assert_non_null(s = tu_store_create(dir, TU_ADMIN, TU_PIN, &err));
	for (int i = 0; i < 300; i++) {          /* beyond the first block of 256 */
		memset(&p, 0, sizeof p);
		p.kind = PERSON_WOMAN;
		p.sex = 'P';
		snprintf(p.name, sizeof p.name, "Ibu Nomor %d", i);
		snprintf(p.nik, sizeof p.nik, "3271%012d", i);
		store_draft_new(&d);
		assert_int_equal(store_person_put(s, &d, &p, &err), 0);
		if (i == 0) {
			memset(&v, 0, sizeof v);
			memcpy(v.person, d.uuid, UUID_LEN);
			v.date = 20000;
			v.weight_g = 50000;
			store_draft_new(&d);
			assert_int_equal(store_visit_put(s, &d, &v, &err), 0);
		}
	}
	assert_int_equal(store_people(s, &people, &n, &err), 0);
	assert_int_equal(n, 300);
	assert_int_equal(arena_live_blocks(), blocks + 1);
	assert_true(not_dumped(people));
	assert_int_equal(store_history(s, people[0].uuid, &h, &nh, &err), 0);
	assert_int_equal(nh, 1);
	assert_string_equal(h[0].u.person.name, people[0].name);
	store_free(h);
	store_free(people);
	assert_int_equal(store_visits(s, &visits, &n, &err), 0);
	assert_int_equal(n, 1);
	store_free(visits);
	assert_int_equal(arena_live_blocks(), blocks);

	assert_int_equal(desk_load(s, &err), 0);
	assert_int_equal(desk.np, 300);
	assert_true(not_dumped(desk.f));
	memset(&p, 0, sizeof p);
	p.kind = PERSON_WOMAN;
	p.sex = 'P';
	for (int i = 0; i < 40; i++) {           /* desk_put_person grows both arrays */
		store_draft_new(&d);
		memcpy(p.uuid, d.uuid, UUID_LEN);
		snprintf(p.name, sizeof p.name, "Baru %d", i);
		assert_int_equal(desk_put_person(&p), 0);
	}
	assert_int_equal(desk.np, 340);
	{
		size_t idx[8];
		assert_int_equal(desk_search("ibu nomor 299", idx, 8), 1);
		assert_string_equal(desk.p[idx[0]].name, "Ibu Nomor 299");
		assert_int_equal(desk_search("baru 39", idx, 8), 1);
	}
	assert_int_equal(desk_visits_of(v.person, &visits), 1);
	assert_int_equal(visits[0].weight_g, 50000);
	store_free(visits);
	assert_true(arena_live_blocks() > blocks);
	desk_unload();                           /* what lock_now and exit call */
	assert_int_equal(arena_live_blocks(), blocks);
	assert_int_equal(arena_live_bytes(), 0);
	assert_null(desk.p);

	store_close(s);
	tu_rmtree(dir);
	free(dir);
}

/* RLIMIT_MEMLOCK too small for the block: still allocated, guarded and
 * wiped; arena_unlocked() says so and one line warns. In a child, as an
 * unprivileged user (root's CAP_IPC_LOCK ignores the limit). */
static void test_memlock_limit_is_a_warning(void **state)
{
	int fds[2], status;
	pid_t pid;
	char out[512] = "";
	ssize_t got;
	(void)state;

#ifdef __SANITIZE_ADDRESS__
	skip();              /* ASan turns mlock into a no-op that succeeds */
#endif
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		struct rlimit rl = { 0, 0 };
		size_t blocks = arena_live_blocks();   /* what an earlier failure left */
		FILE *w = fdopen(fds[1], "w");
		struct person *p;
		close(fds[0]);
		setvbuf(w, NULL, _IONBF, 0);
		if (setrlimit(RLIMIT_MEMLOCK, &rl) != 0 || (getuid() == 0 && setuid(65534) != 0))
			_exit(3);
		arena_warn_to(w);
		if (!(p = arena_alloc(1000, sizeof *p)) || !arena_unlocked())
			_exit(4);
		snprintf(p[999].name, sizeof p[999].name, "still usable");
		arena_free(p);
		if (!(p = arena_alloc(10, sizeof *p)))     /* warns once only */
			_exit(5);
		arena_free(p);
		_exit(arena_live_blocks() == blocks ? 0 : 6);
	}
	close(fds[1]);
	got = read(fds[0], out, sizeof out - 1);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(got > 0);
	out[got] = '\0';
	assert_non_null(strstr(out, "warning: cannot lock decrypted data in memory"));
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);   /* one line */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_is_guarded_memory),
		cmocka_unit_test(test_grow_keeps_the_items),
		cmocka_unit_test(test_strdup),
		cmocka_unit_test(test_store_and_desk_use_the_arena),
		cmocka_unit_test(test_memlock_limit_is_a_warning),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
