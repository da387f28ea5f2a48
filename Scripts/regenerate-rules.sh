#!/usr/bin/env bash
# Regenerates everything derived from Rules/: the copy compiled into the binary
# (Sources/VigilRules/Rules/DefaultRulePack+Embedded.swift: the rules loaded and checked,
# as JSON) and Documentation/Rules.md.
# Run after any change under Rules/; GeneratedFilesTests fails until you do.
set -euo pipefail
cd "$(dirname "$0")/.."
swift run -q embed-rules
swift build -q --product vigil
vigil="$PWD/.build/debug/vigil"
# From an empty directory: a .vigil.toml where it runs would change the pack described.
empty="$(mktemp -d)"
trap 'rm -rf "$empty"' EXIT
(cd "$empty" && "$vigil" rules --markdown) >Documentation/Rules.md
echo "regenerate-rules: wrote Sources/VigilRules/Rules/DefaultRulePack+Embedded.swift and Documentation/Rules.md"
