#!/usr/bin/env bash
# Measures every "Done when" figure of issue 10 (one request path, thin at run
# time) in one run on the current tree, the way docs/benchmarks.md's "How
# measured" describes them, and prints a markdown table for that file followed
# by the raw numbers. `make thin` runs it.
#
#   deps         go list -deps ./wrapper: kin-openapi, yaml, jsonschema, /drift,
#                the root package
#   size         a program importing only api vs one importing only wrapper,
#                go build and go build -ldflags='-s -w'
#   tidy         the // indirect requirements go mod tidy writes for a consumer
#                of wrapper, and for one that also imports mock in a test
#   first call   both programs as whole processes against a loopback server,
#                warm-ups, then alternating runs; median CPU and wall time
#   New()        the first New of a process (runtime.MemStats), later ones
#                (testing.Benchmark)
#   lines        wc -l over wrapper/*.go without *_test.go and *.gen.go
#   pairs        bench/'s BenchmarkPair wrapper-vs-raw (ratios by
#                bench/internal/ratios) and the per-peer allocs/op
#
# The Go programs are templates in scripts/thin/ (*.go.tmpl, so the SDK's
# `go build/vet/test ./...` never see them), copied into scratch modules under a
# temporary directory with `replace github.com/glomo-go/glomo-go => <tree>`.
# Tidying those modules may fetch from the Go module proxy, so this is not part
# of `make test`.
#
# Usage: scripts/thin.sh [--self-check]
#   --self-check  only the offline parts (deps, lines, the templates' gofmt and
#                 compilation); for `make test-scripts`.
# Environment:
#   THIN_RUNS=10              timed processes of each program (first call)
#   THIN_WARMUPS=2            untimed processes of each program first
#   THIN_PAIRS=1              0 skips the benchmarks (the slow part)
#   THIN_PAIR_COUNT=5         -count of the pair benchmark
#   THIN_PAIR_BENCHTIME=300ms -benchtime of the pair benchmark
#   THIN_ALLOC_COUNT=3        -count of the per-peer allocs/op benchmarks
#   THIN_ALLOC_BENCHTIME=200x -benchtime of the per-peer allocs/op benchmarks
# Progress goes to stderr; stdout is the report.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
tmpl=$repo/scripts/thin
module=github.com/glomo-go/glomo-go

THIN_RUNS=${THIN_RUNS:-10}
THIN_WARMUPS=${THIN_WARMUPS:-2}
THIN_PAIRS=${THIN_PAIRS:-1}
THIN_PAIR_COUNT=${THIN_PAIR_COUNT:-5}
THIN_PAIR_BENCHTIME=${THIN_PAIR_BENCHTIME:-300ms}
THIN_ALLOC_COUNT=${THIN_ALLOC_COUNT:-3}
THIN_ALLOC_BENCHTIME=${THIN_ALLOC_BENCHTIME:-200x}

self_check=0
case "${1:-}" in
  "") ;;
  --self-check) self_check=1 ;;
  *) echo "usage: $0 [--self-check]" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
raw=$tmp/raw.txt
: >"$raw"

