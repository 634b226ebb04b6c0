/* tests/helpers/testutil.c: temp dirs, fast test stores, raw SQLite, file grep. */
#include "tests/helpers/testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/banned.h"

/* ---- temporary directories ---- */

char *tu_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path;
	size_t n;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	n = strlen(tmp) + sizeof "/posyandu-test.XXXXXX";
	if (!(path = malloc(n)))
		return NULL;
	snprintf(path, n, "%s/posyandu-test.XXXXXX", tmp);
	if (!mkdtemp(path)) {
		fprintf(stderr, "testutil: mkdtemp %s: %s\n", path, strerror(errno));
		free(path);
		return NULL;
	}
	return path;
}

int tu_path(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int tu_rmtree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	if (!(d = opendir(path)))
		return -1;
	while ((e = readdir(d))) {
		char child[4096];
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (tu_path(child, sizeof child, path, e->d_name) < 0 || tu_rmtree(child) < 0)
			rc = -1;
	}
	closedir(d);
	if (rmdir(path) < 0)
		rc = -1;
	return rc;
}

/* ---- stores ---- */

const struct kdf_params *tu_kdf_fast(void)
{
	static const struct kdf_params fast = {
		crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
	};
	return &fast;
}

void tu_profile(struct store_profile *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->code, sizeof p->code, "%s", TU_CODE);
	snprintf(p->name, sizeof p->name, "%s", TU_NAME);
	snprintf(p->desa, sizeof p->desa, "%s", "Sukamaju");
	snprintf(p->kecamatan, sizeof p->kecamatan, "%s", "Cibeber");
	snprintf(p->puskesmas, sizeof p->puskesmas, "%s", "Puskesmas Cibeber");
	snprintf(p->kabupaten, sizeof p->kabupaten, "%s", "Cianjur");
}

struct store *tu_store_create(const char *dir, const char *admin, const char *pin,
			      struct err *err)
{
	struct store_profile p;
	tu_profile(&p);
	return store_create(dir, &p, admin, pin, strlen(pin), tu_kdf_fast(), err);
}

struct store *tu_store_login(const char *dir, const char *label, const char *pin,
			     struct err *err)
{
	struct store *s = store_open(dir, NULL, err);
	if (s && store_login(s, label, pin, strlen(pin), NULL, err) < 0) {
		store_close(s);
		s = NULL;
	}
	return s;
}

struct tu_fixture *tu_fixture_new(const char *kader, const char *kader_pin, struct err *err)
{
	struct tu_fixture *f = calloc(1, sizeof *f);

	if (!f || !(f->dir = tu_mkdtemp())) {
		free(f);
		err_set(err, ERR_NOMEM, NULL, "no temporary folder");
		return NULL;
	}
	if (!(f->s = tu_store_create(f->dir, TU_ADMIN, TU_PIN, err)) ||
	    (kader && store_user_add(f->s, kader, ROLE_KADER, kader_pin, strlen(kader_pin),
				     tu_kdf_fast(), err) < 0)) {
		tu_fixture_free(f);
		return NULL;
	}
	return f;
}

void tu_fixture_free(struct tu_fixture *f)
{
	if (!f)
		return;
	store_close(f->s);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
}

/* ---- raw SQLite ---- */

sqlite3 *tu_raw_open(const char *dir)
{
	char path[4096];
	sqlite3 *db = NULL;

	if (tu_path(path, sizeof path, dir, "posyandu.db") < 0)
		return NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "testutil: open %s: %s\n", path, db ? sqlite3_errmsg(db) : "?");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

void tu_raw_close(sqlite3 *db)
{
	sqlite3_close(db);
}

int tu_raw_exec(sqlite3 *db, const char *fmt, ...)
{
	va_list ap;
	char *sql, *msg = NULL;
	int rc;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!sql)
		return -1;
	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fprintf(stderr, "testutil: %s: %s\n", sql, msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	sqlite3_free(sql);
	return rc == SQLITE_OK ? 0 : -1;
}

int64_t tu_raw_int(sqlite3 *db, const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *st;
	int64_t v = INT64_MIN;
	char *sql;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!sql)
		return v;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "testutil: %s: %s\n", sql, sqlite3_errmsg(db));
		sqlite3_free(sql);
		return v;
	}
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return v;
}

int tu_raw_changes(sqlite3 *db)
{
	return sqlite3_changes(db);
}

/* ---- files ---- */

unsigned char *tu_read_file(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t got;
		if (n == cap) {
			unsigned char *grown = realloc(buf, cap ? cap * 2 : 65536);
			if (!grown)
				goto fail;
			buf = grown;
			cap = cap ? cap * 2 : 65536;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto fail;
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (!buf && !(buf = malloc(1)))
		return NULL;
	*len = n;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

int tu_write_file(const char *path, const char *text)
{
	size_t len = strlen(text), done = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	return close(fd);
}

long long tu_file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

int tu_dir_grep(const char *dir, const void *needle, size_t len, char *which, size_t wsz,
		int *nfiles)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int hits = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (tu_path(path, sizeof path, dir, e->d_name) < 0 || lstat(path, &st) < 0)
			goto fail;
		if (S_ISDIR(st.st_mode)) {
			int sub = tu_dir_grep(path, needle, len, hits ? NULL : which, wsz, nfiles);
			if (sub < 0)
				goto fail;
			hits += sub;
		} else if (S_ISREG(st.st_mode)) {
			size_t n;
			unsigned char *data = tu_read_file(path, &n);
			if (!data)
				goto fail;
			if (nfiles)
				(*nfiles)++;
			if (len && memmem(data, n, needle, len)) {
				if (!hits && which)
					snprintf(which, wsz, "%s", path);
				hits++;
			}
			free(data);
		}
	}
	closedir(d);
	return hits;
fail:
	closedir(d);
	return -1;
}
