/* core/search.h: finding a person by part of a name, a mother's name or a
 * NIK, as a kader types (ARCHITECTURE.md: search runs in memory over the
 * decrypted names; SECURITY.md §2.5: no blind index). Names are folded so
 * that old and new Indonesian spellings meet: "Soekarno" finds "Sukarno",
 * "Djoko" finds "Joko", "Tjahjono" finds "Cahyono". */
#ifndef POSYANDU_CORE_SEARCH_H
#define POSYANDU_CORE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

/* Fold S into OUT (SIZE bytes): lower case, accents and punctuation
 * dropped, runs of blanks made one, and the old spellings dj/tj/nj/sj/ch/oe
 * and j/y mapped to one form. Returns OUT. */
char *search_fold(const char *s, char *out, size_t size);

struct search_entry {
	const char *name;          /* folded */
	const char *mother;        /* folded, may be "" */
	const char *nik;           /* digits, may be "" */
};

/* How well folded QUERY matches E: 0 no match; higher is better (a word of
 * the name starting with the query beats a match inside a word, the name
 * beats the mother's name). Every word of the query must match somewhere;
 * a query of digits matches the NIK. */
int search_score(const struct search_entry *e, const char *query);

#endif
