/* server/ui.c: the web interface's door (posyandu-server(8) WEB
 * INTERFACE): routes, sign-in and sign-out, sessions, CSRF, the sign-in
 * rate limit and the headers of every answer.
 *
 *   - The session is a cookie "py_session" of 32 random bytes (hex):
 *     HttpOnly, SameSite=Strict, Path=/ui/, Secure under TLS; a new one at
 *     every sign-in (no fixation: a cookie the browser brought is never
 *     promoted), ended in the store at sign-out, after 30 idle minutes or
 *     12 hours (storage/officer.h).
 *   - Every POST carries a CSRF field: the session's keyed hash
 *     (officer_csrf), or before sign-in the value of a short-lived
 *     "py_login" cookie (double submit); compared in constant time. A POST
 *     whose Origin names another host is refused as well.
 *   - Sign-in attempts: UI_ADDRESS_LOGINS_PER_MINUTE per client address
 *     not on loopback (IPv6 by /64) and UI_LOGINS_PER_MINUTE per address
 *     and name (here, in memory), and
 *     per account in the store (waits after 5 wrong passwords). At most
 *     UI_CHECKS_AT_ONCE password checks run at once, without the store
 *     (officer_login lets it go for Argon2id): a flood of tries neither
 *     fills the memory nor stalls imports and pages.
 *   - Headers: a Content-Security-Policy that allows nothing but this
 *     server's stylesheet and forms (no script at all), nosniff, no
 *     framing, no referrer to other sites, no caching. */
#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "server/ui.h"
#include "sync/wire.h"
#include "core/banned.h"

#define COOKIE_SESSION "py_session"
#define COOKIE_LOGIN "py_login"

void ui_init(struct ui_ctx *u, struct store *s, int target_ds, int target_nd)
{
	memset(u, 0, sizeof *u);
	u->s = s;
	u->target_ds = target_ds;
	u->target_nd = target_nd;
	pthread_mutex_init(&u->lock, NULL);
}

void ui_fini(struct ui_ctx *u)
{
	pthread_mutex_destroy(&u->lock);
}

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The client address as the limits count it: an IPv6 address by its /64
 * (one subscriber's network holds 2^64 of them), an IPv4 one whole. */
static void client_key(const char *ip, char *out, size_t size)
{
	struct in6_addr a;

	if (strchr(ip, ':') && inet_pton(AF_INET6, ip, &a) == 1)
		snprintf(out, size, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", a.s6_addr[0],
			 a.s6_addr[1], a.s6_addr[2], a.s6_addr[3], a.s6_addr[4], a.s6_addr[5],
			 a.s6_addr[6], a.s6_addr[7]);
	else
		snprintf(out, size, "%s", ip);
}

/* IP is a loopback address: 127.0.0.0/8, ::1, or ::ffff:127.0.0.0/104. */
static bool on_loopback(const char *ip)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, ip, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, ip, &a6) != 1)
		return false;
	if (IN6_IS_ADDR_LOOPBACK(&a6))
		return true;
	return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}

/* A sign-in attempt from IP for NAME: false when a bucket is empty. Keyed
 * by both (behind loopback every client is 127.0.0.1, and one name's tries
 * must not lock every officer out), and, for a client not on loopback, by
 * its address alone with a larger allowance, so trying new names buys no
 * more checks. On loopback the address tells nobody apart (the officers on
 * the server and through SSH tunnels share it): one allowance for all
 * would let any of them keep the others out. The address buckets are a
 * table of their own: a flood of names cannot evict them. */
static bool login_take(struct ui_ctx *u, const char *ip, bool loopback, const char *name)
{
	char key[sizeof u->b[0].key], addr[64];
	bool ok;

	client_key(ip, addr, sizeof addr);
	snprintf(key, sizeof key, "%s/%.32s", addr, name);
	pthread_mutex_lock(&u->lock);
	ok = (loopback || rate_take(u->ab, UI_BUCKETS, addr, UI_ADDRESS_LOGINS_PER_MINUTE, mono())) &&
	     rate_take(u->b, UI_BUCKETS, key, UI_LOGINS_PER_MINUTE, mono());
	pthread_mutex_unlock(&u->lock);
	return ok;
}

/* A place among the password checks running now, or false. */
static bool check_begin(struct ui_ctx *u)
{
	bool ok;
	pthread_mutex_lock(&u->lock);
	if ((ok = u->checks < UI_CHECKS_AT_ONCE))
		u->checks++;
	pthread_mutex_unlock(&u->lock);
	return ok;
}

static void check_end(struct ui_ctx *u)
{
	pthread_mutex_lock(&u->lock);
	u->checks--;
	pthread_mutex_unlock(&u->lock);
}

static void hold_take(void *sv)
{
	server_lock(sv);
}

