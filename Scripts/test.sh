#!/usr/bin/env bash
# Installs what the test suite needs (on a Debian machine with the Swift toolchain),
# checks formatting, runs every test, then each fuzz target briefly. README.md and
# .ci/run both use this. The pre-commit framework's build of vigil from source is left
# to Scripts/check-pre-commit.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# PCRE2, Vectorscan (the keyword pass), libarchive and OpenSSL's libcrypto (SHA-256) to build; git for the git tests; Chromium
# renders the HTML report in a test.
missing=""
pkg-config --exists libpcre2-8 2>/dev/null || missing="$missing libpcre2-dev pkg-config"
pkg-config --exists libhs 2>/dev/null || missing="$missing libvectorscan-dev pkg-config"
pkg-config --exists libarchive 2>/dev/null || missing="$missing libarchive-dev pkg-config"
pkg-config --exists libcrypto 2>/dev/null || missing="$missing libssl-dev pkg-config"
command -v git >/dev/null 2>&1 || missing="$missing git"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
if [ -n "$missing" ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi
# jsonschema validates SARIF against the official schema; pre-commit runs the hook
# definition for real.
python3 -c 'import jsonschema, pre_commit' 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check jsonschema pre-commit
if [ ! -f ../shared/schemas/sarif-schema-2.1.0.json ]; then
  echo "note: ../shared/schemas/sarif-schema-2.1.0.json is missing; the SARIF schema tests will fail" >&2
fi

swift format lint --strict --recursive Sources Tests Tools Fuzz Package.swift
swift test
# The real-code corpus tools (the corpus scan itself is a benchmark: Benchmarks/real-code).
python3 -m unittest discover -s Benchmarks/real-code
# Each fuzz target for a few seconds (VIGIL_FUZZ_SECONDS=0 skips them; Scripts/fuzz.sh
# runs them longer).
seconds="${VIGIL_FUZZ_SECONDS:-5}"
if [ "$seconds" -gt 0 ]; then bash Scripts/fuzz.sh "$seconds"; fi
