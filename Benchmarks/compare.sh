#!/usr/bin/env bash
# Measures vigil (release build, full default pack, SARIF output) against ripgrep
# searching for a literal that never occurs (the I/O and walk floor) on the same tree,
# in the same run, plus --staged on a 10-file change and --history against git log -p.
#
#   bash Benchmarks/compare.sh [small|large] [runs]
#
# small: 20,000 files (~70 MB of file data); large: 60,000 files (~170 MB). Corpora are
# generated once into ${VIGIL_BENCH_DIR:-/tmp/vigil-bench}. Figures are medians of
# `runs` (default 5) warm-cache runs; compare ratios, not seconds, across machines.
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-small}"
runs="${2:-5}"
case "$size" in
  small) files=20000 ;;
  large) files=60000 ;;
  *) echo "usage: $0 [small|large] [runs]" >&2; exit 2 ;;
esac
work="${VIGIL_BENCH_DIR:-/tmp/vigil-bench}"
corpus="$work/corpus-$size"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v rg >/dev/null; then
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ripgrep
fi
swift build -c release --product vigil >/dev/null
vigil="$PWD/.build/release/vigil"

if [ ! -d "$corpus" ]; then
  mkdir -p "$work"
  python3 Benchmarks/generate-corpus.py "$corpus" --files "$files" >&2
fi
bytes=$(du -sb "$corpus" | cut -f1)
count=$(find "$corpus" -type f | wc -l)

# median of wall seconds and of peak RSS (KiB) over $runs runs of a command
measure() {
  local times=() rss=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$work/time.out" -f "%e %M" "$@" >/dev/null 2>/dev/null || true
    local out
    out=$(tail -1 "$work/time.out")
    times+=("${out% *}"); rss+=("${out#* }")
  done
  local t r
  t=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  r=$(printf '%s\n' "${rss[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$t $r"
}

# Warm the page cache.
rg -uu -c zqxjvkwplmnb_never_occurs "$corpus" >/dev/null || true
"$vigil" scan -q --format sarif -o /dev/null "$corpus" || true

read -r vt vr < <(measure "$vigil" scan -q --format sarif -o /dev/null "$corpus")
read -r rt rr < <(measure rg -uu -c zqxjvkwplmnb_never_occurs "$corpus")
mbs() { awk -v b="$bytes" -v t="$1" 'BEGIN { printf "%.0f", (t > 0 ? b / 1048576 / t : 0) }'; }

echo "corpus: $size, $count files, $((bytes / 1048576)) MiB, $(nproc) cores, median of $runs runs"
printf '%-28s %9s %9s %10s\n' "" "wall (s)" "MB/s" "peak RSS"
printf '%-28s %9s %9s %7s MiB\n' "vigil scan (SARIF, all rules)" "$vt" "$(mbs "$vt")" "$((vr / 1024))"
printf '%-28s %9s %9s %7s MiB\n' "rg -uu -c (floor)" "$rt" "$(mbs "$rt")" "$((rr / 1024))"
awk -v v="$vt" -v r="$rt" 'BEGIN { printf "vigil / rg: %.2fx\n", (r > 0 ? v / r : 0) }'
findings=$("$vigil" scan -q --format json "$corpus" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))' || true)
echo "findings: $findings"

# --staged on a 10-file change in a repository holding the corpus's first package.
repo="$work/repo-$size"
if [ ! -d "$repo/.git" ]; then
  rm -rf "$repo" && mkdir -p "$repo"
  cp -r "$corpus/pkg00" "$repo/"
  git -C "$repo" init -q && git -C "$repo" add . \
    && git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid commit -qm base
  # A history: 200 commits, each changing 5 files.
  for c in $(seq 200); do
    for f in $(find "$repo/pkg00" -type f | sort | head -$((c % 40 * 5 + 5)) | tail -5); do
      echo "value_$c = compute($c)" >> "$f"
    done
    git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid commit -qam "change $c"
  done
fi
git -C "$repo" reset -q --hard
for f in $(find "$repo/pkg00" -type f | sort | head -10); do echo "extra = 1" >> "$f"; done
git -C "$repo" add -A
read -r st _ < <(measure "$vigil" scan -q --staged "$repo")
git -C "$repo" reset -q --hard
commits=$(git -C "$repo" rev-list --count HEAD)
read -r ht hr < <(measure "$vigil" scan -q --history "$repo")
read -r gt _ < <(measure git -C "$repo" log -p -U0 --no-color --reverse --topo-order HEAD)
echo "--staged, 10 changed files: ${st}s"
echo "--history, $commits commits: ${ht}s (peak RSS $((hr / 1024)) MiB); git log -p: ${gt}s"
awk -v v="$ht" -v g="$gt" 'BEGIN { printf "history / git log -p: %.2fx\n", (g > 0 ? v / g : 0) }'
