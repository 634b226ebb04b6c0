/* tests/crash/crashtest.c: crash, power-cut and I/O-failure tests of the
 * store (SECURITY.md §3.3, §5 item 5).
 *
 *   crashtest kill9 N               a saver is killed with SIGKILL at a random moment, N times
 *   crashtest powercut N [--sync off]
 *                                   the power-cut VFS shim below cuts the power at a random
 *                                   I/O operation, N times: every other cut throws away every
 *                                   write not yet synced, the others tear and reorder them
 *                                   (test6.c's garbling); with --sync off (synchronous=OFF,
 *                                   drop-all cuts only) it is the control that must lose commits
 *   crashtest eio N                 xSync fails with SQLITE_IOERR_FSYNC at a random commit, N
 *                                   times; then the saver retries, crashes, loses power or closes
 *   crashtest enospc [DIR]          a store on a 1 MiB tmpfs (mounted under DIR, default
 *                                   $TMPDIR) is filled until ERR_FULL; needs root, else SKIP
 *   crashtest efbig                 ulimit -f: SIGXFSZ kills the saver; with SIGXFSZ ignored
 *                                   the save fails with ERR_IO
 *   crashtest child DIR [--cut N] [--garble SEED] [--sync off] [--eio K] [--fsize BYTES]
 *                   [--xfsz ignore] [--after crash|close|retry|powercut]
 *                                   the saver the modes above start (not run by hand)
 *
 * The saver opens the store (through the shim when it cuts or fails syncs),
 * logs in, writes "R", then saves people for ever. It writes "A <uuid>" for
 * a record only after store_person_put returned 0, so the parent knows
 * exactly which saves were acknowledged ("Tersimpan"). An injected failure
 * is reported as "F <code> <uuid> <vid> <detail>". A simulated power cut
 * rolls the files back inside the saver and _exits, so the parent finds the
 * files as the cut would have left them.
 *
 * After every injection the parent reopens the store with the default VFS,
 * runs PRAGMA integrity_check and foreign_key_check on a second connection,
 * logs in, decrypts every version (store_verify) and checks that every
 * acknowledged record is there with the content it was saved with, exactly
 * once (one version per record). A failed save is then retried with the
 * same draft, which must leave exactly one copy.
 *
 * Every parent mode ends with one line that t0100-crash.sh turns into the
 * figures of SECURITY.md §5:
 *   result MODE injections=N acked=N lost=N corrupt=N dup=N orphan=N ... status=pass|fail|skip
 * Exit status: 0 pass, 1 fail, 77 skipped. SEED=n reproduces the random
 * choices (kill -9 moments stay timing-dependent), TMPDIR says where the
 * stores go, KEEP=1 keeps them (they are kept anyway after a failure),
 * CRASHTEST_TRACE=1 makes the saver describe each cut on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "core/date.h"
#include "core/err.h"
#include "core/person.h"
#include "storage/store.h"
#include "tests/helpers/testutil.h"
#include "core/banned.h"

#define CUT_EXIT 86                /* the saver's status after a simulated power cut */
#define SKIP_EXIT 77
#define SHIM_VFS "powercut"
#define EPOCH 25                   /* injections per store: keeps each check short */

/* ================================================================== */
/* The power-cut VFS shim (the idea of SQLite's src/test6.c).          */
/* ================================================================== */

/* splitmix64: the random choices of parent and saver. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t n)
{
	return n ? rng_next() % n : 0;
}

/* Old bytes of a file region, as they were at the file's last xSync. */
struct undo {
	struct undo *next;         /* older */
	sqlite3_int64 off;
	size_t len;
	bool truncate;             /* bytes a truncate cut off (not a write) */
	unsigned char data[];
};

/* One file the shim tracks (main database, WAL, rollback journal). */
struct pc_node {
	struct pc_node *next;
	char *path;
	sqlite3_int64 synced;      /* its size at the last successful xSync */
	struct undo *undo;         /* newest first */
	int refs;                  /* open handles */
};

struct pc_file {
	sqlite3_file base;
	struct pc_node *node;      /* NULL: not tracked (temporary files) */
	sqlite3_file *real;        /* the unix VFS's file, right after this struct */
};

static struct {
	sqlite3_vfs *real;
	struct pc_node *nodes;
	long ops;                  /* xWrite, xTruncate and xSync calls so far */
	long cut_at;               /* power cut at this operation; 0 = never */
	long syncs;                /* xSync calls since arming */
	long fail_sync_at;         /* this xSync fails with SQLITE_IOERR_FSYNC; 0 = never */
	bool armed;
	bool garble;               /* the cut tears and reorders instead of dropping */
} pc;

static int pwrite_all(int fd, const unsigned char *p, size_t len, off_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static void pc_powercut(void) __attribute__((noreturn));

/* Damage a few bytes of [OFF, OFF+LEN): an unsynced write torn mid-sector. */
static void pc_scribble(int fd, sqlite3_int64 off, sqlite3_int64 len)
{
	unsigned char junk[512];
	sqlite3_int64 at, n;

	if (len <= 0)
		return;
	at = off + (sqlite3_int64)rng_below((uint64_t)len);
	n = 1 + (sqlite3_int64)rng_below(sizeof junk);
	if (n > off + len - at)
		n = off + len - at;
	for (sqlite3_int64 i = 0; i < n; i++)
		junk[i] = (unsigned char)rng_next();
	if (pwrite_all(fd, junk, (size_t)n, (off_t)at) < 0)
		_exit(3);
}

/* The power goes out, and the process stops at once.
 * Default model: every file loses everything written since its last sync
 * (old bytes back, size back).
 * Garble model (pc.garble, after test6.c): each unsynced write independently
 * reached the disk, did not, or reached it torn; the unsynced tail keeps a
 * random length and may be torn too. Synced bytes are never touched, and a
 * write never damages bytes outside its own range (SQLite's unix VFS claims
 * powersafe overwrite). */
static void pc_powercut(void)
{
	bool trace = getenv("CRASHTEST_TRACE") != NULL;

	for (struct pc_node *n = pc.nodes; n; n = n->next) {
		int fd = open(n->path, O_RDWR | O_CLOEXEC);
		struct stat st;

		if (trace) {
			size_t records = 0, bytes = 0;
			for (struct undo *u = n->undo; u; u = u->next, records++)
				bytes += u->len;
			fprintf(stderr, "cut at op %ld%s: %s synced %lld, %zu undo records (%zu bytes)\n",
				pc.ops, pc.garble ? " (garble)" : "", n->path, (long long)n->synced,
				records, bytes);
		}
		if (fd < 0)
			continue;          /* unlinked: creation and unlink are not undone */
		if (!pc.garble) {
			/* Newest first, so the oldest record (the synced state) lands last. */
			for (struct undo *u = n->undo; u; u = u->next)
				if (pwrite_all(fd, u->data, u->len, (off_t)u->off) < 0)
					_exit(3);
			if (ftruncate(fd, (off_t)n->synced) < 0)
				_exit(3);
			close(fd);
			continue;
		}
		if (fstat(fd, &st) < 0)
			_exit(3);
		if ((sqlite3_int64)st.st_size > n->synced) {
			/* The tail past the synced size: some prefix of it survives. */
			sqlite3_int64 keep = n->synced +
				(sqlite3_int64)rng_below((uint64_t)(st.st_size - n->synced) + 1);
			if (ftruncate(fd, (off_t)keep) < 0)
				_exit(3);
			if (keep > n->synced && rng_below(2))
				pc_scribble(fd, n->synced, keep - n->synced);
		}
		for (struct undo *u = n->undo; u; u = u->next) {
			switch (rng_below(u->truncate ? 2 : 3)) {
			case 0:        /* this write (or truncate) never reached the disk */
				if (pwrite_all(fd, u->data, u->len, (off_t)u->off) < 0)
					_exit(3);
				break;
			case 1:        /* it did */
				break;
			default:       /* it did, torn */
				pc_scribble(fd, u->off, (sqlite3_int64)u->len);
			}
		}
		close(fd);
	}
	_exit(CUT_EXIT);
}

static void pc_tick(void)
{
	pc.ops++;
	if (pc.cut_at && pc.ops >= pc.cut_at)
		pc_powercut();
}

static sqlite3_int64 pc_real_size(struct pc_file *f)
{
	sqlite3_int64 size = 0;
	if (f->real->pMethods->xFileSize(f->real, &size) != SQLITE_OK)
		size = 0;
	return size;
}

static void undo_free(struct pc_node *n)
{
	while (n->undo) {
		struct undo *u = n->undo;
		n->undo = u->next;
		free(u);
	}
}

/* Keep the current bytes [OFF, END) that lie below the synced size: only
 * they need restoring, everything past it is cut off by the truncate. */
static int pc_save(struct pc_file *f, sqlite3_int64 off, sqlite3_int64 end, bool truncate)
{
	struct pc_node *n = f->node;
	struct undo *u;
	int rc;

	if (!n)
		return SQLITE_OK;
	if (end > n->synced)
		end = n->synced;
	if (off >= end)
		return SQLITE_OK;
	if (!(u = malloc(sizeof *u + (size_t)(end - off))))
		return SQLITE_NOMEM;
	u->off = off;
	u->len = (size_t)(end - off);
	u->truncate = truncate;
	rc = f->real->pMethods->xRead(f->real, u->data, (int)u->len, off);
	if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) {
		free(u);
		return rc;
	}
	u->next = n->undo;
	n->undo = u;
	return SQLITE_OK;
}

