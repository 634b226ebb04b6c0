/* server/serve_conf.c: the [server] section of the configuration file,
 * the limits of `serve` (man posyandu-server(8), sync/server.h). Read here,
 * not in storage/config.c: only posyandu-server has them, and a device's
 * posyandu.ini never does. The file was already parsed once by
 * app_config_read(); an unknown key here is a warning, a bad value an
 * error. */
#include <dictionary.h>
#include <iniparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/cmd.h"
#include "core/banned.h"

struct limit_key {
	const char *key;           /* "server:..." as iniparser keeps it */
	size_t off;                /* in struct server_opts */
};

static const struct limit_key limit_keys[] = {
	{ "server:enrol_pending_per_posyandu", offsetof(struct server_opts, enrol_per_code) },
	{ "server:enrol_pending_total", offsetof(struct server_opts, enrol_total) },
	{ "server:enrol_per_minute", offsetof(struct server_opts, enrol_per_minute) },
	{ "server:spool_per_device_mib", offsetof(struct server_opts, spool_per_device_mib) },
	{ "server:spool_total_mib", offsetof(struct server_opts, spool_total_mib) },
};
#define NLIMITS (sizeof limit_keys / sizeof limit_keys[0])

static int apply(const char *path, const char *key, const char *value, struct server_opts *o,
		 struct err *err)
{
	for (size_t i = 0; i < NLIMITS; i++) {
		char *end;
		unsigned long v;
		if (strcmp(limit_keys[i].key, key) != 0)
			continue;
		v = strtoul(value, &end, 10);
		if (value[0] < '0' || value[0] > '9' || *end || v < 1 || v > SERVER_LIMIT_MAX)
			return err_set(err, ERR_CONFIG, "config", "%s: [server] %s = \"%s\": allowed "
				       "1-%u", path, key + 7, value, SERVER_LIMIT_MAX);
		*(unsigned *)(void *)((char *)o + limit_keys[i].off) = (unsigned)v;
		return 0;
	}
	fprintf(stderr, "posyandu-server: %s: [server] %s is not a known key (ignored)\n", path,
		key + 7);
	return 0;
}

int serve_config(const char *path, struct server_opts *o, struct err *err)
{
	dictionary *ini;
	const char **keys = NULL;
	int n, rc = 0;

	if (!path || !*path)
		return 0;
	if (!(ini = iniparser_load(path)))
		return err_set(err, ERR_CONFIG, "config", "%s: cannot read the file", path);
	if ((n = iniparser_getsecnkeys(ini, "server")) > 0) {
		if (!(keys = calloc((size_t)n, sizeof *keys)))
			rc = err_set(err, ERR_NOMEM, NULL, "out of memory");
		else if (iniparser_getseckeys(ini, "server", keys))
			for (int i = 0; i < n && rc == 0; i++)
				rc = apply(path, keys[i], iniparser_getstring(ini, keys[i], ""), o, err);
	}
	free(keys);
	iniparser_freedict(ini);
	return rc;
}
