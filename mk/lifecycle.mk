# The lifecycle: an experiment from plan to report, and its clean-up.
# The logic is in scripts/lab-*; each has --help. See README.md.
#
#   make full PLAN=poc [TAGS="team=x owner=y"] [EXP=id] [AWS=local] [VARIANT=v]
#   make frontier PLAN=capacity [PARALLEL=2]   one experiment per variant
#   make setup PLAN=... | make run | make report | make teardown   [EXP=id]
#   make demo            the whole lifecycle on the local AWS emulator
#   make list            every experiment: state, age, cost so far
#   make reap EXP=id [EXECUTE=1]    make sweep AGE=6h [EXECUTE=1]
#   make cost EXP=id     Cost Explorer actuals, and the report rebuilt
#   make logs EXP=id     node statuses and OMB logs from the bucket
#   make soak            the long lifecycle trials (50 interrupts)
LAB_ENV = PLAN='$(PLAN)' EXP='$(EXP)' TAGS='$(TAGS)' AWS='$(AWS)' VARIANT='$(VARIANT)'

.PHONY: full setup run report teardown demo list reap sweep cost logs soak frontier

full: all
	@$(LAB_ENV) scripts/lab-full

# One experiment per variant of the plan, then the frontier report.
frontier: all
	@$(LAB_ENV) PARALLEL='$(PARALLEL)' scripts/lab-frontier

setup: all
	@$(LAB_ENV) scripts/lab-setup

run: all
	@$(LAB_ENV) scripts/lab-run

report: all
	@$(LAB_ENV) scripts/lab-report

teardown: all
	@$(LAB_ENV) scripts/lab-teardown

# The demo installs only what a lifecycle needs, not the test tools.
demo:
	@scripts/deps
	@$(MAKE) -s --no-print-directory all
	@PLAN=poc EXP='$(EXP)' TAGS='$(TAGS)' AWS=local scripts/lab-full

list: all
	@scripts/lab-list

reap: all
	@$(LAB_ENV) EXECUTE='$(EXECUTE)' scripts/lab-reap

sweep: all
	@AGE='$(AGE)' EXECUTE='$(EXECUTE)' REGION='$(REGION)' scripts/lab-reap --sweep

cost: all
	@$(LAB_ENV) scripts/lab-report --actuals

logs: all
	@$(LAB_ENV) scripts/lab-logs

soak: deps all
	@PLC_SOAK=1 PLC_SAN=$(SAN) TESTS_FILTER='^lifecycle-interrupt' tests/run $(B)/tests
