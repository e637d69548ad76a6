#!/usr/bin/env bash
# make mutate: mutation testing of money/, internal/quote/ (the input
# quoting money's and the wrapper's errors share), webhook/, the wrapper's retry
# policy (wrapper/retry.go) and its pager (wrapper/pager.go) with gremlins
# (pinned, installed into a temporary directory, never in go.mod). Prints
# one table row per target, the surviving mutants, and how long each target
# took; keeps gremlins' JSON reports under $MUTATE_OUT.
#
# Score = (killed + timed out) / mutants that compile; NOT COVERED mutants
# count as survivors.
#
# gremlins v0.6.0 runs `go test` itself, so a `go` shim first in PATH adjusts
# what it runs:
#   - a mutant that does not compile exits 1 like a failing test, which
#     gremlins would count as KILLED; the shim turns "[build failed]" into
#     exit 2, which gremlins records as NOT VIABLE;
#   - gremlins' coverage run covers ./target/...; the shim narrows it to the
#     target package itself (subpackages such as webhook/sqlstore are not
#     the target's files) and makes it a real run (-count=1), not a cached
#     result;
#   - gremlins bounds each mutant at (coverage run time) x coefficient,
#     compile and link included, which on a loaded machine kills mutants
#     that are only slow to build. The shim stretches the coverage run to
#     at least MUTATE_BUILD_FLOOR seconds and the coefficient is large, so
#     that bound is a backstop; a mutant whose tests hang is stopped by the
#     test binary's own -timeout (MUTATE_TEST_TIMEOUT), which the shim
#     records, and the table reports those as timed out.
#
# Usage: scripts/mutate.sh [target...]
#        targets: money quote webhook retry pager (default: all five;
#        wrapper = retry pager)
# Env:   MUTATE_OUT (default $TMPDIR/glomo-mutate), MUTATE_WORKERS (default 2),
#        MUTATE_TEST_TIMEOUT (default 60s), MUTATE_BUILD_FLOOR (default 10),
#        MUTATE_TIMEOUT_COEFFICIENT (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."

GREMLINS=github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0

OUT=${MUTATE_OUT:-${TMPDIR:-/tmp}/glomo-mutate}
WORKERS=${MUTATE_WORKERS:-2}
COEFF=${MUTATE_TIMEOUT_COEFFICIENT:-30}
export MUTATE_TEST_TIMEOUT=${MUTATE_TEST_TIMEOUT:-60s}
export MUTATE_BUILD_FLOOR=${MUTATE_BUILD_FLOOR:-10}
TARGETS=()
for t in "${@:-money quote webhook retry pager}"; do
	for u in $t; do
		case $u in wrapper) TARGETS+=(retry pager) ;; *) TARGETS+=("$u") ;; esac
	done
done

# target_dir and target_files name each target's package directory and the
# non-test files mutated there ("" = all of them). Change only these if the
# files are renamed or split.
target_dir() { case $1 in retry | pager) echo wrapper ;; quote) echo internal/quote ;; *) echo "$1" ;; esac; }
target_files() { case $1 in retry) echo retry.go ;; pager) echo pager.go ;; *) echo "" ;; esac; }

