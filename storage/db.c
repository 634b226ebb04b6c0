/* storage/db.c: the SQLite handle, its settings and error mapping. */
#include "storage/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

int db_fail(struct err *err, sqlite3 *db, int rc, const char *what)
{
	int ext = db ? sqlite3_extended_errcode(db) : rc;
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	enum err_code code;

	switch (rc & 0xff) {
	case SQLITE_FULL:
		code = ERR_FULL;
		break;
	case SQLITE_IOERR:
		/* e.g. SQLITE_IOERR_SHMSIZE on a full disk: say what is wrong */
		if (db && sqlite3_system_errno(db) == ENOSPC) {
			code = ERR_FULL;
			break;
		}
		/* fall through */
	case SQLITE_CANTOPEN:
		code = ERR_IO;
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = ERR_BUSY;
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		code = ERR_CRYPTO;
		break;
	default:
		code = ERR_DB;
	}
	return err_set(err, code, NULL, "%s: %s (sqlite %d)", what, msg, ext);
}

int db_exec(sqlite3 *db, const char *sql, struct err *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : db_fail(err, db, rc, "exec");
}

int db_begin(sqlite3 *db, struct err *err)
{
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : db_fail(err, db, rc, "begin");
}

int db_commit(sqlite3 *db, struct err *err)
{
	int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	db_fail(err, db, rc, "commit");
	db_rollback(db);
	return -1;
}

void db_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct err *err)
{
	int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
	return rc == SQLITE_OK ? 0 : db_fail(err, db, rc, "prepare");
}

/* SECURITY.md §3.1 and SQLite's "Defense Against The Dark Arts". */
static const char *const pragmas_full =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"PRAGMA foreign_keys=ON;"
	"PRAGMA temp_store=MEMORY;"
	"PRAGMA trusted_schema=OFF;"
	"PRAGMA cell_size_check=ON;"
	"PRAGMA journal_size_limit=4194304;";

sqlite3 *db_open(const char *path, bool create, const struct store_open_opts *opts,
		 struct err *err)
{
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX;
	int rc;

	if (create) {
		/* Make the file ourselves so it is 0600 from the first byte; SQLite
		 * gives the -wal and -shm files the same mode. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			err_set(err, errno == EEXIST ? ERR_EXISTS : ERR_IO, NULL,
				"%s: %s", path, strerror(errno));
			return NULL;
		}
		close(fd);
	}
	rc = sqlite3_open_v2(path, &db, flags, opts ? opts->vfs : NULL);
	if (rc != SQLITE_OK) {
		db_fail(err, db, rc, "open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 16 << 20);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	if (db_exec(db, pragmas_full, err) < 0)
		goto fail;
	if (opts && opts->synchronous == 1 && db_exec(db, "PRAGMA synchronous=OFF", err) < 0)
		goto fail;
	return db;
fail:
	sqlite3_close(db);
	return NULL;
}
