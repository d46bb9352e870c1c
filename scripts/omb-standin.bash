# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # prog, usage_line from the caller; omb_* for it
# What the OMB stand-ins (scripts/omb-replay, the tests' fake-omb) share:
# OMB's bin/benchmark arguments and reading its workload and driver files.
# Sourced; the caller sets prog and usage_line first.

# omb_args ARGS...: sets omb_drivers, omb_workers, omb_out, omb_workload as
# bin/benchmark would take them (--drivers F [--workers L] -o OUT WORKLOAD).
# Exits 0 after --help, 2 on a usage error.
omb_args() {
  omb_drivers='' omb_workers='' omb_out='' omb_workload=''
  while (($#)); do
    case $1 in
      -h | --help) echo "$usage_line"; exit 0 ;;
      -d | --drivers | -w | --workers | -o | --output)
        (($# >= 2)) || omb_usage "$1 needs a value"
        case $1 in
          -d | --drivers) omb_drivers=$2 ;;
          -w | --workers) omb_workers=$2 ;;
          *) omb_out=$2 ;;
        esac
        shift 2 ;;
      -*) omb_usage "unknown option $1" ;;
      *)
        [[ -z $omb_workload ]] || omb_usage "one workload file only"
        omb_workload=$1
        shift ;;
    esac
  done
  [[ -n $omb_drivers ]] || omb_usage "--drivers is required"
  [[ -n $omb_out ]] || omb_usage "-o is required"
  [[ -n $omb_workload ]] || omb_usage "a workload file is required"
}

omb_usage() {
  echo "$prog: $1" >&2
  echo "$usage_line" >&2
  exit 2
}

# omb_yaml_json FILE: a JSON object of FILE, which is JSON or YAML of which
# only top-level "key: scalar" lines are read (all an OMB workload or a
# driver's name needs). Quoted scalars stay strings; bare numbers, true,
# false and null become JSON ones. Fails when FILE is neither.
omb_yaml_json() {
  local file=$1 line key value quoted
  if [[ $(tr -d ' \t\r\n' <"$file" | head -c 1) == "{" ]]; then
    jq -e 'if type == "object" then . else error("not an object") end' "$file" 2>/dev/null
    return
  fi
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^([A-Za-z_][A-Za-z0-9_.-]*)[[:space:]]*:[[:space:]]*(.*)$ ]] || continue
    key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]%$'\r'} quoted=0
    if [[ $value =~ ^\"([^\"]*)\" || $value =~ ^\'([^\']*)\' ]]; then
      value=${BASH_REMATCH[1]} quoted=1
    else
      value=${value%%[[:space:]]#*}
      value=${value%"${value##*[![:space:]]}"}
      [[ -n $value ]] || continue # a nested block: not read
    fi
    printf '%s\t%s\t%s\n' "$key" "$quoted" "$value"
  done <"$file" | jq -Rn '
    [inputs | split("\t") | .[0] as $k | .[1] as $q | (.[2:] | join("\t")) as $v
     | {($k): (if $q == "1" then $v
               elif $v == "true" then true elif $v == "false" then false
               elif $v == "null" or $v == "~" then null
               else ($v | tonumber? // $v) end)}]
    | add // {}'
}

# omb_read_workload: omb_wl, the workload file as JSON; exits 1 when it
# cannot be read, 3 when it is no workload (no name or messageSize).
omb_read_workload() {
  [[ -r $omb_workload && -f $omb_workload ]] || { echo "$prog: $omb_workload: cannot read the workload file" >&2; exit 1; }
  omb_wl=$(omb_yaml_json "$omb_workload") || { echo "$prog: $omb_workload: not JSON or YAML" >&2; exit 3; }
  jq -e '(.name | type) == "string" and (.messageSize | type) == "number"' <<<"$omb_wl" >/dev/null ||
    { echo "$prog: $omb_workload: a workload needs a name and a messageSize" >&2; exit 3; }
}

# omb_driver_name: the "name" of the driver file, or Pulsar when the file is
# not there (local mode has no driver file to read).
omb_driver_name() {
  local name=''
  [[ -r $omb_drivers ]] && name=$(omb_yaml_json "$omb_drivers" 2>/dev/null | jq -r '.name // empty' 2>/dev/null)
  echo "${name:-Pulsar}"
}
