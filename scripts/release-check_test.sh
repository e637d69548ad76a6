#!/usr/bin/env bash
# Tests of release-check.sh on small trees made here: a tag that matches is
# accepted, and each way of not matching is refused with its reason.
set -euo pipefail
script=$(cd "$(dirname "$0")" && pwd)/release-check.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0 passed=0

# tree VERSION_GO_BODY CHANGELOG_BODY: a fresh fake repository root.
tree() {
  rm -rf "$tmp/root" && mkdir -p "$tmp/root/wrapper"
  printf 'package wrapper\n\n%s\n' "$1" >"$tmp/root/wrapper/version.go"
  printf '%s\n' "$2" >"$tmp/root/CHANGELOG.md"
}

# expect ok|fail WANT_OUTPUT NAME ARGS...: run the check, compare outcome and output.
expect() {
  local want=$1 text=$2 name=$3 rc=0 out
  shift 3
  out=$(cd "$tmp/root" && "$script" "$@" 2>&1) || rc=$?
  local got=ok
  [ $rc -eq 0 ] || got=fail
  if [ "$got" != "$want" ] || [[ $out != *"$text"* ]]; then
    echo "FAIL $name: want $want with '$text', got $got: $out"
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
  fi
}

log='# Changelog

## [Unreleased]

### Added
- next thing

## [1.2.3] - 2026-12-01

### Fixed
- the bug

## [1.2.2] - 2026-11-01

### Added
- older thing

[Unreleased]: https://example.invalid/compare'

tree 'const Version = "1.2.3"' "$log"
expect ok "matches wrapper.Version" "matching tag" v1.2.3
expect fail 'does not match wrapper.Version "1.2.3"' "other tag" v1.2.4
expect fail "is not vMAJOR.MINOR.PATCH" "tag without v" 1.2.3
expect fail "is not vMAJOR.MINOR.PATCH" "leading zero" v1.02.3
expect fail "usage" "no tag"
expect ok "- the bug" "notes print the section" v1.2.3 --notes
out=$(cd "$tmp/root" && "$script" v1.2.3 --notes)
if [[ $out == *"older thing"* || $out == *"next thing"* ]]; then
  echo "FAIL notes: other sections leaked: $out"; failures=$((failures + 1))
else passed=$((passed + 1)); fi

tree 'const Version = "1.2.4"' "$log"
expect fail "no section '## [1.2.4]'" "version without section" v1.2.4

tree 'const Version = "1.2.3"' '# Changelog

## [Unreleased]

## [1.2.3] - 2026-12-01

## [1.2.2] - 2026-11-01
- older thing'
expect fail "no section '## [1.2.3]' with entries" "empty section" v1.2.3

tree 'const Version = "1.2.3"
const Version = "1.2.3"' "$log"
expect fail "exactly one const Version" "two versions" v1.2.3

tree 'const version = "1.2.3"' "$log"
expect fail "exactly one const Version" "no exported Version" v1.2.3

echo "release-check: $passed passed, $failures failed"
[ $failures -eq 0 ]
