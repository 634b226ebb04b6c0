/* core/: the pure domain. Plain C over plain structs: no I/O, no library
 * header (tests/check-layers.sh), so every rule is unit-tested in
 * microseconds. person.h (people, visits, sessions) is its data model;
 * date, valid (field checks), growth + who + kbm + measure (WHO z-scores,
 * KBM, plausibility), imm + visit_fields (schedules, what a visit asks at
 * which age), desk (the result panel's judgement), search, report*
 * (SKDN, follow-up, sessions), quiz + quiz_roster, csv, codes, demo. */
/* core/person.h: the people a posyandu serves and their visits, as plain
 * structs (domain.md §2). Units are in the field names; "missing" is 0 for
 * measurements (no real measurement is 0) and DATE_NONE for dates. */
#ifndef POSYANDU_CORE_PERSON_H
#define POSYANDU_CORE_PERSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define UUID_LEN 16
#define UUID_STRLEN 37            /* 32 hex digits, 4 dashes, NUL */

enum person_kind {
	PERSON_CHILD = 1,         /* balita / bayi */
	PERSON_PREGNANT = 2,      /* ibu hamil */
	PERSON_WOMAN = 3,         /* ibu menyusui, WUS/PUS */
	PERSON_RESIDENT = 4,      /* anyone else (Posyandu ILP): school-age, adolescent,
	                             adult, elderly; the group follows from age (core/ilp.h) */
};

struct person {
	uint8_t uuid[UUID_LEN];
	enum person_kind kind;
	char name[64];
	char sex;                 /* 'L' laki-laki, 'P' perempuan */
	int32_t dob;              /* day number (core/date.h) */
	char nik[17];             /* 16 digits or "" */
	char kk[17];              /* family card number or "" */
	uint8_t mother[UUID_LEN]; /* mother's record, all zero when unknown */
	char mother_name[64];
	char father_name[64];
	char address[96];         /* dusun / street */
	uint8_t rt, rw;           /* 0 = not recorded */
	char phone[20];
	uint16_t birth_weight_g;  /* children; 0 = not recorded */
	uint16_t birth_length_mm;
	uint8_t works;            /* women: works outside the home, ASK_*; ASK_NOT until
				   * asked (a record from before it was a question: yes
				   * or no, storage/codec.c) */
	uint8_t kia;              /* owns a KMS / Buku KIA (the K of SKDN): ASK_*, ASK_NOT
				   * until asked (a record from before it was a question:
				   * yes or no, storage/codec.c) */
	int32_t registered;       /* day number */
};

/* Immunisation antigens (domain.md §5.1), one bit each. */
enum imm_antigen {
	IMM_HB0, IMM_BCG, IMM_OPV1, IMM_OPV2, IMM_OPV3, IMM_OPV4,
	IMM_DPT1, IMM_DPT2, IMM_DPT3, IMM_DPT4, IMM_IPV1, IMM_IPV2,
	IMM_PCV1, IMM_PCV2, IMM_PCV3, IMM_RV1, IMM_RV2, IMM_RV3,
	IMM_MR1, IMM_MR2, IMM_JE,
	IMM__COUNT
};

enum vitamin_a { VITA_NONE = 0, VITA_BLUE = 1, VITA_RED = 2 };
enum { BF_NOT_ASKED = 0, BF_ASKED_YES = 1, BF_ASKED_NO = 2 };
/* The Posyandu ILP questions (issue 14) are all three-state bytes: 0 not
 * asked, ASK_YES, ASK_NO, so that a zeroed visit means "nothing asked". */
enum { ASK_NOT = 0, ASK_YES = 1, ASK_NO = 2 };

/* Contraceptive method in use (KB, domain.md §2.4, §2.5); 0 = not asked. */
enum kb_method {
	KB_NOT_ASKED = 0, KB_NONE, KB_PILL, KB_INJECTION, KB_IMPLANT, KB_IUD,
	KB_CONDOM, KB_MOW, KB_MOP, KB_MAL, KB_OTHER,
	KB__COUNT
};

/* PUMA COPD screening, smoking history in pack-years; 0 = not asked. */
enum puma_packyears { PY_NOT_ASKED = 0, PY_UNDER_20, PY_20_30, PY_OVER_30 };

struct visit {
	uint8_t uuid[UUID_LEN];
	uint8_t person[UUID_LEN];
	int32_t date;             /* day number */
	uint32_t weight_g;        /* 0 = not weighed */
	uint16_t lenhei_mm;       /* length or height */
	char measure;             /* 'l' lying, 'h' standing, 0 unknown */
	uint16_t headc_mm;
	uint16_t muac_mm;         /* LILA */
	bool oedema;
	int8_t asi_recall;        /* 0-5 months: 1 only breast milk yesterday, 0 no, -1 not asked */
	bool counsel_asi;         /* breastfeeding counselling given */
	uint8_t bf_continue;      /* 6-23 months: BF_ASKED_YES still breastfed, BF_ASKED_NO not;
	                             0 not asked (so a zeroed visit means "not asked") */
	enum vitamin_a vitamin_a;
	uint32_t imm;             /* bit (1u << enum imm_antigen) per antigen given */
	bool home_visit;          /* kunjungan rumah */
	/* pregnant women */
	uint8_t gest_weeks;
	uint16_t bp_sys, bp_dia;  /* mmHg */
	uint8_t iron_tablets;     /* TTD given at this visit */
	uint8_t anc_no;           /* K1..K6 */
	uint16_t danger_signs;    /* bit set, see the desk form */
	char note[160];
	/* The yes/no questions above left unanswered (issue 12): VISIT_Q_* bits.
	 * Stored payloads before it have none: their answers keep their meaning. */
	uint8_t not_asked;

