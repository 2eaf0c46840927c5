#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver when they are missing. The browser tests
# (tests/Keyslot.BrowserTests) drive the session-store sample in headless Chromium through
# chromedriver; this only makes sure both binaries exist. Idempotent: does nothing when present.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
echo "chromium or chromedriver not found: installing Debian's chromium and chromium-driver packages" >&2
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium chromium-driver
command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1
