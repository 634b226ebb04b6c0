/* server/main.c: posyandu-server, the district's program (man
 * posyandu-server(8)). A thin door over sync/: the store is the same
 * encrypted store as a device's (storage/), its device keys are the
 * district's keys, and the district passphrase is its admin's secret.
 *
 * Messages are English: the district data officer's tool, and its lines
 * are parsed by scripts ("<file>: <class>: <reason>"). Exit status 0 on
 * success, 1 on an error, 2 on a usage error. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "core/valid.h"
#include "storage/codec.h"
#include "storage/config.h"
#include "storage/store.h"
#include "storage/sync_store.h"
#include "sync/durable.h"
#include "sync/enrol.h"
#include "sync/exporter.h"
#include "sync/importer.h"
#include "sync/server.h"
#include "sync/server_report.h"
#include "core/date.h"
#include "core/report.h"
#include "storage/clock.h"
#include "sync/usb.h"
#include "sync/wire.h"
#include "core/banned.h"

#define ADMIN "district"
#define SECRET_MAX 256

enum { OK = 0, FAIL = 1, USAGE = 2 };

struct ctx {
	const char *data_arg, *config_arg, *pin_file;
	int pin_fd;
	char dir[512];
	struct settings cfg;
	struct store *s;
};

static const char usage_text[] =
	"usage: posyandu-server [--data DIR] [--config FILE] [--pin-file FILE | --pin-fd N] COMMAND\n"
	"  init [--code CODE] [--name NAME]     create the district store and keys\n"
	"  pubkey [--fingerprint]               the district key string (one line)\n"
	"  serve --listen ADDR:PORT [--tls-cert FILE --tls-key FILE] [--max-size BYTES] [--log FILE]\n"
	"  import [--receipts DIR] FILE...      bundles that came on a USB stick\n"
	"  export --device ID --to DIR          a downstream bundle for one device\n"
	"  device add REQUEST | device list | device approve ID | device revoke ID\n"
	"  report monthly --month YYYY-MM [--format text|csv|json]\n";

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "posyandu-server: %s\n", why);
	fputs(usage_text, stderr);
	return USAGE;
}

static int fail(const struct err *e)
{
	fprintf(stderr, "posyandu-server: %s%s%s\n", err_code_text(e->code), e->detail[0] ? ": " : "",
		e->detail);
	return e->code == ERR_USAGE ? USAGE : FAIL;
}

/* ---- the passphrase: --pin-file, --pin-fd or the terminal, never argv ---- */

static int read_line(int fd, char *buf, size_t *len)
{
	char c;
	ssize_t n;
	*len = 0;
	for (;;) {
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0 || c == '\n')
			break;
		if (*len >= SECRET_MAX)
			return -1;
		buf[(*len)++] = c;
	}
	if (*len && buf[*len - 1] == '\r')
		(*len)--;
	buf[*len] = '\0';
	return *len ? 0 : -1;
}

static int read_secret(struct ctx *c, const char *prompt, int confirm, char **out, size_t *len,
		       struct err *err)
{
	char *buf = sodium_malloc(SECRET_MAX + 1), *again = NULL;
	int rc = -1;

