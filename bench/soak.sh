#!/usr/bin/env bash
# Zero-downtime soak: continuous load on hello-java through a silver node — wrk on keep-alive
# connections and wrk opening a new connection for every request (Connection: close), both paced
# so the deploys still get CPU — while 50 `silver update`s and 10 `silver activate LOC PREV` run.
# Counts answers outside 2xx (a wrk Lua script checks every one) and socket errors: both must be 0.
#
#   bench/soak.sh [--quick]       # full: 50 updates, an activation after every 5th (~3-4 min)
#
# Needs: wrk, curl, python3; examples/hello-java built (mvn -DskipTests package).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need wrk curl python3
if ((QUICK)); then UPDATES=2 EVERY=2 LIMIT=150; else UPDATES=${UPDATES:-50} EVERY=5 LIMIT=720; fi
time_limit "$LIMIT"
HOST=hello.localhost
[ -f "$HELLO_DIR/target/hello.jar" ] || die "build $HELLO_DIR first (mvn -DskipTests package)"

# Counts every answer outside 2xx (wrk's own count lets 3xx pass); DELAY_MS paces each connection.
lua() {
  cat <<LUA
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function delay() return $1 end
function response(status, headers, body) if status < 200 or status > 299 then bad = bad + 1 end end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  io.write(string.format("non-2xx: %d\n", b))
end
LUA
}
lua 2 >"$WORK/keepalive.lua"
lua 5 >"$WORK/close.lua"

start_node
silver update "$HELLO_DIR" "$HOST" --node bench >"$WORK/update-0.log" 2>&1 || {
  cat "$WORK/update-0.log" >&2
  die "first silver update failed"
}
URL=http://127.0.0.1:$NODE_HTTP/
wait_http "$URL" 20 "$HOST"

start_bg wrk-keepalive wrk -t1 -c8 -d3600s --timeout 10s -s "$WORK/keepalive.lua" -H "Host: $HOST" "$URL"
KA=$LAST_PID
start_bg wrk-close wrk -t1 -c4 -d3600s --timeout 10s -s "$WORK/close.lua" -H "Host: $HOST" -H "Connection: close" "$URL"
CL=$LAST_PID
sleep 2

t0=$SECONDS
failed=0 activations=0
for ((i = 1; i <= UPDATES; i++)); do
  if ! silver update "$HELLO_DIR" "$HOST" --node bench >"$WORK/update-$i.log" 2>&1; then
    failed=$((failed + 1))
    log "update $i failed: $(tail -3 "$WORK/update-$i.log")"
  fi
  if ((i % EVERY == 0)); then
    if silver activate "$HOST" PREV --node bench >"$WORK/activate-$i.log" 2>&1; then
      activations=$((activations + 1))
    else
      failed=$((failed + 1))
      log "activate after update $i failed: $(tail -3 "$WORK/activate-$i.log")"
    fi
  fi
  ((i % 10 == 0)) && log "$i updates, $activations activations, $((SECONDS - t0)) s"
done
elapsed=$((SECONDS - t0))
sleep 2
kill -INT "$KA" "$CL"
wait "$KA" "$CL" || true

# "total non2xx socket_errors" of one wrk output
tally() {
  local f=$1
  echo "$(awk '/requests in/ {n = $1} END {print n + 0}' "$f") $(awk '/^non-2xx:/ {n = $2} END {print n == "" ? "?" : n}' "$f")" \
    "$(awk '/Socket errors:/ {gsub(",", ""); e = $4 + $6 + $8 + $10} END {print e + 0}' "$f")"
}
read -r ka_n ka_bad ka_err <<<"$(tally "$WORK/wrk-keepalive.log")"
read -r cl_n cl_bad cl_err <<<"$(tally "$WORK/wrk-close.log")"
# the node's own record: answers outside 2xx for the soaked host
logged_bad=$(awk -v h="$HOST" '$3 == h && ($7 < 200 || $7 > 299)' "$NODE_ROOT/logs/access.log" | wc -l)

echo "### Zero-downtime soak ($UPDATES updates and $activations activations of PREV in $elapsed s, under load)"
echo
machine_facts
echo
echo "| load | requests | non-2xx | socket errors |"
echo "| --- | ---: | ---: | ---: |"
echo "| wrk, 8 keep-alive connections (2 ms pause between requests) | ${ka_n:-0} | ${ka_bad:-?} | ${ka_err:-0} |"
echo "| wrk, 4 connections, a new one per request (5 ms pause) | ${cl_n:-0} | ${cl_bad:-?} | ${cl_err:-0} |"
echo
echo "Failed commands: $failed. Answers outside 2xx in the node's access.log for $HOST: $logged_bad."
met=missed
[ "${ka_bad:-1}" = 0 ] && [ "${cl_bad:-1}" = 0 ] && [ "${ka_err:-1}" = 0 ] && [ "${cl_err:-1}" = 0 ] &&
  [ "$failed" = 0 ] && met=met
echo "Goal (0 non-2xx, 0 socket errors): **$met**."
if [ "$met" = missed ]; then
  echo; echo '```'
  grep -v '^  ' "$WORK/wrk-keepalive.log" "$WORK/wrk-close.log" || true
  awk -v h="$HOST" '$3 == h && ($7 < 200 || $7 > 299)' "$NODE_ROOT/logs/access.log" | head -20
  echo '```'
fi
