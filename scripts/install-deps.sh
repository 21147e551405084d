#!/usr/bin/env bash
# Installs the Debian packages tendon needs to build, test and run. Idempotent: when every package is
# present it changes nothing and downloads nothing. Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libsqlite3-dev sqlite3
  libfmt-dev libhowardhinnant-date-dev tzdata nlohmann-json3-dev libtomlplusplus-dev
  libsodium-dev libssl-dev ca-certificates openssl
  libgtest-dev libgmock-dev libbenchmark-dev wrk
  python3-aiosmtpd python3-simpy
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
