/* storage/quiz_store.h: question banks, trainings and quiz attempts
 * (issue 7). Banks are read from INI files (man/posyandu-quiz.5) with
 * iniparser and stored, like trainings and attempts, as records: versioned,
 * sealed under the data key, synced.
 *
 * Attempts are sealed under the quiz key (SECURITY.md §2.2), even when a
 * kader writes them with a session that holds only K_data:
 *   - each attempt gets a random 32-byte attempt key K_att; its answers are
 *     sealed with XChaCha20-Poly1305 under K_att (associated data: the
 *     attempt uuid), and K_att is sealed with crypto_box_seal to every
 *     authenticated quiz box key (storage/quiz_keys.c, issue 13.2): this
 *     device's, derived from K_quiz (kdf "pyquizkp") and signed by the
 *     device key in an admin session, and those of other devices of the
 *     posyandu that an admin accepted. A kader's session verifies the
 *     signature first: a key replaced in meta refuses the test
 *     (ERR_CRYPTO, field "quiz-seal") rather than sealing to it.
 *   - a bank's answer key (and explanations, which give it away) is sealed
 *     the same way under a random bank key; the questions stay under K_data
 *     for a kader's session to show. So a kader's session cannot score: an
 *     attempt it submits carries no score, and the score is worked out when
 *     a trainer or admin opens it (quizstore_attempts). Attempts a trainer
 *     saves (paper sheets) are scored at once and carry their score.
 *   - the kader's device keeps K_att only while the attempt is a draft, in
 *     a meta row (quiz.att.UUID) sealed under a key derived from the
 *     kader's own seed (only her slot holds it), so she can resume after a
 *     power cut and no other kader, even with a shell, can open it. (Rows
 *     kept under K_data by older versions are still read, and moved to her
 *     key when she opens them.) Submitting deletes that row in the same
 *     transaction as the last version (with secure_delete on), so from
 *     then on no kader session can open the attempt. Honest limit: bank
 *     versions stored before issue 13.2
 *     keep their clear answer key in the version history even after a
 *     trainer's session seals them again (replace such a bank version).
 *
 * A bank is identified by (id, version): its record uuid is derived from
 * them, and importing the same id and version again with other content is
 * refused, so a new version never changes how older attempts are scored.
 *
 * What the quiz modules share internally is in storage/quiz_internal.h. */
#ifndef POSYANDU_STORAGE_QUIZ_STORE_H
#define POSYANDU_STORAGE_QUIZ_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/quiz.h"
#include "storage/store.h"

/* ---- reading a bank from an INI file (storage/quiz_ini.c) ---- */

/* One problem found in a bank file. ERR holds the code and a field that
 * tui/msg.c turns into a sentence ("quiz-answer", "quiz-missing", ...);
 * err.detail is English for developers. */
struct quiz_problem {
	char file[256];
	int line;                      /* 0 when it concerns a whole section or file */
	char section[QUIZ_ID_MAX + 8];
	char key[32];
	struct err err;
};

/* Read and check PATH completely. 0: B is filled (quiz_bank_free it).
 * -1: B is empty and every problem found is in *PROBS (allocated; free()
 * it, may be NULL when the file could not be opened), ERR says how many. */
int quizstore_read_ini(const char *path, struct quiz_bank *b, struct quiz_problem **probs,
		       size_t *nprobs, struct err *err);

/* ---- banks (storage/quiz_store.c) ---- */

/* Store B (trainer or admin). When the same id and version is stored with
 * the same content, nothing is written and *SAME is true; with other
 * content: ERR_EXISTS (field "quiz-bank"). */
int quizstore_bank_put(struct store *s, const struct quiz_bank *b, bool *same, struct err *err);

struct quizstore_bank_info {
	uint8_t uuid[16];
	char id[QUIZ_ID_MAX];
	int version;
	char title[QUIZ_TITLE_MAX];
	int questions;
	int pass_mark;
	int time_limit_min;
};
/* Every stored bank version, by id then version. *OUT allocated; free(). */
int quizstore_banks(struct store *s, struct quizstore_bank_info **out, size_t *n,
		    struct err *err);
/* Bank ID at VERSION (0: the highest stored). UUID may be NULL.
 * ERR_NOTFOUND (field "quiz-bank") when there is none. */
int quizstore_bank_get(struct store *s, const char *id, int version, struct quiz_bank *b,
		       uint8_t uuid[16], struct err *err);
int quizstore_bank_by_uuid(struct store *s, const uint8_t uuid[16], struct quiz_bank *b,
			   struct err *err);

/* ---- trainings (storage/quiz_training.c) ---- */

