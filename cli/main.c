/* cli/main.c: the thin door. Secrets first: libsodium, no core dumps, a
 * private umask; then the CLI decides between a subcommand and the TUI. */
#include <locale.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <sodium.h>

#include "storage/codec.h"
#include "cli/cli.h"

int main(int argc, char **argv)
{
	struct rlimit no_core = { 0, 0 };

	if (sodium_init() < 0) {
		fputs("posyandu: libsodium failed to initialise\n", stderr);
		return 1;
	}
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	umask(077);
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");    /* "9.1" parses the same in every locale */
	codec_init();
	return cli_run(argc, argv);
}
