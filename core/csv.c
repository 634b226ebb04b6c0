/* core/csv.c: CSV records into cells (see csv.h). */
#include "core/csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char bom[] = "\xef\xbb\xbf";

char csv_detect_sep(const char *text, size_t len)
{
	size_t semi = 0, comma = 0;
	bool quoted = false;

	if (len >= 3 && memcmp(text, bom, 3) == 0) {
		text += 3;
		len -= 3;
	}
	for (size_t i = 0; i < len && (quoted || (text[i] != '\n' && text[i] != '\r')); i++) {
		if (text[i] == '"')
			quoted = !quoted;
		else if (!quoted && text[i] == ';')
			semi++;
		else if (!quoted && text[i] == ',')
			comma++;
	}
	return semi > comma ? ';' : ',';
}

void csv_reader_init(struct csv_reader *r, const char *text, size_t len)
{
	memset(r, 0, sizeof *r);
	r->text = text;
	r->len = len;
	r->line = 1;
	if (len >= 3 && memcmp(text, bom, 3) == 0)
		r->pos = 3;
	r->sep = csv_detect_sep(text, len);
}

void csv_reader_release(struct csv_reader *r)
{
	free(r->buf);
	free(r->cells);
	r->buf = NULL;
	r->cells = NULL;
	r->buflen = r->bufcap = r->ncells = r->capcells = 0;
}

static int put(struct csv_reader *r, char c)
{
	if (r->buflen + 1 >= r->bufcap) {
		size_t cap = r->bufcap ? 2 * r->bufcap : 256;
		char *b = realloc(r->buf, cap);
		if (!b)
			return -1;
		r->buf = b;
		r->bufcap = cap;
	}
	r->buf[r->buflen++] = c;
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* End the cell that starts at offset START of buf: trim the trailing blanks
 * of its unquoted tail (from KEEP on) and terminate it. */
static int end_cell(struct csv_reader *r, size_t start, size_t keep, size_t *starts, size_t *n,
		    size_t cap)
{
	while (r->buflen > keep && r->buflen > start && blank(r->buf[r->buflen - 1]))
		r->buflen--;
	if (put(r, '\0') < 0)
		return -1;
	if (*n < cap)
		starts[*n] = start;
	(*n)++;
	return 0;
}

int csv_next(struct csv_reader *r, int *line, struct err *err)
{
	for (;;) {
		size_t n = 0, start, keep;
		size_t *starts = NULL, cap = 0;
		bool any = false;
		int first_line;

		if (r->pos >= r->len)
			return 0;
		r->buflen = 0;
		first_line = r->line;
		/* Pass 1 fills buf; cell offsets are collected in a growing array. */
		cap = r->capcells ? r->capcells : 16;
		if (!(starts = malloc(cap * sizeof *starts)))
			goto nomem;
		for (;;) {
			bool quoted = false, after_quote = false;

			start = keep = r->buflen;
			while (r->pos < r->len && blank(r->text[r->pos]))
				r->pos++;
			if (r->pos < r->len && r->text[r->pos] == '"') {
				quoted = true;
				r->pos++;
			}
			while (r->pos < r->len) {
				char c = r->text[r->pos];
				if (c == '\0') {
					free(starts);
					*line = r->line;
					r->cell = (int)n + 1;
					return err_set(err, ERR_FORMAT, "csv-nul", "a NUL byte");
				}
				if (quoted) {
					r->pos++;
					if (c == '"') {
						if (r->pos < r->len && r->text[r->pos] == '"') {
							r->pos++;
							if (put(r, '"') < 0)
								goto nomem;
							continue;
						}
						quoted = false;
						after_quote = true;
						keep = r->buflen;
						continue;
					}
					if (c == '\n')
						r->line++;
					if (put(r, c) < 0)
						goto nomem;
					continue;
				}
				if (c == r->sep || c == '\n' || c == '\r')
					break;
				if (after_quote && !blank(c)) {
					free(starts);
					*line = r->line;
					r->cell = (int)n + 1;
					return err_set(err, ERR_FORMAT, "csv", "text after a closing quote");
				}
				r->pos++;
				if (!after_quote && put(r, c) < 0)
					goto nomem;
			}
			if (quoted) {
				free(starts);
				*line = first_line;
				r->cell = (int)n + 1;
				return err_set(err, ERR_FORMAT, "csv", "a quote is not closed");
			}
			if (n == cap) {
				size_t *s2 = realloc(starts, 2 * cap * sizeof *starts);
				if (!s2)
					goto nomem;
				starts = s2;
				cap *= 2;
			}
			if (end_cell(r, start, after_quote ? keep : start, starts, &n, cap) < 0)
				goto nomem;
			any |= r->buf[start] != '\0' || after_quote;
			if (r->pos < r->len && r->text[r->pos] == r->sep) {
				r->pos++;
				continue;
			}
			/* end of the record: CRLF, LF, CR or the end of the text */
			if (r->pos < r->len && r->text[r->pos] == '\r')
				r->pos++;
			if (r->pos < r->len && r->text[r->pos] == '\n')
				r->pos++;
			r->line++;
			break;
		}
		if (!any) {                /* a blank line or ";;;": skip it */
			free(starts);
			continue;
		}
		if (n > r->capcells) {
			char **c2 = realloc(r->cells, n * sizeof *c2);
			if (!c2)
				goto nomem;
			r->cells = c2;
			r->capcells = n;
		}
		for (size_t i = 0; i < n; i++)
			r->cells[i] = r->buf + starts[i];
		r->ncells = n;
		free(starts);
		*line = first_line;
		return 1;
nomem:
		free(starts);
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	}
}
