#!/usr/bin/env bats
# The foundation: make deps decides right what to install, make install
# puts programs and man pages where PREFIX and DESTDIR say.

load lib/common

# A PATH holding only stubs and the few real commands scripts/deps uses.
stub_path() {
  local dir=$BATS_TEST_TMPDIR/stubs
  mkdir -p "$dir"
  for c in bash cat env grep sed dirname; do ln -sf "$(command -v "$c")" "$dir/$c"; done
  # dpkg-query: every package installed except those in $MISSING.
  cat >"$dir/dpkg-query" <<'STUB'
#!/bin/bash
pkg=${!#}
for m in $MISSING; do [[ $m == "$pkg" ]] && exit 1; done
printf 'install ok installed'
STUB
  printf '#!/bin/bash\n[[ $1 == -u ]] && echo "${FAKE_UID:-1000}"\n' >"$dir/id"
  printf '#!/bin/bash\necho "apt-get $*" >>"%s/apt.log"\n' "$BATS_TEST_TMPDIR" >"$dir/apt-get"
  for c in terraform moto_server aws; do printf '#!/bin/bash\n' >"$dir/$c"; done
  chmod +x "$dir"/*
  echo "$dir"
}

@test "make deps as a user with a package missing prints the exact apt command" {
  cd "$PLC_ROOT"
  run --separate-stderr env PATH="$(stub_path)" MISSING="libjansson-dev bats-file" scripts/deps --test
  assert_failure 1
  assert_output ""
  assert_equal "${stderr_lines[0]}" "deps: missing Debian packages: libjansson-dev bats-file"
  assert_equal "${stderr_lines[1]}" "deps: run as root: apt-get update && apt-get install -y libjansson-dev bats-file"
  assert_file_not_exists "$BATS_TEST_TMPDIR/apt.log"
}

@test "make deps as root installs only what is missing, and nothing when all is there" {
  cd "$PLC_ROOT"
  run --separate-stderr env PATH="$(stub_path)" FAKE_UID=0 MISSING="libyajl-dev" scripts/deps
  assert_success
  assert_equal "$(cat "$BATS_TEST_TMPDIR/apt.log")" "apt-get update -qq
apt-get install -y -qq libyajl-dev"
  rm "$BATS_TEST_TMPDIR/apt.log"
  run --separate-stderr env PATH="$(stub_path)" FAKE_UID=0 MISSING="" scripts/deps
  assert_success
  assert_file_not_exists "$BATS_TEST_TMPDIR/apt.log"
}

@test "make demo's deps install only what a lifecycle needs; make deps adds the test tools" {
  cd "$PLC_ROOT"
  run --separate-stderr env PATH="$(stub_path)" FAKE_UID=0 MISSING="jq bats chromium" scripts/deps
  assert_success
  assert_equal "$stderr" "deps: installing jq"
  assert_equal "$(cat "$BATS_TEST_TMPDIR/apt.log")" "apt-get update -qq
apt-get install -y -qq jq"
  rm "$BATS_TEST_TMPDIR/apt.log"
  run --separate-stderr env PATH="$(stub_path)" FAKE_UID=0 MISSING="jq bats chromium" scripts/deps --test
  assert_success
  assert_equal "$stderr" "deps: installing jq bats chromium"
}

@test "scripts/deps --help answers without installing anything" {
  cd "$PLC_ROOT"
  run --separate-stderr env PATH="$(stub_path)" FAKE_UID=0 MISSING="jq" scripts/deps --help
  assert_success
  assert_line --index 0 "usage: scripts/deps [--test]      (make deps: --test; make demo: without)"
  assert_file_not_exists "$BATS_TEST_TMPDIR/apt.log"
  run --separate-stderr env PATH="$(stub_path)" scripts/deps --bogus
  assert_failure 2
  assert_output ""
  assert_equal "${stderr_lines[0]}" "usage: scripts/deps [--test]      (make deps: --test; make demo: without)"
}

@test "make deps says how to get terraform and moto_server when absent" {
  cd "$PLC_ROOT"
  dir=$(stub_path)
  rm "$dir/terraform" "$dir/moto_server"
  run --separate-stderr env PATH="$dir" MISSING="" scripts/deps
  assert_failure 1
  assert_equal "${stderr_lines[0]}" "deps: terraform not found: install Terraform >= 1.5 from HashiCorp's releases (https://developer.hashicorp.com/terraform/install)"
  assert_equal "${stderr_lines[1]}" "deps: moto_server not found: pip install 'moto[server]>=5.2' (the local AWS emulator used by the tests and make demo)"
}

@test "make install puts every program and man page under DESTDIR/PREFIX" {
  cd "$PLC_ROOT"
  run --separate-stderr make -s install SAN="${PLC_SAN:-}" DESTDIR="$BATS_TEST_TMPDIR/root" PREFIX=/opt/plc
  assert_success
  for tool in tools/plc-*/; do
    tool=$(basename "$tool")
    assert_file_executable "$BATS_TEST_TMPDIR/root/opt/plc/bin/$tool"
    assert_file_exists "$BATS_TEST_TMPDIR/root/opt/plc/share/man/man1/$tool.1"
  done
  run "$BATS_TEST_TMPDIR/root/opt/plc/bin/plc-aws-sign" --version
  assert_output "plc-aws-sign 0.1.0"
}

@test "every tool has a man page with the sections HACKING.md asks for" {
  cd "$PLC_ROOT"
  for page in tools/plc-*/plc-*.1; do
    for section in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" EXAMPLES "SEE ALSO"; do
      grep -q "^\.Sh $section\$" "$page" || fail "$page lacks section $section"
    done
    grep -q '^\.Sh JSON' "$page" || fail "$page documents no JSON"
  done
}

@test "a bare make builds and says what to type next; make help names every target" {
  cd "$PLC_ROOT"
  run --separate-stderr make -s SAN="${PLC_SAN:-}"
  assert_success
  assert_line --index 1 "next: make demo (the whole lifecycle locally), make help (every target), or put bin/ on PATH: export PATH=\"$PLC_ROOT/bin:\$PATH\""
  run --separate-stderr make -s help
  assert_success
  assert_line --index 0 "usage: make [target] [VAR=value ...]"
  local t
  # Every target a user may type (the .PHONY lists of Makefile and mk/*.mk).
  for t in $(sed -n 's/^\.PHONY: *//p' Makefile mk/*.mk); do
    case $t in default | help | unit-tests | check | uninstall | clean | FORCE | fuzz-build | fuzz-seeds) continue ;; esac
    [[ $output =~ (^|[ |])$t([ |]|$) ]] || fail "make help does not name '$t'"
  done
}
