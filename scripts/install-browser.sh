#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the admin UI's browser tests, when they are missing.
# Idempotent, and a no-op (no apt-get call at all) when both are already installed.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installing Debian's chromium and chromium-driver for the browser tests"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
/usr/bin/chromium --version
/usr/bin/chromedriver --version