REAL_GO=$(command -v go)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SHIM=$(mktemp -d)
trap 'rm -rf "$SHIM"' EXIT
# Installed into the temporary directory and run from there, not with `go
# run`: go run puts $GOROOT/bin first in its child's PATH, ahead of the shim,
# so gremlins would run the real go (where go itself lives in $GOROOT/bin).
GOBIN="$SHIM/bin" "$REAL_GO" install "$GREMLINS"
cat >"$SHIM/go" <<SHIM
#!/usr/bin/env bash
args=("\$@") cover=
if [ "\${1:-}" = test ]; then
	args=(test)
	shift
	while [ \$# -gt 0 ]; do
		case \$1 in
		-timeout) args+=(-timeout "\$MUTATE_TEST_TIMEOUT"); shift 2; continue ;;
		-coverprofile) cover=1 ;;
		./*/...) set -- "\${1%/...}" "\${@:2}" ;;
		esac
		args+=("\$1")
		shift
	done
	[ -z "\$cover" ] || args=(test -count=1 "\${args[@]:1}")
fi
start=\$SECONDS
log=\$(mktemp)
"$REAL_GO" "\${args[@]}" >"\$log" 2>&1
rc=\$?
cat "\$log"
if [ "\$rc" = 1 ] && grep -q -e '\[build failed\]' -e '\[setup failed\]' "\$log"; then rc=2; fi
if [ "\$rc" = 1 ] && grep -q '^panic: test timed out' "\$log"; then echo timeout >>"\$MUTATE_TIMEOUTS"; fi
rm -f "\$log"
if [ -n "\$cover" ]; then
	left=\$((MUTATE_BUILD_FLOOR - (SECONDS - start)))
	[ "\$left" -le 0 ] || sleep "\$left"
fi
exit "\$rc"
SHIM
chmod +x "$SHIM/go"

# mutate.awk prints a Go file with one mutation applied the way gremlins
# applies it: the operator token starting at line ln, byte column col,
# replaced according to the mutator typ. It exits 1 when it finds no token
# that typ changes there.
cat >"$SHIM/mutate.awk" <<'AWK'
BEGIN {
	split("&^= <<= >>= && || == != >= <= << >> &^ ++ -- += -= *= /= %= &= |= ^= + - * / % & | ^ < > break continue", ops, " ")
	m["ARITHMETIC_BASE", "+"] = "-"; m["ARITHMETIC_BASE", "-"] = "+"; m["ARITHMETIC_BASE", "*"] = "/"
	m["ARITHMETIC_BASE", "/"] = "*"; m["ARITHMETIC_BASE", "%"] = "*"
	m["CONDITIONALS_BOUNDARY", ">="] = ">"; m["CONDITIONALS_BOUNDARY", ">"] = ">="
	m["CONDITIONALS_BOUNDARY", "<="] = "<"; m["CONDITIONALS_BOUNDARY", "<"] = "<="
	m["CONDITIONALS_NEGATION", "=="] = "!="; m["CONDITIONALS_NEGATION", "!="] = "=="
	m["CONDITIONALS_NEGATION", ">="] = "<"; m["CONDITIONALS_NEGATION", ">"] = "<="
	m["CONDITIONALS_NEGATION", "<="] = ">"; m["CONDITIONALS_NEGATION", "<"] = ">="
	m["INCREMENT_DECREMENT", "++"] = "--"; m["INCREMENT_DECREMENT", "--"] = "++"
	m["INVERT_ASSIGNMENTS", "+="] = "-="; m["INVERT_ASSIGNMENTS", "-="] = "+="
	m["INVERT_ASSIGNMENTS", "*="] = "/="; m["INVERT_ASSIGNMENTS", "/="] = "*="
	m["INVERT_BITWISE", "&"] = "|"; m["INVERT_BITWISE", "|"] = "&"; m["INVERT_BITWISE", "^"] = "&"
	m["INVERT_BITWISE", "&^"] = "&"; m["INVERT_BITWISE", "<<"] = ">>"; m["INVERT_BITWISE", ">>"] = "<<"
	m["INVERT_BWASSIGN", "&="] = "|="; m["INVERT_BWASSIGN", "|="] = "&="; m["INVERT_BWASSIGN", "^="] = "&="
	m["INVERT_BWASSIGN", "&^="] = "&="; m["INVERT_BWASSIGN", "<<="] = ">>="; m["INVERT_BWASSIGN", ">>="] = "<<="
	m["INVERT_LOGICAL", "&&"] = "||"; m["INVERT_LOGICAL", "||"] = "&&"
	m["INVERT_LOOPCTRL", "break"] = "continue"; m["INVERT_LOOPCTRL", "continue"] = "break"
	m["INVERT_NEGATIVES", "-"] = "+"
	split("+= -= *= /= %= &= |= ^= &^= <<= >>=", sa, " ")
	for (i in sa) m["REMOVE_SELF_ASSIGNMENTS", sa[i]] = "="
}
NR == ln {
	rest = substr($0, col)
	for (i = 1; i in ops; i++) {
		if (substr(rest, 1, length(ops[i])) == ops[i] && (typ SUBSEP ops[i]) in m) {
			$0 = substr($0, 1, col - 1) m[typ, ops[i]] substr(rest, length(ops[i]) + 1)
			done = 1
			break
		}
	}
}
{ print }
END { exit done ? 0 : 1 }
AWK

# rerun runs each mutant gremlins reported NOT COVERED without running it
# and prints its status. gremlins calls a mutant covered only inside a
# coverage block, and Go's coverage blocks leave out constant declarations
# and switch case expressions, so tested code there is reported not covered.
# go test -overlay swaps in the mutated file without touching the tree.
rerun() {
	local dir=$1 typ pos file ln col st tmp
	tmp=$(mktemp -d)
	grep -E '^ *NOT COVERED ' | while read -r _ _ typ _ pos; do
		file=${pos%%:*} ln=${pos#*:}
		col=${ln#*:} ln=${ln%%:*}
		if ! LC_ALL=C awk -v ln="$ln" -v col="$col" -v typ="$typ" -f "$SHIM/mutate.awk" "$dir/$file" >"$tmp/m.go"; then
			echo "   UNKNOWN (rerun) $typ at $pos"
			continue
		fi
		printf '{"Replace":{"%s":"%s"}}' "$PWD/$dir/$file" "$tmp/m.go" >"$tmp/overlay.json"
		if "$REAL_GO" test -count=1 -failfast -timeout "$MUTATE_TEST_TIMEOUT" -overlay "$tmp/overlay.json" "./$dir" >"$tmp/log" 2>&1; then
			st=LIVED
		elif grep -q -e '\[build failed\]' -e '\[setup failed\]' "$tmp/log"; then
			st="NOT VIABLE"
		elif grep -q '^panic: test timed out' "$tmp/log"; then
			st="TIMED OUT"
		else
			st=KILLED
		fi
		printf '%12s (rerun) %s at %s\n' "$st" "$typ" "$pos"
	done
	rm -rf "$tmp"
}

# excludes prints gremlins -E arguments that leave out every non-test Go
# file of dir except the ones named (none named: keep all).
excludes() {
	local dir=$1 keep=" $2 " f
	[ -n "$2" ] || return 0
	for f in "$dir"/*.go; do
		f=${f##*/}
		case $f in *_test.go) continue ;; esac
		case $keep in *" $f "*) continue ;; esac
		printf -- '-E\n(^|/)%s$\n' "${f//./\\.}"
	done
}

