# libFuzzer harnesses (tests/fuzz/fuzz_*.c), one per parser of outside input.
#
#   make fuzz                     each harness for FUZZ_SECONDS (default 60)
#   make fuzz FUZZ_SECONDS=3600   a long run
#   make fuzz-smoke               a few seconds each (CI); FUZZ_SMOKE_SECONDS
#   make fuzz-regress             every file of tests/fuzz/regress/<name>/ once
#
# Built with clang into build/fuzz/ with ASan and UBSan, apart from the
# gcc builds. Each harness starts from its seed corpus tests/fuzz/seeds/<name>/
# (copied from the fixtures) and tests/fuzz/plc.dict; what it finds beyond
# the seeds goes to build/fuzz/corpus/<name>/ (not kept in the tree). A crash
# is written to build/fuzz/crash-<name>-*; fix it, then add the input to
# tests/fuzz/regress/<name>/ so that fuzz-regress (run by fuzz-smoke) keeps it
# fixed.

.PHONY: fuzz fuzz-smoke fuzz-regress fuzz-build

FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_SAN           := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS        := -O1 -g -fno-omit-frame-pointer -std=c11 -Wall -Wextra -Werror \
                      $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP
FUZZ_B             := build/fuzz
FUZZ_SRC           := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES         := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_BIN           := $(FUZZ_NAMES:%=$(FUZZ_B)/fuzz_%)
FUZZ_SEEDS         := $(FUZZ_B)/seeds
# Every tool's sources but its main.c: the parsers as library functions.
FUZZ_TOOL_OBJ       = $(patsubst tools/%.c,$(FUZZ_B)/tools/%.o,$(filter-out %/main.c,$(wildcard tools/$(1)/*.c)))
FUZZ_LIB_OBJ       := $(LIB_SRC:tools/lib/%.c=$(FUZZ_B)/lib/%.o) \
                      $(AWS_SRC:tools/aws/%.c=$(FUZZ_B)/aws/%.o)
# Which tool each harness takes its parser from (none: the libraries only).
FUZZ_TOOL_tfvars   := plc-tfvars
FUZZ_TOOL_omb      := plc-omb-parse
FUZZ_TOOL_report   := plc-report
FUZZ_TOOL_reap     := plc-reap
FUZZ_TOOL_cost     := plc-cost

$(FUZZ_B)/lib/%.o: tools/lib/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_B)/aws/%.o: tools/aws/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_B)/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_B)/tools/plc-cost/prices_data.o: tools/plc-cost/prices.json

# fuzz_rule NAME: the harness, its tool's objects and the library.
define fuzz_rule
$(FUZZ_B)/fuzz_$(1): tests/fuzz/fuzz_$(1).c $(call FUZZ_TOOL_OBJ,$(FUZZ_TOOL_$(1))) $(FUZZ_LIB_OBJ)
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(addprefix -Itools/,$(FUZZ_TOOL_$(1))) $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer -o $$@ $$(filter %.c %.o,$$^) $(ALL_LIBS)
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call fuzz_rule,$(n))))

fuzz-build: $(FUZZ_BIN) fuzz-seeds

# Seed corpora from the fixtures, made at build time (not copied into the
# tree); the hand-written ones are in tests/fuzz/seeds/<name>/.
FUZZ_REPORT_EXP := tests/fixtures/plc-report/exp-a
.PHONY: fuzz-seeds
fuzz-seeds: bin/plc-omb-parse
	@rm -rf $(FUZZ_SEEDS)
	@mkdir -p $(addprefix $(FUZZ_SEEDS)/,$(FUZZ_NAMES))
	@cp tests/fixtures/xmljson/*.xml $(FUZZ_SEEDS)/xmljson/
	@cp tests/fixtures/xmljson/*.xml $(FUZZ_SEEDS)/reap/
	@cp tests/fixtures/xmljson/*.xml $(FUZZ_SEEDS)/cost/
	@cp tests/fixtures/omb/*.json $(FUZZ_SEEDS)/omb/
	@for f in plans/*.yaml tests/fixtures/plc-tfvars/valid/*.yaml tests/fixtures/plc-tfvars/invalid/*.yaml; do \
		cp "$$f" "$(FUZZ_SEEDS)/tfvars/$$(echo "$$f" | tr / _)"; done
	@# plc-report: the fixture experiment's files, NUL between them.
	@x=$(FUZZ_REPORT_EXP); bin/plc-omb-parse -e exp-fuzz --runs $$x/runs.ndjson $$x/results/*.json \
		>$(FUZZ_SEEDS)/report/metrics.ndjson; \
	 for f in runs.ndjson costs.json timeline.json tfvars.json plan.json; do \
		printf '\0' >>$(FUZZ_SEEDS)/report/metrics.ndjson; \
		cat $$x/$$f >>$(FUZZ_SEEDS)/report/metrics.ndjson; done

# run_fuzz NAME SECONDS
define run_fuzz
	@mkdir -p $(FUZZ_B)/corpus/$(1)
	@echo "fuzz: $(1), $(2) s"
	@$(FUZZ_B)/fuzz_$(1) -max_total_time=$(2) -timeout=10 -rss_limit_mb=2048 \
		-max_len=1100000 -dict=tests/fuzz/plc.dict -close_fd_mask=3 \
		-artifact_prefix=$(FUZZ_B)/crash-$(1)- -print_final_stats=0 \
		$(FUZZ_B)/corpus/$(1) $(FUZZ_SEEDS)/$(1) $(wildcard tests/fuzz/seeds/$(1)) \
		2>$(FUZZ_B)/$(1).log || \
		{ tail -n 40 $(FUZZ_B)/$(1).log; exit 1; }
	@grep -h '^#[0-9]*.*DONE' $(FUZZ_B)/$(1).log | sed 's/^/fuzz: $(1): /' || true

endef

fuzz: fuzz-build fuzz-regress
	$(foreach n,$(FUZZ_NAMES),$(call run_fuzz,$(n),$(FUZZ_SECONDS)))

fuzz-smoke: fuzz-build fuzz-regress
	$(foreach n,$(FUZZ_NAMES),$(call run_fuzz,$(n),$(FUZZ_SMOKE_SECONDS)))

# The crashes once found, and the seeds: each must run clean.
fuzz-regress: fuzz-build
	@set -e; for n in $(FUZZ_NAMES); do \
		for d in tests/fuzz/regress/$$n tests/fuzz/seeds/$$n $(FUZZ_SEEDS)/$$n; do \
			[ -d $$d ] && [ -n "$$(ls -A $$d)" ] || continue; \
			$(FUZZ_B)/fuzz_$$n -runs=0 -close_fd_mask=3 $$d/* 2>$(FUZZ_B)/$$n.regress.log || \
				{ tail -n 40 $(FUZZ_B)/$$n.regress.log; exit 1; }; \
		done; \
		echo "fuzz-regress: $$n clean"; done

-include $(wildcard $(FUZZ_B)/lib/*.d $(FUZZ_B)/tools/*/*.d $(FUZZ_B)/*.d)
