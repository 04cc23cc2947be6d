#!/usr/bin/env bash
# Proxy throughput: one backend (nginx, `return 200 "ok"`) reached directly, through nginx as a
# reverse proxy (keep-alive upstream), through HAProxy and through a silver node (the backend
# registered as an app). wrk with 32 and 256 keep-alive connections; contenders alternate within
# each round. Prints a Markdown table: medians over the rounds, and ratios to nginx.
#
#   bench/proxy.sh [--quick]      # full: 3 rounds of 8 s per contender and level (~4 min)
#
# Before the rounds each contender gets load until its req/s stops rising (a JVM needs that).
# Needs: nginx, haproxy, wrk, curl, python3 (installed with apt-get when missing).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need nginx haproxy wrk curl python3
if ((QUICK)); then ROUNDS=1 DUR=1 WARM=1 LIMIT=90; else ROUNDS=${ROUNDS:-3} DUR=${DUR:-8} WARM=5 LIMIT=720; fi
time_limit "$LIMIT"
HOST=proxy.localhost

# The backend: one nginx worker answering 200 "ok"; the silver app runs the same conf on $PORT.
backend_conf() { # PORT DIR
  nginx_main 1 "$2"
  cat <<CONF
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$1; location / { return 200 "ok"; } }
}
CONF
}

BACK=$(free_port)
mkdir -p "$WORK/backend"
backend_conf "$BACK" "$WORK/backend" >"$WORK/backend/nginx.conf"
start_nginx backend "$WORK/backend/nginx.conf"
BACK_PID=$LAST_PID

# nginx as a reverse proxy, as one would set it up in production: a worker per core, keep-alive
# to the backend, X-Forwarded-* headers, and an access log line per request (silver writes one).
NGX=$(free_port)
mkdir -p "$WORK/nginx-proxy"
{
  nginx_main auto "$WORK/nginx-proxy"
  cat <<CONF
http {
  access_log $WORK/nginx-proxy/logs/access.log;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$BACK; keepalive 256; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$NGX;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
CONF
} >"$WORK/nginx-proxy/nginx.conf"
start_nginx nginx-proxy "$WORK/nginx-proxy/nginx.conf"
NGX_PID=$LAST_PID

# HAProxy: a thread per core (its default), keep-alive both ways, X-Forwarded-For. It logs
# nowhere unless told to (no syslog here), so it does a little less work than the others.
HAP=$(free_port)
mkdir -p "$WORK/haproxy"
cat >"$WORK/haproxy/haproxy.cfg" <<CONF
global
  maxconn 4096
defaults
  mode http
  option http-keep-alive
  option forwardfor
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend front
  bind 127.0.0.1:$HAP
  default_backend back
backend back
  server s1 127.0.0.1:$BACK
CONF
start_bg haproxy haproxy -db -f "$WORK/haproxy/haproxy.cfg"
HAP_PID=$LAST_PID

# The silver node, and the backend as its app (the same nginx conf, rendered for $PORT).
start_node_with_ok_app "$HOST"
for port in "$BACK" "$NGX" "$HAP" "$NODE_HTTP"; do wait_http "http://127.0.0.1:$port/" 20 "$HOST"; done
[ "$(curl -s -H "Host: $HOST" "http://127.0.0.1:$NODE_HTTP/")" = ok ] || die "silver does not answer ok"

declare -A PORT=([direct]=$BACK [nginx]=$NGX [haproxy]=$HAP [silver]=$NODE_HTTP)
# whose CPU time counts: the proxy's (for "direct", the backend's own)
declare -A PID=([direct]=$BACK_PID [nginx]=$NGX_PID [haproxy]=$HAP_PID [silver]=$NODE_PID)
CONTENDERS=(direct nginx haproxy silver)
for who in "${CONTENDERS[@]}"; do warm_up "$WARM" "http://127.0.0.1:${PORT[$who]}/" "$HOST"; done

RAW=$WORK/raw.tsv
for ((r = 1; r <= ROUNDS; r++)); do
  for c in 32 256; do
    # rotate the order every round so no contender always runs first or last
    for ((k = 0; k < ${#CONTENDERS[@]}; k++)); do
      who=${CONTENDERS[(k + r - 1) % ${#CONTENDERS[@]}]}
      res=$(wrk_run "$c" "$DUR" "http://127.0.0.1:${PORT[$who]}/" "$HOST" "${PID[$who]}")
      log "round $r, $c connections, $who: $res"
      echo "$r $c $who $res" >>"$RAW"
    done
  done
done

col() { awk -v c="$1" -v w="$2" -v i="$3" '$2 == c && $3 == w {print $i}' "$RAW"; }
echo "### Proxy: requests/s and latency (wrk, keep-alive, ${DUR} s per run, median of $ROUNDS rounds)"
echo
machine_facts
echo
echo "| connections | contender | req/s | p50 ms | p99 ms | socket errors | non-2xx | CPU µs/req | req/s ÷ nginx | p99 ÷ nginx |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A MED
for c in 32 256; do # nginx's medians first: every row's ratios are to them
  MED[$c.nginx.rps]=$(median $(col "$c" nginx 4)) MED[$c.nginx.p99]=$(median $(col "$c" nginx 6))
done
for c in 32 256; do
  for who in "${CONTENDERS[@]}"; do
    rps=$(median $(col "$c" "$who" 4)); p50=$(median $(col "$c" "$who" 5)); p99=$(median $(col "$c" "$who" 6))
    errs=$(col "$c" "$who" 7 | awk '{s += $1} END {print s + 0}')
    non=$(col "$c" "$who" 8 | awk '{s += $1} END {print s + 0}')
    cpu=$(median $(col "$c" "$who" 9))
    MED[$c.$who.rps]=$rps MED[$c.$who.p99]=$p99
    printf '| %s | %s | %.0f | %.2f | %.2f | %s | %s | %.0f | %s | %s |\n' "$c" "$who" "$rps" "$p50" "$p99" "$errs" "$non" "$cpu" \
      "$(ratio "$rps" "${MED[$c.nginx.rps]}")" "$(ratio "$p99" "${MED[$c.nginx.p99]}")"
  done
done
echo
r=$(ratio "${MED[32.silver.rps]}" "${MED[32.nginx.rps]}")
p=$(ratio "${MED[32.silver.p99]}" "${MED[32.nginx.p99]}")
met=missed
awk -v r="$r" -v p="$p" 'BEGIN { exit !(r >= 0.9 && p <= 1.5) }' && met=met
echo "Goal (32 connections: silver ≥ 0.9 × nginx req/s, p99 ≤ 1.5 × nginx): req/s ratio $r, p99 ratio $p — **$met**."
echo
echo "CPU µs/req: user + system CPU time of the proxy's processes (all threads) per request; for"
echo "\`direct\`, the backend's own. It does not depend on what else the machine runs, unlike req/s."
echo
echo "Raw runs (round, connections, contender, req/s, p50 ms, p99 ms, socket errors, non-2xx, CPU µs/req):"
echo
echo '```'
cat "$RAW"
echo '```'
