/* sync/server_report.c: the district report over the server's store: the
 * records grouped by the posyandu of the device that made their current
 * version, each group and the whole district computed by core/report.c. */
#include "sync/server_report.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "storage/sync_store.h"
#include "core/banned.h"

/* The posyandu code of the device that made the current version of UUID. */
static const char *code_of(const uint8_t uuid[16], const struct sync_origin *o, size_t no,
			   const struct sync_device *dev, size_t nd)
{
	for (size_t i = 0; i < no; i++) {
		if (memcmp(o[i].uuid, uuid, 16) != 0)
			continue;
		for (size_t k = 0; k < nd; k++)
			if (memcmp(dev[k].id, o[i].device, 16) == 0)
				return dev[k].posyandu;
		return "";
	}
	return "";
}

static int cmp_origin(const void *a, const void *b)
{
	return memcmp(((const struct sync_origin *)a)->uuid, ((const struct sync_origin *)b)->uuid, 16);
}

static const char *code_fast(const uint8_t uuid[16], const struct sync_origin *o, size_t no,
			     const struct sync_device *dev, size_t nd)
{
	struct sync_origin key;
	const struct sync_origin *hit;
	memcpy(key.uuid, uuid, 16);
	hit = bsearch(&key, o, no, sizeof *o, cmp_origin);
	return hit ? code_of(uuid, hit, 1, dev, nd) : "";
}

static int compute(const struct person *p, size_t np, const struct visit *v, size_t nv,
		   int month, int32_t ref_day, struct report_monthly *out, struct err *err)
{
	struct report_input in = { p, np, v, nv, NULL, 0 };
	struct report_data *d = report_data_new(&in, err);
	int rc;
	if (!d)
		return -1;
	rc = report_monthly(d, month, ref_day, out, err);
	report_data_free(d);
	return rc;
}

int server_report_monthly(struct store *s, int month, int32_t ref_day,
			  struct server_report_row **rows, size_t *n, struct err *err)
{
	struct person *people = NULL, *sub_p = NULL;
	struct visit *visits = NULL, *sub_v = NULL;
	struct sync_origin *origin = NULL;
	struct sync_device *dev = NULL;
	struct server_report_row *g = NULL;
	size_t np, nv, no, nd, ng = 0;
	int rc = -1;

	if (store_people(s, &people, &np, err) < 0 || store_visits(s, &visits, &nv, err) < 0 ||
	    sync_record_origins(s, REC_PERSON, &origin, &no, err) < 0 ||
	    sync_device_list(s, &dev, &nd, err) < 0)
		goto out;
	qsort(origin, no, sizeof *origin, cmp_origin);
	if (!(g = calloc(nd + 1, sizeof *g)) || !(sub_p = malloc((np ? np : 1) * sizeof *sub_p)) ||
	    !(sub_v = malloc((nv ? nv : 1) * sizeof *sub_v))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	/* One group per posyandu code of an approved or revoked device. */
	for (size_t k = 0; k < nd; k++) {
		bool seen = false;
		for (size_t i = 0; i < ng; i++)
			seen |= strcmp(g[i].code, dev[k].posyandu) == 0;
		if (!seen && dev[k].status != SYNC_DEV_PENDING)
			snprintf(g[ng++].code, sizeof g[0].code, "%s", dev[k].posyandu);
	}
	for (size_t i = 0; i < ng; i++) {
		size_t sp = 0, sv = 0;
		for (size_t k = 0; k < np; k++)
			if (strcmp(code_fast(people[k].uuid, origin, no, dev, nd), g[i].code) == 0)
				sub_p[sp++] = people[k];
		/* a visit goes with its person */
		for (size_t k = 0; k < nv; k++)
			if (strcmp(code_fast(visits[k].person, origin, no, dev, nd), g[i].code) == 0)
				sub_v[sv++] = visits[k];
		if (compute(sub_p, sp, sub_v, sv, month, ref_day, &g[i].m, err) < 0)
			goto out;
	}
	/* The district: everything. */
	g[ng].code[0] = '\0';
	if (compute(people, np, visits, nv, month, ref_day, &g[ng].m, err) < 0)
		goto out;

	*rows = g;
	*n = ng + 1;
	g = NULL;
	rc = 0;
out:
	if (people)
		sodium_memzero(people, np * sizeof *people);
	if (visits)
		sodium_memzero(visits, nv * sizeof *visits);
	if (sub_p)
		sodium_memzero(sub_p, (np ? np : 1) * sizeof *sub_p);
	if (sub_v)
		sodium_memzero(sub_v, (nv ? nv : 1) * sizeof *sub_v);
	store_free(people);
	store_free(visits);
	free(sub_p);
	free(sub_v);
	free(origin);
	free(dev);
	free(g);
	return rc;
}
