/* tests/unit/test_csv.c: CSV records into cells (core/csv.c), as LibreOffice
 * and Excel write them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/csv.h"

/* Read every record of TEXT; the cells joined by '|', records by '\n',
 * each record prefixed with its line number and ':'. */
static int bad_line;

static int read_all(const char *text, char *out, size_t size, struct err *err)
{
	struct csv_reader r;
	int line = 0, rc;
	size_t n = 0;

	out[0] = '\0';
	csv_reader_init(&r, text, strlen(text));
	while ((rc = csv_next(&r, &line, err)) == 1) {
		n += (size_t)snprintf(out + n, size - n, "%d:", line);
		for (size_t i = 0; i < r.ncells; i++)
			n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "|" : "", r.cells[i]);
		n += (size_t)snprintf(out + n, size - n, "\n");
	}
	csv_reader_release(&r);
	bad_line = line;
	return rc;
}

static void test_comma(void **state)
{
	char out[512];
	(void)state;
	assert_int_equal(read_all("ref,name,dob\n1,Budi,01-02-2023\n2,,\n", out, sizeof out, NULL), 0);
	assert_string_equal(out, "1:ref|name|dob\n2:1|Budi|01-02-2023\n3:2||\n");
}

/* The separator comes from the header; in a ';' file "9,1" is one cell. */
static void test_semicolon_decimal_comma(void **state)
{
	char out[512];
	(void)state;
	assert_int_equal(csv_detect_sep("ref;weight_kg\n1;9,1\n", 20), ';');
	assert_int_equal(csv_detect_sep("ref,weight_kg\n1,\"9,1\"\n", 22), ',');
	assert_int_equal(csv_detect_sep("ref\n1\n", 6), ',');
	assert_int_equal(read_all("ref;weight_kg\r\n1;9,1\r\n2;10.25\r\n", out, sizeof out, NULL), 0);
	assert_string_equal(out, "1:ref|weight_kg\n2:1|9,1\n3:2|10.25\n");
}

/* Quoted cells hold the separator, doubled quotes and line breaks; the
 * line numbers stay those of the file. */
static void test_quotes(void **state)
{
	char out[512];
	(void)state;
	assert_int_equal(read_all("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,1\n",
				  out, sizeof out, NULL), 0);
	assert_string_equal(out, "1:a|b\n2:x, y|say \"hi\"\n3:two\nlines|z\n5:last|1\n");
}

/* A byte-order mark, blanks around cells, blank lines, ";;;" rows and a
 * last line without a line break. */
static void test_spreadsheet_habits(void **state)
{
	char out[512];
	(void)state;
	assert_int_equal(read_all("\xef\xbb\xbfref;name\n\n 1 ; Siti Aminah \n;;\n\"  2 \";x", out,
				  sizeof out, NULL), 0);
	assert_string_equal(out, "1:ref|name\n3:1|Siti Aminah\n5:  2 |x\n");
}

static void test_errors(void **state)
{
	char out[512];
	struct err err;
	(void)state;
	assert_int_equal(read_all("a,b\n1,\"open\n2,3\n", out, sizeof out, &err), -1);
	assert_int_equal(err.code, ERR_FORMAT);
	assert_string_equal(err.field, "csv");
	assert_int_equal(bad_line, 2);                 /* where the open quote starts */
	assert_int_equal(read_all("a,b\n1,2\n3,\"x\"y\n", out, sizeof out, &err), -1);
	assert_int_equal(err.code, ERR_FORMAT);
	assert_int_equal(bad_line, 3);
	/* a quote inside an unquoted cell is only a character */
	assert_int_equal(read_all("a\nab\"c\n", out, sizeof out, NULL), 0);
	assert_string_equal(out, "1:a\n2:ab\"c\n");
}

/* A NUL byte would end a cell early ("Ani\0Kecil" read as "Ani"): an
 * error naming its line and cell, quoted or not, first cell or last. */
static void test_nul(void **state)
{
	static const struct { const char *text; size_t len; int line, cell; } bad[] = {
		{ "ref;name\n1;Ani\0Kecil\n", 21, 2, 2 },
		{ "ref;name\n1;\"Ani\0Kecil\"\n", 23, 2, 2 },
		{ "\0ref;name\n", 10, 1, 1 },
		{ "a;b\n\"x\ny\";z\0\n", 13, 3, 2 },
	};
	struct csv_reader r;
	struct err err;
	int line, rc;
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		csv_reader_init(&r, bad[i].text, bad[i].len);
		line = 0;
		while ((rc = csv_next(&r, &line, &err)) == 1)
			;
		assert_int_equal(rc, -1);
		assert_int_equal(err.code, ERR_FORMAT);
		assert_string_equal(err.field, "csv-nul");
		assert_int_equal(line, bad[i].line);
		assert_int_equal(r.cell, bad[i].cell);
		csv_reader_release(&r);
	}
	/* without the NUL, the same bytes read as one cell */
	csv_reader_init(&r, "ref;name\n1;Ani Kecil\n", 21);
	assert_int_equal(csv_next(&r, &line, &err), 1);
	assert_int_equal(csv_next(&r, &line, &err), 1);
	assert_string_equal(r.cells[1], "Ani Kecil");
	assert_int_equal(r.cell, 0);
	csv_reader_release(&r);
}

static void test_many_cells(void **state)
{
	char text[4096], out[8192];
	size_t n = 0;
	(void)state;
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%sc%d", i ? ";" : "", i);
	snprintf(text + n, sizeof text - n, "\n");
	assert_int_equal(read_all(text, out, sizeof out, NULL), 0);
	assert_non_null(strstr(out, "|c39\n"));
	assert_int_equal(strncmp(out, "1:c0|c1|", 8), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comma),
		cmocka_unit_test(test_semicolon_decimal_comma),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_spreadsheet_habits),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_many_cells),
		cmocka_unit_test(test_nul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
