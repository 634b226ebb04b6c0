/* core/codes.h: the short codes of an enum (as stored, typed and shown in
 * English), looked up both ways in a table indexed by the enum's value. */
#ifndef POSYANDU_CORE_CODES_H
#define POSYANDU_CORE_CODES_H

/* The code of V in CODES[LO..HI], or "?" outside. */
const char *code_name(const char *const *codes, int lo, int hi, int v);
/* The value in LO..HI whose code is CODE, or -1. */
int code_value(const char *const *codes, int lo, int hi, const char *code);

#endif