static void pc_release(struct pc_node *n)
{
	if (--n->refs > 0 || n->undo)
		return;            /* closed with unsynced writes: a cut still undoes them */
	for (struct pc_node **p = &pc.nodes; *p; p = &(*p)->next)
		if (*p == n) {
			*p = n->next;
			break;
		}
	free(n->path);
	free(n);
}

static int pc_close(sqlite3_file *file)
{
	struct pc_file *f = (struct pc_file *)file;
	int rc = f->real->pMethods->xClose(f->real);
	if (f->node)
		pc_release(f->node);
	f->node = NULL;
	return rc;
}

static int pc_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xRead(f->real, buf, amt, off);
}

static int pc_write(sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
	struct pc_file *f = (struct pc_file *)file;
	int rc;
	pc_tick();
	if ((rc = pc_save(f, off, off + amt, false)) != SQLITE_OK)
		return rc;
	return f->real->pMethods->xWrite(f->real, buf, amt, off);
}

static int pc_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct pc_file *f = (struct pc_file *)file;
	int rc;
	pc_tick();
	if ((rc = pc_save(f, size, pc_real_size(f), true)) != SQLITE_OK)
		return rc;
	return f->real->pMethods->xTruncate(f->real, size);
}

static int pc_sync(sqlite3_file *file, int flags)
{
	struct pc_file *f = (struct pc_file *)file;
	int rc;
	pc_tick();
	if (pc.armed && ++pc.syncs == pc.fail_sync_at)
		return SQLITE_IOERR_FSYNC;  /* nothing reached the disk; the page cache keeps it */
	rc = f->real->pMethods->xSync(f->real, flags);
	if (rc == SQLITE_OK && f->node) {
		undo_free(f->node);
		f->node->synced = pc_real_size(f);
	}
	return rc;
}

static int pc_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xFileSize(f->real, size);
}

static int pc_lock(sqlite3_file *file, int lock)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xLock(f->real, lock);
}

static int pc_unlock(sqlite3_file *file, int lock)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xUnlock(f->real, lock);
}

static int pc_check_reserved(sqlite3_file *file, int *out)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int pc_file_control(sqlite3_file *file, int op, void *arg)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int pc_sector_size(sqlite3_file *file)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xSectorSize(f->real);
}

static int pc_device_chars(sqlite3_file *file)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

/* The -shm file is mapped memory that SQLite rebuilds after a crash (the
 * first connection truncates it), so it needs no undo. */
static int pc_shm_map(sqlite3_file *file, int pg, int pgsz, int extend, void volatile **pp)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xShmMap(f->real, pg, pgsz, extend, pp);
}

static int pc_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void pc_shm_barrier(sqlite3_file *file)
{
	struct pc_file *f = (struct pc_file *)file;
	f->real->pMethods->xShmBarrier(f->real);
}

static int pc_shm_unmap(sqlite3_file *file, int del)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xShmUnmap(f->real, del);
}

static int pc_fetch(sqlite3_file *file, sqlite3_int64 off, int amt, void **pp)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xFetch(f->real, off, amt, pp);
}

static int pc_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
	struct pc_file *f = (struct pc_file *)file;
	return f->real->pMethods->xUnfetch(f->real, off, p);
}

static const sqlite3_io_methods pc_io = {
	.iVersion = 3,
	.xClose = pc_close,
	.xRead = pc_read,
	.xWrite = pc_write,
	.xTruncate = pc_truncate,
	.xSync = pc_sync,
	.xFileSize = pc_file_size,
	.xLock = pc_lock,
	.xUnlock = pc_unlock,
	.xCheckReservedLock = pc_check_reserved,
	.xFileControl = pc_file_control,
	.xSectorSize = pc_sector_size,
	.xDeviceCharacteristics = pc_device_chars,
	.xShmMap = pc_shm_map,
	.xShmLock = pc_shm_lock,
	.xShmBarrier = pc_shm_barrier,
	.xShmUnmap = pc_shm_unmap,
	.xFetch = pc_fetch,
	.xUnfetch = pc_unfetch,
};

static int pc_track(struct pc_file *f, const char *name)
{
	struct pc_node *n;
	for (n = pc.nodes; n; n = n->next)
		if (strcmp(n->path, name) == 0)
			break;
	if (!n) {
		if (!(n = calloc(1, sizeof *n)) || !(n->path = strdup(name))) {
			free(n);
			return SQLITE_NOMEM;
		}
		n->next = pc.nodes;
		pc.nodes = n;
		n->synced = pc_real_size(f);   /* what is there already survived */
	}
	n->refs++;
	f->node = n;
	return SQLITE_OK;
}