	/* ---- Posyandu ILP (issue 14). Measurements: 0 = not measured.
	 * Questions: ASK_NOT / ASK_YES / ASK_NO. ---- */
	/* everyone from school age (and the mothers where domain.md says) */
	uint16_t glucose_mgdl;    /* blood glucose, mg/dL */
	uint8_t glucose_fasting;  /* ASK_YES fasting (GDP); ASK_NO or not asked: random (GDS) */
	uint16_t waist_mm;        /* waist circumference (lingkar perut) */
	uint16_t hb_dgl;          /* haemoglobin in 0.1 g/dL (125 = 12,5 g/dL) */
	uint8_t tb_symptoms;      /* TB symptom screening positive (cough >= 2 weeks...) */
	uint8_t smoking;          /* smokes now */
	/* adolescents */
	uint8_t iron_weekly;      /* girls: weekly iron tablet (TTD remaja) given */
	uint8_t mental_problem;   /* mental-health screening finds a problem */
	uint8_t risk_alcohol, risk_drugs, risk_sex;   /* risky behaviour items */
	/* adults and elderly */
	uint16_t cholesterol_mgdl;
	uint16_t uric_dmgdl;      /* uric acid in 0.1 mg/dL */
	uint8_t vision_problem, hearing_problem;
	uint8_t diet_sugar, diet_salt, diet_fat;      /* eats too much of it */
	uint8_t puma_breath, puma_phlegm, puma_cough, puma_spirometry;  /* PUMA items */
	uint8_t puma_packyears;   /* enum puma_packyears */
	uint8_t adl;              /* elderly: Barthel ADL score + 1 (1..21); 0 = not asked */
	uint8_t fall_risk;        /* elderly: at risk of falling */
	uint8_t kb_method;        /* enum kb_method: couples of reproductive age, postpartum */
	/* pregnant and postpartum women (KIA book) */
	int32_t hpht;             /* first day of the last period, day number; 0 = not recorded */
	uint8_t gravida;          /* pregnancy number (hamil ke-), 0 = not recorded */
	uint8_t para;             /* births before this one + 1; 0 = not recorded */
	uint8_t td_status;        /* Td immunisation status T1..T5 (1..5), 0 = not recorded */
	uint8_t kek_food;         /* KEK (LILA < 23,5 cm): supplementary food given */
	uint8_t preg_class;       /* attended the pregnancy class (kelas ibu hamil) */
	uint8_t postpartum;       /* in the postpartum period (nifas, 0-42 days) */
	uint8_t vita_pp;          /* postpartum red capsules given: bit 0 first, bit 1 second */
	/* children */
	uint8_t deworm;           /* deworming tablet given (12-59 months) */
	uint8_t diarrhoea;        /* has diarrhoea */
	uint8_t ors_zinc;         /* ORS and zinc given for it */
	uint8_t pmt;              /* supplementary food (PMT) given */
	uint8_t development;      /* development screening (KPSP): ASK_YES as expected,
	                             ASK_NO doubtful or delayed */
};
enum { VISIT_Q_OEDEMA = 1u << 0, VISIT_Q_COUNSEL = 1u << 1, VISIT_Q_DANGER = 1u << 2 };

/* The danger signs of pregnancy (domain.md §5.6, the Buku KIA), one bit each
 * in visit.danger_signs from bit 1; any of them means "refer at once".
 * DANGER_UNNAMED is a sign not named: the one yes of the records made
 * before the checklist. */
#define DANGER_UNNAMED 1u
#define DANGER_NAMED 7            /* bits 1..7 */
/* "bleeding", "vomiting", "fever", "swelling", "movement", "waters",
 * "breathing" for K = 0..6 (bit K + 1); NULL beyond. */
const char *danger_code(int k);
/* "bleeding+fever" (codes joined by '+' or ','; "other" first for
 * DANGER_UNNAMED), or "none": the bits into BITS (0 for none). -1 with
 * ERR_FORMAT on an unknown code. */
int danger_parse(const char *s, uint16_t *bits, struct err *err);

/* An opening day of the posyandu (hari buka, domain.md §1.2, §6.4): the
 * minutes the puskesmas asks for as accreditation evidence. */
#define SESSION_MAX_KADER 16
struct session {
	uint8_t uuid[UUID_LEN];
	int32_t date;             /* day number */
	uint8_t kader[SESSION_MAX_KADER][UUID_LEN];   /* users on duty */
	int n_kader;
	char health_worker[64];   /* bidan / nakes present, free text */
	char place[64];
	char notes[512];          /* notulen */
};

/* "0f1e...": 36 characters + NUL into BUF (UUID_STRLEN). */
char *uuid_format(const uint8_t uuid[UUID_LEN], char *buf);
int uuid_parse(const char *s, uint8_t uuid[UUID_LEN]);
bool uuid_is_zero(const uint8_t uuid[UUID_LEN]);
/* The person of PEOPLE (N of them) whose uuid is UUID, or NULL. */
const struct person *person_find(const struct person *people, size_t n,
				 const uint8_t uuid[UUID_LEN]);

const char *imm_code(enum imm_antigen a);          /* "DPT-HB-Hib1" */
int imm_from_code(const char *code);               /* -1 when unknown */

const char *person_kind_code(enum person_kind k);  /* "child", "pregnant", "woman" */
int person_kind_from_code(const char *code);       /* -1 when unknown */

/* The unsigned integer or enum member of SIZE bytes (1, 2 or 4) at P: how the
 * field tables of storage/codec.c and app/person_view.c read and write the
 * numbers of a person or visit. */
unsigned long member_uint(const void *p, size_t size);
void member_set_uint(void *p, size_t size, unsigned long v);

#endif
