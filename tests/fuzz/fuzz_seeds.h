/* tests/fuzz/fuzz_seeds.h: seed inputs for the fuzz targets, written when
 * FUZZ_SEEDS=<dir> is set (make fuzz does it once), and the enrolled test
 * device of the import target. */
#ifndef POSYANDU_TESTS_FUZZ_SEEDS_H
#define POSYANDU_TESTS_FUZZ_SEEDS_H

#include <stdbool.h>
#include <stdint.h>

#include "sync/request.h"

#define FUZZ_DEVICE_ID "\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11"

/* If $FUZZ_SEEDS names a folder: write the seeds there and return true. */
bool fuzz_maybe_write_seeds(void);
/* The test device's enrolment request for the district with key id KID. */
void fuzz_enrol_request(const uint8_t kid[8], uint8_t req[ENROL_LEN]);

#endif
