/* bench/bench_desk.c: the desk's figures (issue: the desk never makes a
 * kader wait). The real binary runs in a pseudo-terminal of 80x24, on a
 * store of about 5,000 people and 60,000 visits:
 *   - cold start to the login screen;
 *   - key-to-screen-update: a key typed in the search, to the screen update
 *     the app writes back (measured from outside, as a person would feel it);
 *   - search latency in-process (core search over the decrypted names);
 *   - peak RSS of the app;
 *   - keystrokes to record weight and length for a known child, from the
 *     search field back to the search field, counted while doing it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/search.h"
#include "storage/codec.h"
#include "storage/store.h"

static const char *bin;
static const char *dir = "var/bench-desk";
static const char *conf = "var/bench-desk.ini";

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_desk: %s\n", what);
	exit(1);
}

static int run(const char *cmd)
{
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* ---- a pseudo-terminal session ---- */

static int master = -1;
static pid_t child;
static char screen[1 << 20];
static size_t screen_len;
static int keys;

/* Read what the app writes for up to TIMEOUT s; stop early when NEEDLE (if
 * any) has arrived since MARK. Returns the time the last byte came. */
static double pump(const char *needle, size_t mark, double timeout)
{
	double end = now() + timeout, last = now();
	while (now() < end) {
		struct pollfd p = { master, POLLIN, 0 };
		int ms = (int)((end - now()) * 1000) + 1;
		if (poll(&p, 1, ms) <= 0)
			break;
		ssize_t n = read(master, screen + screen_len, sizeof screen - screen_len - 1);
		if (n <= 0)
			break;
		last = now();
		screen_len += (size_t)n;
		screen[screen_len] = '\0';
		if (screen_len > sizeof screen - 4096) {   /* keep the tail */
			memmove(screen, screen + screen_len / 2, screen_len - screen_len / 2);
			screen_len -= screen_len / 2;
			mark = 0;
		}
		if (needle && strstr(screen + mark, needle))
			return last;
	}
	if (needle)
		die(needle);
	return last;
}

static void key(const char *s)
{
	if (write(master, s, strlen(s)) < 0)
		die("write");
	keys++;
}

static void keys_of(const char *s)
{
	for (; *s; s++) {
		char c[2] = { *s, 0 };
		key(c);
		pump(NULL, 0, 0.03);
	}
}

static void start(void)
{
	struct winsize ws = { 24, 80, 0, 0 };
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0)
		die("forkpty");
	if (child == 0) {
		setenv("TERM", "xterm", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		execl(bin, bin, "--config", conf, "--data", dir, (char *)NULL);
		_exit(127);
	}
	screen_len = 0;
}