static int pc_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
	struct pc_file *f = (struct pc_file *)file;
	int rc;

	(void)vfs;
	f->node = NULL;
	f->real = (sqlite3_file *)(f + 1);
	f->real->pMethods = NULL;
	rc = pc.real->xOpen(pc.real, name, f->real, flags, out);
	if (rc != SQLITE_OK) {
		if (f->real->pMethods)
			f->real->pMethods->xClose(f->real);
		f->base.pMethods = NULL;
		return rc;
	}
	f->base.pMethods = &pc_io;
	if (name && !(flags & SQLITE_OPEN_DELETEONCLOSE) &&
	    (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)) &&
	    (rc = pc_track(f, name)) != SQLITE_OK) {
		f->real->pMethods->xClose(f->real);
		f->base.pMethods = NULL;
	}
	return rc;
}

static int pc_delete(sqlite3_vfs *vfs, const char *name, int dirsync)
{
	(void)vfs;
	for (struct pc_node **p = &pc.nodes; *p; p = &(*p)->next) {
		struct pc_node *n = *p;
		if (strcmp(n->path, name) == 0 && n->refs == 0) {
			*p = n->next;
			undo_free(n);
			free(n->path);
			free(n);
			break;
		}
	}
	return pc.real->xDelete(pc.real, name, dirsync);
}

static int pc_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return pc.real->xAccess(pc.real, name, flags, out);
}

static int pc_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return pc.real->xFullPathname(pc.real, name, n, out);
}

static void *pc_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return pc.real->xDlOpen(pc.real, name);
}

static void pc_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	pc.real->xDlError(pc.real, n, msg);
}

static void (*pc_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return pc.real->xDlSym(pc.real, h, sym);
}

static void pc_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	pc.real->xDlClose(pc.real, h);
}

static int pc_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return pc.real->xRandomness(pc.real, n, out);
}

static int pc_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return pc.real->xSleep(pc.real, us);
}

static int pc_current_time(sqlite3_vfs *vfs, double *t)
{
	(void)vfs;
	return pc.real->xCurrentTime(pc.real, t);
}

static int pc_last_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	return pc.real->xGetLastError(pc.real, n, msg);
}

static int pc_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *t)
{
	(void)vfs;
	return pc.real->xCurrentTimeInt64(pc.real, t);
}

static int pc_set_syscall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr p)
{
	(void)vfs;
	return pc.real->xSetSystemCall(pc.real, name, p);
}

static sqlite3_syscall_ptr pc_get_syscall(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return pc.real->xGetSystemCall(pc.real, name);
}

static const char *pc_next_syscall(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return pc.real->xNextSystemCall(pc.real, name);
}

/* Register the shim as SHIM_VFS (not as the default). */
static int pc_register(void)
{
	static sqlite3_vfs vfs;

	if (!(pc.real = sqlite3_vfs_find(NULL)) || pc.real->iVersion < 3)
		return -1;
	vfs = (sqlite3_vfs){
		.iVersion = 3,
		.szOsFile = (int)sizeof(struct pc_file) + pc.real->szOsFile,
		.mxPathname = pc.real->mxPathname,
		.zName = SHIM_VFS,
		.xOpen = pc_open,
		.xDelete = pc_delete,
		.xAccess = pc_access,
		.xFullPathname = pc_full_pathname,
		.xDlOpen = pc_dlopen,
		.xDlError = pc_dlerror,
		.xDlSym = pc_dlsym,
		.xDlClose = pc_dlclose,
		.xRandomness = pc_randomness,
		.xSleep = pc_sleep,
		.xCurrentTime = pc_current_time,
		.xGetLastError = pc_last_error,
		.xCurrentTimeInt64 = pc_current_time64,
		.xSetSystemCall = pc_set_syscall,
		.xGetSystemCall = pc_get_syscall,
		.xNextSystemCall = pc_next_syscall,
	};
	return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK ? 0 : -1;
}

/* ================================================================== */
/* Shared pieces                                                       */
/* ================================================================== */

static char self_exe[PATH_MAX];
/* SEED from the environment, or a fresh one; each mode gets its own stream. */
static void rng_init(const char *mode)
{
	const char *env = getenv("SEED");
	uint64_t seed;

	if (env && *env) {
		seed = strtoull(env, NULL, 10);
	} else {
		randombytes_buf(&seed, sizeof seed);
		seed %= 1000000000u;
	}
	printf("# %s: seed %llu (SEED=%llu reproduces)\n", mode, (unsigned long long)seed,
	       (unsigned long long)seed);
	rng_state = seed;
	for (const char *p = mode; *p; p++)
		rng_state = rng_state * 131 + (unsigned char)*p;
}

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long n;
	if (!v || !*v)
		return def;
	n = strtol(v, &end, 10);
	return *end || n < 0 ? def : n;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static char *hex16(const uint8_t b[16], char out[33])
{
	return sodium_bin2hex(out, 33, b, 16);
}

static int unhex16(const char *s, uint8_t out[16])
{
	size_t n;
	return sodium_hex2bin(out, 16, s, 32, NULL, &n, NULL) == 0 && n == 16 ? 0 : -1;
}

/* Everything in a test person follows from its uuid, so the checker knows
 * what each record must decrypt to, and a retried save carries the same. */
static void person_make(struct person *p, const uint8_t uuid[16])
{
	char hex[33];

	hex16(uuid, hex);
	memset(p, 0, sizeof *p);
	memcpy(p->uuid, uuid, 16);
	p->kind = PERSON_CHILD;
	snprintf(p->name, sizeof p->name, "Uji %.12s", hex);
	p->sex = (uuid[0] & 1) ? 'L' : 'P';
	p->dob = date_from_ymd(2022 + uuid[1] % 4, 1 + uuid[2] % 12, 1 + uuid[3] % 28);
	snprintf(p->mother_name, sizeof p->mother_name, "Ibu %.8s", hex + 12);
	snprintf(p->address, sizeof p->address, "Dusun Krajan %.6s", hex + 20);
	p->rt = (uint8_t)(1 + uuid[4] % 20);
	p->rw = (uint8_t)(1 + uuid[5] % 9);
	p->birth_weight_g = (uint16_t)(2500 + uuid[6] * 4);
	p->kia = ASK_YES;
	p->registered = date_from_ymd(2026, 11, 1);
}

static bool person_matches(const struct person *p)
{
	struct person want;
	person_make(&want, p->uuid);
	return strcmp(p->name, want.name) == 0 && strcmp(p->mother_name, want.mother_name) == 0 &&
	       strcmp(p->address, want.address) == 0 && p->sex == want.sex &&
	       p->dob == want.dob && p->rt == want.rt && p->rw == want.rw &&
	       p->birth_weight_g == want.birth_weight_g;
}

/* ================================================================== */
/* The saver (child)                                                   */
/* ================================================================== */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;
	const char *p = line;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		_exit(5);
	if ((size_t)n >= sizeof line)
		n = (int)sizeof line - 1;
	/* One write per line: a line is never torn (it is shorter than PIPE_BUF). */
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, p, (size_t)n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(5);      /* the parent is gone */
		p += w;
		n -= (int)w;
	}
}

