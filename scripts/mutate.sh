#!/usr/bin/env bash
# make mutate: mutation testing of money/, webhook/ and the wrapper's retry
# policy and pager with gremlins (pinned, run through `go run`, never in
# go.mod). Prints one table row per target and the surviving mutants, and
# keeps gremlins' JSON reports under $MUTATE_OUT.
#
# Score = (killed + timed out) / mutants that compile. gremlins v0.6.0 counts
# a mutant that does not compile as KILLED (go test exits 1 for both), so a
# `go` shim earlier in PATH turns "[build failed]" into exit 2, which gremlins
# records as NOT VIABLE; not-viable mutants are left out of the score and
# NOT COVERED ones count as survivors.
#
# Usage: scripts/mutate.sh [target...]   targets: money webhook wrapper
# Env:   MUTATE_OUT (default $TMPDIR/glomo-mutate), MUTATE_WORKERS (default 2),
#        MUTATE_TIMEOUT_COEFFICIENT (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."

GREMLINS=github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0

# The wrapper files under test, by name: the retry policy and the pager.
# Change only this line if they are renamed or split.
WRAPPER_FILES="retry.go pager.go"

OUT=${MUTATE_OUT:-${TMPDIR:-/tmp}/glomo-mutate}
WORKERS=${MUTATE_WORKERS:-2}
COEFF=${MUTATE_TIMEOUT_COEFFICIENT:-3}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(money webhook wrapper)

REAL_GO=$(command -v go)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SHIM=$(mktemp -d)
trap 'rm -rf "$SHIM"' EXIT
cat >"$SHIM/go" <<SHIM
#!/usr/bin/env bash
log=\$(mktemp)
"$REAL_GO" "\$@" >"\$log" 2>&1
rc=\$?
cat "\$log"
if [ "\$rc" = 1 ] && grep -q -e '\[build failed\]' -e '\[setup failed\]' "\$log"; then rc=2; fi
rm -f "\$log"
exit "\$rc"
SHIM
chmod +x "$SHIM/go"

# excludes prints gremlins -E arguments that leave out every non-test Go
# file of dir except the ones named.
excludes() {
	local dir=$1 keep=" $2 " f
	for f in "$dir"/*.go; do
		f=${f##*/}
		case $f in *_test.go) continue ;; esac
		case $keep in *" $f "*) continue ;; esac
		printf -- '-E\n(^|/)%s$\n' "${f//./\\.}"
	done
}

# gremlins walks the target directory recursively and gathers coverage over
# ./target/...: leave out subpackages (webhook/sqlstore, webhook/internal),
# whose files are not the target's, and point the store's PostgreSQL tests
# at no server so that they skip instead of starting one per mutant.
export GLOMO_PG_BIN=/nonexistent/mutate
unset CI GLOMO_REQUIRE_POSTGRES
for t in "${TARGETS[@]}"; do
	args=(-E /)
	case $t in
	money | webhook) ;;
	wrapper)
		for f in $WRAPPER_FILES; do
			[ -f "wrapper/$f" ] || { echo "mutate: wrapper/$f not found: update WRAPPER_FILES in $0" >&2; exit 1; }
		done
		mapfile -t -O 2 args < <(excludes wrapper "$WRAPPER_FILES")
		;;
	*) echo "mutate: unknown target $t (money, webhook, wrapper)" >&2; exit 2 ;;
	esac
	echo "== $t"
	PATH="$SHIM:$PATH" "$REAL_GO" run "$GREMLINS" unleash \
		--workers "$WORKERS" --timeout-coefficient "$COEFF" \
		--invert-assignments --invert-bitwise --invert-bwassign --invert-logical \
		--invert-loopctrl --remove-self-assignments \
		-o "$OUT/$t.json" "${args[@]}" "./$t" | tee "$OUT/$t.txt" | grep -E '^ *(LIVED|NOT COVERED)' || true
done

echo
echo "| target | killed | timed out | lived | not covered | not viable | score (killed + timed out) / compiling |"
echo "|---|---|---|---|---|---|---|"
for t in "${TARGETS[@]}"; do
	awk -v t="$t" '
		/^ *KILLED /      { k++ } /^ *TIMED OUT /   { to++ } /^ *LIVED /       { l++ }
		/^ *NOT COVERED / { nc++ } /^ *NOT VIABLE /  { nv++ }
		END {
			c = k + to + l + nc
			printf "| %s | %d | %d | %d | %d | %d | %d/%d = %.1f %% |\n", t, k, to, l, nc, nv, k + to, c, c ? 100 * (k + to) / c : 0
		}' "$OUT/$t.txt"
done