	if (!buf)
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	if (c->pin_file) {
		int fd = open(c->pin_file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		rc = fd < 0 ? -1 : read_line(fd, buf, len);
		if (fd >= 0)
			close(fd);
		if (rc < 0)
			err_set(err, ERR_IO, "pin-file", "%s: cannot read a passphrase", c->pin_file);
	} else if (c->pin_fd >= 0) {
		if ((rc = read_line(c->pin_fd, buf, len)) < 0)
			err_set(err, ERR_IO, "pin-file", "--pin-fd: cannot read a passphrase");
	} else {
		int tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
		struct termios old, quiet;
		if (tty < 0) {
			err_set(err, ERR_USAGE, "pin", "no terminal to ask for the passphrase: use --pin-file");
			goto out;
		}
		for (int round = 0; round < (confirm ? 2 : 1); round++) {
			char *dst = round ? again : buf;
			size_t n;
			int have = tcgetattr(tty, &old) == 0;
			if (round && !(dst = again = sodium_malloc(SECRET_MAX + 1)))
				break;
			if (write(tty, round ? "Again: " : prompt, strlen(round ? "Again: " : prompt)) < 0)
				break;
			if (have) {
				quiet = old;
				quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
				tcsetattr(tty, TCSAFLUSH, &quiet);
			}
			rc = read_line(tty, dst, round ? &n : len);
			if (have)
				tcsetattr(tty, TCSAFLUSH, &old);
			if (write(tty, "\n", 1) < 0)
				rc = -1;
			if (rc < 0)
				break;
			if (round && (n != *len || sodium_memcmp(again, buf, n) != 0)) {
				rc = -1;
				err_set(err, ERR_FORMAT, "pin", "the two passphrases differ");
			}
		}
		close(tty);
		if (rc < 0 && err && !err->code)
			err_set(err, ERR_IO, "pin", "no passphrase was read");
	}
out:
	if (again)
		sodium_free(again);
	if (rc < 0) {
		sodium_free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

/* ---- setup ---- */

static void resolve_dir(struct ctx *c)
{
	const char *env = getenv("POSYANDU_SERVER_DATA"), *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (c->data_arg)
		snprintf(c->dir, sizeof c->dir, "%s", c->data_arg);
	else if (env && *env)
		snprintf(c->dir, sizeof c->dir, "%s", env);
	else if (xdg && *xdg)
		snprintf(c->dir, sizeof c->dir, "%s/posyandu-server", xdg);
	else
		snprintf(c->dir, sizeof c->dir, "%s/.local/share/posyandu-server", home ? home : ".");
}

static int open_store(struct ctx *c, int unlock)
{
	struct err e = { 0 };
	char *pass;
	size_t len;
	int rc;

	if (!(c->s = store_open(c->dir, NULL, &e)))
		return fail(&e);
	if (!unlock)
		return OK;
	if (read_secret(c, "District passphrase: ", 0, &pass, &len, &e) < 0)
		return fail(&e);
	rc = store_login(c->s, ADMIN, pass, len, NULL, &e);
	sodium_free(pass);
	if (rc < 0) {
		if (e.code == ERR_AUTH)
			fprintf(stderr, "posyandu-server: wrong passphrase\n");
		else
			fail(&e);
		return FAIL;
	}
	return OK;
}

static void print_key(struct ctx *c, int both)
{
	char key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN];
	struct err e = { 0 };
	if (enrol_own_key(c->s, KEYSTR_DISTRICT, key, fpr, &e) < 0) {
		fail(&e);
		return;
	}
	printf("%s\n", key);
	if (both)
		printf("fingerprint: %s\n", fpr);
}

/* ---- commands ---- */

static int cmd_init(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "code", required_argument, NULL, 'c' }, { "name", required_argument, NULL, 'n' },
		{ 0, 0, 0, 0 },
	};
	struct store_profile p;
	struct kdf_params kdf;
	struct err e = { 0 };
	char *pass;
	size_t len;
	int ch;

	memset(&p, 0, sizeof p);
	snprintf(p.code, sizeof p.code, "DISTRICT");
	snprintf(p.name, sizeof p.name, "District health office");
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'c' && strlen(optarg) < sizeof p.code)
			snprintf(p.code, sizeof p.code, "%s", optarg);
		else if (ch == 'n')
			snprintf(p.name, sizeof p.name, "%s", optarg);
		else
			return usage("init [--code CODE] [--name NAME]");
	}
	if (optind != argc)
		return usage("init takes no other arguments");
	if (valid_posyandu_code(p.code, &e) < 0)
		return fail(&e);
	if (store_exists(c->dir))
		return err_set(&e, ERR_EXISTS, "data", "%s already holds a store", c->dir), fail(&e);
	if (read_secret(c, "New district passphrase (16+ characters, or 12+ digits): ", 1, &pass,
			&len, &e) < 0)
		return fail(&e);
	if (valid_secret(pass, len, SECRET_STRONG, &e) < 0) {
		sodium_free(pass);
		fprintf(stderr, "posyandu-server: the district passphrase must be strong: 16 or more "
				"characters, or 12 or more digits that are not a run\n");
		return FAIL;
	}
	/* SECURITY.md §2.2: a server profile of 256 MiB or more, unless configured. */
	kdf.memlimit = c->cfg.argon2_mem_mib ? (size_t)c->cfg.argon2_mem_mib << 20 : (size_t)256 << 20;
	kdf.opslimit = c->cfg.argon2_ops ? (uint64_t)c->cfg.argon2_ops : 3;
	c->s = store_create(c->dir, &p, ADMIN, pass, len, &kdf, &e);
	sodium_free(pass);
	if (!c->s)
		return fail(&e);
	printf("District store created in %s (%s); Argon2id m=%zu MiB t=%llu\n", c->dir, p.code,
	       kdf.memlimit >> 20, (unsigned long long)kdf.opslimit);
	printf("Give this key to each posyandu admin; read the fingerprint aloud on the phone:\n");
	print_key(c, 1);
	printf("Back up the data folder and the passphrase offline: losing the district key loses\n"
	       "every recovery slot and every bundle not yet imported.\n");
	return OK;
}

