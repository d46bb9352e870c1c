#!/usr/bin/env bats
# Ctrl-C at a random moment of `make full PLAN=poc` (local mode, a
# moto_server of its own for each trial, the fake OMB command): SIGINT goes to the whole process
# group, as a terminal sends it. Whatever moment it hits, the trap's teardown
# must leave nothing tagged with the experiment. Six trials here, all at
# once, one in each part of a lifecycle (MOMENTS: preflight, the apply,
# the wait for the nodes, the runs, the report, the teardown), at a random
# moment of it; 50 under `make soak` (PLC_SOAK=1), five at once, cycling
# through the parts.

bats_require_minimum_version 1.5.0

load lib/common
load lib/lifecycle

# Where each trial's Ctrl-C falls: after the first line of FILE (in the
# experiment's directory) that matches PATTERN, a random 0 to MAX seconds
# later. Moments follow the lifecycle's own progress, not the clock: on a
# loaded machine (make test runs three suites at once; CI's sanitizer build
# is slower) a lifecycle may take twice as long, and a moment drawn from a
# fixed span would then fall in setup every time.
MOMENTS=(
  "lab.log|setup: experiment |6"                  # preflight, init: nothing made yet
  "logs/terraform-apply.log|Creation complete|15" # the apply, something made
  "lab.log|setup: applied: |2"                    # waiting for the nodes
  "lab.log|run: run 1/|8"                         # the runs
  "lab.log|run: all |1"                           # the report
  "lab.log|teardown: |15"                         # the teardown
)

# interrupt_at I: in the background, trial I's Ctrl-C at its moment (I.moment
# says which); none if the trial ends first.
interrupt_at() {
  local i=$1 d=$BATS_FILE_TMPDIR/trial-$1 file pattern max delay n
  IFS='|' read -r file pattern max <<<"${MOMENTS[(i - 1) % ${#MOMENTS[@]}]}"
  delay=$((RANDOM % max)).$((RANDOM % 10))
  echo "$delay s after '$pattern'" >"$d.moment"
  (
    file=$PLC_HOME/$(cat "$d.exp")/$file
    for ((n = 0; n < 9000; n++)); do
      grep -q -- "$pattern" "$file" 2>/dev/null && break
      [[ -s $d.rc ]] && exit 0
      sleep 0.1
    done
    sleep "$delay"
    kill -INT -- "-$(cat "$d.pid")" 2>/dev/null && echo sent >"$d.sent"
  ) &
}

setup_file() {
  lifecycle_setup
  local trials=6 wave=6 t i pids=()
  [[ ${PLC_SOAK:-} == 1 ]] && trials=50 wave=5
  echo "$trials" >"$BATS_FILE_TMPDIR/trials"
  frontier_interrupted
  pids+=($!)
  for ((t = 1; t <= trials; t += wave)); do
    for ((i = t; i < t + wave && i <= trials; i++)); do
      lab_moto "trial-$i"
      echo "int-$i-$$" >"$BATS_FILE_TMPDIR/trial-$i.exp"
      # Terraform bounded well inside lab_wait's limit: a stall of the
      # emulator fails the trial, it does not hang the suite.
      # Trials 2 and 4 (Ctrl-C in the apply or the runs) run this machine's
      # Prometheus and node_exporter too, as make demo does.
      lab_start "trial-$i" full PLAN=poc AWS=local EXP="int-$i-$$" PLC_TF_TIMEOUT=150 \
        PLC_LOCAL_ENDPOINT="$(lab_url "trial-$i")" PLC_LOCAL_PROMETHEUS=$((i == 2 || i == 4))
      interrupt_at "$i"
      pids+=($!)
    done
    for ((i = t; i < t + wave && i <= trials; i++)); do
      lab_wait "trial-$i" 900
    done
  done
  lab_wait frontier 900
  wait "${pids[@]}" 2>/dev/null || true
}

