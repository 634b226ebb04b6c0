/* app/i18n.c: choose the catalogue and the UI language. */
#include "app/i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

/* The catalogues beside a binary run from the source tree (build/locale). */
static int source_tree_localedir(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return -1;
	*slash = '\0';
	/* posyandu beside build/, or build-san/posyandu beside build-san/locale */
	snprintf(buf, size, "%.*s/build/locale", (int)(size - 16), exe);
	if (access(buf, R_OK) == 0)
		return 0;
	snprintf(buf, size, "%.*s/locale", (int)(size - 16), exe);
	return access(buf, R_OK) == 0 ? 0 : -1;
}

void i18n_init(const char *lang)
{
	const char *dir = getenv("POSYANDU_LOCALEDIR");
	char buf[PATH_MAX];
	const char *cur = setlocale(LC_MESSAGES, NULL);

	/* gettext ignores LANGUAGE in the plain "C" locale; C.UTF-8 is always there. */
	if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		setlocale(LC_ALL, "C.UTF-8");
	setlocale(LC_NUMERIC, "C");
	if (!dir || !*dir)
		dir = source_tree_localedir(buf, sizeof buf) == 0 ? buf : LOCALEDIR;
	/* LANGUAGE first: textdomain() then drops gettext's cache, so a second
	 * call (once the config has named the language) takes effect. */
	setenv("LANGUAGE", lang && *lang ? lang : "id", 1);
	bindtextdomain("posyandu", dir);
	bind_textdomain_codeset("posyandu", "UTF-8");
	textdomain("posyandu");
}
