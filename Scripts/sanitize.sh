#!/usr/bin/env bash
# Runs the test suite under a sanitizer: `thread` or `address` (with LeakSanitizer).
# Each is a full build of its own in .build-<sanitizer>/. The pre-commit test is left
# out: it builds vigil again inside the framework, without the sanitizer.
#
#   bash Scripts/sanitize.sh thread|address
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizer="${1:?usage: Scripts/sanitize.sh thread|address}"
export LSAN_OPTIONS="suppressions=$PWD/Scripts/lsan-suppressions.txt:print_suppressions=0"
swift test --sanitize="$sanitizer" --build-path ".build-$sanitizer" --skip preCommit
