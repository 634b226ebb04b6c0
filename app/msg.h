/* app/msg.h: the sentence a person reads for a failure. Core and storage
 * return codes plus the field at fault; the wording (and its translation)
 * is chosen here, from one table. */
#ifndef POSYANDU_APP_MSG_H
#define POSYANDU_APP_MSG_H

#include <stddef.h>

#include "core/err.h"
#include "storage/config.h"
#include "storage/store.h"

/* The translated message for E, written into BUF; returns BUF. Technical
 * detail (a path, an SQLite message) is appended only where it helps. */
const char *msg_err(const struct err *e, char *buf, size_t size);

/* "FILE: [section] key = "value": allowed ..." in the UI language. */
const char *msg_config(const struct config_diag *d, char *buf, size_t size);

/* The warning for store_integrity_warning()'s bits (issue 13.3), or NULL
 * when there is none. */
const char *msg_integrity(unsigned warn);

/* "posyandu: MESSAGE" on stderr, one line. */
void msg_print(const struct err *e);

#endif
