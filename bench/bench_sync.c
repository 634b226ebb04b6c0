/* bench/bench_sync.c: the sync figures (issue 6, make bench):
 *   - export + encrypt throughput of a whole posyandu (store -> bundle
 *     file), and bundle encryption alone, each against Debian's age on the
 *     same plaintext bytes (the ratio in one run; skipped without age);
 *   - district import, records/s, against a raw SQLite bulk insert of the
 *     same rows into a table with the same settings (WAL, synchronous=FULL,
 *     one transaction): the ratio is what validation, sealing at rest,
 *     content hashes and heads cost;
 *   - the two rows of issue 15's table, each with its reference measured
 *     in the same run and the ratio ("bench table | figure | value |
 *     reference | ratio | goal");
 *   - the floors under those two rows ("bench sync floor"): what no
 *     rewrite of the code around it can go below, each measured here on
 *     the same bytes. An import checks one Ed25519 signature per audit
 *     entry (one per save: SECURITY.md §2.12), on every core as
 *     storage/sync_import_audit.c does; an export opens every version
 *     sealed at rest, seals it again for the district and hashes it for
 *     the signature, where age encrypts once. Each floor, alone, against
 *     the same reference;
 *   - the upload round trip on loopback: posyandu sync's code (export,
 *     POST, receipt, downstream request) against posyandu-server's HTTP
 *     code in this process, median of 20.
 * Stores live in ./var/bench-sync on the real disk. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/date.h"
#include "core/demo.h"
#include "storage/clock.h"
#include "storage/codec.h"
#include "storage/store.h"
#include "storage/sync_store.h"
#include "sync/bundle.h"
#include "sync/enrol.h"
#include "sync/exporter.h"
#include "sync/importer.h"
#include "sync/netsync.h"
#include "sync/server.h"

extern char **environ;

#define DIR_ROOT "var/bench-sync"
static const char pin[] = "482915";

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "bench_sync: %s: %s %s\n", what, err_code_name(e->code), e->detail);
	exit(1);
}

static int run(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, rc;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static struct store *fresh(const char *name, const char *code)
{
	static const struct kdf_params kdf = { crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN };
	struct store_profile p;
	struct err e = { 0 };
	struct store *s;
	char dir[256], cmd[300];

	snprintf(dir, sizeof dir, DIR_ROOT "/%s", name);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		exit(1);
	memset(&p, 0, sizeof p);
	snprintf(p.code, sizeof p.code, "%s", code);
	snprintf(p.name, sizeof p.name, "Bench");
	if (!(s = store_create(dir, &p, "admin", pin, sizeof pin - 1, &kdf, &e)))
		die("create", &e);
	return s;
}

struct sink_ctx {
	struct store *s;
	struct err *err;
};

static int put_person(void *ctx, struct person *p)
{
	struct sink_ctx *c = ctx;
	struct draft d;
	store_draft_new(&d);
	memcpy(p->uuid, d.uuid, UUID_LEN);
	return store_person_put(c->s, &d, p, c->err);
}

static int put_visit(void *ctx, struct visit *v)
{
	struct sink_ctx *c = ctx;
	struct draft d;
	store_draft_new(&d);
	memcpy(v->uuid, d.uuid, UUID_LEN);
	return store_visit_put(c->s, &d, v, c->err);
}

static void enrol(struct store *district, struct store *dev)
{
	char key[KEYSTR_MAX];
	uint8_t req[ENROL_LEN];
	struct sync_device d;
	struct err e = { 0 };
	bool existed;
	if (enrol_own_key(district, KEYSTR_DISTRICT, key, NULL, &e) < 0 ||
	    enrol_device(dev, key, req, &e) < 0 ||
	    enrol_accept(district, req, sizeof req, &d, &existed, &e) < 0 ||
	    sync_device_set_status(district, d.id, SYNC_DEV_APPROVED, &e) < 0)
		die("enrol", &e);
}

/* ---- the bundle's plaintext, recovered with the district's key ---- */