say() { echo "thin: $*" >&2; }
# rec KEY VALUE: one raw figure, for the report and the raw listing.
rec() { printf '%s=%s\n' "$1" "$2" >>"$raw"; }
# words: stdin's lines joined by spaces, or "none" when there are none.
words() {
  local w
  w=$(paste -sd' ' -)
  echo "${w:-none}"
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

record_machine() {
  rec run.date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  rec run.commit "$(git rev-parse --short HEAD)"
  rec run.dirty "$(git status --porcelain | cut -c4- | words)"
  rec run.go "$(go version | cut -d' ' -f3-)"
  rec run.nproc "$(nproc)"
  rec run.load_before "$(loadavg)"
}

# Packages of ./wrapper's build that issue 10 says it must not link.
check_deps() {
  say "go list -deps ./wrapper"
  local deps
  deps=$(go list -deps ./wrapper)
  rec deps.count "$(wc -l <<<"$deps")"
  rec deps.offenders "$(grep -iE "kin-openapi|yaml|jsonschema|/drift(/|$)|^${module}\$" <<<"$deps" | words)"
}

count_lines() {
  local files=() f
  for f in wrapper/*.go; do
    case $f in *_test.go | *.gen.go) ;; *) files+=("$f") ;; esac
  done
  local counts
  counts=$(wc -l "${files[@]}" | grep -v ' total$' | sort -k1,1nr)
  rec lines.files "${#files[@]}"
  rec lines.total "$(awk '{s += $1} END {print s}' <<<"$counts")"
  rec lines.largest.file "$(head -1 <<<"$counts" | awk '{print $2}')"
  rec lines.largest.lines "$(head -1 <<<"$counts" | awk '{print $1}')"
  rec lines.over400 "$(awk '$1 > 400 {print $2 " (" $1 ")"}' <<<"$counts" | words)"
}

check_templates() {
  say "gofmt of scripts/thin/*.go.tmpl"
  local bad
  bad=$(gofmt -l "$tmpl"/*.go.tmpl)
  if [ -n "$bad" ]; then
    echo "thin: gofmt would change: $bad" >&2
    exit 1
  fi
}

# compile_templates: every template compiled (the test one too) inside the
# SDK's own module through -overlay, at paths that exist only in the overlay:
# offline, nothing written to the tree, and an SDK change that breaks a
# template fails here rather than at the next `make thin`.
compile_templates() {
  say "go build -overlay of scripts/thin/*.go.tmpl"
  local name json=$tmp/overlay.json virt=$repo/scripts/thin/overlay sep=""
  mkdir -p "$tmp/overlay"
  {
    printf '{"Replace": {'
    for name in raw wrapper newallocs firstcall report; do
      cp "$tmpl/$name.go.tmpl" "$tmp/overlay/$name.go"
      printf '%s\n"%s/%s/main.go": "%s/overlay/%s.go"' "$sep" "$virt" "$name" "$tmp" "$name"
      sep=,
    done
    cp "$tmpl/mock_test.go.tmpl" "$tmp/overlay/mock_test.go"
    printf ',\n"%s/wrapper/mock_test.go": "%s/overlay/mock_test.go"}}\n' "$virt" "$tmp"
  } >"$json"
  go build -overlay="$json" -o /dev/null ./scripts/thin/overlay/...
  go test -vet=off -overlay="$json" -c -o "$tmp/overlay/wrapper.test" ./scripts/thin/overlay/wrapper
}

# scratch_module DIR: an empty consumer module of the tree at $repo.
scratch_module() {
  mkdir -p "$1"
  local gover
  gover=$(awk '$1 == "go" {print $2; exit}' go.mod)
  printf 'module consumer\n\ngo %s\n\nreplace %s => %s\n' "$gover" "$module" "$repo" >"$1/go.mod"
}

# tidy_case NAME FORBIDDEN_REGEX FILES...: a consumer module holding FILES
# (template names, copied without .tmpl), tidied; records its // indirect
# requirements and those matching FORBIDDEN_REGEX.
tidy_case() {
  local name=$1 forbidden=$2 dir=$tmp/tidy-$1 f
  shift 2
  scratch_module "$dir"
  for f in "$@"; do cp "$tmpl/$f.go.tmpl" "$dir/$f.go"; done
  mv "$dir/wrapper.go" "$dir/main.go"
  say "go mod tidy: consumer ($name)"
  (cd "$dir" && GOWORK=off go mod tidy)
  local indirect
  indirect=$(awk '/\/\/ indirect/ {if ($1 == "require") print $2 "@" $3; else print $1 "@" $2}' "$dir/go.mod")
  rec "tidy.$name.indirect" "$(words <<<"$indirect")"
  rec "tidy.$name.forbidden" "$(grep -E "$forbidden" <<<"$indirect" | words)"
}

measure_module() {
  local m=$tmp/measure name
  scratch_module "$m"
  for name in raw wrapper newallocs firstcall report; do
    mkdir -p "$m/$name"
    cp "$tmpl/$name.go.tmpl" "$m/$name/main.go"
  done
  say "scratch module: go mod tidy, go vet"
  (cd "$m" && GOWORK=off go mod tidy && GOWORK=off go vet ./...)
  mkdir -p "$tmp/bin"
  say "go build: api-only and wrapper-only programs, plain and -ldflags='-s -w'"
  for name in raw wrapper; do
    (cd "$m" && GOWORK=off go build -o "$tmp/bin/$name" "./$name" &&
      GOWORK=off go build -ldflags='-s -w' -o "$tmp/bin/$name.stripped" "./$name")
    rec "size.$name.plain" "$(stat -c %s "$tmp/bin/$name")"
    rec "size.$name.stripped" "$(stat -c %s "$tmp/bin/$name.stripped")"
  done
  for name in newallocs firstcall report; do
    (cd "$m" && GOWORK=off go build -o "$tmp/bin/$name" "./$name")
  done
}

first_call() {
  say "first call: $THIN_WARMUPS warm-ups + $THIN_RUNS runs of each program, alternating"
  "$tmp/bin/firstcall" -raw "$tmp/bin/raw" -wrapper "$tmp/bin/wrapper" \
    -runs "$THIN_RUNS" -warmups "$THIN_WARMUPS" >>"$raw"
}

new_allocs() {
  say "New() allocations"
  "$tmp/bin/newallocs" >>"$raw"
}

# bench_run OUT ARGS...: go test ARGS in bench/ into OUT; a failing run's
# output (go test prints failures on stdout) goes to stderr.
bench_run() {
  local out=$1
  shift
  say "bench: go test $*"
  (cd bench && go test "$@") >"$out" || {
    cat "$out" >&2
    exit 1
  }
}

# pairs: bench/'s interleaved wrapper-vs-raw pairs and the per-peer
# benchmarks' allocs/op, summarised by bench/internal/ratios (its medians,
# ratios and ranges are the figures recorded).
pairs() {
  if [ "$THIN_PAIRS" = 0 ]; then
    rec pairs.skipped "THIN_PAIRS=0"
    return
  fi
  local pair_args=(-run '^$' -bench 'BenchmarkPair/op=.*/pair=wrapper-vs-raw' -count "$THIN_PAIR_COUNT" -benchtime "$THIN_PAIR_BENCHTIME" -timeout 60m)
  local alloc_args=(-run '^$' -bench '^Benchmark(GetBalance|CreatePayout|ListPage100)$/^peer=(raw|wrapper)$' -benchmem -count "$THIN_ALLOC_COUNT" -benchtime "$THIN_ALLOC_BENCHTIME" -timeout 60m)
  rec pairs.load_before "$(loadavg)"
  bench_run "$tmp/pairs.txt" "${pair_args[@]}"
  rec pairs.load_after "$(loadavg)"
  bench_run "$tmp/allocs.txt" "${alloc_args[@]}"
  cat "$tmp/pairs.txt" "$tmp/allocs.txt" >"$tmp/bench.txt"
  (cd bench && go run ./internal/ratios "$tmp/bench.txt") >"$tmp/ratios.md"
  rec pairs.params "-count $THIN_PAIR_COUNT -benchtime $THIN_PAIR_BENCHTIME"
  rec allocs.params "-benchmem -count $THIN_ALLOC_COUNT -benchtime $THIN_ALLOC_BENCHTIME"
  local op row
  for op in GetBalance CreatePayout ListPage100; do
    # | `op=X/pair=wrapper-vs-raw` | A | B | wall | min–max | cpu | min–max | target | met |
    row=$(grep -F "| \`op=$op/pair=wrapper-vs-raw\` |" "$tmp/ratios.md") || {
      echo "thin: no pair row for $op in ratios' output" >&2
      exit 1
    }
    rec "pair.$op.wall" "$(awk -F' *[|] *' '{print $5}' <<<"$row")"
    rec "pair.$op.wall_range" "$(awk -F' *[|] *' '{print $6}' <<<"$row")"
    rec "pair.$op.cpu" "$(awk -F' *[|] *' '{print $7}' <<<"$row")"
    rec "pair.$op.cpu_range" "$(awk -F' *[|] *' '{print $8}' <<<"$row")"
    # | `X/peer=P` | ns/op | cpu-ns/op | B/op | allocs/op | ... (medians)
    local peer
    for peer in wrapper raw; do
      row=$(grep -F "| \`$op/peer=$peer\` |" "$tmp/ratios.md") || {
        echo "thin: no $op/peer=$peer row in ratios' output" >&2
        exit 1
      }
      rec "allocs.$op.$peer" "$(awk -F' *[|] *' '{print $6}' <<<"$row")"
    done
  done
}

print_raw() {
  echo
  echo "Raw numbers of this run:"
  echo
  echo '```text'
  cat "$raw"
  if [ -f "$tmp/bench.txt" ]; then
    echo
    grep -E '^(Benchmark|goos|goarch|cpu|pkg)' "$tmp/bench.txt"
  fi
  echo '```'
}

record_machine
check_deps
count_lines
check_templates
compile_templates
if [ "$self_check" = 1 ]; then
  rec run.load_after "$(loadavg)"
  cat "$raw"
  say "self-check ok"
  exit 0
fi
measure_module
tidy_case wrapper 'oapi-codegen/v2|golang.org/x/tools|kin-openapi' wrapper
tidy_case mock 'oapi-codegen/v2|golang.org/x/tools' wrapper mock_test
say "go test in the consumer with the mock test (its tidied go.mod builds and passes)"
(cd "$tmp/tidy-mock" && GOWORK=off go test -count=1 ./... >&2)
new_allocs
first_call
pairs
rec run.load_after "$(loadavg)"
"$tmp/bin/report" "$raw"
print_raw
