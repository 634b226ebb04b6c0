/* tests/attack/atk_mem.c: what root (or a debugger) reads from a running
 * posyandu: every readable mapping of the process, through /proc/PID/mem,
 * searched for the given texts (SECURITY.md §2.13: after the session locks
 * no decrypted name or NIK may be left anywhere in the process).
 *
 *   atk_mem scan PID TEXT...
 *
 * prints one line per TEXT, "TEXT<TAB>N<TAB>DD<TAB>LO": N the number of
 * places it was found as UTF-8 bytes or as UTF-32 wide characters (what
 * ncursesw and mbstowcs make of it), DD how many of them lie in mappings
 * excluded from core dumps (smaps VmFlags "dd": sodium_malloc's), LO in
 * mlocked ones ("lo"); with ATK_MEM_VERBOSE=1 each hit's mapping goes to
 * stderr. Exit 0 when the scan ran, 3 when it could not (no such process,
 * no permission: it needs root, as the product is not dumpable).
 *
 * No attack.h store here: the "attacker" only needs the pid. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TEXTS 8
#define CHUNK (1u << 20)

struct needle {
	const char *text;
	unsigned char *utf8, *utf32;
	size_t n8, n32;
	unsigned long hits, dd, lo;   /* everywhere; in MADV_DONTDUMP, in mlocked mappings */
};

static void die(const char *what)
{
	fprintf(stderr, "atk_mem: %s: %s\n", what, strerror(errno));
	exit(3);
}

/* The UTF-32LE form of an ASCII-or-UTF-8 TEXT (decoded by hand: no locale). */
static size_t to_utf32(const char *text, unsigned char *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = 0;

	while (*s) {
		uint32_t c = *s++;
		int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
		if (more)
			c &= 0x3Fu >> more;
		while (more-- && (*s & 0xC0) == 0x80)
			c = c << 6 | (*s++ & 0x3Fu);
		for (int b = 0; b < 4; b++)
			out[n++] = (unsigned char)(c >> (8 * b));
	}
	return n;
}

static unsigned long count(const unsigned char *hay, size_t n, const unsigned char *pat, size_t m)
{
	unsigned long hits = 0;
	const unsigned char *p = hay, *end = hay + n;

	while (m && (size_t)(end - p) >= m && (p = memmem(p, (size_t)(end - p), pat, m))) {
		hits++;
		p++;
	}
	return hits;
}

/* ATK_MEM_VERBOSE: where each hit is, with the bytes around it. */
static void show(const unsigned char *buf, size_t n, unsigned long base, const struct needle *nd,
		 unsigned long lo, unsigned long hi, const char *name)
{
	for (int enc = 0; enc < 2; enc++) {
		const unsigned char *pat = enc ? nd->utf32 : nd->utf8;
		size_t m = enc ? nd->n32 : nd->n8;
		const unsigned char *p = buf;
		while (m && (size_t)(buf + n - p) >= m && (p = memmem(p, (size_t)(buf + n - p), pat, m))) {
			size_t from = (size_t)(p - buf) > 32 ? (size_t)(p - buf) - 32 : 0;
			size_t to = (size_t)(p - buf) + m + 32 < n ? (size_t)(p - buf) + m + 32 : n;
			fprintf(stderr, "atk_mem: \"%s\" (%s) at %lx in %lx-%lx %s: ", nd->text,
				enc ? "UTF-32" : "UTF-8", base + (unsigned long)(p - buf), lo, hi, name);
			for (size_t k = from; k < to; k++)
				fputc(buf[k] >= 0x20 && buf[k] < 0x7f ? buf[k] : '.', stderr);
			fputc('\n', stderr);
			p++;
		}
	}
}