struct plain_out {
	FILE *f;
	uint8_t *mem;
	size_t len, cap;
};

static int keep_frame(void *ctx, uint8_t type, const uint8_t *body, size_t len, struct err *err)
{
	struct plain_out *o = ctx;
	uint8_t h[5] = { (uint8_t)((len + 1) >> 24), (uint8_t)((len + 1) >> 16),
			 (uint8_t)((len + 1) >> 8), (uint8_t)(len + 1), type };
	(void)err;
	if (o->len + 5 + len > o->cap) {
		o->cap = (o->len + 5 + len) * 2;
		o->mem = realloc(o->mem, o->cap);
		if (!o->mem)
			return -1;
	}
	memcpy(o->mem + o->len, h, 5);
	memcpy(o->mem + o->len + 5, body, len);
	o->len += 5 + len;
	return 0;
}

static void plaintext_of(struct store *district, const char *path, struct plain_out *o)
{
	struct bundle_header h;
	struct bundle_trailer t;
	enum bundle_class cls;
	struct err e = { 0 };
	uint8_t head[BUNDLE_HEADER_LEN], tail[BUNDLE_TRAILER_LEN], key[32];
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0 || bundle_pread(fd, head, sizeof head, 0, &e) < 0 ||
	    bundle_pread(fd, tail, sizeof tail, (uint64_t)st.st_size - sizeof tail, &e) < 0 ||
	    bundle_parse(head, tail, (uint64_t)st.st_size, &h, &t, &cls, &e) < 0 ||
	    store_device_unseal(district, h.sealed_key, key, &e) < 0 ||
	    bundle_decrypt(fd, &h, &t, key, keep_frame, o, &cls, &e) < 0)
		die("decrypt for the comparison", &e);
	close(fd);
}

static int null_out(void *ctx, const void *buf, size_t len, struct err *err)
{
	(void)ctx;
	(void)buf;
	(void)len;
	(void)err;
	return 0;
}

static int seed_sign(void *ctx, const uint8_t digest[64], uint8_t sig[64], struct err *err)
{
	(void)err;
	crypto_sign_detached(sig, NULL, digest, 64, ctx);
	return 0;
}

/* Encryption alone: the writer over PLAIN (frame by frame), to nowhere. */
static double writer_only(const struct plain_out *o, const uint8_t x_pk[32])
{
	struct bundle_header h;
	struct bundle_writer *w;
	struct err e = { 0 };
	uint8_t pk[32], sk[64], hash[32];
	size_t off = 0;
	double t0;

	crypto_sign_keypair(pk, sk);
	memset(&h, 0, sizeof h);
	h.kind = BUNDLE_UP;
	h.seq = 1;
	snprintf(h.posyandu, sizeof h.posyandu, "P-BENCH");
	t0 = now();
	if (!(w = bundle_writer_new(&h, x_pk, null_out, NULL, &e)))
		die("writer", &e);
	while (off + 5 <= o->len) {
		uint32_t l = ((uint32_t)o->mem[off] << 24) | ((uint32_t)o->mem[off + 1] << 16) |
			     ((uint32_t)o->mem[off + 2] << 8) | o->mem[off + 3];
		uint8_t type = o->mem[off + 4];
		if (type != FRAME_END && bundle_writer_frame(w, type, o->mem + off + 5, l - 1, &e) < 0)
			die("writer frame", &e);
		off += 4 + l;
	}
	if (bundle_writer_finish(w, seed_sign, sk, hash, NULL, &e) < 0)
		die("writer finish", &e);
	bundle_writer_free(w);
	return now() - t0;
}

