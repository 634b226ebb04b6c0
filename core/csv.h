/* core/csv.h: reading a CSV text into records of cells, as spreadsheets
 * write it (RFC 4180 and the habits of LibreOffice and Excel exports): ';'
 * or ',' between cells (found from the header line), cells in double quotes
 * may hold the separator, a doubled quote or a line break, CRLF or LF line
 * ends, a UTF-8 byte-order mark at the start. Blanks around an unquoted cell
 * are dropped; a record whose cells are all empty (a blank line, ";;;") is
 * skipped. Pure: the caller reads the file. */
#ifndef POSYANDU_CORE_CSV_H
#define POSYANDU_CORE_CSV_H

#include <stddef.h>

#include "core/err.h"

struct csv_reader {
	const char *text;
	size_t len, pos;
	char sep;                  /* ';' or ',' */
	int line;                  /* line number of the next character (1-based) */
	int cell;                  /* after an error: the cell at fault (1-based), 0 none */
	char *buf;                 /* the cells of the current record, NUL-separated */
	size_t buflen, bufcap;
	char **cells;
	size_t ncells, capcells;
};

/* Start reading TEXT (LEN bytes, borrowed). The separator is the one of ';'
 * and ',' that occurs (outside quotes) in the first line; ',' when neither. */
void csv_reader_init(struct csv_reader *r, const char *text, size_t len);
/* The next record: 1 with R->cells / R->ncells set (valid until the next
 * call) and *LINE the line it starts on; 0 at the end; -1 with ERR_FORMAT
 * (field "csv"), *LINE the line and R->cell the cell at fault on a quote
 * left open, text after a closing quote or a NUL byte (field "csv-nul": a
 * cell would silently end there), or ERR_NOMEM. */
int csv_next(struct csv_reader *r, int *line, struct err *err);
void csv_reader_release(struct csv_reader *r);   /* frees the cells; not TEXT */

/* The separator csv_reader_init() would choose for TEXT. */
char csv_detect_sep(const char *text, size_t len);

#endif
