#!/usr/bin/env bash
# Runs the whole test suite: unit tests, then integration tests against real local Redis Clusters
# that the tests start and stop themselves, then browser tests (the SessionStore sample in headless
# Chromium). Installs redis-server, chromium and chromium-driver first when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-redis.sh
bash scripts/ensure-browser.sh
dotnet build ClusterClient.sln -c Release -warnaserror
results=$(mktemp -d)
status=0
# redis-server processes that exist before the run (a system service, say) are not ours to judge.
before=$(pgrep -x redis-server | sort || true)
# The same for the browser tests' chromedriver and SessionStore sample processes.
before_browser=$( (pgrep -x chromedriver; pgrep -f 'SessionStore\.dll') | sort || true)
started=$(date +%s)
for project in tests/Keyslot.Tests tests/Keyslot.IntegrationTests tests/Keyslot.BrowserTests; do
  dotnet test "$project" -c Release --no-build --logger "trx;LogFilePrefix=$(basename "$project")" \
    --results-directory "$results" --blame-hang-timeout 5m || status=$?
done
# One plain closing line over all projects, counted from the TRX files.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters"); f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  n=$(sed -E 's/.* notExecuted="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + n))
done
rm -rf "$results"
# Every server the tests started must be gone: the harness stops them by pid, also when a test fails.
sleep 2
leftover=$(comm -13 <(echo "$before") <(pgrep -x redis-server | sort || true) | tr '\n' ' ')
if [ -n "${leftover// /}" ]; then
  echo "redis-server processes left behind by the test run (pids): $leftover" >&2
  ps -o pid,args -p "$(echo $leftover | tr " " ",")" >&2 || true
  status=1
fi
leftover_browser=$(comm -13 <(echo "$before_browser") <( (pgrep -x chromedriver; pgrep -f 'SessionStore\.dll') | sort || true) | tr '\n' ' ')
if [ -n "${leftover_browser// /}" ]; then
  echo "chromedriver or SessionStore processes left behind by the test run (pids): $leftover_browser" >&2
  ps -o pid,args -p "$(echo $leftover_browser | tr " " ",")" >&2 || true
  status=1
fi
echo "suite took $(( $(date +%s) - started )) s"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