static void hold_give(void *sv)
{
	server_unlock(sv);
}

/* Cookie NAME of the request, when it is exactly LEN hex digits, into OUT. */
static bool cookie_hex(const struct server_ui_req *q, const char *name, char *out, size_t len)
{
	const char *c = server_ui_header(q, "Cookie");
	size_t nlen = strlen(name);

	while (c && *c) {
		c += strspn(c, " \t;");
		if (strncmp(c, name, nlen) == 0 && c[nlen] == '=') {
			const char *v = c + nlen + 1;
			size_t n = strcspn(v, "; \t");
			if (n == len && strspn(v, "0123456789abcdef") >= n) {
				memcpy(out, v, n);
				out[n] = '\0';
				return true;
			}
		}
		c += strcspn(c, ";");
	}
	return false;
}

static bool unhex(const char *hex, uint8_t *out, size_t n)
{
	size_t bin_len;
	return sodium_hex2bin(out, n, hex, strlen(hex), NULL, &bin_len, NULL) == 0 && bin_len == n;
}

static void set_cookie(struct ui_page *pg, const char *name, const char *value, int max_age)
{
	char line[320];
	snprintf(line, sizeof line, "%s=%s; Path=/ui/; HttpOnly; SameSite=Strict%s%s", name, value,
		 pg->q->tls ? "; Secure" : "", max_age == 0 ? "; Max-Age=0" : max_age > 0
		 ? "; Max-Age=600" : "");
	ui_header(pg, "Set-Cookie", line);
}

/* English when the browser ranks it above Indonesian (Accept-Language). */
static bool wants_english(const char *al)
{
	double best_en = -1, best_id = -1;
	while (al && *al) {
		size_t n = strcspn(al, ",");
		char item[64];
		snprintf(item, sizeof item, "%.*s", (int)(n < 63 ? n : 63), al);
		char *p = item + strspn(item, " ");
		double qv = 1;
		char *semi = strchr(p, ';');
		if (semi) {
			char *qs = strstr(semi, "q=");
			*semi = '\0';
			if (qs)
				qv = strtod(qs + 2, NULL);
		}
		/* language tags are case-insensitive (RFC 4647): EN-US is en */
		if ((strncasecmp(p, "en", 2) == 0 && (!p[2] || p[2] == '-' || p[2] == ' ')) && qv > best_en)
			best_en = qv;
		if (((strncasecmp(p, "id", 2) == 0 || strncasecmp(p, "in", 2) == 0) &&
		     (!p[2] || p[2] == '-' || p[2] == ' ')) && qv > best_id)
			best_id = qv;
		al += n;
		if (*al == ',')
			al++;
	}
	return best_en > 0 && best_en > best_id;
}

static void common_headers(struct ui_page *pg)
{
	ui_header(pg, "Content-Security-Policy", "default-src 'none'; style-src 'self'; "
		  "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	ui_header(pg, "X-Content-Type-Options", "nosniff");
	ui_header(pg, "X-Frame-Options", "DENY");
	ui_header(pg, "Referrer-Policy", "same-origin");
	ui_header(pg, "Cache-Control", "no-store");
	if (pg->q->tls)
		ui_header(pg, "Strict-Transport-Security", "max-age=31536000");
}

/* The session of the request's cookie: fills PG (signed_in, who, csrf). */
static int find_session(struct ui_page *pg, uint8_t token[OFFICER_TOKEN_LEN])
{
	char hex[2 * OFFICER_TOKEN_LEN + 1];
	struct err e = { 0 };
	uint8_t csrf[32];
	int rc;

	if (!cookie_hex(pg->q, COOKIE_SESSION, hex, 2 * OFFICER_TOKEN_LEN) ||
	    !unhex(hex, token, OFFICER_TOKEN_LEN))
		return 0;
	server_lock(pg->q->sv);
	rc = officer_session(pg->u->s, token, &pg->who, &e);
	server_unlock(pg->q->sv);
	if (rc != 1)
		return rc;
	pg->signed_in = true;
	officer_csrf(token, csrf);
	sodium_bin2hex(pg->csrf, sizeof pg->csrf, csrf, sizeof csrf);
	return 1;
}

/* A POST's CSRF field equals WANT (hex), in constant time. */
static bool csrf_ok(struct ui_page *pg, const char *want)
{
	char got[80];
	size_t n = strlen(want);
	return want[0] && ui_form(pg->q, "csrf", got, sizeof got) && strlen(got) == n &&
	       sodium_memcmp(got, want, n) == 0;
}

/* Without TLS only a loopback name may be asked for: a page elsewhere that
 * points its own name at 127.0.0.1 (DNS rebinding) would otherwise be
 * "same origin" with the interface in the officer's browser. */
static bool host_ok(const struct server_ui_req *q)
{
	const char *host = server_ui_header(q, "Host");
	size_t n;

	if (q->tls)
		return true;
	if (!host)
		return false;
	n = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":");
	if (host[n] && (host[n] != ':' || strspn(host + n + 1, "0123456789") != strlen(host + n + 1)))
		return false;
	return (n == 9 && strncmp(host, "localhost", 9) == 0) ||
	       (n == 5 && strncmp(host, "[::1]", 5) == 0) ||
	       (n >= 9 && n <= 15 && strncmp(host, "127.", 4) == 0 &&
		strspn(host, "0123456789.") == n);
}