# frontier_interrupted: `make frontier` of the smallest frontier plan (two
# variants, both at once, each its own emulator, which tests/lib/moto-kept
# keeps running after the lab stops it, so that the test can look inside),
# Ctrl-C to its process group once both experiments have made their
# resources. Beside the trials (their moments follow their own progress),
# in the background; lab_wait frontier waits for it.
frontier_interrupted() {
  local i n log
  lab_start frontier frontier -u PLC_LOCAL_ENDPOINT -u PLC_LOCAL_OMB_COMMAND \
    PLAN="$FIXTURES/lifecycle/frontier.yaml" AWS=local PARALLEL=2 PLC_TF_TIMEOUT=150 \
    PLC_LOCAL_MOTO="$PLC_ROOT/tests/lib/moto-kept" PLC_TEST_MOTO_DIR="$BATS_FILE_TMPDIR" \
    PLC_TEST_MOTO_REAL="$(command -v moto_server)"
  (
    for ((i = 0; i < 4500; i++)); do
      n=0
      for log in "$PLC_HOME"/frontier-*/lab.log; do
        grep -q '^[^ ]* setup: applied: ' "$log" 2>/dev/null && n=$((n + 1))
      done
      if ((n >= 2)) || [[ -s $BATS_FILE_TMPDIR/frontier.rc ]]; then break; fi
      sleep 0.2
    done
    kill -INT -- "-$(cat "$BATS_FILE_TMPDIR/frontier.pid")" 2>/dev/null && echo sent >"$BATS_FILE_TMPDIR/frontier.sent"
  ) &
}

teardown_file() {
  lab_servers_stop
}

setup() {
  lifecycle_setup
  TRIALS=$(cat "$BATS_FILE_TMPDIR/trials")
}

# exp I: the experiment id of trial I.
exp() { cat "$BATS_FILE_TMPDIR/trial-$1.exp"; }

# trial_story I: one line on how trial I went, for a failure's message:
# its moment, its exit, its state and what it did last before the Ctrl-C.
trial_story() {
  local d=$BATS_FILE_TMPDIR/trial-$1 state
  state=$(cat "$PLC_HOME/$(exp "$1")/state" 2>/dev/null) || state='no directory'
  printf 'trial %s: Ctrl-C %s (%s), exit %s, state %s, last: %s\n' "$1" "$(cat "$d.moment")" \
    "$([[ -e $d.sent ]] && echo sent || echo not sent)" "$(cat "$d.rc" 2>/dev/null)" "$state" \
    "$(sed -n '/interrupted/q; p' "$d.out" | tail -n 1)"
}

@test "after an interrupt at any moment, nothing tagged with the experiment is left" {
  local i leaks_found='' summary made=0
  for ((i = 1; i <= TRIALS; i++)); do
    [[ -f $PLC_HOME/$(exp "$i")/outputs.json || -f $PLC_HOME/$(exp "$i")/terraform.tfstate ]] && made=$((made + 1))
    run leaks "$(exp "$i")" "$(lab_url "trial-$i")"
    [[ -z $output ]] || leaks_found+="trial $i (Ctrl-C $(cat "$BATS_FILE_TMPDIR/trial-$i.moment")): $output"$'\n'
    summary=$(reap_left "$(exp "$i")" "$(lab_url "trial-$i")")
    [[ $summary == 0 ]] || leaks_found+="trial $i: plc-reap finds $summary"$'\n'
  done
  [[ -z $leaks_found ]] || fail "$leaks_found"
  # Not vacuous: most trials got as far as making resources.
  ((made * 2 >= TRIALS)) ||
    fail "only $made of $TRIALS trials made anything:"$'\n'"$(for ((i = 1; i <= TRIALS; i++)); do trial_story "$i"; done)"
}

@test "an interrupted lifecycle says so, tears down and exits non-zero" {
  local i interrupted=0 out rc
  for ((i = 1; i <= TRIALS; i++)); do
    out=$BATS_FILE_TMPDIR/trial-$i.out
    rc=$(lab_rc "trial-$i")
    # A Ctrl-C during the teardown or after it: the lifecycle completes
    # (teardown ignores it); make itself may still report the interrupt,
    # dying of it (130) or, when its handler's wait loses a race with the
    # kernel, with "wait: No child processes" (2; make 4.3's own).
    if grep -q '^full: done in ' "$out"; then
      [[ $rc == 0 || $rc == 130 ]] || { [[ $rc == 2 ]] && grep -q 'wait: No child processes' "$out"; } ||
        fail "trial $i: done, but exit $rc"
      assert_equal "$(cat "$PLC_HOME/$(exp "$i")/state")" torn-down
      continue
    fi
    if [[ ! -e $BATS_FILE_TMPDIR/trial-$i.sent ]]; then
      # It ended before the Ctrl-C came, failing on its own (moto has bad
      # moments under this load): it must still have torn down.
      [[ $rc != 0 && $(cat "$PLC_HOME/$(exp "$i")/state") == torn-down* ]] ||
        fail "trial $i: ended uninterrupted with $rc, state $(cat "$PLC_HOME/$(exp "$i")/state")"
      continue
    fi
    interrupted=$((interrupted + 1))
    [[ $rc != 0 ]] || fail "trial $i: interrupted, but exit 0"
    # Interrupted before the experiment existed: nothing to tear down.
    [[ -f $PLC_HOME/$(exp "$i")/experiment.json ]] || continue
    run cat "$PLC_HOME/$(exp "$i")/state"
    [[ $output == torn-down* || $output == "failed: preflight" ]] || fail "trial $i: state $output"
  done
  ((interrupted > 0)) || fail "no trial was interrupted"
}

