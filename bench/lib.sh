#!/usr/bin/env bash
# Shared by the bench/ scripts: tools, free ports, a temporary folder, a watchdog, and the servers
# each script starts (nginx, HAProxy, a silver node), every one stopped by its PID on exit.
# Sourced, not run. Loopback addresses only.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
SILVER=${SILVER:-$ROOT/bin/silver}
HELLO_DIR=${HELLO_DIR:-$ROOT/examples/hello-java}
QUICK=0
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    -h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown argument: $a (only --quick)" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/silver-bench.XXXXXX")
chmod 755 "$WORK" # nginx workers run as nobody when started by root
PIDS=()
WATCHDOG=

log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "$(basename "$0" .sh)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Stops what this script started (by PID, newest first), then removes the temporary folder.
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[i]}" 2>/dev/null || true
  done
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    # a node stops its apps first (SIGTERM, up to 10 s each); give it that long, then SIGKILL
    local n=0
    while kill -0 "${PIDS[i]}" 2>/dev/null && ((n < 150)); do sleep 0.1; n=$((n + 1)); done
    kill -KILL "${PIDS[i]}" 2>/dev/null || true
  done
  # the watchdog's sleep is its child: stop it too, or it keeps this script's open files (locks)
  [ -n "$WATCHDOG" ] && { pkill -KILL -P "$WATCHDOG" 2>/dev/null; kill -KILL "$WATCHDOG" 2>/dev/null; } || true
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Ends the whole script after SECONDS (its EXIT trap still stops every server).
time_limit() {
  local me=$$
  # sleep gets no copy of our output, so a pipe reading this script closes when the script ends
  (sleep "$1" </dev/null >/dev/null 2>&1; echo "[$(basename "$0" .sh)] time limit of $1 s reached; stopping" >&2; kill -TERM "$me") &
  WATCHDOG=$!
  disown "$WATCHDOG" 2>/dev/null || true
}

