#!/usr/bin/env bash
# Installs Debian's redis-server (and redis-cli) when they are missing. Tests and the demo start
# their own redis-server processes on 127.0.0.1; this only makes sure the binaries exist.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
  exit 0
fi
echo "redis-server not found: installing Debian's redis-server package" >&2
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y redis-server
# The package starts a system-wide server on port 6379; the project never uses it, so stop it
# where systemd manages it (quietly: containers have no systemd).
$SUDO systemctl stop redis-server >/dev/null 2>&1 || true
