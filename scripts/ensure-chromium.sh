#!/usr/bin/env bash
# Makes sure Debian's headless-capable Chromium is at /usr/bin/chromium for the status page's
# browser test (test/e2e/status-page.test.ts drives it with playwright-core, which never downloads
# a browser of its own). Installs it with apt-get when it is missing and we are root; otherwise
# says why it cannot and exits 1, and the test skips itself naming the same reason.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing and installing it needs root (apt-get install chromium)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and this machine has no apt-get to install it" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "ensure-chromium: installing Debian's chromium package (apt-get)" >&2
# apt's progress goes to a log that is shown only when the install fails.
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends chromium; } >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  echo "ensure-chromium: apt-get could not install the chromium package" >&2
  exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: the chromium package installed no $CHROMIUM" >&2
  exit 1
fi
