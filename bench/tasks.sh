#!/usr/bin/env bash
# Tasks: enqueue + delivery to a trivial endpoint against direct HTTP calls to the same endpoint,
# from one client, in one run; then the latency from enqueue to delivery when idle. Once with the
# default SQLite store (the node's state.db), then with the Redis backend ([tasks] backend in
# node.ini; the node is restarted).
#
# The app (python3 stdlib, runtime = command, written into the temporary folder) answers GET /hit
# with a trivial 200, counting arrivals and, for tasks, recording arrival − enqueue time. The
# client is another python3 process (so it never competes with the app for the GIL), with one
# keep-alive http.client connection, one request at a time:
#   direct          GET /hit for S seconds, to the app's own 127.0.0.1:$PORT ("app") or through
#                   the node's front ("front")
#   enqueue         POST {"path": "/hit?...", "method": "GET"} to SILVER_TASKS_URL (which, with the
#                   token, the app tells it) for S seconds, then wait until every task arrived;
#                   the task rate is tasks ÷ (first enqueue → last delivery)
#   idle            one task at a time, a pause between: enqueue → arrival, p50/p99
# Queue [queue:bench]: rate = 100000/s, bucket_size = 100000, max_concurrent = 64.
#
#   bench/tasks.sh [--quick]     # full: 2 rounds × 10 s per measurement and store (~3 min); quick: 2 s
#
# Needs: python3, curl; Redis at $REDIS_URL (default redis://127.0.0.1:6379/9: a database of its
# own, whose silver:tasks:* keys the script deletes first).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need curl python3
if ((QUICK)); then DUR=2 ROUNDS=1 IDLE_N=20 LIMIT=240; else DUR=${DUR:-10} ROUNDS=${ROUNDS:-2} IDLE_N=${IDLE_N:-100} LIMIT=900; fi
PAUSE=0.2
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/9}
time_limit "$LIMIT"
HOST=tasks.localhost
PY=$(python3 -c 'import sys; print(sys.executable)')
PORTFILE=$WORK/app.port

APP=$WORK/app
mkdir -p "$APP"
cat >"$APP/app.ini" <<INI
[production]
app_name = taskbench
runtime = command
runner = $PY app.py

[queue:bench]
rate = 100000/s
bucket_size = 100000
max_concurrent = 64
INI
cat >"$APP/app.py" <<PY
# Benchmark app: see bench/tasks.sh. Records task arrivals; the client is another process.
import json, os, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT = int(os.environ["PORT"])
PORTFILE = "$PORTFILE"
cond = threading.Condition()
hits = {"d": 0, "t": 0}
lat = []
last = [0]


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else delayed ACKs stall every answer (~40 ms)

    def log_message(self, *a):
        pass

    def reply(self, code, text):
        b = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(b)))
        self._headers_buffer.append(b"\\r\\n" + b)  # headers and body in one write
        self.flush_headers()

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        self.do_GET()

    def do_GET(self):
        u = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        if u.path == "/hit":
            now = time.time_ns()
            with cond:
                if q.get("k") == "t":
                    hits["t"] += 1
                    lat.append(now - int(q["t"]))
                    last[0] = now
                else:
                    hits["d"] += 1
                cond.notify_all()
            return self.reply(200, "ok")
        if u.path == "/tasks-api":  # for the benchmark's client only: where and how to enqueue
            return self.reply(200, os.environ["SILVER_TASKS_URL"] + " " + os.environ["SILVER_TASKS_TOKEN"])
        if u.path == "/stats":  # waits up to 'wait' s for 'n' task arrivals, then tells
            n, deadline = int(q.get("n", 0)), time.monotonic() + float(q.get("wait", 0))
            with cond:
                while hits["t"] < n and time.monotonic() < deadline:
                    cond.wait(0.5)
                r = {"direct": hits["d"], "tasks": hits["t"], "last_ns": last[0], "lat_ns": list(lat)}
                if q.get("reset"):
                    hits["d"] = hits["t"] = last[0] = 0
                    lat.clear()
            return self.reply(200, json.dumps(r))
        self.reply(200, "ok")


class S(ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True


srv = S(("127.0.0.1", PORT), H)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(PORT))
os.replace(PORTFILE + ".tmp", PORTFILE)
srv.serve_forever()
PY

cat >"$WORK/client.py" <<'PY'
# Benchmark client: see bench/tasks.sh. One keep-alive connection, one request at a time.
import http.client, json, sys, time
from urllib.parse import urlparse

APP = int(sys.argv[1])
MODE = sys.argv[2]


