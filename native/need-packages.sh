#!/usr/bin/env bash
# Makes sure commands are on PATH, installing their Debian packages when missing.
#   native/need-packages.sh COMMAND:PACKAGE [COMMAND:PACKAGE ...]
# A COMMAND of the form py.MODULE means "/usr/bin/python3 can import MODULE" (e.g. py.zmq:python3-zmq).
# Installs with apt-get when running as root on Debian/Ubuntu; otherwise prints the exact
# command to run and exits 1. Also usable as a library: `. native/need-packages.sh` defines need_pkgs.
need_pkgs() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    if [ "${cmd#py.}" != "$cmd" ]; then
      /usr/bin/python3 -c "import ${cmd#py.}" >/dev/null 2>&1 || missing+=("$pkg")
    else
      command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "packages: installing ${missing[*]}"
    if [ -z "${ZMQNATIVE_APT_UPDATED:-}" ]; then
      apt-get update -qq
      export ZMQNATIVE_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v apt-get >/dev/null 2>&1; then
    echo "packages: missing ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
    return 1
  else
    echo "packages: missing commands for: ${missing[*]} (Debian package names); install the equivalents for your system" >&2
    return 1
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  need_pkgs "$@"
fi
