#!/usr/bin/env bash
# Static files: a 1 KiB and a 100 KiB file from a static app's static/ folder on a silver node,
# against nginx serving the same files (`expires max`, sendfile, an access log line per request).
# wrk with 32 keep-alive connections; the two alternate within each round. Prints a Markdown table.
#
#   bench/static.sh [--quick]     # full: 3 rounds of 8 s per file and server (~2 min)
#
# Needs: nginx, wrk, curl, python3 (installed with apt-get when missing).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need nginx wrk curl python3
if ((QUICK)); then ROUNDS=1 DUR=1 WARM=1 LIMIT=90; else ROUNDS=${ROUNDS:-3} DUR=${DUR:-8} WARM=5 LIMIT=480; fi
time_limit "$LIMIT"
HOST=static.localhost
C=32

APP=$WORK/app
mkdir -p "$APP/static"
# text of exactly 1 KiB and 100 KiB (no `| head -c`: with pipefail its SIGPIPE would end the script)
head -c 800 /dev/urandom | base64 -w 76 >"$APP/static/1k.txt"
truncate -s 1024 "$APP/static/1k.txt"
head -c 78000 /dev/urandom | base64 -w 76 >"$APP/static/100k.txt"
truncate -s 102400 "$APP/static/100k.txt"
printf '[production]\napp_name = files\nruntime = static\n' >"$APP/app.ini"

NGX=$(free_port)
mkdir -p "$WORK/nginx"
{
  nginx_main auto "$WORK/nginx"
  cat <<CONF
http {
  include /etc/nginx/mime.types;
  access_log $WORK/nginx/logs/access.log;
  keepalive_requests 1000000;
  sendfile on;
  tcp_nopush on;
  server {
    listen 127.0.0.1:$NGX;
    root $APP/static;
    location / { expires max; }
  }
}
CONF
} >"$WORK/nginx/nginx.conf"
start_nginx nginx "$WORK/nginx/nginx.conf"
NGX_PID=$LAST_PID

start_node
silver update "$APP" "$HOST" --node bench >"$WORK/update.log" 2>&1 || {
  cat "$WORK/update.log" >&2
  die "silver update failed"
}
wait_http "http://127.0.0.1:$NGX/1k.txt" 20
for f in 1k.txt 100k.txt; do
  for port in "$NGX" "$NODE_HTTP"; do
    curl -sf -H "Host: $HOST" "http://127.0.0.1:$port/$f" | cmp -s - "$APP/static/$f" || die "port $port does not serve $f"
  done
done
# what each answers with, for the record
curl -sI -H "Host: $HOST" "http://127.0.0.1:$NODE_HTTP/1k.txt" >"$WORK/headers-silver.txt"
curl -sI "http://127.0.0.1:$NGX/1k.txt" >"$WORK/headers-nginx.txt"

declare -A PORT=([nginx]=$NGX [silver]=$NODE_HTTP) PID=([nginx]=$NGX_PID [silver]=$NODE_PID)
CONTENDERS=(nginx silver)
for who in "${CONTENDERS[@]}"; do warm_up "$WARM" "http://127.0.0.1:${PORT[$who]}/1k.txt" "$HOST"; done

RAW=$WORK/raw.tsv
for ((r = 1; r <= ROUNDS; r++)); do
  for f in 1k.txt 100k.txt; do
    for ((k = 0; k < 2; k++)); do
      who=${CONTENDERS[(k + r - 1) % 2]}
      res=$(wrk_run "$C" "$DUR" "http://127.0.0.1:${PORT[$who]}/$f" "$HOST" "${PID[$who]}")
      log "round $r, $f, $who: $res"
      echo "$r $f $who $res" >>"$RAW"
    done
  done
done

col() { awk -v f="$1" -v w="$2" -v i="$3" '$2 == f && $3 == w {print $i}' "$RAW"; }
echo "### Static files (wrk, $C keep-alive connections, ${DUR} s per run, median of $ROUNDS rounds)"
echo
machine_facts
echo
echo "| file | server | req/s | MB/s | p50 ms | p99 ms | errors + non-2xx | CPU µs/req | req/s ÷ nginx |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A MED
verdict=met
for f in 1k.txt 100k.txt; do
  size=$(stat -c %s "$APP/static/$f")
  for who in "${CONTENDERS[@]}"; do
    rps=$(median $(col "$f" "$who" 4)); p50=$(median $(col "$f" "$who" 5)); p99=$(median $(col "$f" "$who" 6))
    bad=$( (col "$f" "$who" 7; col "$f" "$who" 8) | awk '{s += $1} END {print s + 0}')
    cpu=$(median $(col "$f" "$who" 9))
    MED[$f.$who]=$rps
    printf '| %s | %s | %.0f | %.1f | %.2f | %.2f | %s | %.0f | %s |\n' "$f" "$who" "$rps" \
      "$(awk -v r="$rps" -v s="$size" 'BEGIN {print r * s / 1e6}')" "$p50" "$p99" "$bad" "$cpu" "$(ratio "$rps" "${MED[$f.nginx]}")"
  done
  awk -v r="$(ratio "${MED[$f.silver]}" "${MED[$f.nginx]}")" 'BEGIN { exit !(r >= 0.9) }' || verdict=missed
done
echo
echo "Goal (silver ≥ 0.9 × nginx req/s for both files): 1 KiB $(ratio "${MED[1k.txt.silver]}" "${MED[1k.txt.nginx]}")," \
  "100 KiB $(ratio "${MED[100k.txt.silver]}" "${MED[100k.txt.nginx]}") — **$verdict**."
echo
echo "Response headers for 1k.txt — silver:"
echo; echo '```'; tr -d '\r' <"$WORK/headers-silver.txt"; echo '```'; echo
echo "nginx:"
echo; echo '```'; tr -d '\r' <"$WORK/headers-nginx.txt"; echo '```'; echo
echo "Raw runs (round, file, server, req/s, p50 ms, p99 ms, socket errors, non-2xx, CPU µs/req):"
echo; echo '```'; cat "$RAW"; echo '```'
