/* core/valid.h: field validators shared by the forms, the CLI and imports,
 * so "9,1" and "9.1" are accepted identically everywhere. Each returns 0, or
 * -1 with ERR_FORMAT / ERR_RANGE / ERR_REQUIRED and the field name set. */
#ifndef POSYANDU_CORE_VALID_H
#define POSYANDU_CORE_VALID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/person.h"

/* A decimal number with comma or point ("9,1", "9.1", " 12 "). */
int valid_decimal(const char *s, const char *field, double *out, struct err *err);

/* A person's name: 2-63 bytes of UTF-8, at least one letter, no control
 * characters, no digits. Leading/trailing blanks are not allowed. */
int valid_name(const char *s, const char *field, struct err *err);

/* NIK: empty, or 16 digits whose region and birth-date parts are plausible
 * (domain.md §2.1: province 11-94, DD 01-31 or 41-71 for women, MM 01-12;
 * field "nik"). SEX ('L'/'P' or 0) and DOB (day number or DATE_NONE), when
 * given, must agree with the birth-date part: field "nik-woman" (a woman's
 * NIK for an L), "nik-man" (a man's for a P), "nik-dob" (DDMMYY differs
 * from DOB; the detail is the NIK's date, DD-MM-YY). */
int valid_nik(const char *s, char sex, int32_t dob, struct err *err);

/* Posyandu code: 1-15 of [A-Z0-9-], starting with a letter or digit. */
int valid_posyandu_code(const char *s, struct err *err);

/* Login label of a user: 1-32 bytes, letters, digits, space, '.', '-', '_'. */
int valid_user_label(const char *s, struct err *err);

/* A visit or session date: not after TODAY, not before the birth (DOB may
 * be DATE_NONE), and not more than 5 years back. */
int valid_visit_date(int32_t day, int32_t dob, int32_t today, struct err *err);
/* A person's sex, one rule for the desk and for `load`: S is "", "L" or
 * "P" (either case). A child and a resident need L or P (the growth tables
 * and the ILP services follow it: ERR_REQUIRED "sex-child" or
 * "sex-resident"); a pregnant woman or a mother is P, given or left empty
 * (ERR_FORMAT "sex-woman" for an L). Anything else: ERR_FORMAT "sex".
 * *OUT gets 'L' or 'P' on success. */
int valid_sex(enum person_kind kind, const char *s, char *out, struct err *err);
/* A date of birth: not after TODAY and not before 1900. */
int valid_dob(int32_t dob, int32_t today, struct err *err);

/* A whole number typed into FIELD, within the range core sets for it
 * (domain.md §2.3, §5.6): "gest_weeks" 1-45, "iron_tablets" 0-120,
 * "anc_no" 1-12, "rt" and "rw" 1-255; Posyandu ILP: "gravida" 1-20, "para"
 * 0-19, "adl" (Barthel) 0-20, "td_status" 1-5, and "bp_sys", "bp_dia",
 * "glucose_mgdl", "cholesterol_mgdl" as a device shows them (any positive
 * number here; measure_check says which are possible). Empty is 0 (not
 * recorded). Comma or point decimals are refused: these are counts. */
int valid_count(const char *field, const char *s, int *out, struct err *err);
/* The range of valid_count's FIELD into LO, HI: 0, or -1 when it has none. */
int valid_count_range(const char *field, int *lo, int *hi);

/* Blood pressure typed as "120/80": systolic 60-260 above diastolic 30-160
 * (anything else is a mistyping or a measuring error). Empty is 0/0. */
int valid_bp(const char *s, int *sys, int *dia, struct err *err);

enum secret_policy { SECRET_PIN6 = 0, SECRET_STRONG = 1 };
/* A PIN or passphrase. pin6: at least 6 characters, all-digit PINs must have
 * 6 digits or more and not be one repeated digit or a run like 123456.
 * strong: 12+ digits (not one repeated digit or a run), or a passphrase
 * of 16+ characters; its errors name the field "pin-strong". */
int valid_secret(const char *s, size_t len, enum secret_policy policy, struct err *err);

#endif