/* age -r RECIPIENT -o /dev/null FILE; -1 when age is not installed. */
static double age_time(const char *plain_path)
{
	char recipient[128] = "", kg[] = "age-keygen", o[] = "-o", keyfile[] = DIR_ROOT "/age.key";
	char *const keygen[] = { kg, o, keyfile, NULL };
	FILE *f;
	double t0, t1;
	char line[256];

	unlink(DIR_ROOT "/age.key");
	if (run(keygen) != 0)
		return -1;
	if (!(f = fopen(DIR_ROOT "/age.key", "r")))
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "# public key: %127s", recipient) == 1)
			break;
	fclose(f);
	if (!recipient[0])
		return -1;
	{
		char age[] = "age", r[] = "-r", devnull[] = "/dev/null", in[256];
		char *const argv[] = { age, r, recipient, o, devnull, in, NULL };
		snprintf(in, sizeof in, "%s", plain_path);
		t0 = now();
		if (run(argv) != 0)
			return -1;
		t1 = now();
	}
	return t1 - t0;
}

/* The same rows as plain SQLite: one table, one transaction, same pragmas. */
static double raw_sqlite(const struct plain_out *o, size_t *rows)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t off = 0, n = 0;
	double t0;

	unlink(DIR_ROOT "/raw.db");
	unlink(DIR_ROOT "/raw.db-wal");
	unlink(DIR_ROOT "/raw.db-shm");
	if (sqlite3_open(DIR_ROOT "/raw.db", &db) != SQLITE_OK)
		return -1;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "CREATE TABLE v(seq INTEGER PRIMARY KEY, uuid BLOB, lamport INTEGER, device BLOB,"
			 " body BLOB, UNIQUE(uuid, lamport, device))", NULL, NULL, NULL);
	t0 = now();
	sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO v(uuid, lamport, device, body) VALUES(?,?,?,?)", -1, &st, NULL);
	while (off + 5 <= o->len) {
		uint32_t l = ((uint32_t)o->mem[off] << 24) | ((uint32_t)o->mem[off + 1] << 16) |
			     ((uint32_t)o->mem[off + 2] << 8) | o->mem[off + 3];
		if (o->mem[off + 4] == FRAME_VERSION) {
			uint8_t key[16];
			crypto_generichash(key, sizeof key, o->mem + off + 5, l - 1, NULL, 0);
			sqlite3_bind_blob(st, 1, key, 16, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 2, (sqlite3_int64)n + 1);
			sqlite3_bind_blob(st, 3, key, 16, SQLITE_TRANSIENT);
			sqlite3_bind_blob(st, 4, o->mem + off + 5, (int)(l - 1), SQLITE_STATIC);
			sqlite3_step(st);
			sqlite3_reset(st);
			n++;
		}
		off += 4 + l;
	}
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	t0 = now() - t0;
	sqlite3_close(db);
	*rows = n;
	return t0;
}

/* ---- floors ---- */

static double median3(double t[3]);

/* The frames of TYPE in the plaintext O: their number and bytes. */
static size_t frames_of(const struct plain_out *o, uint8_t type, size_t *bytes)
{
	size_t off = 0, n = 0;

	*bytes = 0;
	while (off + 5 <= o->len) {
		uint32_t l = ((uint32_t)o->mem[off] << 24) | ((uint32_t)o->mem[off + 1] << 16) |
			     ((uint32_t)o->mem[off + 2] << 8) | o->mem[off + 3];
		if (o->mem[off + 4] == type) {
			n++;
			*bytes += l - 1;
		}
		off += 4 + l;
	}
	return n;
}

struct verify_job {
	size_t n;
	const uint8_t *pk, *sig, *msg;
	int bad;
};

static void *verify_n(void *arg)
{
	struct verify_job *j = arg;
	for (size_t i = 0; i < j->n; i++)
		j->bad |= crypto_sign_verify_detached(j->sig, j->msg, 64, j->pk) != 0;
	return NULL;
}

/* N Ed25519 checks of a 64-byte digest, shared over THREADS threads (the
 * import's own: one per core, at most 4), median of 3. */