#define QUIZ_MAX_PARTICIPANTS 100
#define QUIZ_MAX_RUNS 16
#define QUIZ_PLACE_MAX 80

/* A participant is a person, told apart by ID, not by name (issue 14):
 * two participants of one name stay two people. The id is random, made
 * when the participant is added (quizstore_training_put gives one to a
 * participant whose id is all zero) and kept in every later version of
 * the training. Participants stored before ids existed get one derived
 * from the training's uuid and their place in the list when read, which
 * the next save of the training writes down. Each carries the code of
 * the posyandu she serves (core/valid.h valid_posyandu_code); a training
 * saved with a participant without a code gives her the code of the
 * posyandu this store belongs to. Older ones read back without a code
 * ("") stay without: the reports show them as "-". */
struct quiz_participant {
	uint8_t id[16];
	uint8_t user[16];              /* all zero: no account on this device */
	char name[QUIZ_NAME_MAX];
	char posyandu[QUIZ_CODE_MAX];  /* "" only for participants saved before issue 14 */
};

/* A pre-test, post-test or practice run of one bank version, opened by the
 * trainer; kader who are participants see it while it is open. */
struct quiz_run {
	uint8_t bank[16];
	char bank_id[QUIZ_ID_MAX];
	int bank_version;
	int kind;                      /* enum quiz_kind */
	bool open;
};

struct quiz_training {
	uint8_t uuid[16];
	char title[QUIZ_TITLE_MAX];
	int32_t date;
	char place[QUIZ_PLACE_MAX];
	char trainer[64];
	size_t np;
	struct quiz_participant p[QUIZ_MAX_PARTICIPANTS];
	size_t nruns;
	struct quiz_run runs[QUIZ_MAX_RUNS];
};

/* Save a version of T (trainer or admin): D is store_draft_new() for a new
 * training (T->uuid is taken from it) or store_draft_edit() of T->uuid. */
int quizstore_training_put(struct store *s, const struct draft *d, struct quiz_training *t,
			   struct err *err);
/* Every training, newest date first. *OUT allocated; free(). */
int quizstore_trainings(struct store *s, struct quiz_training **out, size_t *n,
			struct err *err);
/* Is USER (by uuid, else NAME) a participant of T? */
bool quizstore_is_participant(const struct quiz_training *t, const uint8_t user[16],
			      const char *name);
/* The participant of T with account USER, else the first one without an
 * account named NAME (what a kader's own session is); NULL when none. */
const struct quiz_participant *quizstore_participant_find(const struct quiz_training *t,
							  const uint8_t user[16], const char *name);
/* The participant of T with id ID, or NULL. */
const struct quiz_participant *quizstore_participant_by_id(const struct quiz_training *t,
							   const uint8_t id[16]);
/* "#3": the participant's number in T (its place in the list, from 1);
 * 0 when ID is not a participant of T. */
int quizstore_participant_no(const struct quiz_training *t, const uint8_t id[16]);

/* ---- attempts (storage/quiz_attempt.c) ---- */

enum quiz_status { QUIZ_DRAFT = 1, QUIZ_SUBMITTED = 2 };

struct quiz_attempt {
	uint8_t uuid[16];              /* all zero until the first save */
	uint8_t bank[16];
	char bank_id[QUIZ_ID_MAX];
	int bank_version;
	uint8_t training[16];          /* all zero: not part of a training */
	int kind;                      /* enum quiz_kind */
	uint8_t kader[16];             /* all zero: a participant without an account */
	char kader_name[QUIZ_NAME_MAX];
	uint8_t participant[16];       /* the training participant; zero before issue 14 */
	char posyandu[QUIZ_CODE_MAX];  /* her posyandu code when it was saved; "" unknown */
	bool sheet;                    /* keyed in from a paper sheet (quizstore_sheet_save) */
	int status;                    /* enum quiz_status */
	int32_t day;                   /* the day it was taken (local) */
	uint64_t seq;                  /* local change number of this version */
	/* The sealed part: valid when opened. */
	bool opened;
	struct quiz_answers ans;
	bool scored;                   /* right, total, pass and ok are filled */
	int right, total;              /* submitted: the score (see quizstore_attempts) */
	bool pass;
	uint8_t ok[QUIZ_MAX_QUESTIONS];
	/* The attempt key while the attempt is open in memory. */
	uint8_t key[32];
	bool has_key;
};

/* Save A: a new attempt when A->uuid is all zero (then A->uuid is set).
 * A kader saves only their own attempts; a trainer or admin may save one
 * for any participant (paper answer sheets). SUBMIT scores A against B (its
 * own bank version), seals the score with it and forgets the attempt key
 * on this device, all in one transaction. Durable when it returns 0. After
 * a failure A is unchanged and the save may simply be repeated. */