/* A POST whose Origin is another site's (SameSite=Strict is the first wall). */
static bool origin_ok(const struct server_ui_req *q)
{
	const char *origin = server_ui_header(q, "Origin"), *host = server_ui_header(q, "Host");
	const char *p;
	/* "null" is what a browser sends under some referrer policies and
	 * privacy settings: the CSRF token still decides. */
	if (!origin || strcmp(origin, "null") == 0)
		return true;
	if (!host || !(p = strstr(origin, "://")))
		return false;
	return strcmp(p + 3, host) == 0;
}

static void login_page(struct ui_page *pg, const char *msg, int status)
{
	uint8_t r[16];
	char hex[33];
	struct buf *b = &pg->b;

	randombytes_buf(r, sizeof r);
	sodium_bin2hex(hex, sizeof hex, r, sizeof r);
	set_cookie(pg, COOKIE_LOGIN, hex, 1);
	ui_begin(pg, L(pg, "Sign in", "Masuk"), "");
	if (msg) {
		buf_s(b, "<p class=\"msg bad\" role=\"alert\">");
		buf_h(b, msg);
		buf_s(b, "</p>");
	}
	buf_f(b, "<form class=\"login\" method=\"post\" action=\"/ui/login\">"
	      "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	      "<label for=\"name\">%s</label><input type=\"text\" id=\"name\" name=\"name\" "
	      "autocomplete=\"username\" autocapitalize=\"none\" required maxlength=\"32\">"
	      "<label for=\"password\">%s</label><input type=\"password\" id=\"password\" "
	      "name=\"password\" autocomplete=\"current-password\" required maxlength=\"256\">"
	      "<button type=\"submit\" id=\"signin\">%s</button></form>", hex,
	      L(pg, "Officer name", "Nama petugas"), L(pg, "Password", "Kata sandi"),
	      L(pg, "Sign in", "Masuk"));
	ui_end(pg);
	ui_send(pg, status, NULL);
}

/* Sign in; a browser already signed in ends its OLD session (when given):
 * one browser, one session. */
static void login_post(struct ui_page *pg, const uint8_t *old)
{
	const struct officer_hold hold = { hold_take, hold_give, pg->q->sv };
	char want[33], name[OFFICER_NAME_MAX + 2], hex[2 * OFFICER_TOKEN_LEN + 1];
	char *pw = sodium_malloc(OFFICER_PASSWORD_MAX + 2);
	uint8_t token[OFFICER_TOKEN_LEN];
	struct err e = { 0 };
	int rc;

	if (!pw) {
		ui_error(pg, 503, "out of memory");
		return;
	}
	if (!cookie_hex(pg->q, COOKIE_LOGIN, want, 32) || !csrf_ok(pg, want) || !origin_ok(pg->q)) {
		sodium_free(pw);
		login_page(pg, L(pg, "The form expired: sign in again.",
				 "Formulir kedaluwarsa: silakan masuk lagi."), 403);
		return;
	}
	if (!ui_form(pg->q, "name", name, sizeof name) ||
	    !ui_form(pg->q, "password", pw, OFFICER_PASSWORD_MAX + 2)) {
		sodium_free(pw);
		login_page(pg, L(pg, "Wrong name or password.", "Nama atau kata sandi salah."), 401);
		return;
	}
	if (!login_take(pg->u, pg->q->ip, on_loopback(pg->q->ip), name)) {
		sodium_free(pw);
		login_page(pg, L(pg, "Too many sign-in attempts from this address: wait a minute.",
				 "Terlalu banyak percobaan masuk dari alamat ini: tunggu satu menit."), 429);
		return;
	}
	if (!check_begin(pg->u)) {
		sodium_free(pw);
		login_page(pg, L(pg, "The server is busy checking other sign-ins: try again.",
				 "Server sedang memeriksa percobaan masuk lain: coba lagi."), 503);
		return;
	}
	rc = officer_login(pg->u->s, name, pw, strlen(pw), token, &pg->who, &hold, &e);
	check_end(pg->u);
	sodium_memzero(pw, OFFICER_PASSWORD_MAX + 2);
	sodium_free(pw);
	if (rc < 0) {
		login_page(pg, e.code == ERR_AUTH
			   ? L(pg, "Wrong name or password, or too many attempts: wait a few minutes.",
			       "Nama atau kata sandi salah, atau terlalu banyak percobaan: tunggu "
			       "beberapa menit.")
			   : e.detail, e.code == ERR_AUTH ? 401 : 503);
		return;
	}
	if (old) {
		struct err e2 = { 0 };
		server_lock(pg->q->sv);
		officer_logout(pg->u->s, old, &e2);
		server_unlock(pg->q->sv);
	}
	sodium_bin2hex(hex, sizeof hex, token, sizeof token);
	sodium_memzero(token, sizeof token);
	set_cookie(pg, COOKIE_SESSION, hex, -1);
	sodium_memzero(hex, sizeof hex);
	set_cookie(pg, COOKIE_LOGIN, "", 0);
	ui_redirect(pg, "/ui/month");
}

