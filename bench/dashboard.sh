#!/usr/bin/env bash
# How long the dashboard's pages take with 10 apps and 90 days of history: one node, ten static
# apps, monitor.db filled with 90 days of hourly and 48 hours of minute points for the machine and
# each app (as a node that ran that long keeps them), an admin user logged in with curl. Each round
# fetches every page once — the overview, an app's page, its graphs' data over 1 h, 24 h and 7 d,
# the deploy page — and, as the contender, the overview's figures through the management API
# (apps, the machine's stats, each app's stats: 12 calls on one keep-alive connection), in an order
# that rotates each round. Prints a Markdown table: median and 95th percentile of each.
#
#   bench/dashboard.sh [--quick]    # full: 40 rounds (~3 min after the set-up); quick: 5
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
python3 "$BENCH_DIR/fill-history.py" "$NODE_ROOT/monitor.db" "$APPS"

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

# The time of one GET of PATH with the session, in ms: get PATH
get() { curl -s -o /dev/null -b "$JAR" -w '%{time_total}\n' "$DASH$1" | awk '{printf "%.1f", $1 * 1000}'; }
api() {
  curl -s -H "Authorization: Bearer $TOKEN" -w '%{time_total}\n' "${API_ARGS[@]}" |
    awk '{s += $1} END {printf "%.1f", s * 1000}'
}
LOC=app1.localhost
NAMES=(overview app-page graphs-1h graphs-24h graphs-7d deploy api)
declare -A WHAT=(
  [overview]="overview \`/\`"
  [app-page]="app page \`/apps/app1\`"
  [graphs-1h]="graphs' data, 1 h (JSON)"
  [graphs-24h]="graphs' data, 24 h (JSON)"
  [graphs-7d]="graphs' data, 7 d (JSON)"
  [deploy]="deploy page \`/deploy\`"
  [api]="contender: the overview's figures through the API (${#API_URLS[@]} calls)"
)
declare -A PATHS=(
  [overview]=/ [app-page]=/apps/app1 [deploy]=/deploy
  [graphs-1h]="/apps/app1/graphs?location=$LOC&span=1h"
  [graphs-24h]="/apps/app1/graphs?location=$LOC&span=24h"
  [graphs-7d]="/apps/app1/graphs?location=$LOC&span=7d"
)
for p in "${!PATHS[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$DASH${PATHS[$p]}")
  [ "$code" = 200 ] || die "$p (${PATHS[$p]}) answered $code"
done
measure() { if [ "$1" = api ]; then api; else get "${PATHS[$1]}"; fi; }
for ((w = 0; w < WARM; w++)); do for n in "${NAMES[@]}"; do measure "$n" >/dev/null; done; done

RAW=$WORK/raw.tsv
for ((r = 1; r <= ROUNDS; r++)); do
  for ((k = 0; k < ${#NAMES[@]}; k++)); do
    n=${NAMES[(k + r) % ${#NAMES[@]}]}
    echo "$r $n $(measure "$n")" >>"$RAW"
  done
done

col() { awk -v w="$1" '$2 == w {print $3}' "$RAW"; }
p95() { sort -g | awk '{a[NR] = $1} END {i = int(NR * 0.95 + 0.5); if (i < 1) i = 1; print a[i]}'; }
echo "### Dashboard pages with $APPS apps and 90 days of history (curl, $ROUNDS rounds, order rotating)"
echo
machine_facts
echo
echo "| what | bytes | median ms | p95 ms |"
echo "| --- | ---: | ---: | ---: |"
for n in "${NAMES[@]}"; do
  if [ "$n" = api ]; then bytes=-; else bytes=$(curl -s -b "$JAR" "$DASH${PATHS[$n]}" | wc -c); fi
  printf '| %s | %s | %s | %s |\n' "${WHAT[$n]}" "$bytes" "$(median $(col "$n"))" "$(col "$n" | p95)"
done
echo
echo "overview ÷ API: $(ratio "$(median $(col overview))" "$(median $(col api))")"
