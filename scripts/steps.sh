#!/usr/bin/env bash
# Run make targets as numbered steps: one line per step with its elapsed time, and every
# line of output in a log file. A step that fails prints its own output in full (and the
# log's path), then stops.
#   scripts/steps.sh LOG_FILE TARGET [TARGET ...]      (extra make variables: STEP_ARGS)
set -uo pipefail
log="$1"
shift
mkdir -p "$(dirname "$log")"
: >"$log"
total=$#
started=$(date +%s)
step=0
echo "Full log: $log"
for target in "$@"; do
    step=$((step + 1))
    step_log="$log.step"
    printf '[%d/%d] %-9s ' "$step" "$total" "$target"
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    make --no-print-directory "$target" ${STEP_ARGS:-} >"$step_log" 2>&1
    rc=$?
    elapsed=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
    { echo "===== [$step/$total] make $target (rc=$rc, ${elapsed} s)"; cat "$step_log"; } >>"$log"
    if [ "$rc" -ne 0 ]; then
        echo "FAILED after ${elapsed} s. Its output (Dagster's DEBUG lines are in the log):"
        echo "----------------------------------------------------------------------"
        grep -v -- ' - DEBUG - ' "$step_log"
        echo "----------------------------------------------------------------------"
        echo "make $target failed (exit $rc). Full log: $log"
        rm -f "$step_log"
        exit "$rc"
    fi
    echo "ok  ${elapsed} s"
done
rm -f "$log.step"
echo "Done in $(($(date +%s) - started)) s. Full log: $log"
