#!/usr/bin/env bash
# Deploy latency: `silver update` of examples/hello-java, from the command's start to the new
# version answering, split by the stages the CLI prints; median of 10 (after a first deploy that
# is not counted). The platform's share is that time less the "start" stage (the app's start-up
# and the health check); the app's own start-up (java -jar, to its first /ping) is measured alone too.
#
#   bench/deploy.sh [--quick]     # full: 10 updates (~1 min); quick: 2
#
# Needs: java, curl, python3; examples/hello-java built (mvn -DskipTests package).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need curl python3
if ((QUICK)); then N=2 LIMIT=120; else N=${N:-10} LIMIT=400; fi
time_limit "$LIMIT"
HOST=hello.localhost
[ -f "$HELLO_DIR/target/hello.jar" ] || die "build $HELLO_DIR first (mvn -DskipTests package)"
STAGES=(package upload unpack config provision checkpoint start update_fetch migrate_fetch test_fetch test_command switch drain prune)
now_ms() { date +%s%3N; }

start_node
silver update "$HELLO_DIR" "$HOST" --node bench >"$WORK/update-0.log" 2>&1 || {
  cat "$WORK/update-0.log" >&2
  die "first silver update failed"
}

# Prints the time (ms since the epoch) the front first answers with a body other than $1.
watch_switch() {
  local old=$1 deadline=$((SECONDS + 60)) body
  while ((SECONDS < deadline)); do
    body=$(curl -s --max-time 2 -H "Host: $HOST" "http://127.0.0.1:$NODE_HTTP/" || true)
    if [ -n "$body" ] && [ "$body" != "$old" ]; then now_ms; return 0; fi
    sleep 0.005
  done
  echo 0
}

RAW=$WORK/raw.tsv
echo "run ${STAGES[*]} answering_ms command_ms" >"$RAW"
for ((i = 1; i <= N; i++)); do
  old=$(curl -s -H "Host: $HOST" "http://127.0.0.1:$NODE_HTTP/")
  watch_switch "$old" >"$WORK/switch-$i" &
  watcher=$!
  t0=$(now_ms)
  silver update "$HELLO_DIR" "$HOST" --node bench >"$WORK/update-$i.log" 2>&1 || {
    cat "$WORK/update-$i.log" >&2
    die "silver update $i failed"
  }
  t1=$(now_ms)
  wait "$watcher"
  ts=$(cat "$WORK/switch-$i")
  ((ts > 0)) || die "update $i: the new version never answered"
  row="$i"
  for s in "${STAGES[@]}"; do
    ms=$(awk -v s="$s" '$1 == s && $NF == "ms" {print $(NF - 1)}' "$WORK/update-$i.log")
    row+=" ${ms:-0}"
  done
  echo "$row $((ts - t0)) $((t1 - t0))" >>"$RAW"
  log "update $i: $row $((ts - t0)) $((t1 - t0))"
done

# The app's own start-up, without the platform: its command, to the first answer of /ping.
APP_PORT=$(free_port)
for ((i = 1; i <= N; i++)); do
  t0=$(now_ms)
  (cd "$HELLO_DIR" && PORT=$APP_PORT exec java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar target/hello.jar) \
    >"$WORK/hello-alone.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$APP_PORT/ping"; do
    kill -0 "$pid" 2>/dev/null || die "hello-java alone did not start"
    ((SECONDS < LIMIT)) || die "hello-java alone did not answer"
    sleep 0.005
  done
  echo $(($(now_ms) - t0)) >>"$WORK/alone.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

col() { awk -v c="$1" 'NR > 1 {print $c}' "$RAW"; }
med() { median $(col "$1"); }
echo "### Deploy latency: \`silver update examples/hello-java\` (median of $N updates)"
echo
machine_facts
echo
echo "| stage | median ms |"
echo "| --- | ---: |"
k=2
declare -A M
for s in "${STAGES[@]}"; do M[$s]=$(med $k); echo "| $s | ${M[$s]} |"; k=$((k + 1)); done
M[answer]=$(med $k); M[command]=$(med $((k + 1)))
sum_to_switch=0
for s in "${STAGES[@]}"; do
  [ "$s" = drain ] || [ "$s" = prune ] || sum_to_switch=$(awk -v a="$sum_to_switch" -v b="${M[$s]}" 'BEGIN {print a + b}')
done
alone=$(median $(cat "$WORK/alone.txt"))
share=$(awk -v a="${M[answer]}" -v s="${M[start]}" 'BEGIN {print a - s}')
share2=$(awk -v a="${M[answer]}" -v s="$alone" 'BEGIN {print a - s}')
echo "| **command start → new version answering** | **${M[answer]}** |"
echo "| of which outside the stages (CLI JVM start-up, connecting, printing) | $(awk -v a="${M[answer]}" -v b="$sum_to_switch" 'BEGIN {print a - b}') |"
echo "| command start → command exit (includes drain and prune) | ${M[command]} |"
echo "| hello-java alone: java -jar to first /ping answer | $alone |"
echo
met=missed
awk -v s="$share" 'BEGIN { exit !(s <= 1000) }' && met=met
echo "Platform's share = answering − \"start\" stage = **$share ms** (answering − the app's own start-up alone: $share2 ms)."
echo "Goal (platform's share ≤ 1 s): **$met**."
echo
echo "Raw runs (ms):"
echo; echo '```'; cat "$RAW"; echo '```'
