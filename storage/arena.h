/* storage/arena.h: the guarded memory that decrypted personal data lives in
 * (SECURITY.md §2.5, §2.13). Every block is a sodium_malloc region: guard
 * pages on both sides (the data ends right at the upper one), a canary,
 * mlock, and MADV_DONTDUMP so it never reaches a core dump; arena_free
 * wipes the whole region before unmapping it.
 *
 * When RLIMIT_MEMLOCK is too small, libsodium still returns the block (it
 * ignores the mlock failure); the arena notices, says so once on stderr
 * (or, with arena_warn_to(NULL), only through arena_unlocked()) and goes on:
 * the data is still guarded and wiped, it may only reach swap.
 *
 * Each block costs a few pages and a few system calls, so callers keep one
 * block per array (growing by doubling), never one per record. */
#ifndef POSYANDU_STORAGE_ARENA_H
#define POSYANDU_STORAGE_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* N items of SIZE bytes, zeroed. NULL when N * SIZE overflows or memory
 * (or address space: vm.max_map_count) runs out. Free with arena_free().
 * N == 0 is allowed and returns a block for later growth. */
void *arena_alloc(size_t n, size_t size);
/* Make *P (an arena block of *CAP items of SIZE, or NULL) hold at least
 * NEED items: a new block of max(NEED, 2 * *CAP, 16) items, the first
 * *CAP items copied, the rest zeroed, the old block wiped and freed. 0, or
 * -1 with *P and *CAP unchanged. */
int arena_grow(void **p, size_t *cap, size_t need, size_t size);
/* Wipe and release P (from arena_alloc / arena_grow); NULL is fine. */
void arena_free(void *p);
/* A copy of S in the arena (arena_free it), or NULL. */
char *arena_strdup(const char *s);

/* Blocks and bytes currently held: what the lock path must bring to zero. */
size_t arena_live_blocks(void);
size_t arena_live_bytes(void);
/* Whether some block could not be mlocked since the program started. */
bool arena_unlocked(void);
/* Where the one-line RLIMIT_MEMLOCK warning goes (stderr by default; NULL:
 * nowhere, the caller shows arena_unlocked() its own way). */
void arena_warn_to(FILE *f);

#endif
