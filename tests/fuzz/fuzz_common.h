/* tests/fuzz/fuzz_common.h: what the libFuzzer targets share. They are
 * built by `make fuzz` with clang, -fsanitize=fuzzer,address,undefined, and
 * -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, which makes sync/ skip the
 * Ed25519 and AEAD checks (a chunk is then its tag byte, its plaintext and
 * 16 ignored bytes) so the fuzzer reaches the frame and record decoders
 * (SECURITY.md §5.3, Trail of Bits' "SUT patching"). Never ship that build. */
#ifndef POSYANDU_TESTS_FUZZ_COMMON_H
#define POSYANDU_TESTS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