static int cmd_pubkey(struct ctx *c, int argc, char **argv)
{
	int rc;
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--fingerprint") != 0))
		return usage("pubkey [--fingerprint]");
	if ((rc = open_store(c, 0)) != OK)
		return rc;
	if (argc == 2) {
		char key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN];
		struct err e = { 0 };
		if (enrol_own_key(c->s, KEYSTR_DISTRICT, key, fpr, &e) < 0)
			return fail(&e);
		printf("%s\n", fpr);
		return OK;
	}
	print_key(c, 0);
	return OK;
}

static int read_small(const char *path, uint8_t *buf, size_t cap, size_t *len, struct err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return err_set(err, ERR_IO, "request", "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > cap) {
		close(fd);
		return err_set(err, ERR_FORMAT, "request", "%s is not a request file", path);
	}
	n = read(fd, buf, cap);
	close(fd);
	if (n < 0)
		return err_set(err, ERR_IO, "request", "%s: %s", path, strerror(errno));
	*len = (size_t)n;
	return 0;
}

static int cmd_device(struct ctx *c, int argc, char **argv)
{
	struct err e = { 0 };
	int rc;

	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		struct sync_device *d;
		size_t n;
		if ((rc = open_store(c, 0)) != OK)
			return rc;
		if (sync_device_list(c->s, &d, &n, &e) < 0)
			return fail(&e);
		for (size_t i = 0; i < n; i++) {
			char id[33], key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN];
			enrol_device_key(&d[i], key, fpr);
			printf("%s\t%s\t%s\t%s\n", wire_hex(d[i].id, 16, id), d[i].posyandu,
			       sync_device_status_name(d[i].status), fpr);
		}
		free(d);
		return OK;
	}
	if (argc == 3 && strcmp(argv[1], "add") == 0) {
		uint8_t req[1024];
		struct sync_device d;
		char id[33], key[KEYSTR_MAX], fpr[KEYSTR_FPR_LEN];
		size_t len = 0;
		bool existed;
		if (read_small(argv[2], req, sizeof req, &len, &e) < 0)
			return fail(&e);
		if ((rc = open_store(c, 1)) != OK)
			return rc;
		if (enrol_accept(c->s, req, len, &d, &existed, &e) < 0)
			return fail(&e);
		enrol_device_key(&d, key, fpr);
		printf("%s device %s of %s (%s): pending\n", existed ? "Already added:" : "Added:",
		       wire_hex(d.id, 16, id), d.posyandu, d.name);
		printf("fingerprint: %s\n", fpr);
		printf("Approve it only after the posyandu admin has read these digits to you:\n"
		       "  posyandu-server device approve %.8s\n", id);
		return OK;
	}
	if (argc == 3 && (strcmp(argv[1], "approve") == 0 || strcmp(argv[1], "revoke") == 0)) {
		uint8_t id[16];
		int approve = strcmp(argv[1], "approve") == 0;
		if ((rc = open_store(c, 1)) != OK)
			return rc;
		if (sync_device_find(c->s, argv[2], id, &e) < 0 ||
		    sync_device_set_status(c->s, id, approve ? SYNC_DEV_APPROVED : SYNC_DEV_REVOKED,
					   &e) < 0)
			return fail(&e);
		printf("Device %s %s\n", argv[2], approve ? "approved" : "revoked");
		return OK;
	}
	return usage("device add REQUEST | device list | device approve ID | device revoke ID");
}

/* The receipt's file name: the bundle's, with .pyr for .pyb. */
static void receipt_name(const char *bundle, char *out, size_t size)
{
	const char *base = strrchr(bundle, '/');
	size_t n;
	base = base ? base + 1 : bundle;
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".pyb") == 0)
		n -= 4;
	snprintf(out, size, "%.*s.pyr", (int)n, base);
}

