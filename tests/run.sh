#!/bin/sh
# tests/run.sh: runs every unit test binary (cmocka) in $MC_UNIT_DIR and every
# end-to-end script tests/e2e/t_*.sh against $MC_BIN, then prints one closing
# line "N passed, N failed, N skipped" counting individual test cases.
# License texts come from tests/data/licenses (tests/e2e/lib.sh); $MC_SHARED
# (default ../shared beside the project) is read only for the card corpus,
# whose tests skip where it is absent.
# Exit status is 0 only when nothing failed and something ran.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
: "${MC_UNIT_DIR:?MC_UNIT_DIR must name the unit test directory}"
export MC_BIN
export MC_SHARED="${MC_SHARED:-$(cd "$here/../.." && pwd)/shared}"
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$MC_UNIT_DIR"/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	# cmocka names a skipped test three times; its summary line counts them
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ "$f" -ne 0 ]; then
		echo "FAIL unit $(basename "$t")"; cat "$log"
	else
		echo "ok   unit $(basename "$t") ($p)"; grep '^\[  SKIPPED \] [^0-9]' "$log" | sort -u
	fi
done

for t in "$here"/e2e/t_*.sh; do
	[ -f "$t" ] || continue
	sh "$t" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	s=$(grep -c '^skip ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $(basename "$t") exited $rc" >>"$log"; fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ "$f" -ne 0 ]; then
		echo "FAIL e2e $(basename "$t")"; cat "$log"
	else
		echo "ok   e2e $(basename "$t") ($p)"; grep '^skip ' "$log" || true
	fi
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
