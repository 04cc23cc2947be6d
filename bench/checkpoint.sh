#!/usr/bin/env bash
# Update checkpoints: how long a checkpoint of an app's data takes and how long restoring it takes
# (a failed update), for a PostgreSQL database of SIZE and a files folder of SIZE, each in an app of
# its own; and what the checkpoint adds to an update of an app whose database is empty (median of N).
# Checkpoint time is the "checkpoint" stage silver update prints; restore time is what the failed
# update reports ("restored from checkpoint ... in N ms").
#
#   bench/checkpoint.sh [--quick]     # full: 1 GiB each, N=5 (~15 min); quick: 64 MiB, N=2
#
# Needs: java, curl, python3, psql, PostgreSQL on 127.0.0.1:5432 (user postgres, trust).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need curl python3 psql:postgresql-client
if ((QUICK)); then MIB=64 N=2 LIMIT=600; else MIB=${MIB:-1024} N=${N:-5} LIMIT=3600; fi
time_limit "$LIMIT"
now_ms() { date +%s%3N; }
SUFFIX=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
PG_APP=ckpg-$SUFFIX FILES_APP=ckfiles-$SUFFIX EMPTY_APP=ckempty-$SUFFIX
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres)

# An app folder: app_name NAME, the app.ini lines given; GET /fail answers 500.
mkapp() {
  local name=$1 d=$WORK/apps/$1
  shift
  mkdir -p "$d"
  cat >"$d/app.py" <<'PY'
import http.server, os
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        code = 500 if self.path == "/fail" else 200
        self.send_response(code); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
PY
  printf '[production]\napp_name = %s\nruntime = command\nrunner = python3 app.py\n' "$name" >"$d/app.ini"
  local line
  for line in "$@"; do echo "$line" >>"$d/app.ini"; done
  echo "$d"
}

drop_dbs() {
  local a
  for a in "$PG_APP" "$FILES_APP" "$EMPTY_APP"; do
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS \"${a//-/_}\" WITH (FORCE)" \
      -c "DROP ROLE IF EXISTS \"${a//-/_}\"" >/dev/null 2>&1 || true
  done
}
trap 'rc=$?; drop_dbs; (exit $rc); cleanup' EXIT

# update DIR LOCATION LOGNAME: silver update; prints the command's ms
update() {
  local t0
  t0=$(now_ms)
  silver update "$1" "$2" --node bench --yes >"$WORK/$3.log" 2>&1 || true
  echo $(($(now_ms) - t0))
}
stage_ms() { awk -v s="$1" '$1 == s && $NF == "ms" {print $(NF - 1)}' "$WORK/$2.log"; }
restore_ms() { sed -n 's/.*restored from checkpoint .* in \([0-9]*\) ms.*/\1/p' "$WORK/$1.log"; }

start_node

# 1. PostgreSQL: a table of MIB MiB owned by the app's role.
pg=$(mkapp "$PG_APP" "service.postgresql =")
update "$pg" "$PG_APP.localhost" pg-0 >/dev/null
grep -q '^Live:' "$WORK/pg-0.log" || { cat "$WORK/pg-0.log" >&2; die "first update of $PG_APP failed"; }
ROWS=$((MIB * 1024 * 1024 / 300))
log "filling ${PG_APP//-/_} with $ROWS rows (~$MIB MiB)"
"${PSQL[@]}" -d "${PG_APP//-/_}" -c "SET ROLE \"${PG_APP//-/_}\"" \
  -c "CREATE TABLE big (id bigint PRIMARY KEY, payload text)" \
  -c "INSERT INTO big SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, $ROWS) g" \
  -c "ANALYZE big" >/dev/null
