#!/usr/bin/env bash
# System packages the tests need: Debian's chromium and its driver for the real-browser test.
# Installs them when missing and we may (root); otherwise says how, and the browser test skips.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
else
  echo "chromium is missing: run 'sudo apt-get install chromium chromium-driver' for the browser test." >&2
fi