static int child_die(const char *what, const struct err *err)
{
	fprintf(stderr, "crashtest child: %s: %s: %s\n", what, err_code_name(err->code), err->detail);
	return 3;
}

static int mode_child(int argc, char **argv)
{
	const char *dir = argv[2], *after = NULL;
	struct store_open_opts opts = { 0 };
	long cut = 0, eio = 0, fsize = 0;
	bool xfsz_ignore = false, expect_fail = false;
	struct store *s;
	struct err err = { 0 };
	char uhex[33], vhex[33];

	for (int i = 3; i < argc; i += 2) {   /* every option takes a value */
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
		if (strcmp(a, "--cut") == 0)
			cut = strtol(v, NULL, 10);
		else if (strcmp(a, "--sync") == 0)
			opts.synchronous = strcmp(v, "off") == 0;
		else if (strcmp(a, "--eio") == 0)
			eio = strtol(v, NULL, 10);
		else if (strcmp(a, "--fsize") == 0)
			fsize = strtol(v, NULL, 10);
		else if (strcmp(a, "--xfsz") == 0)
			xfsz_ignore = strcmp(v, "ignore") == 0;
		else if (strcmp(a, "--after") == 0)
			after = v;
		else if (strcmp(a, "--garble") == 0) {
			pc.garble = true;
			rng_state = strtoull(v, NULL, 10);
		}
		else {
			fprintf(stderr, "crashtest child: unknown option %s\n", a);
			return 2;
		}
	}
	expect_fail = after != NULL;
	if (cut || eio || (after && strcmp(after, "powercut") == 0)) {
		if (pc_register() < 0) {
			fprintf(stderr, "crashtest child: cannot register the VFS shim\n");
			return 2;
		}
		opts.vfs = SHIM_VFS;
		pc.cut_at = cut;
		pc.fail_sync_at = eio;
	}
	if (fsize) {
		struct rlimit rl = { (rlim_t)fsize, (rlim_t)fsize };
		if (xfsz_ignore)
			signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0) {
			perror("crashtest child: setrlimit");
			return 2;
		}
	}

	if (!(s = store_open(dir, &opts, &err)))
		return child_die("open", &err);
	if (store_login(s, TU_ADMIN, TU_PIN, TU_PIN_LEN, NULL, &err) < 0)
		return child_die("login", &err);
	pc.armed = true;
	say("R\n");
	for (long i = 0; i < 10000000; i++) {
		struct draft d;
		struct person p;

		store_draft_new(&d);
		person_make(&p, d.uuid);
		hex16(d.uuid, uhex);
		if (store_person_put(s, &d, &p, &err) == 0) {
			say("A %s\n", uhex);
			if (eio && pc.syncs >= eio) {
				/* The failed sync was not reported: a save said "saved" after
				 * its fsync failed. */
				say("X fsync %ld failed but the save returned 0\n", eio);
				return 4;
			}
			continue;
		}
		if (!expect_fail)
			return child_die("save", &err);
		hex16(d.vid, vhex);
		say("F %d %s %s %s: %s\n", (int)err.code, uhex, vhex, err_code_name(err.code),
		    err.detail);
		if (strcmp(after, "crash") == 0)
			_exit(0);
		if (strcmp(after, "powercut") == 0)
			pc_powercut();
		if (strcmp(after, "retry") == 0) {
			/* The kader presses "Simpan" again with the same form. */
			if (store_person_put(s, &d, &p, &err) == 0)
				say("A %s\n", uhex);
			else
				say("G %d %s: %s\n", (int)err.code, err_code_name(err.code), err.detail);
		}
		store_close(s);
		return 0;
	}
	store_close(s);
	return 0;
}

/* ================================================================== */
/* The parent: spawning, reading acknowledgements, checking            */
/* ================================================================== */

struct uuidset {
	uint8_t (*v)[16];
	size_t n, cap;
};

static int uuidset_add(struct uuidset *set, const uint8_t u[16])
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 1024;
		uint8_t (*grown)[16] = realloc(set->v, cap * sizeof *grown);
		if (!grown)
			return -1;
		set->v = grown;
		set->cap = cap;
	}
	memcpy(set->v[set->n++], u, 16);
	return 0;
}

static bool uuidset_has(const struct uuidset *set, const uint8_t u[16])
{
	for (size_t i = 0; i < set->n; i++)
		if (memcmp(set->v[i], u, 16) == 0)
			return true;
	return false;
}

struct figures {
	long injections, acked, lost, corrupt, dup, orphan;
	long failures;             /* harness-level failures (a child misbehaved) */
	long present_after_fail;   /* eio / full: the failed save survived anyway */
	long garbled;              /* power cuts that tore and reordered instead of dropping */
};

/* One running saver and what it has said. */
struct kid {
	pid_t pid;
	int fd;
	char buf[8192];
	size_t len;
	bool ready, eof, failed, unexpected;
	long acks;
	int fail_code;
	uint8_t fail_uuid[16], fail_vid[16];
	bool fail_acked_before;    /* the failed record was acknowledged before it failed */
	struct uuidset *acked;
};