static double verify_time(size_t n, int threads)
{
	uint8_t pk[32], sk[64], msg[64], sig[64];
	pthread_t t[4];
	struct verify_job j[4];
	double runs[3];

	crypto_sign_keypair(pk, sk);
	randombytes_buf(msg, sizeof msg);
	crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
	for (int r = 0; r < 3; r++) {
		runs[r] = now();
		for (int i = 0; i < threads; i++) {
			j[i] = (struct verify_job){ n / (size_t)threads + (i < (int)(n % (size_t)threads)),
						    pk, sig, msg, 0 };
			if (pthread_create(&t[i], NULL, verify_n, &j[i]) != 0)
				return -1;
		}
		for (int i = 0; i < threads; i++) {
			pthread_join(t[i], NULL);
			if (j[i].bad)
				return -1;
		}
		runs[r] = now() - runs[r];
	}
	return median3(runs);
}

/* Every version frame of O sealed as at rest (XChaCha20-Poly1305 with 48
 * bytes of associated data), then the time to open them all, median of 3:
 * what an export reads before it writes a byte of the bundle. */
static double open_at_rest_time(const struct plain_out *o)
{
	uint8_t key[32], nonce[24], ad[48] = { 0 };
	size_t n, bytes, off = 0, at = 0, k = 0;
	unsigned char *ct, *pt;
	size_t *len;
	double runs[3];

	n = frames_of(o, FRAME_VERSION, &bytes);
	ct = malloc(bytes + n * crypto_aead_xchacha20poly1305_ietf_ABYTES);
	pt = malloc(bytes ? bytes : 1);
	len = malloc((n ? n : 1) * sizeof *len);
	if (!ct || !pt || !len)
		return -1;
	randombytes_buf(key, sizeof key);
	randombytes_buf(nonce, sizeof nonce);
	while (off + 5 <= o->len) {
		uint32_t l = ((uint32_t)o->mem[off] << 24) | ((uint32_t)o->mem[off + 1] << 16) |
			     ((uint32_t)o->mem[off + 2] << 8) | o->mem[off + 3];
		if (o->mem[off + 4] == FRAME_VERSION) {
			unsigned long long cl;
			crypto_aead_xchacha20poly1305_ietf_encrypt(ct + at, &cl, o->mem + off + 5, l - 1,
								   ad, sizeof ad, NULL, nonce, key);
			len[k++] = (size_t)cl;
			at += (size_t)cl;
		}
		off += 4 + l;
	}
	for (int r = 0; r < 3; r++) {
		runs[r] = now();
		at = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned long long pl;
			if (crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &pl, NULL, ct + at, len[i], ad,
								       sizeof ad, nonce, key) != 0)
				return -1;
			at += len[i];
		}
		runs[r] = now() - runs[r];
	}
	free(ct);
	free(pt);
	free(len);
	return median3(runs);
}

/* One pass of the sealing a signed bundle needs at least, over the LEN
 * bytes of P, median of 3: XChaCha20-Poly1305 in 64 KiB chunks (HASH
 * false), or one BLAKE2b-512 of them, the prehash its signature signs
 * (HASH true). */
