#!/usr/bin/env bash
# What middleware packs cost on the proxy path: one silver node and one app (nginx, `return 200
# "ok"`, as in proxy.sh) at one location, measured with three sets of packs applied in turn:
#   none      no packs;
#   allow     `allow from=127.0.0.1`, a pack that only compares an address: what any middleware
#             costs by itself (the front asks the chain on the byte-level path as for any pack);
#   packs     `password` (one user) + `headers` (CSP, frame, referrer, nosniff): the issue's goal.
# Every request carries the same Basic credentials, so the three send the same bytes. wrk with 32
# keep-alive connections; the sets alternate within each round (the order rotates). Prints a
# Markdown table: medians over the rounds, and the ratios to `none`.
#
#   bench/middleware.sh [--quick]   # full: 3 rounds of 8 s per set (~3 min)
#
# Needs: nginx, wrk, curl (installed with apt-get when missing).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need nginx wrk curl
if ((QUICK)); then ROUNDS=1 DUR=2 WARM=2 LIMIT=150; else ROUNDS=${ROUNDS:-3} DUR=${DUR:-8} WARM=5 LIMIT=600; fi
time_limit "$LIMIT"
HOST=mw.localhost
export WRK_HEADER="Authorization: Basic $(printf 'bench:open sesame' | base64)"

start_node_with_ok_app "$HOST"
URL=http://127.0.0.1:$NODE_HTTP/
wait_http "$URL" 20 "$HOST"

# Applies the packs of set WHO (removing the others): packs_for WHO
packs_for() {
  local p
  for p in allow password headers; do silver remove-middleware "$p" "$HOST" --node bench >/dev/null 2>&1 || true; done
  case "$1" in
    allow) silver apply-middleware allow "$HOST" --node bench --set from=127.0.0.1 ;;
    packs)
      silver apply-middleware password "$HOST" --node bench --set user=bench --set 'password=open sesame'
      silver apply-middleware headers "$HOST" --node bench --set "csp=default-src 'self'" \
        --set frame=DENY --set referrer=strict-origin-when-cross-origin --set nosniff=true
      ;;
  esac >>"$WORK/packs.log" 2>&1 || die "apply-middleware failed: $(tail -2 "$WORK/packs.log")"
  # the change takes effect at once; check it did, with and without the credentials
  local want=200 bare=200
  [ "$1" = packs ] && bare=401
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $HOST" -H "$WRK_HEADER" "$URL")" = "$want" ] ||
    die "$1: the credentials do not pass"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $HOST" "$URL")" = "$bare" ] ||
    die "$1: a request without credentials is not answered $bare"
}

SETS=(none allow packs)
for who in "${SETS[@]}"; do
  packs_for "$who"
  warm_up "$WARM" "$URL" "$HOST"
done

RAW=$WORK/raw.tsv
for ((r = 1; r <= ROUNDS; r++)); do
  for ((k = 0; k < ${#SETS[@]}; k++)); do
    who=${SETS[(k + r - 1) % ${#SETS[@]}]}
    packs_for "$who"
    res=$(wrk_run 32 "$DUR" "$URL" "$HOST" "$NODE_PID")
    log "round $r, $who: $res"
    echo "$r $who $res" >>"$RAW"
  done
done

col() { awk -v w="$1" -v i="$2" '$2 == w {print $i}' "$RAW"; }
echo "### Middleware on the proxy path (wrk, 32 keep-alive connections, ${DUR} s per run, median of $ROUNDS rounds)"
echo
machine_facts
echo
echo "| packs | req/s | p50 ms | p99 ms | non-2xx | CPU µs/req | req/s ÷ none |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
NONE=$(median $(col none 3))
for who in "${SETS[@]}"; do
  rps=$(median $(col "$who" 3))
  printf '| %s | %.0f | %.2f | %.2f | %s | %.1f | %s |\n' "$who" "$rps" "$(median $(col "$who" 4))" \
    "$(median $(col "$who" 5))" "$(col "$who" 7 | awk '{s += $1} END {print s + 0}')" \
    "$(median $(col "$who" 8))" "$(ratio "$rps" "$NONE")"
done
echo
r=$(ratio "$(median $(col packs 3))" "$NONE")
a=$(ratio "$(median $(col packs 3))" "$(median $(col allow 3))")
met=missed
awk -v r="$r" 'BEGIN { exit !(r >= 0.9) }' && met=met
echo "Goal (password + headers cost at most 10 % of req/s): packs ÷ none $r — **$met**;"
echo "packs ÷ allow (what the two packs cost beyond asking a chain at all) $a."
echo
echo "Raw runs (round, packs, req/s, p50 ms, p99 ms, socket errors, non-2xx, CPU µs/req):"
echo
echo '```'
cat "$RAW"
echo '```'
