#!/usr/bin/env bash
# Runs every native Go fuzzer of the SDK module for ${FUZZTIME:-30s} each,
# one after another, and prints a Markdown table: package, fuzzer, time,
# executions, corpus size, result. A crash leaves its input under the
# package's testdata/fuzz/<Fuzzer>/ (go test writes it) and makes the script
# exit 1 after the remaining fuzzers have run (so does a package that does
# not build). go1.26's "context deadline exceeded" at the time limit with no
# input written (go.dev/issue/75804) is reported but is not a crash.
#
#   scripts/fuzz.sh                      # 30s each
#   FUZZTIME=20s scripts/fuzz.sh         # shorter
#   FUZZMINIMIZETIME=60s scripts/fuzz.sh # go test's default minimisation budget
#   FUZZ_REPORT=out.md scripts/fuzz.sh   # also write the table to a file
#   scripts/fuzz.sh ./webhook            # only the fuzzers under these dirs
#
# bench/ is its own module and has no fuzzers; it is skipped.
set -u -o pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-30s}
# Each input that adds coverage is minimised before it joins the corpus; the
# default budget (60s) can eat most of a short run on large JSON inputs.
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-2s}
FUZZ_REPORT=${FUZZ_REPORT:-}
dirs=("$@")
[ ${#dirs[@]} -eq 0 ] && dirs=(.)

# package dir <TAB> fuzzer name, for every "func FuzzXxx(f *testing.F)".
mapfile -t targets < <(
  grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' "${dirs[@]}" 2>/dev/null |
    grep -v -e '^\./bench/' -e '^bench/' |
    sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*#\1\t\2#' |
    sed -E 's#^\./##' | sort -u
)
if [ ${#targets[@]} -eq 0 ]; then
  echo "no fuzzers found" >&2
  exit 2
fi

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
crashes=0
broken=0
flakes=0
table="| Package | Fuzzer | Time | Executions | Corpus entries (committed seeds + cache + new) | Result |
|---|---|---|---|---|---|"
for t in "${targets[@]}"; do
  dir=${t%%$'\t'*}
  name=${t##*$'\t'}
  out="$log/${dir//\//_}_$name.txt"
  echo "== ./$dir $name ($FUZZTIME)" >&2
  corpus_dir="$dir/testdata/fuzz/$name"
  before=$(ls "$corpus_dir" 2>/dev/null | sort)
  if $GO test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" "./$dir" >"$out" 2>&1; then
    result="ok, 0 crashes"
  elif grep -q '\[build failed\]\|\[setup failed\]' "$out"; then
    result="**BUILD FAILED**"
    broken=$((broken + 1))
    tail -n 30 "$out" >&2
  elif [ "$(ls "$corpus_dir" 2>/dev/null | sort)" = "$before" ] && grep -q '^    context deadline exceeded$' "$out"; then
    # go1.26's fuzz coordinator can report its own -fuzztime deadline as a
    # failure, with no failing input (go.dev/issue/75804, fixed in go1.27).
    result="ok, 0 crashes (spurious \"context deadline exceeded\" at the time limit, go.dev/issue/75804; no input written)"
    flakes=$((flakes + 1))
  else
    result="**CRASH** (input under $corpus_dir/)"
    crashes=$((crashes + 1))
    tail -n 30 "$out" >&2
  fi
  last=$(grep -E '^fuzz: elapsed: ' "$out" | tail -n 1)
  execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")
  corpus=$(sed -nE 's/.*\(total: ([0-9]+)\).*/\1/p' <<<"$last")
  echo "   ${last:-no fuzz output}" >&2
  table+=$'\n'"| \`$dir\` | \`$name\` | $FUZZTIME | ${execs:-?} | ${corpus:-?} | $result |"
done
table+=$'\n\n'"${#targets[@]} fuzzers, $crashes crashing, $broken not built, $flakes spurious coordinator deadline errors (not crashes)."
echo "$table"
[ -n "$FUZZ_REPORT" ] && echo "$table" >"$FUZZ_REPORT"
[ "$crashes" -eq 0 ] && [ "$broken" -eq 0 ]
