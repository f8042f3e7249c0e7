#!/usr/bin/env bash
# Lighthouse accessibility and best-practices scores of the main eBOK pages.
#
#   bench/lighthouse.sh            # port 8107, results in var/lighthouse/
#   PORT=8200 bench/lighthouse.sh
#
# Needs: `npm ci` (lighthouse in node_modules), Debian's Chromium at /usr/bin/chromium,
# the project venv. Starts its own dev server on 127.0.0.1:$PORT with a small demo
# database in var/lighthouse/ (seed_demo), logs in as the demo customer with a session
# cookie, runs Lighthouse once per page and prints a table. Not part of `make test` (slow).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8107}"
OUT="var/lighthouse"
mkdir -p "$OUT"
export DEBUG=true SECRET_KEY="lighthouse-$(date +%s)" DATABASE_URL="sqlite:///$PWD/$OUT/ebok.sqlite3"
export MEDIA_ROOT="$PWD/$OUT/media" EMAIL_URL="consolemail://" LOG_LEVEL=WARNING
export CHROME_PATH=/usr/bin/chromium
CHROME_FLAGS="--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic --disable-background-networking --disable-component-update --disable-sync --no-first-run"
PY=.venv/bin/python
LIGHTHOUSE=node_modules/.bin/lighthouse
[ -x "$LIGHTHOUSE" ] || { echo "lighthouse missing: run npm ci" >&2; exit 2; }

$PY manage.py migrate --noinput -v 0
$PY manage.py seed_demo --if-empty --customers 8 --months 12 > "$OUT/seed.log"

# A logged-in session for the demo customer, and the ids of a meter and a letter.
$PY manage.py shell -v 0 -c "
from django.conf import settings
from django.test import Client
from ebok.accounts.models import User
from ebok.contracts.models import Meter
user = User.objects.get(username='demo')
client = Client()
client.force_login(user)
meter = Meter.objects.filter(customer__accesses__user=user).order_by('pk').first()
print(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value, meter.pk)
" > "$OUT/session.txt"
read -r COOKIE_NAME COOKIE_VALUE METER < <(tail -n 1 "$OUT/session.txt")

$PY manage.py runserver "127.0.0.1:$PORT" --noreload > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/" > /dev/null && break; sleep 0.2; done

run() {  # name path [cookie]
  local name=$1 path=$2 headers=()
  if [ "${3:-}" = cookie ]; then headers=(--extra-headers "{\"Cookie\": \"$COOKIE_NAME=$COOKIE_VALUE\"}"); fi
  "$LIGHTHOUSE" "http://127.0.0.1:$PORT$path" --quiet --only-categories=accessibility,best-practices \
    --chrome-flags="$CHROME_FLAGS" "${headers[@]}" --output=json --output-path="$OUT/$name.json" \
    --form-factor=desktop --screenEmulation.disabled --throttling-method=provided
  node -e "
    const r = require('./$OUT/$name.json');
    const c = r.categories;
    const failed = Object.values(r.audits).filter(a => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary').map(a => a.id);
    console.log([process.argv[1].padEnd(14), r.finalDisplayedUrl.padEnd(42), c.accessibility.score.toFixed(2), c['best-practices'].score.toFixed(2), failed.join(',')].join('  '));
  " "$name"
}

echo "page            url                                         a11y  best-practices  failed audits"
run home /
run login /logowanie/
run registration /rejestracja/
run start / cookie
run invoices /faktury/ cookie
run meter "/liczniki/$METER/" cookie
run letters /pisma/ cookie