PG_SIZE=$("${PSQL[@]}" -d postgres -tAc "SELECT pg_size_pretty(pg_database_size('${PG_APP//-/_}'))")
# 2. files: MIB MiB in 4 MiB files.
fl=$(mkapp "$FILES_APP" "service.files =")
update "$fl" "$FILES_APP.localhost" files-0 >/dev/null
grep -q '^Live:' "$WORK/files-0.log" || { cat "$WORK/files-0.log" >&2; die "first update of $FILES_APP failed"; }
FILES_DIR=$NODE_ROOT/apps/$FILES_APP/files
for ((i = 0; i < MIB / 4; i++)); do head -c $((4 * 1024 * 1024)) /dev/urandom >"$FILES_DIR/blob-$i"; done
FILES_SIZE=$(du -sh "$FILES_DIR" | cut -f1)

# Checkpoint (a good update) and restore (an update whose test_fetch fails), runs of N.
RAW=$WORK/raw.tsv
echo "app run checkpoint_ms restore_ms" >"$RAW"
for spec in "pg:$pg:$PG_APP" "files:$fl:$FILES_APP"; do
  IFS=: read -r kind dir app <<<"$spec"
  bad=$(mkapp "$app-bad" "$(sed -n 's/^service/service/p' "$dir/app.ini")" "test_fetch = /fail")
  sed -i "s/^app_name = .*/app_name = $app/" "$bad/app.ini"
  for ((i = 1; i <= N; i++)); do
    update "$bad" "$app.localhost" "$kind-bad-$i" >/dev/null
    c=$(stage_ms checkpoint "$kind-bad-$i")
    r=$(restore_ms "$kind-bad-$i")
    [ -n "$r" ] || { cat "$WORK/$kind-bad-$i.log" >&2; die "$kind: the failed update did not restore"; }
    echo "$kind $i $c $r" >>"$RAW"
    log "$kind run $i: checkpoint $c ms, restore $r ms"
  done
done

# 3. An empty database: the update's time, and the checkpoint's share of it.
em=$(mkapp "$EMPTY_APP" "service.postgresql =")
update "$em" "$EMPTY_APP.localhost" empty-0 >/dev/null
echo "run update_ms checkpoint_ms" >"$WORK/empty.tsv"
for ((i = 1; i <= N; i++)); do
  t=$(update "$em" "$EMPTY_APP.localhost" "empty-$i")
  grep -q '^Live:' "$WORK/empty-$i.log" || { cat "$WORK/empty-$i.log" >&2; die "update of $EMPTY_APP failed"; }
  echo "$i $t $(stage_ms checkpoint "empty-$i")" >>"$WORK/empty.tsv"
done

col() { awk -v k="$1" -v c="$2" '$1 == k {print $c}' "$RAW"; }
ecol() { awk -v c="$1" 'NR > 1 {print $c}' "$WORK/empty.tsv"; }
echo "### Update checkpoints: $MIB MiB PostgreSQL database, $MIB MiB files folder (median of $N)"
echo
machine_facts
echo "- PostgreSQL $("${PSQL[@]}" -d postgres -tAc 'SHOW server_version'), database size $PG_SIZE; files folder $FILES_SIZE ($((MIB / 4)) files of 4 MiB)"
echo
echo "| data | checkpoint ms | restore ms |"
echo "| --- | ---: | ---: |"
echo "| PostgreSQL | $(median $(col pg 3)) | $(median $(col pg 4)) |"
echo "| files | $(median $(col files 3)) | $(median $(col files 4)) |"
echo
u=$(median $(ecol 2)) c=$(median $(ecol 3))
met=missed
awk -v c="$c" 'BEGIN { exit !(c <= 1000) }' && met=met
echo "Empty database: \`silver update\` takes **$u ms**, of which the checkpoint **$c ms**;" \
  "without it the update would take $((${u%.*} - ${c%.*})) ms. Goal (checkpoint adds ≤ 1 s): **$met**."
echo
echo "Raw runs (ms):"
echo; echo '```'; cat "$RAW"; cat "$WORK/empty.tsv"; echo '```'
