#!/usr/bin/env bash
# Runs the benchmarks of bench/ once, the way docs/benchmarks.md reports them:
#   go test -run '^$' -bench . -benchmem -count 10 -benchtime 700ms
# and writes
#   results/bench.txt      the raw `go test` output (the one run every figure comes from)
#   results/benchstat.txt  benchstat summaries: all benchmarks; peers side by side
#                          (vs floor); wrapper vs raw; drift off vs on; the
#                          interleaved pairs (BenchmarkPair)
#   results/ratios.md      medians table and the target ratios (internal/ratios)
#   results/machine.txt    nproc, go version, CPU model, commit, load average
# Environment: COUNT (default 10), BENCHTIME (default 700ms), BENCH (default .).
# On 2 cores the default run takes about 8 minutes.
set -euo pipefail
cd "$(dirname "$0")"

COUNT=${COUNT:-10}
BENCHTIME=${BENCHTIME:-700ms}
BENCH=${BENCH:-.}
BENCHSTAT=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

# The peers must be right before they are timed: every peer decodes every
# canned answer and the answers conform to openapi.yaml.
go vet ./...
go test -short -count=1 .

mkdir -p results
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "go: $(go version)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  dirty=$(git status --porcelain -- .. 2>/dev/null | grep -E ' (wrapper|drift|api)/' | tr '\n' ' ' || true)
  echo "uncommitted SDK changes measured: ${dirty:-none}"
  echo "loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "command: go test -run '^\$' -bench '$BENCH' -benchmem -count $COUNT -benchtime $BENCHTIME -timeout 60m"
} > results/machine.txt

go test -run '^$' -bench "$BENCH" -benchmem -count "$COUNT" -benchtime "$BENCHTIME" -timeout 60m | tee results/bench.txt
echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)" >> results/machine.txt

{
  echo "## All benchmarks"
  go run "$BENCHSTAT" results/bench.txt
  echo
  echo "## Peers side by side (vs floor)"
  go run "$BENCHSTAT" -filter '/peer:(floor OR raw OR wrapper OR ogen)' -col /peer results/bench.txt
  echo
  echo "## wrapper vs raw"
  go run "$BENCHSTAT" -filter '/peer:(raw OR wrapper)' -col /peer results/bench.txt
  echo
  echo "## Drift detector off vs on (wrapper)"
  go run "$BENCHSTAT" -filter '.name:Drift' -col /drift results/bench.txt
  echo
  echo "## Interleaved pairs (ratio = time A / time B in one alternating loop)"
  go run "$BENCHSTAT" -filter '.name:Pair' results/bench.txt
} > results/benchstat.txt
go run ./internal/ratios results/bench.txt > results/ratios.md
cat results/ratios.md