int main(void)
{
	char cmd[1024];
	double t0, t1, worst = 0, sum = 0;
	int n = 0, nkeys;
	struct rusage ru;
	int status;

	bin = getenv("POSYANDU_BIN") ? getenv("POSYANDU_BIN") : "./posyandu";
	if (sodium_init() < 0)
		return 1;
	codec_init();
	mkdir("var", 0700);

	/* A store of about 5,000 people and 60,000 visits (made once). */
	if (access("var/bench-desk/posyandu.db", F_OK) != 0) {
		FILE *f = fopen(conf, "w");
		if (!f)
			die(conf);
		fputs("[security]\nargon2_mem_mib = 32\nargon2_ops = 2\n", f);
		fclose(f);
		f = fopen("var/bench-desk.pin", "w");
		fputs("482915\n", f);
		fclose(f);
		snprintf(cmd, sizeof cmd, "%s --config %s --data %s init --code P-BENCH --name Bench "
			 "--admin ani --pin-file var/bench-desk.pin >/dev/null && %s --config %s --data %s "
			 "--pin-file var/bench-desk.pin demo --children 2800 --months 40 --seed 5 >/dev/null",
			 bin, conf, dir, bin, conf, dir);
		if (run(cmd) != 0)
			die("making the store");
	}

	/* In-process search latency over the same store. */
	{
		struct err err = { 0 };
		struct store *s = store_open(dir, NULL, &err);
		struct person *p;
		size_t np, hits = 0;
		char (*folded)[64], q[16];
		static const char *const queries[] = { "a", "ai", "ais", "aisy", "sit", "siti a", "3302" };

		if (!s || store_login(s, "ani", "482915", 6, NULL, &err) < 0 ||
		    store_people(s, &p, &np, &err) < 0)
			die("open the store");
		folded = malloc(np * sizeof *folded);
		for (size_t i = 0; i < np; i++)
			search_fold(p[i].name, folded[i], sizeof folded[i]);
		t0 = now();
		for (int r = 0; r < 20; r++)
			for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++) {
				search_fold(queries[k], q, sizeof q);
				for (size_t i = 0; i < np; i++) {
					struct search_entry e = { folded[i], "", p[i].nik };
					hits += search_score(&e, q) > 0;
				}
			}
		t1 = now();
		printf("bench desk search: %zu people, %.2f ms per query (in-process, %zu hits)\n", np,
		       (t1 - t0) * 1e3 / (20.0 * (double)(sizeof queries / sizeof queries[0])), hits);
		sodium_memzero(p, np * sizeof *p);
		store_free(p);
		free(folded);
		store_close(s);
	}

	/* Cold start to the login screen. */
	t0 = now();
	start();
	t1 = pump("Siapa", 0, 10);
	printf("bench desk cold start: %.0f ms to the login screen\n", (t1 - t0) * 1e3);

	key("\r");
	pump("482915" + 6, 0, 0.2);   /* drain */
	keys_of("482915");
	key("\r");
	t0 = now();
	pump("Beranda", 0, 10);
	key("\r");                    /* the desk: loads and decrypts everything */
	t1 = pump("ditemukan", screen_len, 20);
	printf("bench desk open: %.0f ms from Enter to the desk with every person decrypted\n",
	       (t1 - t0) * 1e3);
	pump(NULL, 0, 0.3);

	/* Key-to-screen-update in the search field. */
	for (const char *q = "aisyahbudi"; *q; q++) {
		char c[2] = { *q, 0 };
		size_t mark = screen_len;
		pump(NULL, 0, 0.05);
		mark = screen_len;
		t0 = now();
		key(c);
		pump("ditemukan", mark, 5);
		t1 = now();
		sum += t1 - t0;
		if (t1 - t0 > worst)
			worst = t1 - t0;
		n++;
	}
	printf("bench desk key-to-update: mean %.1f ms, worst %.1f ms over %d keys (search redraw, 80x24)\n",
	       sum * 1e3 / n, worst * 1e3, n);
	for (int i = 0; i < 10; i++)
		key("\x7f");
	pump(NULL, 0, 0.3);

	/* Keystrokes to weigh and measure a known child: search, open, visit,
	 * weight, length, save, next. */
	keys = 0;
	keys_of("agus");              /* part of the name: the first match */
	pump(NULL, 0, 0.2);
	key("\r");                    /* open the card */
	pump("Kartu", 0, 5);
	key("v");                     /* a visit */
	pump("Berat badan", 0, 5);
	key("\t");                    /* date is today: on to the weight */
	keys_of("9,1");
	key("\t");
	keys_of("72,5");
	key("\x1bOQ");                /* F2: save */
	pump("Hasil", screen_len > 2000 ? screen_len - 2000 : 0, 5);
	key("\r");                    /* next person: back in the search */
	pump("Cari:", screen_len > 2000 ? screen_len - 2000 : 0, 5);
	nkeys = keys;
	printf("bench desk keystrokes: %d to record weight and length for a known child "
	       "(4 letters of the name, Enter, v, Tab, 9,1, Tab, 72,5, F2, Enter)\n", nkeys);

	key("\x1b");                  /* back to home, then quit */
	pump(NULL, 0, 0.3);
	key("q");
	waitpid(child, &status, 0);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("bench desk peak RSS: %.1f MiB (the app with 5,000 people and 60,000 visits decrypted)\n",
	       (double)ru.ru_maxrss / 1024.0);
	return 0;
}
