/* storage/audit_internal.h: what storage/audit.c and storage/audit_range.c
 * share. Not for other files. */
#ifndef POSYANDU_STORAGE_AUDIT_INTERNAL_H
#define POSYANDU_STORAGE_AUDIT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "storage/internal.h"

/* The fields a signed entry adds to the chain (issue 13): its author's key
 * generation and index, her next public key, the version it saved, and the
 * number and highest seq of versions once it is written. */
struct sig_fields {
	int64_t gen;
	uint64_t uidx;
	uint8_t next_pk[32];
	uint8_t vid[16], vhash[32];
	int64_t nver, maxseq;
};

/* The walk's state for check_range: the previous signed entry's figures. */
struct ranges {
	bool started;          /* a signed entry was seen */
	bool bound;            /* an entry with a range digest was seen */
	int64_t nver, maxseq;
};

/* ---- storage/audit_range.c: what each entry says about the versions ---- */

/* The previous signed entry's figures (*FROM its maxseq) and this entry's,
 * once its operation inserted ADDED versions. */
int version_counts(struct store *s, int64_t added, int64_t *from, int64_t *nver,
		   int64_t *maxseq, struct err *err);
/* The digest of the versions with FROM < seq <= TO, as they were in
 * data-key EPOCH; *COUNT how many there are. */
int range_digest(struct store *s, int64_t from, int64_t to, int64_t epoch, uint8_t out[32],
		 int64_t *count, struct err *err);
/* The versions of the signed entry in ST (F its fields): NULL when its
 * range holds exactly what it added, else why not ("" with ERR set). */
const char *check_range(struct store *s, struct ranges *r, struct dbq *st,
			const struct sig_fields *f, struct err *err);

#endif
