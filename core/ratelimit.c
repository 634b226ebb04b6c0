/* core/ratelimit.c: token buckets by key (core/ratelimit.h). */
#include "core/ratelimit.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

bool rate_take(struct rate_bucket *tab, size_t n, const char *key, double per_minute, double now)
{
	struct rate_bucket *b = NULL, *old = &tab[0];

	for (size_t i = 0; i < n && !b; i++) {
		if (tab[i].last > 0 && strcmp(tab[i].key, key) == 0)
			b = &tab[i];
		else if (tab[i].last < old->last)
			old = &tab[i];
	}
	if (!b) {
		b = old;
		snprintf(b->key, sizeof b->key, "%s", key);
		b->tokens = per_minute;
		b->last = now;
	}
	b->tokens += (now - b->last) * per_minute / 60.0;
	if (b->tokens > per_minute)
		b->tokens = per_minute;
	b->last = now;
	if (b->tokens < 1.0)
		return false;
	b->tokens -= 1.0;
	return true;
}
