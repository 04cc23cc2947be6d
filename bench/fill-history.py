#!/usr/bin/env python3
"""Fills a node's monitor.db with 90 days of history, as a node that ran that long keeps it: hourly
points beyond 48 hours, minute points within, for the machine and each app appN.localhost.

    bench/fill-history.py NODE_ROOT/monitor.db APPS

Used by bench/dashboard.sh and bench/screenshots.sh; random but plausible figures.
"""
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