static int cmd_import(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "receipts", required_argument, NULL, 'r' }, { 0, 0, 0, 0 },
	};
	struct import_opts io = { .district = true };
	const char *rdir = NULL;
	int ch, rc, failed = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'r')
			return usage("import [--receipts DIR] FILE...");
		rdir = optarg;
	}
	if (optind >= argc)
		return usage("import needs at least one bundle file");
	if ((rc = open_store(c, 1)) != OK)
		return rc;
	for (int i = optind; i < argc; i++) {
		struct import_result ir;
		struct err e = { 0 };
		char name[300], dirbuf[600], path[800];
		const char *dir;

		if (import_bundle(c->s, argv[i], &io, &ir, &e) < 0) {
			printf("%s: %s: %s\n", argv[i], bundle_class_name(ir.cls), e.detail);
			failed++;
			continue;
		}
		if (ir.cls == BUNDLE_DUPLICATE)
			printf("%s: duplicate: %s #%llu was imported before: nothing changed\n", argv[i],
			       ir.h.posyandu, (unsigned long long)ir.h.seq);
		else
		printf("%s: %s: %s (%s) #%llu: %u new, %u duplicate versions%s\n", argv[i],
		       bundle_class_name(ir.cls), ir.h.posyandu, ir.posyandu_name,
		       (unsigned long long)ir.h.seq, ir.n_new, ir.n_dup,
		       ir.seq_regression ? " (warning: an older sequence than seen before: a restored "
					   "backup? ask the posyandu to re-enrol)" : "");
		if (!ir.has_receipt)
			continue;
		receipt_name(argv[i], name, sizeof name);
		snprintf(dirbuf, sizeof dirbuf, "%s", argv[i]);
		dir = rdir ? rdir : dirname(dirbuf);
		if (durable_write_file(dir, name, ir.receipt, RECEIPT_LEN, "usb", path, sizeof path,
				       &e) < 0) {
			printf("%s: receipt not written: %s\n", argv[i], e.detail);
			failed++;
			continue;
		}
		printf("%s: receipt %s\n", argv[i], path);
	}
	return failed ? FAIL : OK;
}

static int cmd_export(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' }, { "to", required_argument, NULL, 't' },
		{ 0, 0, 0, 0 },
	};
	const char *dev = NULL, *to = NULL;
	struct export_result er;
	struct err e = { 0 };
	uint8_t id[16];
	char out[800];
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'd')
			dev = optarg;
		else if (ch == 't')
			to = optarg;
		else
			return usage("export --device ID --to DIR");
	}
	if (!dev || !to || optind != argc)
		return usage("export --device ID --to DIR");
	if ((rc = open_store(c, 1)) != OK)
		return rc;
	if (sync_device_find(c->s, dev, id, &e) < 0 || export_downstream(c->s, id, 0, &er, &e) < 0)
		return fail(&e);
	if (er.empty) {
		printf("Nothing new for device %s\n", dev);
		return OK;
	}
	if (usb_put(er.e.path, to, er.name, er.e.hash, out, sizeof out, &e) < 0)
		return fail(&e);
	printf("Downstream bundle written: %s (#%llu, %u versions)\n", out,
	       (unsigned long long)er.e.seq, er.e.versions);
	return OK;
}

static char *read_pem(const char *path, struct err *err)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size > (1 << 20)) {
		if (fd >= 0)
			close(fd);
		err_set(err, ERR_IO, "tls", "%s: cannot read", path);
		return NULL;
	}
	if (!(buf = sodium_malloc((size_t)st.st_size + 1))) {
		close(fd);
		err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
		return NULL;
	}
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static int cmd_serve(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' }, { "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' }, { "max-size", required_argument, NULL, 'm' },
		{ "log", required_argument, NULL, 'L' }, { 0, 0, 0, 0 },
	};
	const char *listen = NULL, *cert = NULL, *key = NULL, *logp = NULL;
	struct server_opts so = { 0 };
	struct server *sv;
	struct err e = { 0 };
	sigset_t set;
	int ch, sig, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': listen = optarg; break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 'L': logp = optarg; break;
		case 'm': {
			char *end;
			so.max_size = strtoull(optarg, &end, 10);
			if (*end || so.max_size < 1024)
				return usage("--max-size takes a number of bytes (at least 1024)");
			break;
		}
		default:
			return usage(NULL);
		}
	}
	if (!listen || optind != argc || (!cert != !key))
		return usage("serve --listen ADDR:PORT [--tls-cert FILE --tls-key FILE]");
	if ((rc = open_store(c, 1)) != OK)
		return rc;
	if (cert && (!(so.tls_cert_pem = read_pem(cert, &e)) || !(so.tls_key_pem = read_pem(key, &e))))
		return fail(&e);
	so.log = stderr;
	if (logp && !(so.log = fopen(logp, "ae")))
		return err_set(&e, ERR_IO, "log", "%s: %s", logp, strerror(errno)), fail(&e);
	/* Signals are waited for here; the daemon's threads inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!(sv = server_start(c->s, listen, &so, &e)))
		return fail(&e);
	printf("posyandu-server: listening on %s://%.*s:%u\n", cert ? "https" : "http",
	       (int)(strrchr(listen, ':') - listen), listen, server_port(sv));
	fflush(stdout);
	sigwait(&set, &sig);
	server_stop(sv);
	if (so.tls_cert_pem)
		sodium_free((void *)so.tls_cert_pem);
	if (so.tls_key_pem)
		sodium_free((void *)so.tls_key_pem);
	if (so.log && so.log != stderr)
		fclose(so.log);
	fprintf(stderr, "posyandu-server: stopped (signal %d)\n", sig);
	return OK;
}

/* The monthly report per posyandu and for the district (core/report.c). */
static int cmd_report(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ 0, 0, 0, 0 },
	};
	enum server_report_format fmt = SRF_TEXT;
	struct err e = { 0 };
	int32_t ref;
	int month = -1, ch;

	if (argc < 2 || strcmp(argv[1], "monthly") != 0)
		return usage("report monthly --month YYYY-MM");
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (ch == 'm') {
			if (date_parse_month(optarg, &month, &e) < 0)
				return usage("--month takes YYYY-MM");
		} else if (ch == 'f' && strcmp(optarg, "text") == 0) {
			fmt = SRF_TEXT;
		} else if (ch == 'f' && strcmp(optarg, "csv") == 0) {
			fmt = SRF_CSV;
		} else if (ch == 'f' && strcmp(optarg, "json") == 0) {
			fmt = SRF_JSON;
		} else {
			return usage(NULL);
		}
	}
	if (month < 0 || optind != argc - 1)
		return usage("report monthly --month YYYY-MM");
	if (report_ref_day(month, clock_today(), &ref, &e) < 0)
		return fail(&e);
	if (open_store(c, 1) != OK)
		return FAIL;
	if (server_report_monthly(c->s, month, ref, fmt, stdout, &e) < 0)
		return fail(&e);
	return OK;
}