static double pass_time(const uint8_t *p, size_t len, bool hash)
{
	enum { CHUNK = 65536 };
	static uint8_t ct[CHUNK + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	uint8_t key[32], nonce[24] = { 0 }, digest[64];
	double runs[3];

	randombytes_buf(key, sizeof key);
	for (int r = 0; r < 3; r++) {
		runs[r] = now();
		if (hash)
			crypto_generichash(digest, sizeof digest, p, len, NULL, 0);
		else
			for (size_t off = 0; off < len; off += CHUNK) {
				unsigned long long cl;
				size_t n = len - off < CHUNK ? len - off : CHUNK;
				nonce[0]++;
				crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &cl, p + off, n, NULL, 0,
									   NULL, nonce, key);
			}
		runs[r] = now() - runs[r];
	}
	return median3(runs);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The median of three runs (a failed run, -1, sorts first). */
static double median3(double t[3])
{
	qsort(t, 3, sizeof *t, cmp_double);
	return t[1];
}

int main(void)
{
	struct store *dev, *district;
	struct export_result er;
	struct import_result ir;
	struct import_opts io = { .district = true };
	struct plain_out plain = { 0 };
	struct err e = { 0 };
	uint8_t ed[32], x[32];
	size_t people, visits, rows = 0;
	double t_export, t_write, t_age, t_import, t_raw, rt[20], t_runs[3];
	struct stat st;

	if (sodium_init() < 0)
		return 1;
	codec_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	mkdir("var", 0700);
	mkdir(DIR_ROOT, 0700);

	dev = fresh("device", "P-BENCH");
	district = fresh("district", "DISTRICT");
	enrol(district, dev);
	{
		struct demo_params dp = { .children = 1000, .months = 24, .seed = 1,
					  .today = clock_today() };
		struct sink_ctx ctx = { dev, &e };
		struct demo_sink sink = { put_person, put_visit, &ctx };
		if (store_batch_begin(dev, &e) < 0 || demo_generate(&dp, &sink) < 0 ||
		    store_batch_commit(dev, &e) < 0)
			die("fill", &e);
		store_counts(dev, &people, &visits, NULL, &e);
	}

	/* 1. export + encrypt, and encryption alone, against age (medians of 3:
	 * each export is a full bundle again, the last one is imported below) */
	for (int i = 0; i < 3; i++) {
		t_runs[i] = now();
		if (export_upstream(dev, true, &er, &e) < 0)
			die("export", &e);
		t_runs[i] = now() - t_runs[i];
	}
	t_export = median3(t_runs);
	plaintext_of(district, er.e.path, &plain);
	{
		FILE *f = fopen(DIR_ROOT "/plain.bin", "wb");
		if (!f || fwrite(plain.mem, 1, plain.len, f) != plain.len || fclose(f) != 0)
			return 1;
	}
	if (store_device_pubkeys(district, ed, x, &e) < 0)
		die("keys", &e);
	t_write = writer_only(&plain, x);
	for (int i = 0; i < 3; i++)
		t_runs[i] = age_time(DIR_ROOT "/plain.bin");
	t_age = median3(t_runs);
	stat(er.e.path, &st);
	printf("bench sync export: %zu people + %zu visits (%u versions), %.1f MB bundle in %.2f s: "
	       "%.1f MB/s, %.0f records/s (read, decrypt at rest, encode, encrypt, sign, fsync, read back)\n",
	       people, visits, er.e.versions, (double)st.st_size / 1e6, t_export,
	       (double)plain.len / 1e6 / t_export, er.e.versions / t_export);
	if (t_age > 0)
		printf("bench sync encrypt: bundle writer %.0f MB/s, age %.0f MB/s on the same %.1f MB: "
		       "ratio %.2f (writer/age); whole export/age %.2f\n",
		       (double)plain.len / 1e6 / t_write, (double)plain.len / 1e6 / t_age,
		       (double)plain.len / 1e6, t_age / t_write, t_age / t_export);
	else
		printf("bench sync encrypt: bundle writer %.0f MB/s; age not installed, no ratio "
		       "(apt-get install age)\n", (double)plain.len / 1e6 / t_write);

	/* 2. district import against a raw bulk insert of the same rows */
	t_import = now();
	if (import_bundle(district, er.e.path, &io, &ir, &e) < 0)
		die("import", &e);
	t_import = now() - t_import;
	for (int i = 0; i < 3; i++)
		t_runs[i] = raw_sqlite(&plain, &rows);
	t_raw = median3(t_runs);
	printf("bench sync import: %u versions in %.2f s, %.0f records/s; raw SQLite insert of the same "
	       "%zu rows %.0f rows/s: ratio %.2f (import/raw)\n", ir.n_new, t_import,
	       ir.n_new / t_import, rows, (double)rows / t_raw, (ir.n_new / t_import) / ((double)rows / t_raw));

	/* The two rows of issue 15's table: figure, reference in this run, ratio. */
	if (t_age > 0)
		printf("bench table | export of the whole store (%.1f MB bundle, %u versions) | %.3f s "
		       "(median of 3) | age encrypting the same bytes: %.3f s (median of 3) | %.3fx "
		       "| goal >= 0.5x\n", (double)st.st_size / 1e6, er.e.versions, t_export, t_age,
		       t_age / t_export);
	printf("bench table | posyandu-server import of that bundle | %.2f s = %.1f k rows/s "
	       "| plain C insert of %zu rows x %.0f B into SQLite (WAL, synchronous=FULL, one "
	       "transaction): %.0f k rows/s (median of 3) | %.3fx | goal >= 0.5x\n", t_import,
	       ir.n_new / t_import / 1e3, rows, rows ? (double)plain.len / (double)rows : 0.0,
	       (double)rows / t_raw / 1e3, (ir.n_new / t_import) / ((double)rows / t_raw));

	/* The floors under those two rows. */
	{
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		int threads = cores < 1 ? 1 : cores > 4 ? 4 : (int)cores;
		size_t abytes, nent = frames_of(&plain, FRAME_AUDIT, &abytes);
		double t_sig = verify_time(nent, threads), t_open = open_at_rest_time(&plain);

		if (t_sig > 0 && t_raw > 0)
			printf("bench sync floor | import: %zu audit entries' Ed25519 signatures checked "
			       "on %d threads | %.2f s | the plain insert: %.2f s | at most %.3fx, "
			       "nothing else counted\n", nent, threads, t_sig, t_raw, t_raw / t_sig);
		double t_seal = pass_time(plain.mem, plain.len, false);
		double t_hash = pass_time(plain.mem, plain.len, true);
		double t_floor = t_open + t_seal + t_hash;
		if (t_open > 0 && t_age > 0)
			printf("bench sync floor | export: %u versions opened at rest %.3f s + sealed "
			       "once %.3f s + one BLAKE2b for the signature %.3f s | %.3f s | age: %.3f s "
			       "| at most %.3fx, nothing else counted (the bundle writer alone: %.3f s)\n",
			       er.e.versions, t_open, t_seal, t_hash, t_floor, t_age, t_age / t_floor,
			       t_write);
	}

	/* 3. the upload round trip on loopback */
	{
		struct server_opts so = { 0 };
		struct server *sv;
		struct http_opts ho = { .retries = 0 };
		struct netsync_result nr;
		char url[64];
		struct store *dev2 = fresh("device2", "P-BENCH2");   /* nothing to download */
		enrol(district, dev2);
		if (!(sv = server_start(district, "127.0.0.1:0", &so, &e)))
			die("server", &e);
		snprintf(url, sizeof url, "http://127.0.0.1:%u", server_port(sv));
		ho.url = url;
		for (int i = 0; i < 20; i++) {
			struct draft d;
			struct person p;
			double t0;
			memset(&p, 0, sizeof p);
			store_draft_new(&d);
			memcpy(p.uuid, d.uuid, 16);
			p.kind = PERSON_CHILD;
			snprintf(p.name, sizeof p.name, "Anak Bench");
			p.sex = 'L';
			p.dob = clock_today() - 100;
			if (store_person_put(dev2, &d, &p, &e) < 0)
				die("put", &e);
			t0 = now();
			if (netsync_run(dev2, &ho, &nr, &e) < 0)
				die("sync", &e);
			rt[i] = now() - t0;
		}
		qsort(rt, 20, sizeof *rt, cmp_double);
		printf("bench sync upload: loopback round trip (export, POST, receipt, downstream) median "
		       "%.1f ms, worst %.1f ms over 20\n", rt[10] * 1e3, rt[19] * 1e3);
		server_stop(sv);
		store_close(dev2);
	}
	free(plain.mem);
	store_close(dev);
	store_close(district);
	return 0;
}
