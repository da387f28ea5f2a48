#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (with AddressSanitizer) and runs each for a
# bounded time. A crash leaves its input in .build-fuzz/findings/<target>/ and fails
# the script; turn each one into a regression test (Tests/VigilKitTests/FuzzRegressionTests.swift).
#
#   bash Scripts/fuzz.sh [seconds per target] [target ...]
#
# Targets: FuzzConfig FuzzIgnore FuzzLexers FuzzDetector (all by default); 60 s each
# unless told. The corpus grows in .build-fuzz/corpus/<target>/ across runs.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzConfig FuzzIgnore FuzzLexers FuzzDetector)
work=.build-fuzz

mkdir -p "$work"
# SwiftPM keeps the build plan of a path dependency across runs and misses files added
# to it since; dropping the plan makes it look again (objects are still reused).
rm -f "$work/build/debug.yaml" "$work"/build/*/debug/description.json
if ! swift build --package-path Fuzz --build-path "$work/build" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >"$work/build.log" 2>&1; then
  grep -v "Cannot export local symbol" "$work/build.log" >&2
  exit 1
fi
binaries="$(swift build --package-path Fuzz --build-path "$work/build" --show-bin-path)"

# Seeds from the repository itself: the rule files (configs, and text the detector
# knows), the repository's ignore files, and small Rust programs.
seed() {
  local target="$1" dir="$work/corpus/$1"
  mkdir -p "$dir"
  case "$target" in
    FuzzConfig)
      # One rule per seed: a whole pack per input would make each run compile dozens
      # of regexes.
      python3 - "$dir" <<'EOF'
import glob, os, sys
count = 0
for name in sorted(glob.glob("Rules/*/*.toml")) + [".vigil.toml"]:
    for block in open(name, "rb").read().split(b"\n[[rules]]"):
        open(os.path.join(sys.argv[1], "seed-%d" % count), "wb").write(b"[[rules]]" + block)
        count += 1
EOF
      ;;
    FuzzIgnore)
      printf '*.log\n!keep.log\n/build/\ndocs/**/*.md\n\\#hash\n[a-c]?.txt\n\0a.log\nkeep.log\nbuild/x\ndocs/a/b.md\nb1.txt\n' \
        >"$dir/seed-patterns"
      cp .gitignore "$dir/seed-gitignore"
      ;;
    FuzzLexers)
      python3 Fuzz/lexer-seeds.py "$dir"
      ;;
    FuzzDetector)
      # Each rule file's lines in chunks of about 2 KB, behind a byte that picks the path.
      python3 - "$dir" <<'EOF'
import glob, os, sys
count = 0
for name in sorted(glob.glob("Rules/*/*.toml")):
    chunk = b""
    for line in open(name, "rb"):
        chunk += line
        if len(chunk) > 2048:
            open(os.path.join(sys.argv[1], "seed-%d" % count), "wb").write(bytes([count % 7]) + chunk)
            count, chunk = count + 1, b""
    if chunk:
        open(os.path.join(sys.argv[1], "seed-%d" % count), "wb").write(bytes([count % 7]) + chunk)
        count += 1
EOF
      ;;
  esac
}

failed=()
for target in "${targets[@]}"; do
  seed "$target"
  mkdir -p "$work/findings/$target"
  dict=()
  [ "$target" = FuzzConfig ] && dict=(-dict=Fuzz/config.dict)
  echo "== $target: ${seconds}s" >&2
  # The Swift runtime's own backtracer would symbolicate for a minute per crash;
  # libFuzzer and ASan report the crash themselves.
  if ! SWIFT_BACKTRACE=enable=no LSAN_OPTIONS="suppressions=$PWD/Scripts/lsan-suppressions.txt:print_suppressions=0" "$binaries/$target" "${dict[@]}" -max_total_time="$seconds" \
    -max_len=16384 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$work/findings/$target/" "$work/corpus/$target" 2>"$work/$target.log"; then
    failed+=("$target")
    grep -E "ERROR|SUMMARY|Fatal error|Precondition failed|artifact_prefix|Test unit written" "$work/$target.log" >&2 || true
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov: " "$work/$target.log" | tail -3 >&2 || true
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs in $work/findings/)" >&2
  exit 1
fi
echo "fuzzing: no crashes in ${targets[*]} (${seconds}s each)" >&2
