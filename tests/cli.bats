#!/usr/bin/env bats
# The one command-line convention (tools/lib/cli.h), asserted for every
# tool in bin/ so that a new tool cannot speak another dialect: -h/--help
# with its options, exit statuses and man page; -V/--version; one format
# for a refused option (exit 2); help and version fail on a closed or full
# stdout; one experiment-ID rule (tools/lib/expid.h) in every tool that
# takes an ID, in scripts/lab-lib.bash and in terraform/variables.tf.
# (The option-error and closed-stdout tests were in build.bats.)

load lib/common

tools() {
  local path
  for path in "$PLC_ROOT"/bin/plc-*; do basename "$path"; done
}

@test "every tool: -h and --help print the same help: usage, options, exit statuses, the man page" {
  local tool n=0
  for tool in $(tools); do
    n=$((n + 1))
    run --separate-stderr "$tool" -h
    assert_success
    assert_equal "$stderr" ""
    local short=$output
    run --separate-stderr "$tool" --help
    assert_success
    assert_equal "$output" "$short"
    assert_equal "${lines[0]%% *}" "usage:"
    [[ ${lines[0]} == "usage: $tool"* ]] || fail "$tool: help starts with '${lines[0]}'"
    [[ $output == *$'\n  -h, --help '*'this text'$'\n  -V, --version '*'the version'$'\n'* ]] ||
      fail "$tool: help lacks the -h and -V lines"
    [[ $output == *$'\nExit status: 0 '* ]] || fail "$tool: help lists no exit statuses"
    assert_equal "${lines[-1]}" "See $tool(1)."
    # Every long option the help names is one the tool takes.
    local opt
    for opt in $(grep -oE -- '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' <<<"$output" | grep -o -- '--.*'); do
      run --separate-stderr "$tool" "$opt" 2>/dev/null
      [[ $stderr != *"unrecognized option '$opt'"* ]] || fail "$tool: help names $opt, which it refuses"
    done
  done
  assert_equal "$n" 10
}

@test "every tool: -V and --version print the name and the version" {
  local tool version
  version=$(sed -n 's/^VERSION *:= *//p' "$PLC_ROOT/Makefile")
  for tool in $(tools); do
    for opt in -V --version; do
      run --separate-stderr "$tool" "$opt"
      assert_success
      assert_output "$tool $version"
      assert_equal "$stderr" ""
    done
  done
}

@test "every tool: an unknown option or a missing argument is one error line, the usage, exit 2" {
  local tool path
  cd "$PLC_ROOT"
  for tool in $(tools); do
    # By full path too: the message names the tool by its short name.
    path=$PLC_ROOT/bin/$tool
    run --separate-stderr "$path" -Z
    assert_failure 2
    assert_output ""
    assert_equal "${stderr_lines[0]}" "$tool: invalid option -- 'Z'"
    assert_equal "${stderr_lines[1]}" "$("$tool" -h | sed -n 1p)"
    run --separate-stderr "$path" --no-such-option
    assert_failure 2
    assert_equal "${stderr_lines[0]}" "$tool: unrecognized option '--no-such-option'"
    [[ ${stderr_lines[1]} == "usage: $tool"* ]] || fail "$tool: no usage after the error: ${stderr_lines[1]}"
  done
  # A missing argument, for the tools whose -e takes one.
  for tool in plc-tfvars plc-omb-parse plc-prom plc-reap plc-cost plc-search; do
    run --separate-stderr "$tool" --experiment-id
    assert_failure 2
    assert_equal "${stderr_lines[0]}" "$tool: option '--experiment-id' requires an argument"
  done
}

# Issue 18, item 7: --help and --version exited 0 into a closed or a full
# stdout, as if the text had been written.
@test "every tool's help and version fail loudly on a closed or full stdout" {
  local tool opt
  for tool in $(tools); do
    for opt in -h --version; do
      run --separate-stderr bash -c '"$1" "$2" >&-' _ "$tool" "$opt"
      assert_failure 1
      assert_equal "$stderr" "$tool: stdout: Bad file descriptor"
      run --separate-stderr bash -c '"$1" "$2" >/dev/full' _ "$tool" "$opt"
      assert_failure 1
      assert_equal "$stderr" "$tool: stdout: No space left on device"
    done
  done
}

@test "every tool that takes an experiment ID refuses a bad one the same way: exit 2, one line" {
  local tool id rule="expected 3 to 46 characters of a-z, 0-9 and '-', starting and ending with a letter or digit"
  # Each tool's other arguments: valid enough that only the ID is wrong.
  declare -A rest=(
    [plc-tfvars]="$PLC_ROOT/plans/poc.yaml"
    [plc-omb-parse]=/dev/null
    [plc-prom]=/dev/null
    [plc-reap]="-r us-west-2"
    [plc-cost]=""
    [plc-search]="-c /dev/null"
  )
  for tool in "${!rest[@]}"; do
    for id in Exp_1 ab -abc abc- "$(printf 'a%.0s' {1..47})"; do
      # shellcheck disable=SC2086
      run --separate-stderr "$tool" -e "$id" ${rest[$tool]}
      assert_failure 2
      assert_output ""
      assert_equal "$stderr" "$tool: --experiment-id: $rule, found \"$id\""
    done
  done
  # Every tool in bin/ that has -e is in the list above.
  for tool in $(tools); do
    if "$tool" -h | grep -q -- '--experiment-id'; then
      [[ -v rest[$tool] ]] || fail "$tool takes -e but is not checked here"
    fi
  done
}

# The longest ID plc-tfvars takes is one Terraform and the scripts take,
# and one longer is refused by all three; likewise the shortest.
@test "the experiment-ID rule is the same in the tools, scripts/lab-lib.bash and terraform/variables.tf" {
  local tf_re id ok
  # shellcheck source=scripts/lab-lib.bash
  source "$PLC_ROOT/scripts/lab-lib.bash"
  tf_re=$(sed -n '/^variable "experiment_id"/,/^}/s/.*regex("\([^"]*\)".*/\1/p' "$PLC_ROOT/terraform/variables.tf")
  [[ -n $tf_re ]] || fail "no regex in variable experiment_id"
  for id in ab abc "$(printf 'a%.0s' {1..46})" "$(printf 'a%.0s' {1..47})" a-b -ab ab- aB1 "exp-20261124-225000" \
    "$(printf '9%.0s' {1..46})"; do
    # Exit 2 is the refused ID; anything else is past it.
    ok=1
    plc-omb-parse -e "$id" </dev/null >/dev/null 2>&1 || { (($? == 2)) && ok=0; }
    if [[ $id =~ $tf_re ]]; then [[ $ok == 1 ]] || fail "'$id': Terraform takes it, plc-omb-parse does not"; else [[ $ok == 0 ]] || fail "'$id': plc-omb-parse takes it, Terraform does not"; fi
    if lab_id_valid "$id"; then [[ $ok == 1 ]] || fail "'$id': lab-lib takes it, the tools do not"; else [[ $ok == 0 ]] || fail "'$id': the tools take it, lab-lib does not"; fi
  done
  # What the descriptions and the lifecycle's message say.
  grep -q '3-46 chars' "$PLC_ROOT/terraform/variables.tf" || fail "variables.tf's description does not say 3-46"
  grep -q "expected 3 to 46 of" "$PLC_ROOT/scripts/lab-lib.bash" || fail "lab-lib's message does not say 3 to 46"
}