static void scan_region(int mem, unsigned long lo, unsigned long hi, const char *name,
			const char *flags, struct needle *nd, int nn, unsigned char *buf,
			size_t overlap)
{
	bool dd = strstr(flags, " dd") != NULL, locked = strstr(flags, " lo") != NULL;
	unsigned long at = lo;
	size_t carried = 0;

	while (at < hi) {
		size_t want = hi - at < CHUNK ? hi - at : CHUNK;
		ssize_t got = pread(mem, buf + carried, want, (off_t)at);
		if (got <= 0)
			return;            /* a guard page or [vvar]: not readable */
		for (int i = 0; i < nn; i++) {
			unsigned long h = count(buf, carried + (size_t)got, nd[i].utf8, nd[i].n8) +
					  count(buf, carried + (size_t)got, nd[i].utf32, nd[i].n32);
			/* a hit wholly inside the carried bytes was counted last time */
			h -= count(buf, carried, nd[i].utf8, nd[i].n8) +
			     count(buf, carried, nd[i].utf32, nd[i].n32);
			if (h && getenv("ATK_MEM_VERBOSE"))
				show(buf, carried + (size_t)got, at - carried, &nd[i], lo, hi, name);
			nd[i].hits += h;
			nd[i].dd += dd ? h : 0;
			nd[i].lo += locked ? h : 0;
		}
		/* keep the last OVERLAP - 1 bytes: a text may straddle two reads */
		{
			size_t total = carried + (size_t)got;
			size_t keep = total < overlap - 1 ? total : overlap - 1;
			memmove(buf, buf + total - keep, keep);
			carried = keep;
		}
		at += (unsigned long)got;
	}
}

int main(int argc, char **argv)
{
	struct needle nd[MAX_TEXTS];
	char path[64], line[512];
	unsigned char *buf;
	size_t overlap = 0;
	FILE *maps;
	unsigned long lo = 0, hi = 0;
	char perms[8] = "", name[256] = "";
	int mem, nn;

	if (argc < 4 || strcmp(argv[1], "scan") != 0 || argc - 3 > MAX_TEXTS) {
		fputs("usage: atk_mem scan PID TEXT...\n", stderr);
		return 2;
	}
	nn = argc - 3;
	for (int i = 0; i < nn; i++) {
		nd[i].text = argv[3 + i];
		nd[i].utf8 = (unsigned char *)argv[3 + i];
		nd[i].n8 = strlen(argv[3 + i]);
		if (!(nd[i].utf32 = malloc(4 * nd[i].n8 + 4)))
			die("malloc");
		nd[i].n32 = to_utf32(argv[3 + i], nd[i].utf32);
		nd[i].hits = nd[i].dd = nd[i].lo = 0;
		if (nd[i].n32 > overlap)
			overlap = nd[i].n32;
	}
	if (!(buf = malloc(CHUNK + overlap)))
		die("malloc");
	snprintf(path, sizeof path, "/proc/%s/smaps", argv[2]);
	if (!(maps = fopen(path, "r")))
		die(path);
	snprintf(path, sizeof path, "/proc/%s/mem", argv[2]);
	if ((mem = open(path, O_RDONLY)) < 0)
		die(path);
	/* Each mapping: a range line, then "Key: value" lines ending with VmFlags. */
	while (fgets(line, sizeof line, maps)) {
		unsigned long a, b;
		char pm[8];
		/* into temporaries: "Anonymous:" starts with a hex digit too */
		if (sscanf(line, "%lx-%lx %7s", &a, &b, pm) == 3) {
			lo = a, hi = b;
			memcpy(perms, pm, sizeof perms);
			if (sscanf(line, "%*s %*s %*s %*s %*s %255[^\n]", name) < 1)
				name[0] = '\0';
			continue;
		}
		if (strncmp(line, "VmFlags:", 8) == 0 && perms[0] == 'r')
			scan_region(mem, lo, hi, name, line + 8, nd, nn, buf, overlap);
	}
	fclose(maps);
	close(mem);
	for (int i = 0; i < nn; i++)
		printf("%s\t%lu\t%lu\t%lu\n", nd[i].text, nd[i].hits, nd[i].dd, nd[i].lo);
	return 0;
}
