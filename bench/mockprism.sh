#!/usr/bin/env bash
# glomo-mock against Prism on the same openapi.yaml, side by side in one run:
# GET balance, POST payout and a list of 100 payouts, 20 workers each for
# DURATION (default 10s), loopback only. Prism (npm @stoplight/prism-cli) is
# installed into a temporary directory for the run and removed afterwards;
# it never becomes a project dependency. Results: one JSON line per
# measurement on stdout and in bench/results/mockprism-<time>.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-10s}
WORKERS=${WORKERS:-20}
PRISM_VERSION=${PRISM_VERSION:-5}
KEY=sk_test_mock_bench
MOCK_PORT=${MOCK_PORT:-18080}
PRISM_PORT=${PRISM_PORT:-14010}
TMP=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

echo "installing @stoplight/prism-cli@$PRISM_VERSION into $TMP" >&2
npm install --silent --no-audit --no-fund --prefix "$TMP" "@stoplight/prism-cli@$PRISM_VERSION" >&2
PRISM="$TMP/node_modules/.bin/prism"
"$PRISM" --version >&2

go build -o "$TMP/glomo-mock" ./cmd/glomo-mock
(cd bench && go build -o "$TMP/mockload" ./cmd/mockload)

"$TMP/glomo-mock" -addr "127.0.0.1:$MOCK_PORT" -key "$KEY" -quiet -balance USD=100000000000000 >"$TMP/mock.log" 2>&1 &
pids+=($!)
"$PRISM" mock -h 127.0.0.1 -p "$PRISM_PORT" "$ROOT/openapi.yaml" >"$TMP/prism.log" 2>&1 &
pids+=($!)
for url in "http://127.0.0.1:$MOCK_PORT/" "http://127.0.0.1:$PRISM_PORT/v1/balances"; do
	for _ in $(seq 1 120); do
		curl -s -o /dev/null -H "Authorization: Bearer $KEY" "$url" && break
		sleep 0.5
	done
done

MOCK="http://127.0.0.1:$MOCK_PORT/api"
PRISM_URL="http://127.0.0.1:$PRISM_PORT"
BENE=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
	-d '{"category":"payout","beneficiary":{"name":"Load Test","type":"business","email":"load@example.com","address":{"address_line1":"1 Main St","city":"New York","state":"NY","country_code":"USA","postal_code":"10001"}},"bank_account":{"account_number":"1234567890","currency":"USD","address":{"address_line1":"388 Greenwich St","city":"New York","state":"NY","country_code":"USA"}}}' \
	"$MOCK/v2/beneficiaries" | sed -n 's/.*"id":"\(bene_[^"]*\)".*/\1/p')
test -n "$BENE" || { echo "could not create a beneficiary on glomo-mock" >&2; exit 1; }

mkdir -p bench/results
OUT="bench/results/mockprism-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
run() { # server url scenario: a 2 s warm-up (not recorded), then the measurement
	"$TMP/mockload" -name "$1" -url "$2" -key "$KEY" -scenario "$3" -bene "$BENE" -workers "$WORKERS" -duration 2s >/dev/null
	"$TMP/mockload" -name "$1" -url "$2" -key "$KEY" -scenario "$3" -bene "$BENE" -workers "$WORKERS" -duration "$DURATION" | tee -a "$OUT"
}
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for scenario in balance payout list; do
	run glomo-mock "$MOCK" "$scenario"
	run prism "$PRISM_URL" "$scenario"
done
echo "stored payouts in glomo-mock at the end: $(curl -s -H "Authorization: Bearer $KEY" "http://127.0.0.1:$MOCK_PORT/__mock/state" | head -c 300)" >&2
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "results: $OUT" >&2
