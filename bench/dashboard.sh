#!/usr/bin/env bash
# How long the dashboard's overview takes with 10 apps and 90 days of history: one node, ten
# static apps, monitor.db filled with 90 days of hourly and 48 hours of minute points for the
# machine and each app (as a node that ran that long keeps them), an admin user logged in with
# curl. Each round fetches the overview page and, as the contender, the same figures through the
# management API (apps, the machine's stats, each app's stats: 12 calls on one keep-alive
# connection), the two alternating. Prints a Markdown table: median and 90th percentile.
#
#   bench/dashboard.sh [--quick]    # full: 40 rounds (~2 min after the set-up); quick: 5
#
# Needs: curl, python3.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need curl python3
if ((QUICK)); then ROUNDS=5 WARM=5 LIMIT=300; else ROUNDS=${ROUNDS:-40} WARM=30 LIMIT=900; fi
time_limit "$LIMIT"
APPS=10
PASSWORD='bench password 1234'

start_node
for i in $(seq 1 $APPS); do
  silver update "$ROOT/examples/static-site" "app$i.localhost" --name "app$i" --node bench \
    >"$WORK/update-$i.log" 2>&1 || die "silver update app$i failed: $(tail -1 "$WORK/update-$i.log")"
done
log "$APPS apps deployed"

# 90 days of history, as the node keeps it: hours beyond 48 h, minutes within.
python3 - "$NODE_ROOT/monitor.db" "$APPS" <<'PY'
import random, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=30)
apps = int(sys.argv[2])
now = int(time.time())
rows = []
def periods(res, span):
    end = now // res * res
    return range(end - span, end, res)
for res, span in ((3600, 90 * 86400), (60, 48 * 3600)):
    for t in periods(res, span):
        rows.append(("node", res, t, 0, 0, -1, -1, -1, -1, -1, random.uniform(0.1, 2.0),
                     random.randint(2 << 30, 8 << 30), 16 << 30, random.randint(0, 64 << 20),
                     random.randint(20 << 30, 40 << 30), 100 << 30, random.uniform(0, 0.9),
                     random.uniform(0, 0.05), 0, 0))
        for i in range(1, apps + 1):
            n = random.randint(0, 600) * res // 60
            rows.append((f"app{i}.localhost", res, t, n, n // 50, 3.0, 9.0, 20.0,
                         random.uniform(0, 2), random.randint(40 << 20, 90 << 20), -1, -1, -1, -1,
                         -1, -1, -1, -1, res // 60, res // 60))
db.executemany("INSERT OR REPLACE INTO point (series, res, t, requests, errors, p50, p95, p99,"
               " cpu, rss, load1, mem_available, mem_total, swap_used, disk_free, disk_total,"
               " cpu_busy, mem_pressure, pings, pings_ok) VALUES"
               " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
db.commit()
print(f"{len(rows)} points", file=sys.stderr)
PY

echo "$PASSWORD" | silver admin-user add bench --password-stdin --node bench >"$WORK/user.log" 2>&1 ||
  die "silver admin-user add failed: $(tail -1 "$WORK/user.log")"
DASH="http://127.0.0.1:$NODE_ADMIN"
JAR=$WORK/cookies
csrf=$(curl -s -c "$JAR" -b "$JAR" "$DASH/login" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" --data-urlencode "csrf=$csrf" \
  --data-urlencode username=bench --data-urlencode "password=$PASSWORD" "$DASH/login")
[ "$code" = 303 ] || die "login answered $code"
curl -s -b "$JAR" "$DASH/" | grep -q 'data-app="app10"' || die "the overview does not list app10"
TOKEN=$(awk -F' = ' '/^token/ {print $2}' "$WORK/home/.silverlining/nodes/bench.ini")
API_URLS=("$DASH/api/v1/apps" "$DASH/api/v1/stats?since=24h")
for i in $(seq 1 $APPS); do API_URLS+=("$DASH/api/v1/stats?location=app$i.localhost&since=1h"); done
API_ARGS=()
for u in "${API_URLS[@]}"; do API_ARGS+=(-o /dev/null "$u"); done

page() { curl -s -o /dev/null -b "$JAR" -w '%{time_total}\n' "$DASH/" | awk '{printf "%.1f", $1 * 1000}'; }
api() {
  curl -s -H "Authorization: Bearer $TOKEN" -w '%{time_total}\n' "${API_ARGS[@]}" |
    awk '{s += $1} END {printf "%.1f", s * 1000}'
}
for ((w = 0; w < WARM; w++)); do page >/dev/null; api >/dev/null; done

RAW=$WORK/raw.tsv
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2)); then echo "$r page $(page)" >>"$RAW"; echo "$r api $(api)" >>"$RAW"
  else echo "$r api $(api)" >>"$RAW"; echo "$r page $(page)" >>"$RAW"; fi
done

col() { awk -v w="$1" '$2 == w {print $3}' "$RAW"; }
p90() { sort -n | awk '{a[NR] = $1} END {i = int(NR * 0.9 + 0.5); if (i < 1) i = 1; print a[i]}'; }
bytes=$(curl -s -b "$JAR" "$DASH/" | wc -c)
echo "### Dashboard overview with $APPS apps and 90 days of history (curl, $ROUNDS rounds, alternating)"
echo
machine_facts
echo
echo "| what | median ms | p90 ms |"
echo "| --- | ---: | ---: |"
printf '| overview page (one request, %s bytes of HTML) | %s | %s |\n' "$bytes" "$(median $(col page))" "$(col page | p90)"
printf '| the same figures through the API (%s calls) | %s | %s |\n' "${#API_URLS[@]}" "$(median $(col api))" "$(col api | p90)"
echo
echo "page ÷ API: $(ratio "$(median $(col page))" "$(median $(col api))")"
