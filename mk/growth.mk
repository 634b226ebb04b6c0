# mk/growth.mk: the WHO tables, compiled into libcore.a at build time.
#
# tools/genwho (a plain C program for the build host) reads the CSV files in
# data/who-2006 and data/who-2007 and writes $(BUILD)/gen/who_tables.c; that
# file is compiled by the Makefile's $(BUILD)/gen/%.o rule and archived into
# $(LIBCORE) through CORE_GEN. The tables are never typed by hand and never
# read at run time.

# This fragment is included before the Makefile's first rule: keep `all` the
# default goal.
.DEFAULT_GOAL := all

HOSTCC     ?= $(CC)
HOSTCFLAGS ?= -O2 -g
WHO_CSV     = $(wildcard data/who-2006/*.csv data/who-2007/*.csv)
GENWHO      = $(BUILD)/tools/genwho

CORE_GEN += $(BUILD)/gen/who_tables.c

$(GENWHO): tools/genwho.c core/who.h core/banned.h
	@mkdir -p $(dir $@)
	$(QUIET_LINK)$(HOSTCC) $(HOSTCFLAGS) $(WARN) $(CFLAGS_tools) -I. -o $@ $<

$(BUILD)/gen/who_tables.c: $(GENWHO) $(WHO_CSV)
	@mkdir -p $(dir $@)
	$(QUIET_GEN)$(GENWHO) data $@.tmp && mv $@.tmp $@