static int kid_spawn(struct kid *k, struct uuidset *acked, const char *const args[])
{
	int p[2];
	char *argv[16];
	size_t i;

	memset(k, 0, sizeof *k);
	k->acked = acked;
	argv[0] = self_exe;
	argv[1] = (char *)"child";
	for (i = 0; args[i] && i < 13; i++)
		argv[i + 2] = (char *)args[i];
	argv[i + 2] = NULL;
	if (pipe2(p, O_CLOEXEC) < 0) {
		perror("pipe");
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	k->pid = fork();
	if (k->pid < 0) {
		perror("fork");
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (k->pid == 0) {
		if (dup2(p[1], STDOUT_FILENO) < 0)
			_exit(126);
		execv(self_exe, argv);
		_exit(127);
	}
	close(p[1]);
	k->fd = p[0];
	return 0;
}

static void kid_line(struct kid *k, char *line)
{
	uint8_t u[16];

	if (strcmp(line, "R") == 0) {
		k->ready = true;
	} else if (line[0] == 'A' && line[1] == ' ' && unhex16(line + 2, u) == 0) {
		if (uuidset_add(k->acked, u) < 0) {
			fprintf(stderr, "out of memory\n");
			exit(1);
		}
		k->acks++;
	} else if (line[0] == 'F' && line[1] == ' ') {
		char *end;
		k->failed = true;
		k->fail_code = (int)strtol(line + 2, &end, 10);
		if (*end != ' ' || unhex16(end + 1, k->fail_uuid) < 0 ||
		    unhex16(end + 34, k->fail_vid) < 0) {
			printf("# unreadable failure line: %s\n", line);
			k->unexpected = true;
			return;
		}
		k->fail_acked_before = uuidset_has(k->acked, k->fail_uuid);
		printf("#   save failed as injected: %s\n", end + 67);
	} else if (line[0] == 'G') {
		printf("#   retry in the same session failed: %s\n", line + 2);
	} else {
		printf("# child says: %s\n", line);
		k->unexpected = true;
	}
}

/* Read what the saver wrote until DEADLINE (µs, monotonic), until it is
 * ready (UNTIL_READY), or until EOF. Returns 1 at EOF. */
static int kid_pump(struct kid *k, int64_t deadline, bool until_ready)
{
	while (!k->eof) {
		int64_t left = deadline - now_us();
		struct pollfd pfd = { .fd = k->fd, .events = POLLIN };
		ssize_t n;
		char *nl;

		if (until_ready && k->ready)
			return 0;
		if (left <= 0)
			return 0;
		if (poll(&pfd, 1, (int)(left / 1000) + 1) <= 0)
			continue;
		n = read(k->fd, k->buf + k->len, sizeof k->buf - 1 - k->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			k->eof = true;
			break;
		}
		k->len += (size_t)n;
		k->buf[k->len] = '\0';
		while ((nl = strchr(k->buf, '\n'))) {
			*nl = '\0';
			kid_line(k, k->buf);
			k->len -= (size_t)(nl + 1 - k->buf);
			memmove(k->buf, nl + 1, k->len);
			k->buf[k->len] = '\0';
		}
		if (k->len == sizeof k->buf - 1)
			k->len = 0;    /* a line that long is garbage */
	}
	return 1;
}

/* Drain to EOF (killing the saver if it takes longer than TIMEOUT_S) and
 * reap it. Returns the wait status. */
static int kid_finish(struct kid *k, int timeout_s)
{
	int status = 0;
	if (!kid_pump(k, now_us() + (int64_t)timeout_s * 1000000, false)) {
		printf("# saver %d still running after %d s: killed\n", (int)k->pid, timeout_s);
		kill(k->pid, SIGKILL);
		kid_pump(k, now_us() + 10000000, false);
		k->unexpected = true;
	}
	close(k->fd);
	while (waitpid(k->pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static const char *status_text(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	return buf;
}

static int cmp_person(const void *a, const void *b)
{
	return memcmp(((const struct person *)a)->uuid, ((const struct person *)b)->uuid, 16);
}

/* Run PRAGMA CHECK on a second, plain connection; count rows that are not "ok". */
static long raw_check(sqlite3 *db, const char *pragma, bool ok_row)
{
	sqlite3_stmt *st;
	long bad = 0;
	int rc;

	if (sqlite3_prepare_v2(db, pragma, -1, &st, NULL) != SQLITE_OK) {
		printf("#   %s: %s\n", pragma, sqlite3_errmsg(db));
		return 1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (ok_row && t && strcmp(t, "ok") == 0)
			continue;
		if (bad < 5)
			printf("#   %s: %s\n", pragma, t ? t : "(row)");
		bad++;
	}
	if (rc != SQLITE_DONE) {
		printf("#   %s: %s\n", pragma, sqlite3_errmsg(db));
		bad++;
	}
	sqlite3_finalize(st);
	return bad;
}

/* Reopen DIR with the default VFS and check it against ACKED. Lost records
 * are counted once and then dropped from ACKED. Returns -1 if the store
 * cannot be used any more (corrupt), 0 otherwise. */
static int check_store(const char *dir, struct uuidset *acked, struct figures *fig,
		       bool quiet_lost)
{
	struct err err = { 0 };
	struct store *s;
	struct person *people = NULL;
	size_t n = 0, np = 0, nversions = 0, nverified = 0, keep = 0;
	char path[4096], hex[33];
	sqlite3 *raw = NULL;
	long bad;
	int ret = 0;

	if (!(s = store_open(dir, NULL, &err))) {
		printf("# CORRUPT: reopen %s: %s: %s\n", dir, err_code_name(err.code), err.detail);
		fig->corrupt++;
		return -1;
	}
	/* A second connection, opened after the store's (which ran recovery). */
	if (tu_path(path, sizeof path, dir, "posyandu.db") < 0 ||
	    sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		printf("# CORRUPT: raw open: %s\n", raw ? sqlite3_errmsg(raw) : "?");
		sqlite3_close(raw);
		fig->corrupt++;
		store_close(s);
		return -1;
	}
	sqlite3_busy_timeout(raw, 5000);
	if ((bad = raw_check(raw, "PRAGMA integrity_check", true)) > 0) {
		printf("# CORRUPT: integrity_check is not ok\n");
		fig->corrupt++;
		ret = -1;
	}
	if ((bad = raw_check(raw, "PRAGMA foreign_key_check", false)) > 0) {
		printf("# CORRUPT: %ld orphan rows (a head without its version)\n", bad);
		fig->orphan += bad;
		fig->corrupt++;
		ret = -1;
	}
	sqlite3_close(raw);
	if (ret < 0)
		goto out;

	if (store_login(s, TU_ADMIN, TU_PIN, TU_PIN_LEN, NULL, &err) < 0) {
		if (err.code == ERR_FULL) {
			/* Not corrupt, but the store must stay usable on a full disk. */
			printf("# FAIL: login on the full disk: %s\n", err.detail);
			fig->failures++;
		} else {
			printf("# CORRUPT: login: %s: %s\n", err_code_name(err.code), err.detail);
			fig->corrupt++;
		}
		ret = -1;
		goto out;
	}
	if (store_verify(s, &nverified, &err) < 0) {
		printf("# CORRUPT: verify: %s: %s\n", err_code_name(err.code), err.detail);
		fig->corrupt++;
		ret = -1;
		goto out;
	}
	if (store_people(s, &people, &n, &err) < 0 ||
	    store_counts(s, &np, NULL, &nversions, &err) < 0) {
		printf("# CORRUPT: load: %s: %s\n", err_code_name(err.code), err.detail);
		fig->corrupt++;
		ret = -1;
		goto out;
	}
	if (n)
		qsort(people, n, sizeof *people, cmp_person);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && memcmp(people[i].uuid, people[i - 1].uuid, 16) == 0) {
			printf("# DUPLICATE: %s\n", hex16(people[i].uuid, hex));
			fig->dup++;
		}
		if (!person_matches(&people[i])) {
			printf("# CORRUPT: %s decrypts to other content (\"%s\")\n",
			       hex16(people[i].uuid, hex), people[i].name);
			fig->corrupt++;
			ret = -1;
		}
	}
	/* Every test record is saved once: one version per person. */
	if (nversions != n || nverified != nversions || np != n) {
		printf("# DUPLICATE: %zu versions, %zu verified, %zu people (%zu loaded)\n",
		       nversions, nverified, np, n);
		fig->dup += nversions > n ? (long)(nversions - n) : 1;
	}
	for (size_t i = 0; i < acked->n; i++) {
		struct person key;
		memcpy(key.uuid, acked->v[i], 16);
		if (n && bsearch(&key, people, n, sizeof *people, cmp_person)) {
			if (keep != i)
				memcpy(acked->v[keep], acked->v[i], 16);
			keep++;
			continue;
		}
		if (!quiet_lost)
			printf("# LOST: %s was acknowledged\n", hex16(acked->v[i], hex));
		else if (fig->lost < 3)
			printf("# lost, as synchronous=OFF must: %s\n", hex16(acked->v[i], hex));
		fig->lost++;
	}
	acked->n = keep;
out:
	store_free(people);
	store_close(s);
	return ret;
}

/* A save failed (fsync error, full disk): the same draft saved again must
 * give exactly one copy, whether or not the failed attempt survived. */
static int retry_draft(const char *dir, const uint8_t uuid[16], const uint8_t vid[16],
		       struct uuidset *acked, struct figures *fig)
{
	struct err err = { 0 };
	struct store *s = tu_store_login(dir, TU_ADMIN, TU_PIN, &err);
	struct store_version *hist = NULL;
	size_t before = 0, after = 0;
	struct draft d;
	struct person p;
	int ret = 0;

	if (!s) {
		printf("# retry: reopen: %s: %s\n", err_code_name(err.code), err.detail);
		fig->corrupt++;
		return -1;
	}
	memset(&d, 0, sizeof d);
	memcpy(d.uuid, uuid, 16);
	memcpy(d.vid, vid, 16);
	person_make(&p, uuid);
	if (store_history(s, uuid, &hist, &before, &err) < 0)
		before = 0;
	store_free(hist);
	hist = NULL;
	if (before)
		fig->present_after_fail++;
	printf("#   after reopen the failed save is %s; saving the same draft again\n",
	       before ? "there (it did commit)" : "absent");
	if (store_person_put(s, &d, &p, &err) < 0) {
		printf("# retry of the failed save: %s: %s\n", err_code_name(err.code), err.detail);
		fig->failures++;
		ret = -1;
	} else if (uuidset_add(acked, uuid) < 0) {
		ret = -1;
	} else {
		fig->acked++;
	}
	if (store_history(s, uuid, &hist, &after, &err) < 0) {
		printf("# retry: history: %s\n", err.detail);
		fig->corrupt++;
		ret = -1;
	}
	store_free(hist);
	if (after > 1) {
		printf("# DUPLICATE: the retried save made %zu copies\n", after);
		fig->dup += (long)after - 1;
		ret = -1;
	}
	store_close(s);
	return ret;
}

static void print_result(const char *mode, const struct figures *f, const char *status)
{
	printf("result %s injections=%ld acked=%ld lost=%ld corrupt=%ld dup=%ld orphan=%ld "
	       "present_after_fail=%ld garbled=%ld failures=%ld status=%s\n",
	       mode, f->injections, f->acked, f->lost, f->corrupt, f->dup, f->orphan,
	       f->present_after_fail, f->garbled, f->failures, status);
}

static bool figures_clean(const struct figures *f)
{
	return !f->lost && !f->corrupt && !f->dup && !f->orphan && !f->failures;
}

/* A work directory, and a fresh store in WORK/store-N (replacing DIR). */
static char *work_open(void)
{
	char *w = tu_mkdtemp();
	if (!w)
		printf("# cannot make a work directory\n");
	return w;
}

static void work_close(char *w, bool ok)
{
	if (!w)
		return;
	if (ok && !getenv("KEEP"))
		tu_rmtree(w);
	else
		printf("# stores kept in %s\n", w);
	free(w);
}

static int new_store(const char *work, int epoch, char *dir, size_t size)
{
	struct err err = { 0 };
	struct store *s;
	char name[32];

	if (epoch > 0 && !getenv("KEEP"))
		tu_rmtree(dir);    /* the previous store passed every check */
	snprintf(name, sizeof name, "store-%d", epoch);
	if (tu_path(dir, size, work, name) < 0)
		return -1;
	if (!(s = tu_store_create(dir, TU_ADMIN, TU_PIN, &err))) {
		printf("# store_create %s: %s: %s\n", dir, err_code_name(err.code), err.detail);
		return -1;
	}
	store_close(s);
	return 0;
}

/* ================================================================== */
/* kill -9                                                             */
/* ================================================================== */

static int mode_kill9(long n)
{
	struct figures fig = { 0 };
	struct uuidset acked = { 0 };
	int64_t max_us = env_long("KILL_MAX_MS", 60) * 1000;
	char dir[4096], st[64];
	char *work = work_open();
	int epoch = 0;

	rng_init("kill9");
	if (!work || new_store(work, epoch, dir, sizeof dir) < 0)
		goto done;
	for (long i = 0; i < n; i++) {
		const char *args[] = { dir, NULL };
		struct kid k;
		int status;
		bool early = rng_below(8) == 0;
		int64_t delay = early ? (int64_t)rng_below(30000) : (int64_t)rng_below((uint64_t)max_us);

		if (i && i % EPOCH == 0) {
			acked.n = 0;
			if (new_store(work, ++epoch, dir, sizeof dir) < 0)
				break;
		}
		if (kid_spawn(&k, &acked, args) < 0)
			break;
		/* Mostly a moment while saving; one in eight anywhere from exec on
		 * (opening, the login's own commits). */
		if (!early)
			kid_pump(&k, now_us() + 60000000, true);
		kid_pump(&k, now_us() + delay, false);
		kill(k.pid, SIGKILL);
		status = kid_finish(&k, 30);
		fig.injections++;
		fig.acked += k.acks;
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL || k.unexpected) {
			printf("# saver %ld ended on its own (%s)\n", i, status_text(status, st, sizeof st));
			fig.failures++;
		}
		if (check_store(dir, &acked, &fig, false) < 0 || fig.failures > 10)
			break;
	}
done:
	if (fig.injections < n)
		fig.failures++;
	print_result("kill9", &fig, figures_clean(&fig) ? "pass" : "fail");
	work_close(work, figures_clean(&fig));
	free(acked.v);
	return figures_clean(&fig) ? 0 : 1;
}

/* ================================================================== */
/* Power cut (simulated)                                               */
/* ================================================================== */

static int mode_powercut(long n, bool sync_off)
{
	struct figures fig = { 0 };
	struct uuidset acked = { 0 };
	long max_ops = env_long("CUT_MAX_OPS", 3000);
	char dir[4096], cut[32], gseed[32], st[64];
	char *work = work_open();
	const char *mode = sync_off ? "control" : "powercut";
	int epoch = 0;
	bool ok;

	rng_init(mode);
	if (!work || new_store(work, epoch, dir, sizeof dir) < 0)
		goto done;
	for (long i = 0; i < n; i++) {
		/* Under FULL, every other cut tears and reorders the unsynced
		 * writes instead of dropping them all; the control only drops. */
		bool garble = !sync_off && i % 2 == 1;
		const char *args[] = { dir, "--cut", cut, "--sync", sync_off ? "off" : "full",
				       garble ? "--garble" : NULL, gseed, NULL };
		struct kid k;
		int status, rc;

		if (i && i % EPOCH == 0) {
			acked.n = 0;
			if (new_store(work, ++epoch, dir, sizeof dir) < 0)
				break;
		}
		/* Cut at operation 1..max: during open and login, between and
		 * inside commits, and (past about 2,000: the WAL reaches 1,000
		 * pages) inside and after checkpoints. */
		snprintf(cut, sizeof cut, "%llu", (unsigned long long)(1 + rng_below((uint64_t)max_ops)));
		snprintf(gseed, sizeof gseed, "%llu", (unsigned long long)(rng_next() | 1));
		fig.garbled += garble;
		if (kid_spawn(&k, &acked, args) < 0)
			break;
		status = kid_finish(&k, 60);
		fig.injections++;
		fig.acked += k.acks;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != CUT_EXIT || k.unexpected) {
			printf("# saver %ld (cut at %s) ended otherwise: %s\n", i, cut,
			       status_text(status, st, sizeof st));
			fig.failures++;
		}
		rc = check_store(dir, &acked, &fig, sync_off);
		if (rc < 0 && sync_off) {
			/* OFF may corrupt the file; count it and start over. */
			acked.n = 0;
			if (new_store(work, ++epoch, dir, sizeof dir) < 0)
				break;
		} else if (rc < 0 || fig.failures > 10) {
			break;
		}
	}
done:
	if (fig.injections < n)
		fig.failures++;
	if (sync_off) {
		/* The control passes when it loses commits: the harness can see a
		 * missing fsync. Corruption is expected to be possible under OFF. */
		ok = fig.lost > 0 && !fig.failures;
		if (!fig.lost)
			printf("# CONTROL FAILED: synchronous=OFF lost nothing, so the harness cannot "
			       "see a missing fsync\n");
	} else {
		ok = figures_clean(&fig);
	}
	print_result(mode, &fig, ok ? "pass" : "fail");
	work_close(work, ok);
	free(acked.v);
	return ok ? 0 : 1;
}

/* ================================================================== */
/* fsync EIO                                                           */
/* ================================================================== */

static int mode_eio(long n)
{
	static const char *const afters[] = { "retry", "crash", "powercut", "close" };
	struct figures fig = { 0 };
	struct uuidset acked = { 0 };
	char dir[4096], k_at[32], st[64];
	char *work = work_open();

	rng_init("eio");
	if (!work || new_store(work, 0, dir, sizeof dir) < 0)
		goto done;
	for (long i = 0; i < n; i++) {
		const char *after = afters[i % 4];
		const char *args[] = { dir, "--eio", k_at, "--after", after, NULL };
		struct kid k;
		int status, want = strcmp(after, "powercut") == 0 ? CUT_EXIT : 0;

		/* Fail the K-th commit's fsync (a fresh saver does no checkpoint
		 * that early, so every sync belongs to a commit). */
		snprintf(k_at, sizeof k_at, "%llu", (unsigned long long)(1 + rng_below(6)));
		printf("# eio %ld: fsync %s fails, then %s\n", i + 1, k_at, after);
		if (kid_spawn(&k, &acked, args) < 0)
			break;
		status = kid_finish(&k, 60);
		fig.injections++;
		fig.acked += k.acks;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != want || k.unexpected) {
			printf("# saver ended otherwise: %s\n", status_text(status, st, sizeof st));
			fig.failures++;
		}
		if (!k.failed) {
			printf("# FAIL: the failed fsync did not fail a save\n");
			fig.failures++;
		} else if (k.fail_code != ERR_IO) {
			printf("# FAIL: the save failed with %s, not ERR_IO\n",
			       err_code_name((enum err_code)k.fail_code));
			fig.failures++;
		} else if (k.fail_acked_before) {
			printf("# FAIL: the failed save was acknowledged\n");
			fig.failures++;
		}
		if (check_store(dir, &acked, &fig, false) < 0)
			break;
		if (k.failed && retry_draft(dir, k.fail_uuid, k.fail_vid, &acked, &fig) < 0)
			break;
		if (check_store(dir, &acked, &fig, false) < 0 || fig.failures > 5)
			break;
	}
done:
	if (fig.injections < n)
		fig.failures++;
	printf("# eio: the failed save survived in %ld of %ld cases; every retry left one copy\n",
	       fig.present_after_fail, fig.injections);
	print_result("eio", &fig, figures_clean(&fig) ? "pass" : "fail");
	work_close(work, figures_clean(&fig));
	free(acked.v);
	return figures_clean(&fig) ? 0 : 1;
}