static void logout_post(struct ui_page *pg, const uint8_t token[OFFICER_TOKEN_LEN])
{
	struct err e = { 0 };
	server_lock(pg->q->sv);
	officer_logout(pg->u->s, token, &e);
	server_unlock(pg->q->sv);
	set_cookie(pg, COOKIE_SESSION, "", 0);
	ui_redirect(pg, "/ui/login");
}

struct route {
	const char *method, *path;
	void (*fn)(struct ui_page *pg);
};

static const struct route routes[] = {
	{ "GET", "/ui/month", ui_page_month },
	{ "GET", "/ui/month.csv", ui_page_month_csv },
	{ "GET", "/ui/trends", ui_page_trends },
	{ "GET", "/ui/sync", ui_page_sync },
	{ "GET", "/ui/devices", ui_page_devices },
	{ "POST", "/ui/devices", ui_post_devices },
	{ "GET", "/ui/training", ui_page_training },
	{ "GET", "/ui/training.csv", ui_page_training_csv },
};

void ui_handle(void *ctx, const struct server_ui_req *q, struct server_ui_resp *a)
{
	struct ui_page pg = { .q = q, .a = a, .u = ctx };
	uint8_t token[OFFICER_TOKEN_LEN];
	bool post = strcmp(q->method, "POST") == 0;
	int rc;

	pg.en = wants_english(server_ui_header(q, "Accept-Language"));
	common_headers(&pg);
	if (!host_ok(q)) {
		ui_error(&pg, 403, L(&pg, "Open the interface as http://127.0.0.1:PORT/ui/ or "
				     "http://localhost:PORT/ui/.", "Buka antarmuka sebagai "
				     "http://127.0.0.1:PORT/ui/ atau http://localhost:PORT/ui/."));
		return;
	}
	if (strcmp(q->url, "/ui/style.css") == 0) {
		buf_s(&pg.b, ui_css);
		ui_send(&pg, 200, "text/css; charset=utf-8");
		return;
	}
	if ((rc = find_session(&pg, token)) < 0) {
		ui_error(&pg, 503, L(&pg, "The district store is busy: try again.",
				     "Penyimpanan kabupaten sedang sibuk: coba lagi."));
		return;
	}
	if (strcmp(q->url, "/ui/login") == 0) {
		if (post)
			login_post(&pg, pg.signed_in ? token : NULL);
		else if (pg.signed_in)
			ui_redirect(&pg, "/ui/month");
		else
			login_page(&pg, NULL, 200);
		goto out;
	}
	if (!pg.signed_in) {
		/* A stale or forged cookie is dropped, and the officer signs in. */
		if (server_ui_header(q, "Cookie"))
			set_cookie(&pg, COOKIE_SESSION, "", 0);
		if (post)
			ui_error(&pg, 403, L(&pg, "Not signed in.", "Belum masuk."));
		else
			ui_redirect(&pg, "/ui/login");
		goto out;
	}
	if (post && (!csrf_ok(&pg, pg.csrf) || !origin_ok(q))) {
		ui_error(&pg, 403, L(&pg, "This form did not come from this page (CSRF check): "
				     "nothing changed.", "Formulir ini tidak berasal dari halaman ini "
				     "(pemeriksaan CSRF): tidak ada yang diubah."));
		goto out;
	}
	if (strcmp(q->url, "/ui/logout") == 0 && post) {
		logout_post(&pg, token);
		goto out;
	}
	if (strcmp(q->url, "/ui") == 0 || strcmp(q->url, "/ui/") == 0) {
		ui_redirect(&pg, "/ui/month");
		goto out;
	}
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
		if (strcmp(routes[i].path, q->url) == 0 && strcmp(routes[i].method, q->method) == 0) {
			routes[i].fn(&pg);
			goto out;
		}
	ui_error(&pg, 404, L(&pg, "There is no such page.", "Halaman ini tidak ada."));
out:
	sodium_memzero(token, sizeof token);
	free(pg.b.p);
}
