/* bench/bench_growth.c: how fast the growth engine is.
 *   1. z-scores per second on one core: growth_compute() over synthetic
 *      children, every indicator (6 z-scores per child).
 *   2. `posyandu growth --batch` on 1,000,000 rows: wall time and the peak
 *      RSS of the child process (it streams, so the RSS should not depend on
 *      the number of rows).
 * The binary is $POSYANDU_BIN, else ./posyandu. Lines start with "bench ". */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/growth.h"

#include "core/banned.h"

#define BATCH_ROWS 1000000L

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A small deterministic generator (xorshift), so runs are comparable. */
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static double urand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static void make_child(struct growth_input *in)
{
	int32_t days = (int32_t)(urand() * 1826);
	double months = days / 30.4375;

	in->sex = 1 + (urand() < 0.5);
	in->age_days = days;
	in->weight_kg = 3.3 + months * 0.25 + (urand() - 0.5) * 3;
	in->lenhei_cm = 50 + months * 1.1 + (urand() - 0.5) * 8;
	in->measure = days < 731 ? 'l' : 'h';
	in->oedema = false;
	in->headc_cm = 35 + months * 0.25 + (urand() - 0.5) * 3;
	in->muac_cm = 12 + months * 0.05 + (urand() - 0.5) * 3;
}

static void bench_compute(void)
{
	enum { N = 4096 };
	static struct growth_input in[N];
	struct growth_result r;
	double t0, dt, sink = 0;
	long iters = 0, valid = 0;

	for (int i = 0; i < N; i++)
		make_child(&in[i]);
	t0 = now_s();
	do {
		for (int i = 0; i < N; i++) {
			growth_compute(&in[i], &r);
			for (int k = 0; k < GROWTH__COUNT; k++)
				if (r.ind[k].valid) {
					valid++;
					sink += r.ind[k].z;
				}
		}
		iters += N;
		dt = now_s() - t0;
	} while (dt < 1.0);
	printf("bench growth: %.1f M z-scores/s (one core; %.2f M children/s, %ld z-scores, checksum %.0f)\n",
	       valid / dt / 1e6, iters / dt / 1e6, valid, sink);
}

static int write_csv(const char *path)
{
	FILE *f = fopen(path, "w");
	static char buf[1 << 16];

	if (!f)
		return -1;
	setvbuf(f, buf, _IOFBF, sizeof buf);
	fputs("sex,age_days,weight_kg,lenhei_cm,measure,oedema,headc_cm,muac_cm\n", f);
	for (long i = 0; i < BATCH_ROWS; i++) {
		struct growth_input in;
		make_child(&in);
		fprintf(f, "%d,%ld,%.1f,%.1f,%c,n,%.1f,%.1f\n", in.sex, (long)in.age_days,
			in.weight_kg, in.lenhei_cm, in.measure, in.headc_cm, in.muac_cm);
	}
	return fclose(f);
}

static int bench_batch(void)
{
	const char *bin = getenv("POSYANDU_BIN");
	char dir[] = "/tmp/posyandu-bench.XXXXXX", csv[64];
	struct rusage ru;
	double t0, dt;
	int status, rc = 0;
	pid_t pid;

	if (!bin || !*bin)
		bin = "./posyandu";
	if (access(bin, X_OK) != 0) {
		printf("bench growth --batch: skipped, no executable %s\n", bin);
		return 0;
	}
	if (!mkdtemp(dir)) {
		perror("bench: mkdtemp");
		return 1;
	}
	snprintf(csv, sizeof csv, "%s/rows.csv", dir);
	if (write_csv(csv) != 0) {
		perror("bench: writing the CSV");
		rc = 1;
		goto out;
	}
	fflush(stdout);
	t0 = now_s();
	pid = fork();
	if (pid < 0) {
		perror("bench: fork");
		rc = 1;
		goto out;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
			_exit(127);
		execl(bin, bin, "growth", "--batch", csv, (char *)NULL);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("bench: wait4");
		rc = 1;
		goto out;
	}
	dt = now_s() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("bench growth --batch: FAILED, %s exited with status %d\n", bin,
		       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		rc = 1;
		goto out;
	}
	printf("bench growth --batch: %ld rows in %.2f s (%.0f rows/s), peak RSS %.1f MiB\n",
	       BATCH_ROWS, dt, BATCH_ROWS / dt, ru.ru_maxrss / 1024.0);
out:
	unlink(csv);
	rmdir(dir);
	return rc;
}

int main(void)
{
	bench_compute();
	return bench_batch();
}