/* ================================================================== */
/* Disk full (tmpfs) and ulimit -f                                     */
/* ================================================================== */

/* Fill the store until a save fails; check the failure, the store, and a
 * retry of the failed draft once space is back (FREE_SPACE). */
static int fill_once(const char *dir, const char *const args[], int want_code, int want_status,
		     void (*free_space)(void *), void *arg, struct figures *fig)
{
	struct uuidset acked = { 0 };
	struct kid k;
	char st[64];
	int status, ret = 0;

	if (kid_spawn(&k, &acked, args) < 0)
		return -1;
	status = kid_finish(&k, 120);
	fig->injections++;
	fig->acked += k.acks;
	printf("#   %ld saves acknowledged before the failure; saver %s\n", k.acks,
	       status_text(status, st, sizeof st));
	if ((want_status >= 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != want_status)) ||
	    (want_status < 0 && (!WIFSIGNALED(status) || WTERMSIG(status) != -want_status)) ||
	    k.unexpected) {
		printf("# FAIL: saver ended otherwise (%s)\n", status_text(status, st, sizeof st));
		fig->failures++;
		ret = -1;
	}
	if (want_code) {
		if (!k.failed) {
			printf("# FAIL: no save failed\n");
			fig->failures++;
			ret = -1;
		} else if (k.fail_code != want_code) {
			printf("# FAIL: the save failed with %s, not %s\n",
			       err_code_name((enum err_code)k.fail_code),
			       err_code_name((enum err_code)want_code));
			fig->failures++;
			ret = -1;
		} else if (k.fail_acked_before) {
			printf("# FAIL: the failed save was acknowledged\n");
			fig->failures++;
			ret = -1;
		}
	}
	/* Reopen as it is (still full), then again after space is freed. */
	if (check_store(dir, &acked, fig, false) < 0)
		ret = -1;
	if (free_space)
		free_space(arg);
	if (ret == 0 && k.failed && retry_draft(dir, k.fail_uuid, k.fail_vid, &acked, fig) < 0)
		ret = -1;
	if (ret == 0 && check_store(dir, &acked, fig, false) < 0)
		ret = -1;
	free(acked.v);
	return ret;
}

