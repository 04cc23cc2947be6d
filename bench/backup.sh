#!/usr/bin/env bash
# Backup and restore of a 1,000,000-row PostgreSQL table: `silver backup` / `silver restore`
# (through the CLI and the node, as a user runs them) against raw `pg_dump` / `psql` on the same
# data in the same run; median of 3. The silver restore's stages (receive, verify, load,
# checkpoint, switch) are reported too: its checkpoint is a whole backup of the data being
# replaced, written from the replaced database after the switch (timed apart, and waited for
# before `psql` runs). A last row times the default file, a `.tar.gz`, against `pg_dump -Z 1`.
#
#   bench/backup.sh [--quick]     # full: 1,000,000 rows, 3 runs each (~5 min); quick: 100,000, 1
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, trust), pg_dump, psql, python3.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
need curl python3 psql:postgresql-client pg_dump:postgresql-client
if ((QUICK)); then ROWS=100000 N=1 LIMIT=300; else ROWS=${ROWS:-1000000} N=${N:-3} LIMIT=1500; fi
time_limit "$LIMIT"
PG="psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres"
APP=bench-backup-$$
DB=${APP//-/_}
RAW_DB=${DB}_raw
HOST=backup.localhost
now_ms() { date +%s%3N; }

drop_dbs() {
  $PG -d postgres -c "DROP DATABASE IF EXISTS $RAW_DB WITH (FORCE)" 2>/dev/null || true
  $PG -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null || true
  $PG -d postgres -c "DROP ROLE IF EXISTS $DB" 2>/dev/null || true
}
trap 'rc=$?; drop_dbs; (exit $rc); cleanup' EXIT

# A small app with a PostgreSQL database: Python's standard library, /ping only.
mkdir -p "$WORK/app"
cat >"$WORK/app/app.py" <<'PY'
import os
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok\n")
    def log_message(self, *a): pass
HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
PY
cat >"$WORK/app/app.ini" <<INI
[production]
app_name = $APP
runtime = command
runner = python3 app.py
health = /ping
service.postgresql =
INI

start_node
silver update "$WORK/app" "$HOST" --node bench >"$WORK/update.log" 2>&1 || {
  cat "$WORK/update.log" >&2
  die "silver update failed"
}

log "filling $DB with $ROWS rows"
$PG -d "$DB" <<SQL
SET ROLE $DB;
CREATE TABLE item (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  price numeric(12, 2),
  at timestamptz,
  note text,
  data bytea
);
INSERT INTO item
SELECT g, 'item ' || g, (g % 100000) / 100.0, '2024-01-01'::timestamptz + g * interval '1 minute',
       CASE WHEN g % 10 = 0 THEN NULL ELSE 'line one' || E'\t' || md5(g::text) END,
       decode(md5(g::text), 'hex')
FROM generate_series(1, $ROWS) g;
SQL
size=$($PG -d "$DB" -t -A -c "SELECT pg_size_pretty(pg_total_relation_size('item'))")
log "table item: $size"

RAW=$WORK/raw.tsv
echo "run silver_backup_ms raw_backup_ms silver_restore_ms raw_restore_ms receive verify load checkpoint switch silver_targz_ms raw_gz_ms" >"$RAW"
for ((i = 1; i <= N; i++)); do
  t0=$(now_ms)
  silver backup "$HOST" "$WORK/b-$i" --node bench >"$WORK/backup-$i.log" 2>&1 || {
    cat "$WORK/backup-$i.log" >&2
    die "silver backup $i failed"
  }
  t1=$(now_ms)
  pg_dump -h 127.0.0.1 -U postgres -d "$DB" -f "$WORK/dump-$i.sql"
  t2=$(now_ms)
  silver restore "$WORK/b-$i" "$HOST" --yes --node bench >"$WORK/restore-$i.log" 2>&1 || {
    cat "$WORK/restore-$i.log" >&2
    die "silver restore $i failed"
  }
  t3=$(now_ms)
  # The restore's checkpoint of PostgreSQL is written from the replaced database after the restore
  # returns; `silver backups` waits for it, so that psql does not share the cores with it.
  silver backups "$HOST" --node bench >/dev/null
  $PG -d postgres -c "DROP DATABASE IF EXISTS $RAW_DB WITH (FORCE)" -c "CREATE DATABASE $RAW_DB"
  t4=$(now_ms)
  $PG -d "$RAW_DB" -f "$WORK/dump-$i.sql" >/dev/null
  t5=$(now_ms)
  row="$i $((t1 - t0)) $((t2 - t1)) $((t3 - t2)) $((t5 - t4))"
  for s in receive verify load checkpoint switch; do
    ms=$(awk -v s="$s" '$1 == s && $NF == "ms" {print $(NF - 1)}' "$WORK/restore-$i.log")
    row+=" ${ms:-0}"
  done
  # The default file, a .tar.gz (gzip level 1), against pg_dump's plain SQL at the same level.
  t6=$(now_ms)
  silver backup "$HOST" "$WORK/b-$i.tar.gz" --node bench >"$WORK/targz-$i.log" 2>&1 || {
    cat "$WORK/targz-$i.log" >&2
    die "silver backup to a .tar.gz $i failed"
  }
  t7=$(now_ms)
  pg_dump -h 127.0.0.1 -U postgres -d "$DB" -Z 1 -f "$WORK/dump-$i.sql.gz"
  t8=$(now_ms)
  row+=" $((t7 - t6)) $((t8 - t7))"
  echo "$row" >>"$RAW"
  log "run $i: $row"
  # the checkpoints the restores took would fill the disk of a long run
  rm -rf "$NODE_ROOT/backups/$APP/checkpoints" "$WORK/b-$i" "$WORK/dump-$i.sql" \
    "$WORK/b-$i.tar.gz" "$WORK/dump-$i.sql.gz"
done
col() { awk -v c="$1" 'NR > 1 {print $c}' "$RAW"; }
med() { median $(col "$1"); }
sb=$(med 2) rb=$(med 3) sr=$(med 4) rr=$(med 5) sg=$(med 11) rg=$(med 12)
t0=$(now_ms)
silver backups "$HOST" --node bench >/dev/null
CLI_MS=$(($(now_ms) - t0))
silver backup "$HOST" "$WORK/size" --node bench >/dev/null 2>&1
pg_dump -h 127.0.0.1 -U postgres -d "$DB" -f "$WORK/size.sql"

echo "### Backup and restore ($ROWS rows, median of $N)"
echo
machine_facts
echo "- table \`item\` ($ROWS rows: bigint key, text, numeric, timestamptz, text with tabs and NULLs, bytea): $size in PostgreSQL"
echo "- silver backup folder: $(du -sh "$WORK/size" | cut -f1); pg_dump plain SQL: $(du -sh "$WORK/size.sql" | cut -f1)"
echo "- silver: \`silver backup $HOST DIR\`, \`silver restore DIR $HOST --yes\` (CLI start-up included); raw: \`pg_dump -f dump.sql\`, \`psql -f dump.sql\` into a new database"
echo
echo "| direction | silver ms | raw ms | ratio (goal ≤ 1.5) |"
echo "| --- | ---: | ---: | ---: |"
echo "| backup | $sb | $rb | $(ratio "$sb" "$rb") |"
echo "| backup to the default \`.tar.gz\` (raw: \`pg_dump -Z 1\`; no goal) | $sg | $rg | $(ratio "$sg" "$rg") |"
echo "| restore | $sr | $rr | $(ratio "$sr" "$rr") |"
echo
echo "Stages of the silver restore (median ms): receive $(med 6), verify $(med 7), load $(med 8) (into a new database beside the app's), checkpoint $(med 9) (begun; PostgreSQL's part comes after the switch), switch $(med 10)."
nodelog() { median $(sed -n "s/.*$1.*/\\1/p" "$WORK/node/logs/node.log"); }
echo "After the switch, with the restore done, the checkpoint was written from the replaced database in $(nodelog 'written from the data the restore replaced in \([0-9]*\) ms') ms (median, from the node's log); each run waits for it before timing \`psql\`."
echo "Inside the load (median ms, from the node's log): the new database $(nodelog 'restore into made in \([0-9]*\) ms'), the schema $(nodelog 'restored: schema in \([0-9]*\) ms'), the rows $(nodelog 'restored: .*rows in \([0-9]*\) ms'), the constraints (the primary key) $(nodelog 'restored: .*constraints in \([0-9]*\) ms')."
echo
echo "Where the silver backup's time goes (median ms, from the node's log): the engine writing the backup into the node's uploads folder $(nodelog 'written in \([0-9]*\) ms, handed over'), which the CLI, on the same machine and file system, then moves to DIR; the rest is the CLI's start-up. \`silver backups\` (start-up and one API call) takes ${CLI_MS} ms."