@test "no interrupted lifecycle printed an error of the shell itself (scripts/lab-x: line N: ...)" {
  run grep -H -E 'scripts/lab-[a-z-]+(\.bash)?: line [0-9]+: ' "$BATS_FILE_TMPDIR"/trial-*.out
  assert_output ''
}

@test "no process of an interrupted lifecycle is left behind" {
  local i p started=0
  # Every process of a lifecycle has its experiment's id in its environment.
  for ((i = 1; i <= TRIALS; i++)); do
    run bash -c 'grep -l -a -x -z -F -- "EXP=$1" /proc/[0-9]*/environ 2>/dev/null' _ "$(exp "$i")"
    assert_output ""
    # This machine's Prometheus and node_exporter (their own sessions),
    # by the PIDs the lab said it started them with: gone.
    [[ -f $PLC_HOME/$(exp "$i")/lab.log ]] || continue
    while read -r p; do
      started=$((started + 1))
      ! kill -0 "$p" 2>/dev/null || fail "trial $i: pid $p ($(ps -o args= -p "$p")) still runs"
    done < <(sed -n 's/.*prometheus (pid \([0-9]*\)) and node_exporter (pid \([0-9]*\)).*/\1\n\2/p' \
      "$PLC_HOME/$(exp "$i")/lab.log")
  done
  # Not vacuous: trials 2 and 4 started them (Ctrl-C after 16 s at least).
  ((started >= 2)) || fail "no trial started prometheus and node_exporter ($started PIDs)"
}

@test "make frontier interrupted: every experiment it started is torn down, nothing is left in its emulator" {
  shows frontier
  local fr e d url rc leaks_found='' exps=()
  [[ -e $BATS_FILE_TMPDIR/frontier.sent ]] || fail "the frontier ended before the Ctrl-C"
  # Interrupted (make 4.3 may lose its race and say "wait: No child
  # processes", exit 2; see above), and it says so.
  rc=$(lab_rc frontier)
  [[ $rc == 130 ]] || { [[ $rc == 2 ]] && grep -q 'wait: No child processes' "$BATS_FILE_TMPDIR/frontier.out"; } ||
    fail "make frontier exited $rc"
  assert_file_contains "$BATS_FILE_TMPDIR/frontier.out" '^frontier: interrupted by SIGINT: stopping every running experiment'
  fr=$(ls -d "$PLC_HOME"/frontiers/frontier-*)
  # Both variants were running, with resources made, when the Ctrl-C came;
  # each tore itself down (SIGTERM from lab-frontier: 143) and said so in
  # its output (the frontier's logs/VARIANT.log).
  run jq -c '[.experiments[] | [.variant, .exit_status]]' "$fr/frontier.json"
  assert_output '[["small",143],["large",143]]'
  mapfile -t exps < <(jq -r '.experiments[] | "\(.variant) \(.experiment)"' "$fr/frontier.json")
  for e in "${exps[@]}"; do
    assert_file_contains "$fr/logs/${e% *}.log" '^full: interrupted by SIGTERM: tearing down$'
    e=${e#* }
    d=$PLC_HOME/$e
    assert_file_contains "$d/lab.log" '^[^ ]* setup: applied: '
    run cat "$d/state"
    [[ $output == torn-down* ]] || fail "$e: state $output"
    # What its emulator holds, looked at independently (botocore), and
    # what plc-reap would still delete.
    url=$(cat "$BATS_FILE_TMPDIR/kept-$e.moto/url")
    run leaks "$e" "$url"
    [[ -z $output ]] || leaks_found+="$e: $output"$'\n'
    run reap_left "$e" "$url"
    [[ $output == 0 ]] || leaks_found+="$e: plc-reap finds $output"$'\n'
    # The emulator looked in still answers (not an empty look at nothing).
    curl -fsS -o /dev/null "$url/moto-api/" || leaks_found+="$e: its emulator at $url does not answer"$'\n'
    run bash -c 'grep -l -a -x -z -F -- "EXP=$1" /proc/[0-9]*/environ 2>/dev/null' _ "$e"
    [[ -z $output ]] || leaks_found+="$e: processes left: $output"$'\n'
  done
  [[ -z $leaks_found ]] || fail "$leaks_found"
}
