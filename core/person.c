/* core/person.c: identifiers and codes for people and visits. */
#include "core/person.h"

#include <stdio.h>
#include <string.h>

#include "core/codes.h"
#include "core/banned.h"

char *uuid_format(const uint8_t u[UUID_LEN], char *buf)
{
	static const char hex[] = "0123456789abcdef";
	char *p = buf;
	for (int i = 0; i < UUID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[u[i] >> 4];
		*p++ = hex[u[i] & 15];
	}
	*p = '\0';
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int uuid_parse(const char *s, uint8_t u[UUID_LEN])
{
	int n = 0;
	for (; *s && n < 2 * UUID_LEN; s++) {
		if (*s == '-')
			continue;
		int v = hexval(*s);
		if (v < 0)
			return -1;
		if (n % 2 == 0)
			u[n / 2] = (uint8_t)(v << 4);
		else
			u[n / 2] |= (uint8_t)v;
		n++;
	}
	return (n == 2 * UUID_LEN && *s == '\0') ? 0 : -1;
}

bool uuid_is_zero(const uint8_t u[UUID_LEN])
{
	uint8_t acc = 0;
	for (int i = 0; i < UUID_LEN; i++)
		acc |= u[i];
	return acc == 0;
}

/* Codes as written in Indonesian registers (domain.md §5.1). */
static const char *const imm_codes[IMM__COUNT] = {
	[IMM_HB0] = "HB0", [IMM_BCG] = "BCG",
	[IMM_OPV1] = "OPV1", [IMM_OPV2] = "OPV2", [IMM_OPV3] = "OPV3", [IMM_OPV4] = "OPV4",
	[IMM_DPT1] = "DPT-HB-Hib1", [IMM_DPT2] = "DPT-HB-Hib2", [IMM_DPT3] = "DPT-HB-Hib3",
	[IMM_DPT4] = "DPT-HB-Hib4", [IMM_IPV1] = "IPV1", [IMM_IPV2] = "IPV2",
	[IMM_PCV1] = "PCV1", [IMM_PCV2] = "PCV2", [IMM_PCV3] = "PCV3",
	[IMM_RV1] = "RV1", [IMM_RV2] = "RV2", [IMM_RV3] = "RV3",
	[IMM_MR1] = "MR1", [IMM_MR2] = "MR2", [IMM_JE] = "JE",
};

const char *imm_code(enum imm_antigen a)
{
	return (unsigned)a < IMM__COUNT ? imm_codes[a] : "?";
}

int imm_from_code(const char *code)
{
	for (int i = 0; i < IMM__COUNT; i++)
		if (strcmp(code, imm_codes[i]) == 0)
			return i;
	return -1;
}

static const char *const kind_codes[] = {
	[PERSON_CHILD] = "child", [PERSON_PREGNANT] = "pregnant", [PERSON_WOMAN] = "woman",
	[PERSON_RESIDENT] = "resident",
};

const char *person_kind_code(enum person_kind k)
{
	return code_name(kind_codes, PERSON_CHILD, PERSON_RESIDENT, (int)k);
}

int person_kind_from_code(const char *code)
{
	return code_value(kind_codes, PERSON_CHILD, PERSON_RESIDENT, code);
}

unsigned long member_uint(const void *p, size_t size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	switch (size) {
	case 1: memcpy(&u8, p, 1); return u8;
	case 2: memcpy(&u16, p, 2); return u16;
	default: memcpy(&u32, p, 4); return u32;
	}
}

void member_set_uint(void *p, size_t size, unsigned long v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (size) {
	case 1: memcpy(p, &u8, 1); break;
	case 2: memcpy(p, &u16, 2); break;
	default: memcpy(p, &u32, 4); break;
	}
}

const struct person *person_find(const struct person *people, size_t n,
					const uint8_t uuid[UUID_LEN])
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(people[i].uuid, uuid, UUID_LEN) == 0)
			return &people[i];
	return NULL;
}

static const char *const danger_codes[DANGER_NAMED] = {
	"bleeding", "vomiting", "fever", "swelling", "movement", "waters", "breathing",
};

const char *danger_code(int k)
{
	return k >= 0 && k < DANGER_NAMED ? danger_codes[k] : NULL;
}

int danger_parse(const char *s, uint16_t *bits, struct err *err)
{
	char word[16];
	size_t n;

	*bits = 0;
	if (strcmp(s, "none") == 0)
		return 0;
	if (strncmp(s, "other", 5) == 0 && (!s[5] || s[5] == '+' || s[5] == ',')) {
		*bits = DANGER_UNNAMED;          /* a sign not named (older records) */
		if (!s[5])
			return 0;
		s += 6;
	}
	for (;;) {
		int k;
		n = strcspn(s, "+,");
		if (n == 0 || n >= sizeof word)
			return err_set(err, ERR_FORMAT, "danger_signs", "empty or unknown sign");
		memcpy(word, s, n);
		word[n] = '\0';
		for (k = 0; k < DANGER_NAMED && strcmp(word, danger_codes[k]) != 0; k++)
			;
		if (k == DANGER_NAMED)
			return err_set(err, ERR_FORMAT, "danger_signs", "unknown sign %s", word);
		*bits = (uint16_t)(*bits | 1u << (k + 1));
		if (!s[n])
			return 0;
		s += n + 1;
	}
}
