#!/usr/bin/env bash
# HTTPS at the front: keep-alive requests/s (HTTP/1.1 and HTTP/2, h2load, 32 connections) for a
# 1 KiB static file, and new TLS handshakes/s (two Python ssl clients, full handshakes, no resumption),
# silver against nginx with the same EC P-256 certificate, in one run; the two alternate per round.
# Prints a Markdown table. No goal yet: the ratio is what is reported.
#
#   bench/https.sh [--quick]     # full: 3 rounds of 8 s per measure and server (~2 min)
#
# Needs: nginx, h2load (nghttp2-client), openssl, curl, python3 (installed with apt-get when missing).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need nginx h2load:nghttp2-client openssl curl python3
if ((QUICK)); then ROUNDS=1 DUR=2 LIMIT=120; else ROUNDS=${ROUNDS:-3} DUR=${DUR:-8} LIMIT=480; fi
time_limit "$LIMIT"
# OpenSSL clients send SNI for a name, not for 127.0.0.1; localhost resolves to the loopback.
HOST=localhost
C=32

APP=$WORK/app
mkdir -p "$APP/static"
head -c 800 /dev/urandom | base64 -w 76 >"$APP/static/1k.txt"
truncate -s 1024 "$APP/static/1k.txt"
printf '[production]\napp_name = files\nruntime = static\nhttps = optional\n' >"$APP/app.ini"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$HOST" \
  -addext "subjectAltName=DNS:$HOST" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1

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
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache off;
  ssl_session_tickets off;
  server {
    listen 127.0.0.1:$NGX ssl http2;
    server_name $HOST;
    ssl_certificate $WORK/cert.pem;
    ssl_certificate_key $WORK/key.pem;
    root $APP/static;
  }
}
CONF
} >"$WORK/nginx/nginx.conf"
start_nginx nginx "$WORK/nginx/nginx.conf"

mkdir -p "$WORK/home"
NODE_ROOT=$WORK/node
NODE_HTTP=$(free_port) NODE_ADMIN=$(free_port) NODE_HTTPS=$(free_port)
silver node init --root "$NODE_ROOT" --name bench --http "127.0.0.1:$NODE_HTTP" \
  --https "127.0.0.1:$NODE_HTTPS" --admin "127.0.0.1:$NODE_ADMIN" --acme-directory off \
  >"$WORK/node-init.log" 2>&1 || { cat "$WORK/node-init.log" >&2; die "silver node init failed"; }
HOME="$WORK/home" start_bg node "$SILVER" node start --root "$NODE_ROOT"
wait_http "http://127.0.0.1:$NODE_ADMIN/" 60
silver update "$APP" "$HOST" --node bench >"$WORK/update.log" 2>&1 || { cat "$WORK/update.log" >&2; die "silver update failed"; }
silver certs add "$HOST" "$WORK/cert.pem" "$WORK/key.pem" --node bench >"$WORK/certs.log" 2>&1 || { cat "$WORK/certs.log" >&2; die "silver certs add failed"; }
for port in "$NGX" "$NODE_HTTPS"; do
  curl -sf --cacert "$WORK/cert.pem" "https://$HOST:$port/1k.txt" | cmp -s - "$APP/static/1k.txt" || die "port $port does not serve 1k.txt over HTTPS"
done

declare -A PORT=([nginx]=$NGX [silver]=$NODE_HTTPS)
CONTENDERS=(nginx silver)
h2() { # h2load ARGS... -> requests/s
  h2load "$@" 2>&1 | awk '/^finished in/ { for (i = 1; i <= NF; i++) if ($i ~ /req\/s/) { v = $(i - 1); gsub(",", "", v); print v } }'
}
handshakes() { # PORT -> new TLS connections/s: two Python clients, each a full handshake a time
  local i
  for i in 1 2; do
    python3 - "$1" "$DUR" "$HOST" <<'PY' &
import socket, ssl, sys, time
port, dur, host = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
n, end = 0, time.time() + dur
while time.time() < end:
    with ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname=host):
        n += 1
print(n / dur)
PY
  done | awk '{ s += $1 } END { printf "%.0f", s }'
}
for who in "${CONTENDERS[@]}"; do h2 --h1 -D 1 -c 4 "https://$HOST:${PORT[$who]}/1k.txt" >/dev/null; done

RAW=$WORK/raw.tsv
for ((r = 1; r <= ROUNDS; r++)); do
  for ((k = 0; k < 2; k++)); do
    who=${CONTENDERS[(k + r - 1) % 2]}
    h1=$(h2 --h1 -D "$DUR" -c "$C" "https://$HOST:${PORT[$who]}/1k.txt")
    h2v=$(h2 -D "$DUR" -c "$C" -m 8 "https://$HOST:${PORT[$who]}/1k.txt")
    hs=$(handshakes "${PORT[$who]}")
    log "round $r, $who: http/1.1 $h1 req/s, h2 $h2v req/s, $hs handshakes/s"
    echo "$r $who $h1 $h2v $hs" >>"$RAW"
  done
done

col() { awk -v w="$1" -v i="$2" '$2 == w {print $i}' "$RAW"; }
echo "### HTTPS (1 KiB static file; h2load, $C keep-alive connections; 2 Python ssl clients for handshakes; ${DUR} s per run, median of $ROUNDS rounds)"
echo
machine_facts
echo
echo "| server | HTTP/1.1 req/s | HTTP/2 req/s (8 streams) | new TLS handshakes/s | h1 ÷ nginx | h2 ÷ nginx | handshakes ÷ nginx |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A M
for who in "${CONTENDERS[@]}"; do
  M[$who.h1]=$(median $(col "$who" 3)); M[$who.h2]=$(median $(col "$who" 4)); M[$who.hs]=$(median $(col "$who" 5))
  printf '| %s | %.0f | %.0f | %.0f | %s | %s | %s |\n' "$who" "${M[$who.h1]}" "${M[$who.h2]}" "${M[$who.hs]}" \
    "$(ratio "${M[$who.h1]}" "${M[nginx.h1]}")" "$(ratio "${M[$who.h2]}" "${M[nginx.h2]}")" "$(ratio "${M[$who.hs]}" "${M[nginx.hs]}")"
done
echo
echo "Raw runs (round, server, HTTP/1.1 req/s, HTTP/2 req/s, handshakes/s):"
echo; echo '```'; cat "$RAW"; echo '```'
