/* core/search.c: folded substring search. */
#include "core/search.h"

#include <ctype.h>
#include <string.h>

#include "core/banned.h"

/* Two-letter old spellings and what they became (EYD, 1972); j and y are
 * then folded together, so "dj" -> "j" -> "y" and "Jusuf" meets "Yusuf";
 * ch (old) and kh (new) both fold to k: "Chairul" meets "Khairul". */
static const struct { char a, b, to; } digraphs[] = {
	{ 'd', 'j', 'j' }, { 't', 'j', 'c' }, { 'n', 'j', 'y' }, { 's', 'j', 'y' },
	{ 'c', 'h', 'k' }, { 'k', 'h', 'k' }, { 'o', 'e', 'u' },
};

/* Latin-1 supplement letters as ASCII (UTF-8 C3 xx): é -> e and friends. */
static char accent(unsigned char c2)
{
	static const char map[64] = "aaaaaaaceeeeiiiidnooooo ouuuuyts" "aaaaaaaceeeeiiiidnooooo ouuuuyty";
	return (c2 >= 0x80 && c2 < 0xC0) ? map[c2 - 0x80] : 0;
}

char *search_fold(const char *s, char *out, size_t size)
{
	size_t n = 0;
	bool space = true;

	if (!size)
		return out;
	for (const unsigned char *p = (const unsigned char *)s; *p && n + 1 < size; p++) {
		char c;
		if (*p == 0xC3 && p[1]) {
			c = accent(p[1]);
			p++;
		} else if (*p >= 0x80) {
			continue;               /* other non-ASCII: dropped */
		} else {
			c = (char)tolower(*p);
		}
		if (!c)
			continue;
		if (isalnum((unsigned char)c)) {
			char next = (char)tolower(p[1]);
			for (size_t i = 0; i < sizeof digraphs / sizeof digraphs[0]; i++)
				if (c == digraphs[i].a && next == digraphs[i].b) {
					c = digraphs[i].to;
					p++;
					break;
				}
			if (c == 'j')
				c = 'y';
			/* the same letter twice folds once (Mochammad, Muhammad, Achmad) */
			if (n && out[n - 1] == c && isalpha((unsigned char)c))
				continue;
			out[n++] = c;
			space = false;
		} else if (!space) {
			out[n++] = ' ';
			space = true;
		}
	}
	if (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

/* Score one query word W (length WL) against folded text T: 3 at the start
 * of T, 2 at the start of a word, 1 inside a word, 0 absent. */
static int word_score(const char *t, const char *w, size_t wl)
{
	int best = 0;
	for (const char *p = t; *p; p++) {
		if (strncmp(p, w, wl) != 0)
			continue;
		int sc = p == t ? 3 : p[-1] == ' ' ? 2 : 1;
		if (sc > best)
			best = sc;
	}
	return best;
}

int search_score(const struct search_entry *e, const char *query)
{
	const char *q = query;
	int total = 0;
	bool digits = *query != '\0';

	for (const char *p = query; *p; p++)
		digits &= isdigit((unsigned char)*p) || *p == ' ';
	if (digits)
		return e->nik && *e->nik && strstr(e->nik, query) ? 10 : 0;
	while (*q) {
		size_t wl = strcspn(q, " ");
		int n = word_score(e->name, q, wl);
		int m = e->mother ? word_score(e->mother, q, wl) : 0;
		if (!n && !m)
			return 0;
		total += n ? 3 + n : m;   /* the name counts more than the mother */
		q += wl;
		while (*q == ' ')
			q++;
	}
	return total;
}

bool search_same_name(const char *a, const char *b)
{
	char fa[96], fb[96];
	return strcmp(search_fold(a, fa, sizeof fa), search_fold(b, fb, sizeof fb)) == 0;
}

bool search_likely_duplicate(const struct person *a, const struct person *b)
{
	if (a->dob != b->dob || !search_same_name(a->name, b->name))
		return false;
	return a->kind != PERSON_CHILD || search_same_name(a->mother_name, b->mother_name);
}

long search_nik_holder(const struct person *people, size_t n, const char *nik,
		       const uint8_t *self)
{
	if (!nik || !*nik)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(people[i].nik, nik) == 0 &&
		    !(self && memcmp(people[i].uuid, self, UUID_LEN) == 0))
			return (long)i;
	return -1;
}

bool search_may_be_mother(const struct person *p)
{
	return p->kind == PERSON_WOMAN || p->kind == PERSON_PREGNANT;
}

long search_mother_named(const struct person *people, size_t n, const char *name)
{
	long found = -1;
	for (size_t i = 0; i < n; i++)
		if (search_may_be_mother(&people[i]) && search_same_name(people[i].name, name)) {
			if (found >= 0)
				return -2;
			found = (long)i;
		}
	return found;
}

size_t search_children_of(const struct person *people, size_t n, const uint8_t mother[UUID_LEN],
			  size_t *idx, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < max; i++) {
		size_t at;
		if (people[i].kind != PERSON_CHILD || memcmp(people[i].mother, mother, UUID_LEN) != 0)
			continue;
		at = k++;
		for (; at && people[idx[at - 1]].dob > people[i].dob; at--)   /* oldest first */
			idx[at] = idx[at - 1];
		idx[at] = i;
	}
	return k;
}