int quizstore_attempt_save(struct store *s, struct quiz_attempt *a, const struct quiz_bank *b,
			   bool submit, struct err *err);

/* A paper answer sheet (issue 14), keyed in by a trainer or admin: A is
 * submitted at once, scored against B. "The same sheet" is the same
 * training, the same participant (her id, never her name), the same bank
 * id and version, and the same kind (pre, post or practice). Its record
 * uuid is derived from exactly these (quizstore_sheet_uuid), so keying the
 * same sheet in again writes a new version of the same record: counts and
 * scores see one attempt, the earlier version stays in the record's
 * history, the audit log gets a second save entry of that attempt, and at
 * the district (or on a device that keyed it in too) the versions meet as
 * one record whose newest version wins, never as two attempts. An attempt
 * a kader took on screen is another sitting and is not replaced. A needs
 * training and participant set; *REPLACED (may be NULL) says whether an
 * earlier sheet was replaced. */
int quizstore_sheet_save(struct store *s, struct quiz_attempt *a, const struct quiz_bank *b,
			 bool *replaced, struct err *err);
/* The record uuid of a paper sheet: BLAKE2b-128 of a domain string,
 * TRAINING, PARTICIPANT, BANK_ID, VERSION and KIND. */
void quizstore_sheet_uuid(const uint8_t training[16], const uint8_t participant[16],
			  const char *bank_id, int version, int kind, uint8_t out[16]);

/* The session user's drafts that were started on this device, opened. */
int quizstore_my_drafts(struct store *s, struct quiz_attempt **out, size_t *n,
			struct err *err);

/* Every attempt (of BANK_ID, or all when NULL), in the order they were
 * last saved. OPEN: also open the sealed part, which needs the quiz key
 * (trainer, admin): a kader gets ERR_DENIED. An attempt submitted in a
 * kader's session is scored here against its own bank version; one whose
 * keys are not sealed to this device stays not opened. Without OPEN only
 * the clear part (who, which run, status) is filled, for any role. */
int quizstore_attempts(struct store *s, const char *bank_id, bool open,
		       struct quiz_attempt **out, size_t *n, struct err *err);

/* Wipe and free attempts from the functions above. */
void quizstore_attempts_free(struct quiz_attempt *a, size_t n);

/* ---- the quiz keys (storage/quiz_keys.c, issue 13 point 2) ---- */

/* Can attempts be sealed now? 0 when this device's quiz box key verifies
 * against the pinned device key. A trainer or admin session first brings
 * meta up to date, and an admin session signs the key. ERR_CRYPTO (field
 * "quiz-seal") when the key does not verify: the test must not start;
 * ERR_NOTFOUND (field "quiz-key") before quizzes were set up. */
int quizstore_key_ready(struct store *s, struct err *err);
/* This device's authenticated quiz box key and the device's signature on
 * it (quizstore_box_verify), for other devices of the posyandu. */
int quizstore_box_key(struct store *s, uint8_t pk[32], uint8_t sig[64], struct err *err);
/* Does SIG, by the device key DEV_SIGN_PK of DEVICE, sign box key PK? */
bool quizstore_box_verify(const uint8_t dev_sign_pk[32], const uint8_t device[16],
			  const uint8_t pk[32], const uint8_t sig[64]);
/* Admin: from now on also seal attempt keys and bank answer keys to PK,
 * the quiz box key of DEVICE (another device of this posyandu), which the
 * caller has authenticated. Kept countersigned by this device's key, so
 * editing the row by SQL takes it out of the recipients. */
int quizstore_peer_add(struct store *s, const uint8_t device[16], const uint8_t pk[32],
		       struct err *err);

/* This device's signed quiz box key as it stands in meta, without
 * deriving or signing anything (any session; for the upstream bundle,
 * issue 13.2): *FOUND only when an admin session signed it and the
 * signature verifies against the pinned device key. */
int quizstore_own_key(struct store *s, uint8_t pk[32], uint8_t sig[64], bool *found,
		      struct err *err);
/* Admin: stop sealing to every peer device whose id is not among the N
 * ids KEEP (the district no longer lists it: revoked). *REMOVED (may be
 * NULL) counts the peers taken out. */
int quizstore_peers_keep(struct store *s, const uint8_t (*keep)[16], size_t n, size_t *removed,
			 struct err *err);

/* Has B its answer key (every question has one)? Not in a kader's
 * session: there the answer key is sealed and correct is 0. */
bool quiz_bank_has_key(const struct quiz_bank *b);


#endif