static void unlink_ballast(void *path)
{
	unlink(path);
}

/* The app starts on a disk that is already full (something else filled it
 * while the store was closed). Earlier records must survive, a save must
 * not say "saved", and once space is back everything must be there. How the
 * open itself fails must say "disk full" (ERR_FULL): SQLite reports it as
 * SQLITE_IOERR_SHMSIZE (the -shm file cannot grow), and storage maps the
 * underlying ENOSPC to ERR_FULL so the person reads the real cause. */
static void full_at_start(const char *dir, const char *filler, struct figures *fig)
{
	struct uuidset acked = { 0 };
	struct err err = { 0 };
	struct store *s = tu_store_login(dir, TU_ADMIN, TU_PIN, &err);
	struct draft d;
	struct person p;
	bool failed = false;
	char buf[4096] = { 0 };
	int fd;

	fig->injections++;
	for (int i = 0; s && i < 3; i++) {
		store_draft_new(&d);
		person_make(&p, d.uuid);
		if (store_person_put(s, &d, &p, &err) < 0 || uuidset_add(&acked, d.uuid) < 0)
			break;
		fig->acked++;
	}
	if (!s || acked.n != 3) {
		printf("# FAIL: saving before the disk fills: %s\n", err.detail);
		fig->failures++;
		store_close(s);
		free(acked.v);
		return;
	}
	store_close(s);
	fd = open(filler, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	while (fd >= 0 && write(fd, buf, sizeof buf) > 0)
		;
	if (fd >= 0)
		close(fd);
	if (!(s = store_open(dir, NULL, &err)) ||
	    store_login(s, TU_ADMIN, TU_PIN, TU_PIN_LEN, NULL, &err) < 0) {
		printf("#   opening the store on the full disk fails: %s: %s\n",
		       err_code_name(err.code), err.detail);
		if (err.code != ERR_FULL) {
			printf("# FAIL: the full disk is reported as %s, not ERR_FULL (disk full)\n",
			       err_code_name(err.code));
			fig->failures++;
		}
	} else {
		store_draft_new(&d);
		person_make(&p, d.uuid);
		if (store_person_put(s, &d, &p, &err) == 0) {
			printf("#   the store opened and saved on the full disk\n");
			if (uuidset_add(&acked, d.uuid) == 0)
				fig->acked++;
		} else if (err.code != ERR_FULL) {
			printf("# FAIL: a save on the full disk failed with %s, not ERR_FULL: %s\n",
			       err_code_name(err.code), err.detail);
			fig->failures++;
		} else {
			printf("#   save on the full disk: %s\n", err.detail);
			failed = true;
		}
	}
	store_close(s);
	unlink(filler);
	if (check_store(dir, &acked, fig, false) == 0 && failed)
		retry_draft(dir, d.uuid, d.vid, &acked, fig);
	free(acked.v);
}

static int mode_enospc(void)
{
	static const char *const afters[] = { "close", "crash" };
	struct figures fig = { 0 };
	char *work;
	char mnt[4096], dir[4096], ballast[4096];
	bool ok;

	rng_init("enospc");
	if (geteuid() != 0) {
		printf("SKIP enospc: mounting a tmpfs needs root\n");
		print_result("enospc", &fig, "skip");
		return SKIP_EXIT;
	}
	if (!(work = work_open()))
		return 1;
	for (int round = 0; round < 3; round++) {
		const char *args[] = { dir, "--after", round < 2 ? afters[round] : "close", NULL };
		struct err err = { 0 };
		struct store *s;
		char *fill;
		int fd;

		snprintf(mnt, sizeof mnt, "%s/full-%d", work, round);
		if (mkdir(mnt, 0700) < 0 ||
		    mount("tmpfs", mnt, "tmpfs", MS_NOSUID | MS_NODEV, "size=1024k,mode=0700") < 0) {
			int e = errno;
			printf("SKIP enospc: cannot mount a 1 MiB tmpfs on %s: %s\n", mnt, strerror(e));
			print_result("enospc", &fig, "skip");
			work_close(work, true);
			return SKIP_EXIT;
		}
		tu_path(dir, sizeof dir, mnt, "store");
		tu_path(ballast, sizeof ballast, mnt, "ballast");
		if (!(s = tu_store_create(dir, TU_ADMIN, TU_PIN, &err))) {
			printf("# store_create on tmpfs: %s\n", err.detail);
			fig.failures++;
		} else if (round == 2) {
			store_close(s);
			printf("# enospc 3: the disk fills while the store is closed, then it opens\n");
			full_at_start(dir, ballast, &fig);
		} else {
			store_close(s);
			/* 64 KiB the "user" deletes afterwards to make room again. */
			fd = open(ballast, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
			fill = calloc(1, 65536);
			if (fd < 0 || !fill || write(fd, fill, 65536) != 65536) {
				printf("# ballast: %s\n", strerror(errno));
				fig.failures++;
			}
			if (fd >= 0)
				close(fd);
			free(fill);
			printf("# enospc %d: filling a 1 MiB tmpfs, then %s\n", round + 1, afters[round]);
			fill_once(dir, args, ERR_FULL, 0, unlink_ballast, ballast, &fig);
		}
		if (umount(mnt) < 0) {
			printf("# umount %s: %s\n", mnt, strerror(errno));
			fig.failures++;
		}
		rmdir(mnt);
	}
	ok = figures_clean(&fig);
	print_result("enospc", &fig, ok ? "pass" : "fail");
	work_close(work, ok);
	return ok ? 0 : 1;
}

static int mode_efbig(void)
{
	struct figures fig = { 0 };
	char dir[4096], limit[32];
	char *work = work_open();
	bool ok;

	rng_init("efbig");
	/* 256 KiB per file: the WAL outgrows it after a few dozen saves. */
	snprintf(limit, sizeof limit, "%d", 256 * 1024);
	if (!work || new_store(work, 0, dir, sizeof dir) < 0) {
		fig.failures++;
	} else {
		const char *killed[] = { dir, "--fsize", limit, NULL };
		const char *ignored[] = { dir, "--fsize", limit, "--xfsz", "ignore", "--after", "close",
					  NULL };
		printf("# efbig 1: ulimit -f with SIGXFSZ at its default (the kernel kills the saver)\n");
		fill_once(dir, killed, 0, -SIGXFSZ, NULL, NULL, &fig);
		printf("# efbig 2: ulimit -f with SIGXFSZ ignored (write fails with EFBIG)\n");
		fill_once(dir, ignored, ERR_IO, 0, NULL, NULL, &fig);
	}
	ok = figures_clean(&fig);
	print_result("efbig", &fig, ok ? "pass" : "fail");
	work_close(work, ok);
	return ok ? 0 : 1;
}

/* ================================================================== */

static int usage(void)
{
	fprintf(stderr, "usage: crashtest kill9 N | powercut N [--sync off] | eio N |\n"
			"                 enospc [DIR] | efbig\n"
			"       crashtest child DIR [options]   (started by the modes above)\n");
	return 2;
}

int main(int argc, char **argv)
{
	ssize_t len;
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 0;

	if (sodium_init() < 0) {
		fprintf(stderr, "crashtest: sodium_init failed\n");
		return 1;
	}
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "child") == 0)
		return argc < 3 ? usage() : mode_child(argc, argv);

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	len = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
	if (len <= 0) {
		perror("crashtest: /proc/self/exe");
		return 1;
	}
	self_exe[len] = '\0';

	if (strcmp(argv[1], "kill9") == 0 && n > 0)
		return mode_kill9(n);
	if (strcmp(argv[1], "powercut") == 0 && n > 0)
		return mode_powercut(n, argc > 4 && strcmp(argv[3], "--sync") == 0 &&
					       strcmp(argv[4], "off") == 0);
	if (strcmp(argv[1], "eio") == 0 && n > 0)
		return mode_eio(n);
	if (strcmp(argv[1], "enospc") == 0) {
		if (argc > 2 && setenv("TMPDIR", argv[2], 1) < 0)
			return 1;
		return mode_enospc();
	}
	if (strcmp(argv[1], "efbig") == 0)
		return mode_efbig();
	return usage();
}
