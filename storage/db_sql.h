/* storage/db_sql.h: SQLite's SQL as PostgreSQL says it (db_sql.c). */
#ifndef POSYANDU_STORAGE_DB_SQL_H
#define POSYANDU_STORAGE_DB_SQL_H

#include <stddef.h>

/* SQL (one statement or several, separated by ';') rewritten for
 * PostgreSQL, malloc'd; *NPARAMS the highest parameter number. NULL when
 * SQL says something only SQLite understands, with the reason in WHY (or
 * when memory runs out). */
char *db_sql_pg(const char *sql, int *nparams, char *why, size_t why_size);

#endif