/* ---- dispatch ---- */

static int load_config(struct ctx *c)
{
	struct config_diag diag;
	struct err e = { 0 };
	char path[512];
	if (config_locate(c->config_arg, path, sizeof path, &e) < 0 ||
	    config_load(path, &c->cfg, &diag, NULL, NULL, &e) < 0)
		return fail(&e);
	return OK;
}

int main(int argc, char **argv)
{
	static const struct option gopts[] = {
		{ "data", required_argument, NULL, 'D' }, { "config", required_argument, NULL, 'C' },
		{ "pin-file", required_argument, NULL, 'p' }, { "pin-fd", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' },
		{ 0, 0, 0, 0 },
	};
	static const struct { const char *name; int (*fn)(struct ctx *, int, char **); } cmds[] = {
		{ "init", cmd_init }, { "pubkey", cmd_pubkey }, { "serve", cmd_serve },
		{ "import", cmd_import }, { "export", cmd_export }, { "device", cmd_device },
		{ "report", cmd_report },
	};
	struct rlimit no_core = { 0, 0 };
	struct ctx c;
	int ch, rc = USAGE;

	if (sodium_init() < 0) {
		fputs("posyandu-server: libsodium failed to initialise\n", stderr);
		return FAIL;
	}
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	umask(077);
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	codec_init();
	memset(&c, 0, sizeof c);
	c.pin_fd = -1;
	/* Global options come before the command ("+": stop at the first word). */
	while ((ch = getopt_long(argc, argv, "+h", gopts, NULL)) != -1) {
		switch (ch) {
		case 'D': c.data_arg = optarg; break;
		case 'C': c.config_arg = optarg; break;
		case 'p': c.pin_file = optarg; break;
		case 'P': {
			char *end;
			long fd = strtol(optarg, &end, 10);
			if (*end || fd < 0 || fd > 1000000)
				return usage("--pin-fd takes a file descriptor number");
			c.pin_fd = (int)fd;
			break;
		}
		case 'V':
			printf("posyandu-server %s\n", POSYANDU_VERSION);
			return OK;
		case 'h':
			fputs(usage_text, stdout);
			return OK;
		default:
			return usage(NULL);
		}
	}
	if (optind >= argc)
		return usage(NULL);
	if (load_config(&c) != OK)
		return FAIL;
	resolve_dir(&c);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (strcmp(argv[optind], cmds[i].name) == 0)
			rc = cmds[i].fn(&c, argc - optind, argv + optind);
	if (rc == USAGE && optind < argc) {
		int known = 0;
		for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
			known |= strcmp(argv[optind], cmds[i].name) == 0;
		if (!known)
			fprintf(stderr, "posyandu-server: unknown command \"%s\"\n", argv[optind]);
	}
	store_checkpoint(c.s);
	store_close(c.s);
	return rc;
}
