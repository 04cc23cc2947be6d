#!/usr/bin/env bash
# Memory: the resident set (RSS) of the silver node's own JVM — not its apps' — idle after start,
# with 10 hello-java apps deployed, and after traffic to all ten. The node runs with bin/silver's
# JVM options (SILVER_NODE_JAVA_OPTS; default -XX:+UseSerialGC -Xss512k -XX:MaxRAM=1g -Xmx256m).
#
#   bench/memory.sh [--quick]     # full: 10 apps (~1 min); quick: 2 apps
#   NMT=1 bench/memory.sh         # also the JVM's native memory tracking summary at the end
#
# Needs: java (jcmd), wrk, curl, python3; examples/hello-java built (mvn -DskipTests package).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need wrk curl python3
if ((QUICK)); then APPS=2 LIMIT=120; else APPS=${APPS:-10} LIMIT=430; fi
time_limit "$LIMIT"
[ -f "$HELLO_DIR/target/hello.jar" ] || die "build $HELLO_DIR first (mvn -DskipTests package)"

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$NODE_PID/status"; }
# the Java heap, committed and used, in MB (the generations' "total NK, used NK")
heap() {
  jcmd "$NODE_PID" GC.heap_info 2>/dev/null | awk '/generation/ {
    for (i = 1; i < NF; i++) { if ($i == "total") t += $(i + 1); if ($i == "used") u += $(i + 1) } }
    END { printf "%.0f / %.0f", t / 1024, u / 1024 }'
}
threads() { ls "/proc/$NODE_PID/task" | wc -l; }
ROWS=()
record() { ROWS+=("| $1 | $(rss_mb) | $(heap) | $(threads) |"); log "$1: $(rss_mb) MB"; }

if [ "${NMT:-0}" = 1 ]; then
  export SILVER_NODE_JAVA_OPTS="${SILVER_NODE_JAVA_OPTS:--XX:+UseSerialGC -Xss512k -XX:MaxRAM=1g -Xmx256m} -XX:NativeMemoryTracking=summary"
fi
start_node
sleep 5
record "idle, just started (no app)"
for ((i = 1; i <= APPS; i++)); do
  silver update "$HELLO_DIR" "hello$i.localhost" --name "hello$i" --node bench >"$WORK/update-$i.log" 2>&1 || {
    cat "$WORK/update-$i.log" >&2
    die "deploying hello$i failed"
  }
done
sleep 5
record "$APPS hello-java apps deployed, idle"
apps_rss=$(for p in $(pgrep -f "hello.jar" || true); do
  [ "$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null)" = "$NODE_PID" ] && awk '/VmRSS/ {print $2}' "/proc/$p/status"
done | awk '{s += $1; n++} END {printf "%d processes, %.0f MB", n, s / 1024}')
# traffic through the front to every app (hello-java is slow per request; the front's pools and
# buffers are what grow), then idle again
loaders=()
for ((i = 1; i <= APPS; i++)); do
  wrk -t1 -c16 -d2s -H "Host: hello$i.localhost" "http://127.0.0.1:$NODE_HTTP/" >/dev/null &
  loaders+=($!)
done
wait "${loaders[@]}"
record "right after 2 s of traffic (16 connections) to each app"
wrk -t2 -c256 -d5s -H "Host: hello1.localhost" "http://127.0.0.1:$NODE_HTTP/" >/dev/null
record "right after 5 s of 256 connections to one app"
sleep 5
record "5 s later"
# the node gives memory back once traffic has stopped for a while (monitor/MemoryTrim)
sleep 25
record "30 s later"

echo "### Memory: the node's RSS ($APPS hello-java apps)"
echo
machine_facts
echo "- node JVM options: \`$(tr '\0' ' ' <"/proc/$NODE_PID/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //')\`"
echo
echo "| when | node RSS MB | heap committed / used MB | threads |"
echo "| --- | ---: | --- | ---: |"
printf '%s\n' "${ROWS[@]}"
echo
echo "The apps themselves (not counted): $apps_rss."
max=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' '{gsub(/ /, "", $3); if ($3 > m) m = $3} END {print m}')
met=missed
awk -v m="$max" 'BEGIN { exit !(m <= 150) }' && met=met
echo "Goal (node RSS ≤ 150 MB): highest $max MB — **$met**."
if [ "${NMT:-0}" = 1 ]; then
  echo; echo "Native memory tracking (committed KB by area):"; echo; echo '```'
  jcmd "$NODE_PID" VM.native_memory summary | grep -E '^(Total|-) ' | sed 's/reserved=[0-9]*KB, //'
  echo '```'
fi
