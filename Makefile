# plc: build the tools into bin/, run the tests, install.
#
# Each tools/plc-*/ folder is one program; its tool.mk names the libraries it
# links (LDLIBS_plc-x) and, when it talks to AWS, PLCLIBS_plc-x := $(AWS_LIB).
# tools/lib/ is libplc.a, the helpers every tool links; tools/aws/ is
# libplcaws.a, the AWS client (SigV4, credentials, requests, answers), which
# only the tools that name it link. tests/unit/test_*.c are C unit tests
# linked against both. `make SAN=1 ...` builds everything with
# AddressSanitizer and UndefinedBehaviorSanitizer into its own build tree.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR    := $(PREFIX)/bin
MANDIR    := $(PREFIX)/share/man/man1

CC        ?= cc
WARN      := -Wall -Wextra -Werror
CPPFLAGS  += -D_GNU_SOURCE -DPLC_VERSION='"$(VERSION)"' -Itools/lib -Itools/aws
ifeq ($(SAN),1)
BUILD     := san
CFLAGS    ?= -O1 -g
CFLAGS    += -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDFLAGS   += -fsanitize=address,undefined
else
BUILD     := plain
CFLAGS    ?= -O2 -g
endif
CFLAGS    += -std=c11 $(WARN) -MMD -MP

B         := build/$(BUILD)
TOOLS     := $(sort $(notdir $(wildcard tools/plc-*)))
LIB_SRC   := $(wildcard tools/lib/*.c)
LIB_OBJ   := $(LIB_SRC:tools/lib/%.c=$(B)/lib/%.o)
LIB       := $(B)/libplc.a
AWS_SRC   := $(wildcard tools/aws/*.c)
AWS_OBJ   := $(AWS_SRC:tools/aws/%.c=$(B)/aws/%.o)
AWS_LIB   := $(B)/libplcaws.a
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
# Every library any part of plc may link; unit tests take them all.
ALL_LIBS  := -lcurl -ljansson -lyajl -lexpat -lyaml -lcrypto -lm

-include $(wildcard tools/*/tool.mk)
# Lifecycle, cluster and other target groups, one file each.
-include $(wildcard mk/*.mk)

.PHONY: all default help deps test unit-tests check install uninstall clean memcheck bench FORCE
.DEFAULT_GOAL := default

all: $(TOOLS:%=bin/%)

# A bare `make` builds, then says where the programs are and what to type next.
default: all
	@echo "built: $(TOOLS:%=bin/%)"
	@echo "next: make demo (the whole lifecycle locally), make help (every target), or put bin/ on PATH: export PATH=\"$(CURDIR)/bin:\$$PATH\""

help:
	@echo "usage: make [target] [VAR=value ...]"
	@echo
	@echo "Try it:"
	@echo "  demo                        the whole lifecycle on a local AWS emulator, replayed results (~2 min)"
	@echo "On AWS (credentials and region as every AWS tool reads them):"
	@echo "  full PLAN=poc [TAGS=\"k=v ...\"] [EXP=id]   setup, run, report, teardown whatever happens"
	@echo "  setup PLAN=poc | run | report | teardown     one phase at a time [EXP=id, default latest]"
	@echo "  frontier PLAN=capacity [PARALLEL=2]          one experiment per variant: the cheapest cluster for the plan's target"
	@echo "  VARIANT=name with full or setup runs one variant of the plan (its variants: section)"
	@echo "  list                        every experiment: state, age, cost so far"
	@echo "  logs [EXP=id]               node statuses and OMB logs from the bucket"
	@echo "  cost EXP=id                 prices again with Cost Explorer's actuals, rebuilds the report"
	@echo "  reap EXP=id [EXECUTE=1]     what is left of one experiment (a dry run unless EXECUTE=1)"
	@echo "  sweep AGE=6h [EXECUTE=1]    every experiment older than AGE"
	@echo "  ami [PULSAR_VERSION=v] [ARCH=x86_64|arm64]   bake the base image (Packer)"
	@echo "  ami-list | ami-latest | ami-delete AMI=id"
	@echo "  AWS=local with any lifecycle target runs it against the local emulator."
	@echo "Build and test:"
	@echo "  all (default)               build the tools into bin/"
	@echo "  install [PREFIX=/usr/local] programs and man pages"
	@echo "  deps                        install what building and testing need (Debian)"
	@echo "  test [SAN=1]                every test; last line: N passed, N failed, N skipped"
	@echo "  memcheck | bench | soak     valgrind over the unit tests | benchmarks | long lifecycle trials"
	@echo "  fuzz [FUZZ_SECONDS=n] | fuzz-smoke | fuzz-regress   libFuzzer over every input parser (tests/fuzz/)"
	@echo "Each lifecycle script has --help (scripts/lab-setup --help); each tool a man page (man tools/plc-x/plc-x.1)."

# bin/ holds whichever variant was built last; relink when the variant changes.
build/variant: FORCE
	@mkdir -p build
	@[ "$$(cat $@ 2>/dev/null)" = "$(BUILD)" ] || echo "$(BUILD)" > $@

$(B)/lib/%.o: tools/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/aws/%.o: tools/aws/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(AWS_LIB): $(AWS_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

.SECONDARY:
.SECONDEXPANSION:
bin/%: $$(addprefix $(B)/,$$(subst .c,.o,$$(wildcard tools/$$*/*.c))) $$(PLCLIBS_$$*) $(LIB) build/variant
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(PLCLIBS_$*) $(LIB) $(LDLIBS_$*)

