#!/usr/bin/env bats
# Terraform as the lifecycle runs it (tf in scripts/lab-lib.bash), with a
# stand-in terraform that counts the interrupts it gets: a Ctrl-C reaches
# it exactly once (a second one makes the real Terraform exit at once and
# lose what it was creating from its state), and past PLC_TF_TIMEOUT it is
# interrupted and the failure says why.

bats_require_minimum_version 1.5.0

load lib/common

setup() {
  export FAKE_TF_LOG=$BATS_TEST_TMPDIR/terraform.log
  export EXP_DIR=$BATS_TEST_TMPDIR/exp PLC_HOME=$BATS_TEST_TMPDIR/home
  mkdir -p "$EXP_DIR/src/terraform" "$PLC_HOME"
}

# run_tf ARGS...: tf ARGS in the background, in a process group of its own
# with SIGINT at its default (as a terminal's foreground job); output in
# tf.out, status in tf.rc, the group in tf.pid.
run_tf() {
  # shellcheck disable=SC2016 # the inner shell's variables
  setsid python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
    env PATH="$FIXTURES/lab-tf:$PATH" bash -c 'source "$PLC_ROOT/scripts/lab-lib.bash"; rc=0; tf "$@" >"$BATS_TEST_TMPDIR/tf.out" 2>&1 || rc=$?; echo "$rc" >"$BATS_TEST_TMPDIR/tf.rc"' _ "$@" &
  echo $! >"$BATS_TEST_TMPDIR/tf.pid"
}

# wait_for FILE [TENTHS]: until FILE is not empty.
wait_for() {
  local i
  for ((i = 0; i < ${2:-300}; i++)); do
    [[ -s $1 ]] && return 0
    sleep 0.1
  done
  return 1
}

@test "a Ctrl-C reaches Terraform once, and it stops" {
  run_tf apply -auto-approve
  wait_for "$FAKE_TF_LOG"
  sleep 0.5
  kill -INT -- "-$(cat "$BATS_TEST_TMPDIR/tf.pid")"
  wait_for "$BATS_TEST_TMPDIR/tf.rc"
  run grep -c '^SIGINT$' "$FAKE_TF_LOG"
  assert_output 1
  assert_file_contains "$FAKE_TF_LOG" '^started -chdir=.*/exp/src/terraform apply -auto-approve$'
  # Once, for sure: Terraform is the shell's own child, in the terminal's
  # process group, with nothing between them that passes a Ctrl-C on again
  # (two signals sent at once often arrive as one, so counting alone could
  # miss the second).
  assert_file_contains "$FAKE_TF_LOG" '^parent bash$'
  assert_file_contains "$FAKE_TF_LOG" "^group $(cat "$BATS_TEST_TMPDIR/tf.pid")\$"
  # Stopped by the user, not by the bound: no "did not finish".
  run cat "$BATS_TEST_TMPDIR/tf.out"
  refute_output --partial 'did not finish'
}

@test "past PLC_TF_TIMEOUT Terraform is interrupted once; the failure says why" {
  PLC_TF_TIMEOUT=2 run_tf destroy
  wait_for "$BATS_TEST_TMPDIR/tf.rc" 100
  assert_equal "$(cat "$BATS_TEST_TMPDIR/tf.rc")" 1
  run grep -c '^SIGINT$' "$FAKE_TF_LOG"
  assert_output 1
  assert_equal "$(tail -n 1 "$BATS_TEST_TMPDIR/tf.out")" "Stopped: terraform destroy did not finish in 2s (PLC_TF_TIMEOUT)"
  # tf_error puts that first, before whatever Terraform printed.
  run bash -c 'source "$PLC_ROOT/scripts/lab-lib.bash"; tf_error "$1"' _ "$BATS_TEST_TMPDIR/tf.out"
  assert_output "Stopped: terraform destroy did not finish in 2s (PLC_TF_TIMEOUT)"
  # Nothing of it is left: no watchdog, no PID file.
  run pgrep -f "tf_watchdog|$FIXTURES/lab-tf/terraform"
  assert_failure
  run find "$EXP_DIR" -maxdepth 1 -name '.terraform.*'
  assert_output ""
}

@test "a Terraform that finishes in time is left alone, and its status kept" {
  FAKE_TF_SECONDS=1 PLC_TF_TIMEOUT=5 run_tf plan
  # The watchdog does not hold tf up: done in about the second Terraform ran.
  wait_for "$BATS_TEST_TMPDIR/tf.rc" 30
  assert_equal "$(cat "$BATS_TEST_TMPDIR/tf.rc")" 0
  run grep -c '^SIGINT$' "$FAKE_TF_LOG"
  assert_output 0
  run cat "$BATS_TEST_TMPDIR/tf.out"
  assert_output ""
}

@test "init with the user's own CLI configuration waits its turn for another experiment's init, within PLC_TF_TIMEOUT" {
  # Whatever that configuration names (a plugin cache, say) may not be safe
  # for two inits at once.
  echo 'plugin_cache_dir = "/nonexistent"' >"$BATS_TEST_TMPDIR/user.tfrc"
  exec {held}>"$PLC_HOME/.terraform-init.lock"
  flock "$held"
  TF_CLI_CONFIG_FILE=$BATS_TEST_TMPDIR/user.tfrc PLC_TF_TIMEOUT=1 run_tf init
  wait_for "$BATS_TEST_TMPDIR/tf.rc" 100
  exec {held}>&-
  assert_equal "$(cat "$BATS_TEST_TMPDIR/tf.rc")" 124
  assert_file_not_exists "$FAKE_TF_LOG"
  assert_equal "$(tail -n 1 "$BATS_TEST_TMPDIR/tf.out")" "Stopped: terraform init waited 1s for another experiment's init (PLC_TF_TIMEOUT)"
}

@test "init from the provider mirror does not wait for another experiment's init" {
  "$PLC_ROOT/scripts/tf-provider-mirror" >/dev/null || skip "no Terraform provider mirror on this machine"
  exec {held}>"$PLC_HOME/.terraform-init.lock"
  flock "$held"
  FAKE_TF_SECONDS=1 PLC_TF_TIMEOUT=5 run_tf init
  wait_for "$BATS_TEST_TMPDIR/tf.rc" 40
  exec {held}>&-
  assert_equal "$(cat "$BATS_TEST_TMPDIR/tf.rc")" 0
  run cat "$FAKE_TF_LOG"
  assert_line --partial init
}
