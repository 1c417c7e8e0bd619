#!/usr/bin/env bash
# System packages the code needs: Debian's wnorwegian (the bokmål word list: OCR repair, personal
# data and garbage checks; without it they fall back to wordfreq's shorter list). With --tests,
# also chromium and its driver for the real-browser test. Installs what is missing when we may
# (root with apt-get); otherwise says how, and the code falls back / the browser test skips.
set -euo pipefail
packages=()
[ -f /usr/share/dict/bokmaal ] || packages+=(wnorwegian)
if [ "${1:-}" = "--tests" ] && ! command -v chromium >/dev/null 2>&1; then
  packages+=(chromium chromium-driver)
fi
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${packages[@]}" >/dev/null
else
  echo "Missing system packages: run 'sudo apt-get install ${packages[*]}'." >&2
fi
