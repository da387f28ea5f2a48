#!/usr/bin/env bash
# Installs what the test suite needs (on a Debian machine with the Swift toolchain),
# checks formatting, and runs every test. README.md and .ci/run both use this.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! pkg-config --exists libpcre2-8 2>/dev/null; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpcre2-dev pkg-config
fi
# The SARIF tests validate against the official schema with Python's jsonschema.
if ! python3 -c 'import jsonschema' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check jsonschema
fi
if [ ! -f ../shared/schemas/sarif-schema-2.1.0.json ]; then
  echo "note: ../shared/schemas/sarif-schema-2.1.0.json is missing; the SARIF schema tests will fail" >&2
fi

swift format lint --strict --recursive Sources Tests Tools Package.swift
swift test