# gremlins walks the target directory recursively: -E / leaves out
# subpackages (webhook/sqlstore, webhook/internal), whose files are not the
# target's, and the store's PostgreSQL tests are pointed at no server so
# that they skip instead of starting one per mutant.
export GLOMO_PG_BIN=/nonexistent/mutate
unset CI GLOMO_REQUIRE_POSTGRES
for t in "${TARGETS[@]}"; do
	dir=$(target_dir "$t") files=$(target_files "$t")
	[ -d "$dir" ] || { echo "mutate: unknown target $t (money, quote, webhook, retry, pager)" >&2; exit 2; }
	for f in $files; do
		[ -f "$dir/$f" ] || { echo "mutate: $dir/$f not found: update target_files in $0" >&2; exit 1; }
	done
	args=(-E /)
	mapfile -t -O 2 args < <(excludes "$dir" "$files")
	export MUTATE_TIMEOUTS=$OUT/$t.timeouts
	: >"$MUTATE_TIMEOUTS"
	echo "== $t (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
	start=$SECONDS
	PATH="$SHIM:$PATH" "$SHIM/bin/gremlins" unleash \
		--workers "$WORKERS" --timeout-coefficient "$COEFF" \
		--invert-assignments --invert-bitwise --invert-bwassign --invert-logical \
		--invert-loopctrl --remove-self-assignments \
		-o "$OUT/$t.json" "${args[@]}" "./$dir" | tee "$OUT/$t.txt" | grep -E '^ *(LIVED|NOT COVERED)' || true
	rerun "$dir" <"$OUT/$t.txt" | tee "$OUT/$t.rerun" | grep -E '^ *(LIVED|UNKNOWN)' || true
	echo "$t: $((SECONDS - start)) s (load average after: $(cut -d' ' -f1-3 /proc/loadavg))" | tee "$OUT/$t.time"
done

echo
echo "| target | killed | timed out | lived | not covered | not viable | of these, rerun by the script | score (killed + timed out) / compiling |"
echo "|---|---|---|---|---|---|---|---|"
for t in "${TARGETS[@]}"; do
	# A test binary that hit its own -timeout failed, so gremlins says
	# KILLED; the shim counted those, and they are reported as timed out.
	# Each rerun line settles one mutant gremlins left NOT COVERED.
	awk -v t="$t" -v hung="$(wc -l <"$OUT/$t.timeouts")" '
		/\(rerun\)/      { nc--; re++ }
		/^ *KILLED /      { k++ } /^ *TIMED OUT /   { to++ } /^ *LIVED /       { l++ }
		/^ *NOT COVERED / { nc++ } /^ *NOT VIABLE /  { nv++ } /^ *UNKNOWN /     { nc++ }
		END {
			k -= hung; to += hung
			c = k + to + l + nc
			printf "| %s | %d | %d | %d | %d | %d | %d | %d/%d = %.1f %% |\n", t, k, to, l, nc, nv, re, k + to, c, c ? 100 * (k + to) / c : 0
		}' "$OUT/$t.txt" "$OUT/$t.rerun"
done
