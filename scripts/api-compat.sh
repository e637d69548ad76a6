#!/usr/bin/env bash
# api-compat.sh BASE [--report]
#   Compares the exported API of every public package of the module at BASE
#   (a git ref, checked out in a temporary worktree) with the working tree,
#   using apidiff (pinned, run with `go run`, never in go.mod). Prints a
#   Markdown report and fails when an incompatible change is not named in the
#   "### Breaking" subsection of CHANGELOG.md's "## [Unreleased]" section.
#   --report prints the same report but never fails on a missing entry (the
#   regenerate workflow's pull-request body; CI on that pull request gates it).
# api-compat.sh --uncovered CHANGELOG.md < names
#   Prints the names (one a line) that CHANGELOG.md's Unreleased Breaking
#   entries do not cover; exits 1 when there is one.
#
# Naming rule (also at the top of CHANGELOG.md): a change is named by the
# package path below the module and the identifier as apidiff prints it, e.g.
# `api.CreatePayoutWithoutQuoteRequest.InvoiceNumber`,
# `wrapper.(*Client).CreatePayout` (written `wrapper.Client.CreatePayout` too);
# the root package is `glomo`; a removed package is its path (`mock`). An
# entry covers itself and what is inside it (`api.CreatePayoutWithoutQuoteRequest`
# covers its fields); `wrapper.*` covers the whole package.
set -euo pipefail

APIDIFF=${APIDIFF:-golang.org/x/exp/cmd/apidiff@v0.0.0-20261113113407-e3970619a1a4}
ROOT_PKG_NAME=glomo

# normalise: (*T) and (T) receivers become T, so both spellings match.
normalise() { sed -e 's/(\*\([A-Za-z0-9_]*\))/\1/g' -e 's/(\([A-Za-z0-9_]*\))/\1/g'; }

# breaking_entries CHANGELOG: the backticked names in Unreleased's Breaking subsection.
breaking_entries() {
  awk '
    /^## / { unreleased = ($0 ~ /^## \[Unreleased\]/); breaking = 0; next }
    unreleased && /^### / { breaking = ($0 ~ /^### Breaking/); next }
    unreleased && breaking { print }
  ' "$1" | grep -o '`[^`]*`' | tr -d '`' | normalise || true
}

uncovered() {
  local changelog=$1 entries missing=0 orig name e ok
  entries=$(breaking_entries "$changelog")
  while IFS= read -r orig; do
    [ -n "$orig" ] || continue
    name=$(printf '%s\n' "$orig" | normalise)
    ok=
    while IFS= read -r e; do
      [ -n "$e" ] || continue
      case $e in
        *.\*) [[ $name == "${e%\*}"* || $name == "${e%.\*}" ]] && ok=1 ;;
        *) [[ $name == "$e" || $name == "$e."* ]] && ok=1 ;;
      esac
      [ -z "$ok" ] || break
    done <<<"$entries"
    if [ -z "$ok" ]; then
      printf '%s\n' "$orig"
      missing=1
    fi
  done
  return $missing
}

if [ "${1:-}" = "--uncovered" ]; then
  uncovered "${2:?usage: api-compat.sh --uncovered CHANGELOG.md < names}"
  exit
fi

base=${1:?usage: api-compat.sh BASE [--report]}
mode=${2:-gate}
root=$(git rev-parse --show-toplevel)
cd "$root"
sha=$(git rev-parse --verify --quiet "$base^{commit}") ||
  { echo "api-compat: '$base' is not a commit here (in CI, fetch it: actions/checkout with fetch-depth: 0)" >&2; exit 2; }
module=$(go list -m)

tmp=$(mktemp -d)
cleanup() {
  git worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Export data of BASE. APIDIFF_CACHE (a directory) keeps it per commit, so
# repeated runs against the same BASE (the gate's own test) load it once.
old=$tmp/old.x
if [ -n "${APIDIFF_CACHE:-}" ] && [ -f "$APIDIFF_CACHE/$sha.x" ]; then
  old=$APIDIFF_CACHE/$sha.x
else
  git worktree add --quiet --detach "$tmp/base" "$sha"
  (cd "$tmp/base" && go run "$APIDIFF" -m -w "$old" "$module" 2>"$tmp/old.err") ||
    { cat "$tmp/old.err" >&2; echo "api-compat: the module at $base ($sha) does not load" >&2; exit 2; }
  if [ -n "${APIDIFF_CACHE:-}" ]; then mkdir -p "$APIDIFF_CACHE" && cp "$old" "$APIDIFF_CACHE/$sha.x"; fi
fi
go run "$APIDIFF" -m -w "$tmp/new.x" "$module" 2>"$tmp/new.err" ||
  { cat "$tmp/new.err" >&2; echo "api-compat: the working tree does not load" >&2; exit 2; }
go run "$APIDIFF" -m "$old" "$tmp/new.x" 2>/dev/null >"$tmp/diff.txt"

# apidiff prints "Incompatible changes:" and "Compatible changes:", each
# followed by "- name: what" lines. Turn each name into the naming rule.
section() {
  awk -v want="$1" '/^[A-Za-z].*:$/ { on = ($0 == want) ; next } on && /^- / { print substr($0, 3) }' "$tmp/diff.txt"
}
name_of() {
  local change=$1 n
  case $change in
    "package $module/"*) n=${change#"package $module/"}; n=${n%%: *} ;;
    ./*) n=${change#./}; n=${n%%: *} ;;
    *) n=${change%%: *}; [[ $n == */* ]] || n=$ROOT_PKG_NAME.$n ;;
  esac
  printf '%s\n' "$n"
}
mapfile -t incompatible < <(section "Incompatible changes:")
mapfile -t compatible < <(section "Compatible changes:")

names=$tmp/names.txt
: >"$names"
for c in ${incompatible[@]+"${incompatible[@]}"}; do name_of "$c" >>"$names"; done
missing=$(uncovered CHANGELOG.md <"$names" | sort -u) || true

short=$(git rev-parse --short "$sha")
echo "## API compatibility: $base ($short) → working tree"
echo
echo "apidiff over every public package of \`$module\`."
echo
if [ ${#incompatible[@]} -eq 0 ]; then
  echo "No incompatible change."
else
  echo "### Incompatible changes (${#incompatible[@]})"
  for i in "${!incompatible[@]}"; do
    n=$(sed -n "$((i + 1))p" "$names")
    mark="named in CHANGELOG.md"
    grep -qxF "$n" <<<"$missing" && mark="**not named in CHANGELOG.md**"
    echo "- \`$n\`: ${incompatible[$i]#*: } ($mark)"
  done
fi
echo
echo "### Compatible changes (${#compatible[@]})"
for c in ${compatible[@]+"${compatible[@]}"}; do echo "- \`$(name_of "$c")\`: ${c#*: }"; done
echo

if [ -n "$missing" ]; then
  {
    echo "api-compat: $(wc -l <<<"$missing" | tr -d ' ') incompatible change(s) not named under '### Breaking' in"
    echo "CHANGELOG.md's [Unreleased] section. Add an entry naming each, in backticks, and say what to do instead:"
    sed 's/^/  `/; s/$/`/' <<<"$missing"
  } >&2
  [ "$mode" = "--report" ] || exit 1
fi
