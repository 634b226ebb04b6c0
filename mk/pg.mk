# mk/pg.mk: the district server's tests with its store on PostgreSQL (issue 16).
#   make check-pg   every server e2e test on a throwaway PostgreSQL cluster
#                   (tests/pg/cluster.sh: initdb in a temporary folder, a Unix
#                   socket only, stopped and removed afterwards), then the
#                   load test (t0670) and the kill test (t0675).
# `make check` runs the same part (tests/run.sh e2e-pg) after the others;
# both fail, saying so, when PostgreSQL is not installed
# (apt-get install postgresql).
#
# Included before the Makefile's own rules: $(BIN) is set
# when the recipe runs; $(ATTACK_PROGS) is set before the include.

.PHONY: check-pg
check-pg: all $(addprefix $(BUILD)/tests/attack/,$(ATTACK_PROGS))
	@POSYANDU_BIN=$(CURDIR)/$(BIN) BUILD=$(BUILD) ATTACK_DIR=$(CURDIR)/$(BUILD)/tests/attack \
		sh tests/run.sh e2e-pg