def get(conn, path, host="127.0.0.1"):
    conn.request("GET", path, headers={"Host": host})
    r = conn.getresponse()
    return r.status, r.read()


def pct(xs, p):
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


def ms(ns):
    return None if ns is None else round(ns / 1e6, 3)


ctl = http.client.HTTPConnection("127.0.0.1", APP, timeout=300)


def stats(n=0, wait=0, reset=False):
    _, b = get(ctl, "/stats?n=%d&wait=%s%s" % (n, wait, "&reset=1" if reset else ""))
    return json.loads(b)


url, token = get(ctl, "/tasks-api")[1].decode().split()
TASKS = urlparse(url)


def enqueue_one(conn):
    t = time.time_ns()
    body = json.dumps({"path": "/hit?k=t&t=%d" % t, "method": "GET"})
    conn.request("POST", "/queues/bench/tasks", body,
                 {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    return r.status


def run_direct(secs, port, host):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    stats(reset=True)
    n = errors = 0
    t0 = time.monotonic()
    end = t0 + secs
    while time.monotonic() < end:
        st, _ = get(c, "/hit?k=d", host)
        n += 1
        errors += st != 200
    el = time.monotonic() - t0
    return {"requests": n, "seconds": el, "rate": n / el, "errors": errors, "arrived": stats()["direct"]}


def run_enqueue(secs, wait):
    c = http.client.HTTPConnection(TASKS.hostname, TASKS.port, timeout=30)
    stats(reset=True)
    n = errors = 0
    t0 = time.time_ns()
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if enqueue_one(c) == 201:
            n += 1
        else:
            errors += 1
    t1 = time.time_ns()
    s = stats(n=n, wait=wait)
    got = s["tasks"]
    total = (s["last_ns"] - t0) / 1e9 if got else None
    return {"enqueued": n, "errors": errors, "enqueue_seconds": (t1 - t0) / 1e9,
            "enqueue_rate": n / ((t1 - t0) / 1e9), "delivered": got, "total_seconds": total,
            "rate": got / total if total else 0,
            "lat_p50_ms": ms(pct(s["lat_ns"], 50)), "lat_p99_ms": ms(pct(s["lat_ns"], 99))}


def run_idle(n, pause):
    c = http.client.HTTPConnection(TASKS.hostname, TASKS.port, timeout=30)
    stats(reset=True)
    acks = []
    for i in range(n):
        a = time.time_ns()
        enqueue_one(c)
        acks.append(time.time_ns() - a)
        stats(n=i + 1, wait=10)
        time.sleep(pause)
    s = stats()
    l = s["lat_ns"]
    return {"samples": len(l), "missing": n - s["tasks"], "p50_ms": ms(pct(l, 50)),
            "p99_ms": ms(pct(l, 99)), "max_ms": ms(max(l) if l else None),
            "ack_p50_ms": ms(pct(acks, 50)), "ack_p99_ms": ms(pct(acks, 99))}


args = dict(a.split("=", 1) for a in sys.argv[3:])
if MODE == "direct":
    r = run_direct(float(args["secs"]), int(args["port"]), args.get("host", "127.0.0.1"))
elif MODE == "enqueue":
    r = run_enqueue(float(args["secs"]), float(args.get("wait", 120)))
else:
    r = run_idle(int(args["n"]), float(args["pause"]))
print(json.dumps(r))
PY

# Waits for the (re)started app to write its port; sets APP_PORT.
wait_app() {
  local deadline=$((SECONDS + 60))
  until [ -s "$PORTFILE" ]; do
    ((SECONDS < deadline)) || die "the app did not start (see $WORK/node.log)"
    sleep 0.1
  done
  APP_PORT=$(cat "$PORTFILE")
  wait_http "http://127.0.0.1:$APP_PORT/" 20
  [ "$(curl -s -H "Host: $HOST" "http://127.0.0.1:$NODE_HTTP/")" = ok ] || die "the front does not reach the app"
}

# Stops the node by its PID (it stops the app first) and forgets that PID.
stop_node() {
  kill -TERM "$NODE_PID" 2>/dev/null || true
  local n=0
  while kill -0 "$NODE_PID" 2>/dev/null && ((n < 200)); do sleep 0.1; n=$((n + 1)); done
  kill -KILL "$NODE_PID" 2>/dev/null || true
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$NODE_PID" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# The benchmark client, JSON out: client MODE key=value...
client() { "$PY" "$WORK/client.py" "$APP_PORT" "$@"; }
jget() { python3 -c 'import json, sys; v = json.load(sys.stdin)[sys.argv[1]]; print("nan" if v is None else (round(v, 3) if isinstance(v, float) else v))' "$1"; }

RAW=$WORK/raw.tsv
: >"$RAW"
# One store's measurements: measure STORE
measure() {
  local store=$1 r out
  # warm-up: the node's JIT and the store's first writes
  client direct secs=2 port="$APP_PORT" >/dev/null
  client enqueue secs=2 >/dev/null
  for ((r = 1; r <= ROUNDS; r++)); do
    for what in direct front tasks; do
      case $what in
        direct) out=$(client direct secs="$DUR" port="$APP_PORT") ;;
        front) out=$(client direct secs="$DUR" port="$NODE_HTTP" host="$HOST") ;;
        tasks) out=$(client enqueue secs="$DUR" wait=180) ;;
      esac
      echo "$store $r $what $out" >>"$RAW"
      log "$store round $r $what: $out"
    done
  done
  out=$(client idle n="$IDLE_N" pause="$PAUSE")
  echo "$store 0 idle $out" >>"$RAW"
  log "$store idle: $out"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
start_node
silver update "$APP" "$HOST" --node bench >"$WORK/update.log" 2>&1 || {
  cat "$WORK/update.log" >&2
  die "silver update failed"
}
wait_app
measure sqlite

# The same with the Redis backend: clear our database's task keys, restart the node on it.
if command -v redis-cli >/dev/null; then
  rdb=${REDIS_URL##*/}
  [[ $rdb =~ ^[0-9]+$ ]] || rdb=0
  redis-cli -u "${REDIS_URL%/*}" -n "$rdb" --scan --pattern 'silver:tasks:*' |
    xargs -r redis-cli -u "${REDIS_URL%/*}" -n "$rdb" del >/dev/null
fi
stop_node
rm -f "$PORTFILE"
printf '\n[tasks]\nbackend = %s\n' "$REDIS_URL" >>"$NODE_ROOT/node.ini"
HOME="$WORK/home" start_bg node-redis "$SILVER" node start --root "$NODE_ROOT"
NODE_PID=$LAST_PID
wait_http "http://127.0.0.1:$NODE_ADMIN/" 60
log "node restarted with [tasks] backend = $REDIS_URL (pid $NODE_PID)"
wait_app
measure redis
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# Report: medians over rounds.
val() { awk -v s="$1" -v w="$2" '$1 == s && $3 == w' "$RAW" | cut -d' ' -f4- | while read -r j; do jget "$3" <<<"$j"; done; }
medv() { median $(val "$@"); }
echo "### Tasks: enqueue + delivery vs direct calls, one client (${DUR} s per run, median of $ROUNDS rounds)"
echo
machine_facts | sed "s/before the run: .*/before the run: $LOAD0, after: $LOAD1/"
echo
echo "| store | direct req/s (app port) | via front req/s | tasks/s (enqueue → all delivered) | enqueue 201/s | task ÷ direct | task ÷ front | latency under load p50 / p99 ms | idle latency p50 / p99 ms | idle enqueue ack p50 / p99 ms |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A TR DR
for s in sqlite redis; do
  d=$(medv $s direct rate); f=$(medv $s front rate); t=$(medv $s tasks rate); e=$(medv $s tasks enqueue_rate)
  lp50=$(medv $s tasks lat_p50_ms); lp99=$(medv $s tasks lat_p99_ms)
  ip50=$(val $s idle p50_ms); ip99=$(val $s idle p99_ms); a50=$(val $s idle ack_p50_ms); a99=$(val $s idle ack_p99_ms)
  TR[$s]=$t DR[$s]=$d
  printf '| %s | %.0f | %.0f | %.0f | %.0f | %s | %s | %s / %s | %s / %s | %s / %s |\n' "$s" "$d" "$f" "$t" "$e" \
    "$(ratio "$t" "$d")" "$(ratio "$t" "$f")" "$lp50" "$lp99" "$ip50" "$ip99" "$a50" "$a99"
done
echo
met=missed
awk -v t="${TR[sqlite]}" -v d="${DR[sqlite]}" 'BEGIN { exit !(t >= 0.5 * d) }' && met=met
echo "Goal (SQLite: tasks/s ≥ 0.5 × direct req/s): **$met** ($(ratio "${TR[sqlite]}" "${DR[sqlite]}") ×)."
echo "Idle latency: $IDLE_N tasks one at a time, ${PAUSE} s apart (enqueue ack: the 201's round trip)."
echo
echo "Raw runs (JSON from the client):"
echo; echo '```'; cat "$RAW"; echo '```'