$(B)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) -c -o $@ $<

$(B)/tests/%: $(B)/tests/%.o $(AWS_LIB) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(AWS_LIB) $(LIB) $(ALL_LIBS)

unit-tests: $(UNIT_BIN)

# What make test needs (a superset of what building and make demo need).
deps:
	@scripts/deps --test

# The README's test command: builds, then every unit test and bats suite.
# The sanitizer pass (SAN=1) leaves out, by name, the suites that execute no
# plc C program (shell, Terraform, emulator and test-helper checks): ASan and
# UBSan have nothing to watch there. helpers.bats checks that none of them
# starts running one.
# Three suites run at once on two cores: most spend their time waiting on
# moto, Terraform's polls or a lifecycle's fixed sleeps (each suite's line
# gives its wall and CPU time). lifecycle.bats, which keeps both cores busy,
# runs alone, first; then the longest of the rest start first (TESTS_FIRST).
SAN_SKIP_SUITES := helpers.bats lab-tf.bats packer.bats user-data.bats
TESTS_JOBS ?= 3
TESTS_FIRST := lifecycle.bats lifecycle-interrupt.bats terraform.bats iam-policy.bats plc-reap.bats \
	runner.bats user-data.bats lab-teardown.bats plc-report.bats helpers.bats packer.bats
test: deps all unit-tests
	@PLC_SAN=$(SAN) TESTS_JOBS=$(TESTS_JOBS) TESTS_FIRST='$(TESTS_FIRST)' \
		TESTS_SKIP='$(if $(filter 1,$(SAN)),$(SAN_SKIP_SUITES))' tests/run $(B)/tests

check: test

# valgrind over the unit tests (plain build only: ASan and valgrind do not mix).
memcheck: all unit-tests
	@set -e; for t in $(UNIT_BIN); do \
		valgrind -q --error-exitcode=9 --leak-check=full $$t >/dev/null; \
		echo "memcheck: $$t clean"; done

bench: all
	@set -e; for b in tests/bench/*; do [ -x "$$b" ] && "$$b"; done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 $(TOOLS:%=bin/%) $(DESTDIR)$(BINDIR)
	install -m 644 $(wildcard tools/plc-*/plc-*.1) $(DESTDIR)$(MANDIR)

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) $(TOOLS:%=$(DESTDIR)$(MANDIR)/%.1)

clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(AWS_OBJ:.o=.d) $(wildcard $(B)/tools/*/*.d) $(wildcard $(B)/tests/*.d)
