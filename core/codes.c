/* core/codes.c: enum codes looked up both ways (core/codes.h). */
#include "core/codes.h"

#include <string.h>

#include "core/banned.h"

const char *code_name(const char *const *codes, int lo, int hi, int v)
{
	return v >= lo && v <= hi ? codes[v] : "?";
}

int code_value(const char *const *codes, int lo, int hi, const char *code)
{
	for (int v = lo; v <= hi; v++)
		if (strcmp(code, codes[v]) == 0)
			return v;
	return -1;
}
