#!/usr/bin/env bash
# release-check.sh vX.Y.Z [--notes]
#
# Refuses a release tag that does not match wrapper.Version (wrapper/version.go,
# the one place the version lives) or that CHANGELOG.md has no non-empty
# section for. With --notes it prints that section, for the release notes.
# Run from the repository root (make release-check TAG=vX.Y.Z does).
set -euo pipefail

tag=${1:-}
notes=${2:-}
fail() { echo "release-check: $*" >&2; exit 1; }

[ -n "$tag" ] || fail "usage: release-check.sh vX.Y.Z [--notes]"
semver='^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$'
[[ $tag =~ $semver ]] || fail "tag '$tag' is not vMAJOR.MINOR.PATCH[-pre]"
want=${tag#v}

[ -f wrapper/version.go ] || fail "wrapper/version.go not found (run from the repository root)"
# Exactly one `const Version = "..."` line: a second one would be a second
# place the version lives.
mapfile -t found < <(sed -n 's/^const Version = "\([^"]*\)"$/\1/p' wrapper/version.go)
[ "${#found[@]}" -eq 1 ] || fail "wrapper/version.go must declare exactly one const Version = \"X.Y.Z\" (found ${#found[@]})"
have=${found[0]}
[ "$have" = "$want" ] || fail "tag $tag does not match wrapper.Version \"$have\"; set it in wrapper/version.go or tag v$have"

[ -f CHANGELOG.md ] || fail "CHANGELOG.md not found"
# The section runs from its heading "## [X.Y.Z]" (a date may follow) to the
# next "## " heading or the link definitions at the end.
section=$(awk -v v="$want" '
  index($0, "## [" v "]") == 1 { on = 1; next }
  on && (/^## / || /^\[[^]]+\]: /) { exit }
  on { print }
' CHANGELOG.md)
[ -n "$(printf '%s\n' "$section" | tr -d '[:space:]')" ] ||
  fail "CHANGELOG.md has no section '## [$want]' with entries; move [Unreleased] to it (CONTRIBUTING.md, Releasing)"
printf '%s\n' "$section" | grep -q '^- ' || fail "CHANGELOG.md section [$want] lists no entry ('- ...')"

if [ "$notes" = "--notes" ]; then
  printf '%s\n' "$section" | sed -e '/./,$!d'
else
  echo "release-check: $tag matches wrapper.Version and CHANGELOG.md has its section"
fi
