#!/usr/bin/env bash
# What the front's request counting costs: two silver nodes, one with metrics on (the default) and
# one with node.ini [metrics] requests = off, each proxying to the same kind of backend (nginx,
# `return 200 "ok"`, as in proxy.sh). wrk with 32 keep-alive connections; the two alternate within
# each round. Prints a Markdown table: medians over the rounds, and the ratio on ÷ off.
#
#   bench/metrics.sh [--quick]    # full: 5 rounds of 8 s per node (~3 min)
#
# Needs: nginx, wrk, curl (installed with apt-get when missing).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need nginx wrk curl
if ((QUICK)); then ROUNDS=1 DUR=2 WARM=2 LIMIT=120; else ROUNDS=${ROUNDS:-5} DUR=${DUR:-8} WARM=5 LIMIT=600; fi
time_limit "$LIMIT"
HOST=metrics.localhost

APP=$WORK/app
write_ok_app "$APP"

declare -A PORT PID
mkdir -p "$WORK/home"
for who in on off; do
  root=$WORK/node-$who http=$(free_port) admin=$(free_port)
  silver node init --root "$root" --name "$who" --http "127.0.0.1:$http" --admin "127.0.0.1:$admin" \
    >"$WORK/init-$who.log" 2>&1 || die "silver node init failed: $(tail -1 "$WORK/init-$who.log")"
  [ "$who" = off ] && printf '\n[metrics]\nrequests = off\n' >>"$root/node.ini"
  HOME="$WORK/home" start_bg "node-$who" "$SILVER" node start --root "$root"
  PID[$who]=$LAST_PID PORT[$who]=$http
  wait_http "http://127.0.0.1:$admin/" 60
  silver update "$APP" "$HOST" --node "$who" >"$WORK/update-$who.log" 2>&1 || die "silver update failed"
  wait_http "http://127.0.0.1:$http/" 20 "$HOST"
done
for who in on off; do warm_up "$WARM" "http://127.0.0.1:${PORT[$who]}/" "$HOST"; done

RAW=$WORK/raw.tsv
for ((r = 1; r <= ROUNDS; r++)); do
  order=(on off)
  ((r % 2 == 0)) && order=(off on)
  for who in "${order[@]}"; do
    res=$(wrk_run 32 "$DUR" "http://127.0.0.1:${PORT[$who]}/" "$HOST" "${PID[$who]}")
    log "round $r, metrics $who: $res"
    echo "$r $who $res" >>"$RAW"
  done
done

col() { awk -v w="$1" -v i="$2" '$2 == w {print $i}' "$RAW"; }
echo "### Front with metrics on and off (wrk, 32 keep-alive connections, ${DUR} s per run, median of $ROUNDS rounds)"
echo
machine_facts
echo
echo "| metrics | req/s | p50 ms | p99 ms | CPU µs/req |"
echo "| --- | ---: | ---: | ---: | ---: |"
for who in on off; do
  printf '| %s | %.0f | %.2f | %.2f | %.1f |\n' "$who" "$(median $(col "$who" 3))" "$(median $(col "$who" 4))" \
    "$(median $(col "$who" 5))" "$(median $(col "$who" 8))"
done
echo
echo "on ÷ off: req/s $(ratio "$(median $(col on 3))" "$(median $(col off 3))"), CPU µs/req $(ratio "$(median $(col on 8))" "$(median $(col off 8))")"
echo
echo "Raw runs (round, metrics, req/s, p50 ms, p99 ms, socket errors, non-2xx, CPU µs/req):"
echo
echo '```'
cat "$RAW"
echo '```'
