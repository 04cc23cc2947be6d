#!/usr/bin/env bash
# Runs every benchmark in turn and collects their Markdown reports in one file.
#
#   bench/run-all.sh [--quick]    # full: ~20 min on 2 cores; quick: a smoke run of each (~2 min)
#
# The report goes to $BENCH_OUT (default: a new folder under $TMPDIR), with each script's log beside it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${BENCH_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/silver-bench-results.XXXXXX")}
mkdir -p "$out"
report=$out/report.md
{
  echo "# silver benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')${1:+ ($1)}"
  echo
  echo "- silver: ${SILVER:-$here/../bin/silver} (commit $(git -C "$(dirname "${SILVER:-$here/../bin/silver}")/.." rev-parse --short HEAD 2>/dev/null || echo unknown))"
  echo "- $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "- $(java -version 2>&1 | head -1); $(nginx -v 2>&1 || echo 'nginx: not yet installed'); $(haproxy -v 2>/dev/null | head -1 || echo 'haproxy: not yet installed'); $(wrk -v 2>&1 | head -1 || true); $(hyperfine --version 2>/dev/null || true)"
  echo
} >"$report"
failed=()
for b in proxy static deploy soak memory cli tasks checkpoint backup https; do
  echo "== $b" >&2
  start=$SECONDS
  rc=0
  "$here/$b.sh" "$@" >"$out/$b.md" 2>"$out/$b.log" || rc=$?
  if ((rc == 0)); then
    cat "$out/$b.md" >>"$report"
  else
    failed+=("$b")
    { echo "### $b: FAILED (exit $rc)"; echo; echo '```'; tail -20 "$out/$b.log"; echo '```'; } >>"$report"
  fi
  echo >>"$report"
  echo "   $b took $((SECONDS - start)) s" >&2
done
echo "report: $report" >&2
((${#failed[@]} == 0)) || { echo "failed: ${failed[*]}" >&2; exit 1; }
