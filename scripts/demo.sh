#!/usr/bin/env bash
# Runs the demo. Without arguments it starts a local 3-primary x 1-replica Redis Cluster on 127.0.0.1,
# runs against it and stops it. With a configuration string (e.g. "host:6379,ssl=true,password=...")
# it runs against that cluster instead. Installs redis-server first when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then bash scripts/ensure-redis.sh; fi
dotnet run --project samples/Keyslot.Demo -c Release -- "$@"
