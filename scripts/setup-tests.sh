#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine: a virtual environment
# with the package and its test extras (Oxigraph's server among them, for the push tests),
# Debian's Chromium and ChromeDriver for the browser tests, and Debian's Virtuoso for the
# push tests. The tests start and stop their own servers. Safe to run again; it skips what is
# already there.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

packages=()
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  packages+=(chromium chromium-driver)
fi
# virtuoso-t and isql-vt. Installed without a dba password (noninteractive), the package
# leaves Debian's own Virtuoso service disabled: the tests run their own, in a temp folder.
if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then
  packages+=(virtuoso-opensource)
fi
if [ ${#packages[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
