/* core/search.h: finding a person by part of a name, a mother's name or a
 * NIK, as a kader types (ARCHITECTURE.md: search runs in memory over the
 * decrypted names; SECURITY.md §2.5: no blind index). Names are folded so
 * that old and new Indonesian spellings meet: "Soekarno" finds "Sukarno",
 * "Djoko" finds "Joko", "Tjahjono" finds "Cahyono". */
#ifndef POSYANDU_CORE_SEARCH_H
#define POSYANDU_CORE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/person.h"

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

/* Do two names fold to the same (spelling variants, case, blanks)? */
bool search_same_name(const char *a, const char *b);

/* Is B likely the same person as A, registered twice (domain.md §9: "the app
 * needs duplicate detection on name + date of birth + mother")? Same folded
 * name and date of birth, and for a child the same folded mother's name. */
bool search_likely_duplicate(const struct person *a, const struct person *b);

/* A NIK is one person's (domain.md §2.1): the index in PEOPLE (N of them)
 * of someone other than SELF (a uuid; NULL: nobody is excluded) holding
 * NIK, or -1. An empty NIK (newborns have none yet) is nobody's. The desk
 * and `load` both refuse a NIK that is taken. */
long search_nik_holder(const struct person *people, size_t n, const char *nik,
		       const uint8_t *self);

/* Can P be a child's mother: a woman, pregnant or not (domain.md §2)? */
bool search_may_be_mother(const struct person *p);

/* The woman in PEOPLE (N of them) whose name folds to the same as NAME:
 * her index; -1 when there is none, -2 when there are several (which one
 * is for the kader to pick). */
long search_mother_named(const struct person *people, size_t n, const char *name);

/* The children in PEOPLE (N of them) whose mother's record is MOTHER,
 * oldest first: their indices into IDX, at most MAX. Returns how many. */
size_t search_children_of(const struct person *people, size_t n, const uint8_t mother[UUID_LEN],
			  size_t *idx, size_t max);

#endif
