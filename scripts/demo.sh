#!/usr/bin/env bash
# Runs the demo. Without arguments it starts a local 3-primary x 1-replica Redis Cluster on 127.0.0.1,
# runs against it and stops it. With a configuration string (e.g. "host:6379,ssl=true,password=...")
# it runs against that cluster instead. --standalone runs it against a local primary + 2 replicas without
# cluster mode; --shards N [--replicas R] shapes the local cluster (up to 90 × 5, e.g. --shards 90 for
# ElastiCache's largest shard count). Installs redis-server first when it is missing.
#
# With --web it starts a local cluster and the SessionStore web sample (samples/SessionStore) against it
# on http://127.0.0.1:5080 until Ctrl+C, which stops the sample and, through it, every redis-server it
# started (by pid).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--web" ]; then
  shift
  bash scripts/ensure-redis.sh
  dotnet build samples/SessionStore -c Release --nologo -v quiet
  url="http://127.0.0.1:5080"
  echo "Starting the SessionStore sample on $url (a local cluster first) …"
  dotnet samples/SessionStore/bin/Release/net10.0/SessionStore.dll --local-cluster --urls "$url" "$@" &
  pid=$!
  # Ctrl+C (or a TERM) asks the sample to shut down; it stops its cluster before it exits.
  trap 'kill -TERM "$pid" 2>/dev/null || true' INT TERM
  status=0
  wait "$pid" || status=$?
  # A trapped signal interrupts the first wait; wait again for the shutdown to finish.
  if kill -0 "$pid" 2>/dev/null; then wait "$pid" || status=$?; fi
  exit $status
fi
# No configuration string (nothing, or only --standalone / --seconds N): local servers are started, so redis-server is needed.
case "${1:-}" in ""|--*) bash scripts/ensure-redis.sh ;; esac
dotnet run --project samples/Keyslot.Demo -c Release -- "$@"