# Installs the Debian packages that provide missing commands: need CMD[:PACKAGE]...
need() {
  local missing=() spec
  for spec in "$@"; do
    command -v "${spec%%:*}" >/dev/null 2>&1 || missing+=("${spec#*:}")
  done
  ((${#missing[@]} == 0)) && return 0
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  local sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  log "installing ${missing[*]}"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# A TCP port free on 127.0.0.1 now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to SECONDS for URL to answer at all (any status): wait_http URL SECONDS [HOST]
wait_http() {
  local url=$1 limit=$2 host=${3:-} deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if curl -s -o /dev/null --max-time 2 ${host:+-H "Host: $host"} "$url"; then return 0; fi
    sleep 0.1
  done
  die "$url did not answer within $limit s"
}

# Starts "$@" in the background, logging to WORK/NAME.log, and remembers its PID: start_bg NAME CMD...
start_bg() {
  local name=$1
  shift
  "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  LAST_PID=$!
}

# Runs nginx in the foreground with CONF (its prefix is CONF's folder): start_nginx NAME CONF
start_nginx() {
  local dir
  dir=$(dirname "$2")
  mkdir -p "$dir/logs"
  start_bg "$1" nginx -p "$dir" -c "$2" -e "$dir/logs/error.log" -g 'daemon off;'
}

# nginx's main-context lines shared by every conf the scripts write: nginx_main WORKERS DIR
nginx_main() {
  cat <<CONF
worker_processes $1;
pid $2/nginx.pid;
error_log $2/logs/error.log warn;
events { worker_connections 4096; }
CONF
}

# Writes an app folder at DIR whose process is one nginx worker answering 200 "ok" on $PORT: the
# backend the proxy benchmarks put behind a silver node. write_ok_app DIR
write_ok_app() {
  mkdir -p "$1"
  printf '[production]\napp_name = backend\nruntime = command\nrunner = sh start.sh\n' >"$1/app.ini"
  {
    echo '#!/bin/sh'
    echo '# Renders the backend conf for $PORT in the instance folder, then becomes nginx.'
    echo 'set -e'
    echo 'dir=$(pwd)'
    echo 'mkdir -p "$dir/logs"'
    echo 'cat >"$dir/nginx.conf" <<CONF'
    nginx_main 1 '$dir'
    echo 'http {'
    echo '  access_log off;'
    echo '  keepalive_requests 1000000;'
    echo '  server { listen 127.0.0.1:$PORT; location / { return 200 "ok"; } }'
    echo '}'
    echo 'CONF'
    echo "exec $(command -v nginx) -p \"\$dir\" -c \"\$dir/nginx.conf\" -e \"\$dir/logs/error.log\" -g 'daemon off;'"
  } >"$1/start.sh"
}

# The bin/silver client of the bench node (its own HOME, so ~/.silverlining stays untouched).
silver() { HOME="$WORK/home" "$SILVER" "$@"; }

# Creates and starts a silver node on free loopback ports; sets NODE_ROOT, NODE_HTTP, NODE_ADMIN
# and NODE_PID (the node's java process: bin/silver execs java).
start_node() {
  mkdir -p "$WORK/home"
  NODE_ROOT=$WORK/node
  NODE_HTTP=$(free_port)
  NODE_ADMIN=$(free_port)
  silver node init --root "$NODE_ROOT" --name bench --http "127.0.0.1:$NODE_HTTP" \
    --admin "127.0.0.1:$NODE_ADMIN" >"$WORK/node-init.log" 2>&1 || {
    cat "$WORK/node-init.log" >&2
    die "silver node init failed"
  }
  HOME="$WORK/home" start_bg node "$SILVER" node start --root "$NODE_ROOT"
  NODE_PID=$LAST_PID
  wait_http "http://127.0.0.1:$NODE_ADMIN/" 60
  log "silver node pid $NODE_PID on 127.0.0.1:$NODE_HTTP (admin $NODE_ADMIN)"
}

# start_node, then the write_ok_app backend deployed on it at HOST: start_node_with_ok_app HOST
start_node_with_ok_app() {
  start_node
  write_ok_app "$WORK/app"
  silver update "$WORK/app" "$1" --node bench >"$WORK/update.log" 2>&1 || {
    cat "$WORK/update.log" >&2
    die "silver update failed"
  }
}

# Converts a wrk duration (812.00us, 1.20ms, 2.01s, 1.00m) to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

# CPU time (user + system, all threads) used so far by the PIDs and their children, in microseconds.
cpu_us() {
  local pids=("$@") p
  for p in "$@"; do pids+=($(pgrep -P "$p" || true)); done
  local hz
  hz=$(getconf CLK_TCK)
  for p in "${pids[@]}"; do cat "/proc/$p/stat" 2>/dev/null || true; done |
    sed 's/^.*) //' | awk -v hz="$hz" '{t += $12 + $13} END {printf "%.0f", t * 1000000 / hz}'
}

# Runs wrk and prints "REQ_PER_S P50_MS P99_MS ERRORS NON2XX CPU_US_PER_REQUEST" (errors: socket
# errors of any kind; CPU: that used by the PIDs given after URL and HOST, per request). WRK_HEADER,
# when set, is one more request header ("Authorization: Basic ...").
# wrk_run CONNECTIONS SECONDS URL [HOST [PID...]]
wrk_run() {
  local c=$1 d=$2 url=$3 host=${4:-} out
  shift 4 || shift $#
  local threads=2
  ((c < threads)) && threads=$c
  local cpu0=0 cpu1=0
  (($# > 0)) && cpu0=$(cpu_us "$@")
  out=$(wrk --latency -t"$threads" -c"$c" -d"${d}s" --timeout 5s ${host:+-H "Host: $host"} \
    ${WRK_HEADER:+-H "$WRK_HEADER"} "$url")
  (($# > 0)) && cpu1=$(cpu_us "$@")
  echo "$out" >>"$WORK/wrk.log"
  local rps p50 p99 errs non n
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errs=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  non=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "$rps $p50 $p99 ${errs:-0} ${non:-0} $(awk -v a="$((cpu1 - cpu0))" -v n="${n:-0}" 'BEGIN {printf "%.1f", n ? a / n : 0}')"
}

# Puts load on URL in runs of SECONDS until req/s stops rising by more than 5% (at most 8 runs):
# the JIT of a JVM server needs that before its steady state. warm_up SECONDS URL [HOST]
warm_up() {
  local prev=0 rps i
  for ((i = 0; i < 8; i++)); do
    rps=$(wrk_run 32 "$1" "$2" "${3:-}" | cut -d' ' -f1)
    awk -v a="$rps" -v b="$prev" 'BEGIN { exit !(a < b * 1.05) }' && break
    prev=$rps
  done
  log "warm after $((i + 1)) run(s) of $1 s: $rps req/s"
}

# The median of the numbers given as arguments.
median() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {
    if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "nan"; else printf "%.2f", a / b }'; }

# The facts a reader needs to judge the numbers: machine, load and versions.
machine_facts() {
  echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) memory;" \
    "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
}
