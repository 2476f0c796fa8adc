#!/usr/bin/env bash
# Installs what test/runtimes.test.ts needs beyond `npm ci`: Debian's Chromium (driven by
# playwright-core, an npm devDependency). Deno and Bun come from their npm packages (deno, bun),
# installed by `npm ci`. Idempotent and quiet: does nothing when Chromium is already there, and
# prints one line. Call it before `npm test` in CI (as root, or with sudo available).
set -euo pipefail

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-runtimes: apt-get install chromium failed" >&2
    exit 1
  fi
  rm -f "$log"
fi
echo "install-runtimes: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
