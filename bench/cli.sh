#!/usr/bin/env bash
# CLI start-up: wall time of `silver --version` and `silver query` (against a local node), with
# hyperfine: as bin/silver runs them (with the class-data-sharing archive it records beside the
# jar on its first client command), without any archive, and with an archive recorded from a
# `query` run (-XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile, via SILVER_CLI_JAVA_OPTS);
# and the bare JVM floor.
#
#   bench/cli.sh [--quick]        # full: 15 runs each (~1 min); quick: 2 runs each
#
# Needs: hyperfine, java, python3 (installed with apt-get when missing).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need hyperfine curl python3
if ((QUICK)); then RUNS=2 WARMUP=0 LIMIT=120; else RUNS=${RUNS:-15} WARMUP=2 LIMIT=400; fi
time_limit "$LIMIT"
start_node
BASE="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto" # bin/silver's default for a client
JSA=$WORK/silver.jsa
# the archive: the classes one `query` loads (it loads what `--version` does and more)
HOME="$WORK/home" SILVER_CLI_JAVA_OPTS="$BASE -XX:ArchiveClassesAtExit=$JSA" "$SILVER" query --node bench \
  >"$WORK/archive.log" 2>&1 || { cat "$WORK/archive.log" >&2; die "making the CDS archive failed"; }
[ -f "$JSA" ] || die "no CDS archive was written"
CDS="SILVER_CLI_JAVA_OPTS='$BASE -XX:SharedArchiveFile=$JSA'"
NOCDS="SILVER_CLI_JAVA_OPTS='$BASE'" # any SILVER_CLI_JAVA_OPTS turns bin/silver's own archive off
# bin/silver records its own archive on the first client command after a build; make it now
HOME="$WORK/home" "$SILVER" --version >/dev/null
H="HOME=$WORK/home"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$WORK/cli.json" \
  -n "java -version (the JVM floor, same options)" "java $BASE -version" \
  -n "silver --version, no archive" "$H $NOCDS $SILVER --version" \
  -n "silver query --node bench, no archive" "$H $NOCDS $SILVER query --node bench" \
  -n "silver --version (bin/silver as shipped: its own archive)" "$H $SILVER --version" \
  -n "silver query --node bench (bin/silver as shipped)" "$H $SILVER query --node bench" \
  -n "silver --version, archive of a query run" "$H $CDS $SILVER --version" \
  -n "silver query --node bench, archive of a query run" "$H $CDS $SILVER query --node bench" \
  >"$WORK/hyperfine.log" 2>&1 || { cat "$WORK/hyperfine.log" >&2; die "hyperfine failed"; }

echo "### CLI start-up (hyperfine, $RUNS runs after $WARMUP warm-up)"
echo
machine_facts
echo "- client JVM options (bin/silver's default): \`$BASE\`; AppCDS archive: $(du -h "$JSA" | cut -f1) (made by one \`query\` run with \`-XX:ArchiveClassesAtExit\`)"
echo "- jar: $(du -h "$(dirname "$SILVER")/../cli/target/silver.jar" 2>/dev/null | cut -f1) (shaded: the CLI and the whole node — Jetty, SQLite, picocli, Jackson)"
echo
python3 - "$WORK/cli.json" <<'PY'
import json, statistics, sys
rs = json.load(open(sys.argv[1]))["results"]
print("| command | median s | mean ± σ s | min s | max s | user s | system s |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
med = {}
for r in rs:
    m = statistics.median(r["times"]); med[r["command"]] = m
    print(f"| {r['command']} | {m:.3f} | {r['mean']:.3f} ± {r['stddev'] or 0:.3f} | {r['min']:.3f} | {r['max']:.3f} | {r['user']:.3f} | {r['system']:.3f} |")
print()
shipped = "silver query --node bench (bin/silver as shipped)"
bare = "silver query --node bench, no archive"
worst = max(med["silver --version (bin/silver as shipped: its own archive)"], med[shipped])
print(f"Goal (≤ 0.5 s), bin/silver as shipped: slowest median {worst:.3f} s —"
      f" **{'met' if worst <= 0.5 else 'missed'}**; without an archive `query` takes {med[bare]:.3f} s"
      f" ({100 * (1 - med[shipped] / med[bare]):.0f} % less with bin/silver's own archive).")
PY
