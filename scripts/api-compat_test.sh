#!/usr/bin/env bash
# Tests of the breaking-change gate (api-compat.sh).
#   api-compat_test.sh        the naming rule: which CHANGELOG entries cover which names (fast)
#   api-compat_test.sh --e2e  also, in a temporary worktree of HEAD: remove invoice_number from
#                             CreatePayoutWithoutQuoteRequest in openapi.yaml, regenerate, and check
#                             that the gate reports it and refuses it without a Breaking entry and
#                             accepts it with one (~3 minutes: two apidiff loads and a generate)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gate=$here/api-compat.sh
tmp=$(mktemp -d)
failures=0 passed=0
check() { # check NAME CONDITION-RESULT DETAIL
  if [ "$2" = ok ]; then passed=$((passed + 1)); else echo "FAIL $1: $3"; failures=$((failures + 1)); fi
}

cat >"$tmp/CHANGELOG.md" <<'EOF'
# Changelog

## [Unreleased]

### Breaking
- `api.CreatePayoutWithoutQuoteRequest.InvoiceNumber` removed: Glomo dropped the field.
- `wrapper.(*Client).CreatePayout` takes the body by value; `api.Payout` reshaped.
- The `webhook.*` package was redesigned.

### Added
- `api.NotBreaking` is listed under Added, so it covers nothing.

## [0.1.0] - 2026-11-24

### Breaking
- `money.Parse` (an old section covers nothing now)
EOF

# covered NAME: the gate's verdict on one name against the CHANGELOG above.
covered() { if "$gate" --uncovered "$tmp/CHANGELOG.md" <<<"$1" >/dev/null; then echo ok; else echo missing; fi; }
for n in 'api.CreatePayoutWithoutQuoteRequest.InvoiceNumber' \
  'wrapper.(*Client).CreatePayout' 'wrapper.Client.CreatePayout' \
  'api.Payout.Id' 'api.Payout' 'webhook.Verify' 'webhook.(*Event).Decode' 'webhook'; do
  r=$(covered "$n"); check "covers $n" "$r" "$n should be covered"
done
for n in 'api.CreatePayoutWithoutQuoteRequest' 'api.CreatePayoutWithoutQuoteRequest.InvoiceNumberX' \
  'wrapper.(*Client).CreatePayoutV2' 'api.PayoutList' 'api.NotBreaking' 'money.Parse' 'webhooks.Verify' 'glomo.Spec'; do
  r=$(covered "$n"); [ "$r" = missing ] && r=ok || r=no; check "does not cover $n" "$r" "$n should be refused"
done
out=$("$gate" --uncovered "$tmp/CHANGELOG.md" <<<$'api.Payout.Id\nmoney.Parse\nglomo.Spec' || true)
[ "$out" = $'money.Parse\nglomo.Spec' ] && r=ok || r=no
check "lists exactly the uncovered names" "$r" "got: $out"

if [ "${1:-}" = "--e2e" ]; then
  root=$(git -C "$here" rev-parse --show-toplevel)
  wt=$tmp/wt
  git -C "$root" worktree add --quiet --detach "$wt" HEAD
  trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
  # The script and changelog under test are the working tree's, not HEAD's.
  cp "$gate" "$wt/scripts/api-compat.sh"
  # Drop the invoice_number property (and its nested lines) from the
  # CreatePayoutWithoutQuoteRequest schema only.
  awk '
    /^    [A-Za-z]/ { inschema = ($0 == "    CreatePayoutWithoutQuoteRequest:") }
    inschema && $0 == "        invoice_number:" { skip = 1; next }
    skip && /^          / { next }
    { skip = 0; print }
  ' "$root/openapi.yaml" >"$wt/openapi.yaml"
  removed=$(diff "$root/openapi.yaml" "$wt/openapi.yaml" | grep -c '^<' || true)
  [ "$removed" -ge 2 ] && r=ok || r=no
  check "fixture removes invoice_number" "$r" "$removed lines removed"
  (cd "$wt" && go generate ./... >"$tmp/gen.log" 2>&1 && go generate ./wrapper/ >>"$tmp/gen.log" 2>&1) ||
    { cat "$tmp/gen.log"; echo "FAIL regenerating the fixture"; exit 1; }
  # The changelog of the worktree, with no Breaking entry at all.
  awk '!/^### Breaking/' "$root/CHANGELOG.md" | grep -v 'CreatePayoutWithoutQuoteRequest' >"$wt/CHANGELOG.md"
  export APIDIFF_CACHE=$tmp/cache
  rc=0
  (cd "$wt" && ./scripts/api-compat.sh HEAD) >"$tmp/refused.out" 2>"$tmp/refused.err" || rc=$?
  [ $rc -eq 1 ] && grep -q '`api.CreatePayoutWithoutQuoteRequest.InvoiceNumber`: removed (\*\*not named' "$tmp/refused.out" &&
    grep -q 'api.CreatePayoutWithoutQuoteRequest.InvoiceNumber' "$tmp/refused.err" && r=ok || r=no
  check "removal reported and refused without a Breaking entry" "$r" "rc=$rc $(cat "$tmp/refused.out" "$tmp/refused.err")"

  awk '{ print } /^## \[Unreleased\]/ { print ""; print "### Breaking"; print "- `api.CreatePayoutWithoutQuoteRequest.InvoiceNumber` removed: Glomo no longer accepts it." }' \
    "$wt/CHANGELOG.md" >"$tmp/CHANGELOG.with" && cp "$tmp/CHANGELOG.with" "$wt/CHANGELOG.md"
  rc=0
  (cd "$wt" && ./scripts/api-compat.sh HEAD) >"$tmp/accepted.out" 2>"$tmp/accepted.err" || rc=$?
  [ $rc -eq 0 ] && grep -q '`api.CreatePayoutWithoutQuoteRequest.InvoiceNumber`: removed (named in CHANGELOG.md)' "$tmp/accepted.out" &&
    r=ok || r=no
  check "removal accepted with a Breaking entry" "$r" "rc=$rc $(cat "$tmp/accepted.out" "$tmp/accepted.err")"
  sed -n '/^### Incompatible/,/^$/p' "$tmp/accepted.out"
else
  trap 'rm -rf "$tmp"' EXIT
fi

echo "api-compat: $passed passed, $failures failed"
[ $failures -eq 0 ]
