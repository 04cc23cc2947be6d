#!/usr/bin/env bash
# Takes the screenshots of docs/dashboard.md with headless Chromium: a node with three static apps
# and 90 days of made-up history (bench/fill-history.py), an admin user, then the login page, the
# overview, an app's page (whole), a confirmation, the middleware form and the deploy page at
# desktop width (1280 px), and the overview and an app's page at phone width (390 px). Writes
# dashboard-NAME.png into OUT (default: docs/ of this checkout).
#
#   bench/screenshots.sh [OUT]
#
# Needs: curl, python3, python3-selenium, chromium, chromium-driver (Debian's).
OUT=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/docs}
set -- # lib.sh reads the arguments as its own options
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need curl python3 chromium chromedriver:chromium-driver
# the python3 that has Debian's selenium (a pyenv python3 may come first on PATH)
PY=python3
python3 -c 'import selenium' 2>/dev/null || PY=/usr/bin/python3
"$PY" -c 'import selenium' 2>/dev/null || need python3-selenium
time_limit 600
APPS=3
PASSWORD='screenshot password 1234'
mkdir -p "$OUT"

start_node
for i in $(seq 1 $APPS); do
  silver update "$ROOT/examples/static-site" "app$i.localhost" --name "app$i" --node bench \
    >"$WORK/update-$i.log" 2>&1 || die "silver update app$i failed: $(tail -1 "$WORK/update-$i.log")"
done
python3 "$BENCH_DIR/fill-history.py" "$NODE_ROOT/monitor.db" "$APPS"
echo "$PASSWORD" | silver admin-user add ada --password-stdin --node bench >"$WORK/user.log" 2>&1 ||
  die "silver admin-user add failed: $(tail -1 "$WORK/user.log")"

"$PY" - "http://127.0.0.1:$NODE_ADMIN" "$PASSWORD" "$OUT" <<'PY'
import sys
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, password, out = sys.argv[1:4]

def browser(width):
    o = Options()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--hide-scrollbars"):
        o.add_argument(a)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.width = width
    viewport(d, 900)
    return d

def viewport(d, height):
    """The page's size, as a phone's when narrow (a headless window is at least 500 px wide)."""
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": d.width, "height": height, "deviceScaleFactor": 1, "mobile": d.width < 600})

def wait(d, css):
    return WebDriverWait(d, 20).until(lambda d: d.find_element(By.CSS_SELECTOR, css))

def shot(d, name, whole=False):
    """Saves the viewport, or with whole the page's full height (at most 4000 px)."""
    if whole:
        height = d.execute_script("return document.documentElement.scrollHeight")
        viewport(d, min(height, 4000))
    d.save_screenshot(f"{out}/dashboard-{name}.png")
    viewport(d, 900)
    print(f"dashboard-{name}.png", file=sys.stderr)

def login(d):
    d.get(base + "/")
    wait(d, "input[name=username]").send_keys("ada")
    d.find_element(By.NAME, "password").send_keys(password)
    d.find_element(By.CSS_SELECTOR, "form.login [type=submit]").click()
    wait(d, '[data-app="app1"]')

def app_page(d):
    d.get(base + "/apps/app1")
    for g in ("requests", "latency", "errors", "cpu", "memory"):
        wait(d, f'[data-graph="{g}"] canvas')

d = browser(1280)
d.get(base + "/")
wait(d, "input[name=username]")
shot(d, "login")
login(d)
shot(d, "overview", whole=True)
app_page(d)
shot(d, "app-page", whole=True)
d.execute_script("document.getElementById('middleware').scrollIntoView()")
d.find_element(By.CSS_SELECTOR, "select[name=pack] option[value=headers]").click()
d.find_element(By.NAME, "settings").send_keys("frame=DENY\nreferrer=same-origin")
shot(d, "middleware")
d.find_element(By.CSS_SELECTOR, '[data-action="apply-middleware"]').click()
wait(d, "[data-confirm]")
shot(d, "confirm")
d.get(base + "/deploy")
wait(d, "input[name=zip]")
shot(d, "deploy")
d.quit()

p = browser(390)
login(p)
shot(p, "overview-phone", whole=True)
app_page(p)
shot(p, "app-page-phone")
p.quit()
PY
log "screenshots written to $OUT"
