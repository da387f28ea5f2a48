#!/usr/bin/env bash
# Hostile input that once cost vigil more than linear time or memory, each at three
# sizes (N, 2N, 4N). Linear cost shows as time and peak memory roughly doubling from one
# size to the next; the old quadratic cases quadrupled (or never finished).
#
#   bash Benchmarks/linear-cost.sh            # builds vigil in release mode first
#   VIGIL=/path/to/vigil bash Benchmarks/linear-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VIGIL:-}" ]; then
  swift build -c release >/dev/null
  VIGIL="$PWD/.build/release/vigil"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Seconds and peak RSS (MiB) of one command, stopped after ${VIGIL_BENCH_LIMIT:-120}
# seconds; its output is discarded.
measure() {
  /usr/bin/time -f "%e %M %x" -o "$work/time" timeout "${VIGIL_BENCH_LIMIT:-120}" "$@" >/dev/null 2>&1 || true
  read -r seconds kilobytes status < <(tail -n 1 "$work/time")
  printf '%8.2f s %8d MiB' "$seconds" $((kilobytes / 1024))
  if [ "$status" = 124 ]; then printf '  (stopped at the time limit)'; fi
}

row() { printf '%-44s %12s ' "$1" "$2"; measure "${@:3}"; echo; }

echo "case                                               size       time       peak"

# 1. One long line of `password = "…"` assignments: each finding once rescanned the
#    whole line for inline-allow markers and for its column.
for n in 2000 4000 8000; do
  mkdir -p "$work/line$n"
  python3 - "$work/line$n/one-line.py" "$n" <<'EOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    key = "pass" + "word"  # split so that this script does not scan as a finding itself
    f.write("".join(f'{key} = "Xk{i:06d}Qz9vLmR4tZ8pW"; ' for i in range(n)) + "\n")
EOF
  row "one line, N assignments" "$n ($(($(stat -c %s "$work/line$n/one-line.py") / 1024)) KiB)" \
    "$VIGIL" scan -q --format json "$work/line$n"
done

# 2. A .vigilignore of N entries: each entry's line was found by searching the file.
for n in 5000 10000 20000; do
  mkdir -p "$work/ignore$n"
  echo 'x = 1' >"$work/ignore$n/a.py"
  python3 - "$work/ignore$n/.vigilignore" "$n" <<'EOF'
import sys, hashlib
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(n):
        f.write(f'[[ignore]]\nfingerprint = "{hashlib.sha256(str(i).encode()).hexdigest()}"\nreason = "entry {i}"\n\n')
EOF
  row ".vigilignore, N entries" "$n" "$VIGIL" scan -q "$work/ignore$n"
done

# 3. A config of N rules: each rule's line was found by searching the file.
for n in 1000 2000 4000; do
  mkdir -p "$work/rules$n"
  echo 'x = 1' >"$work/rules$n/a.py"
  python3 - "$work/rules$n/.vigil.toml" "$n" <<'EOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(n):
        f.write(f'[[rules]]\nid = "rule-{i}"\ndescription = "rule {i}"\nregex = \'\'\'tok{i}_[a-z]{{8}}\'\'\'\n\n')
EOF
  row "config, N rules" "$n" "$VIGIL" scan -q "$work/rules$n"
done

# 3b. N lines where two SQL rules report one statement: each finding was once compared
#     with every other finding of the file to keep one per construct.
for n in 10000 20000 40000; do
  mkdir -p "$work/sql$n"
  python3 - "$work/sql$n/queries.php" "$n" <<'EOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("".join("$q = \"SELECT * FROM t WHERE id = '$id'\" . $x;\n" for _ in range(n)))
EOF
  row "PHP, N statements two rules report" "$n" "$VIGIL" scan -q "$work/sql$n"
done

# 3c. One JavaScript line of N `/[` (a regular expression that never closes): each `/`
#     once searched the rest of the line.
for n in 100000 200000 400000; do
  mkdir -p "$work/regex$n"
  python3 - "$work/regex$n/app.js" "$n" <<'EOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write('const q = "SELECT * FROM t WHERE a = " + b;\nx' + "=/[" * n + "\n")
EOF
  row "JS, one line of N unclosed /[" "$n" "$VIGIL" scan -q "$work/regex$n"
done

# 3d. SQL followed through a file (QueryFlow): N values added to one SQL variable, each
#     statement then running it; N sink calls nested in one another; N constructions in
#     one statement. Each must stay linear in N.
for n in 20000 40000 80000; do
  mkdir -p "$work/flow$n"
  python3 - "$work/flow$n" "$n" <<'EOF'
import sys
root, n = sys.argv[1], int(sys.argv[2])
with open(root + "/append.py", "w") as f:
    f.write('q = "SELECT * FROM t WHERE 1 = 1"\n')
    for i in range(n):
        f.write(f'q += " AND c{i} = " + v{i}\ncursor.execute(q)\n')
with open(root + "/nested.js", "w") as f:
    f.write('const s = "SELECT * FROM t WHERE a = " + b;\n' + "db.query(" * n + "s" + ")" * n + ";\n")
with open(root + "/one.php", "w") as f:
    f.write("<?php\n$r = mysqli_query($c, " + " . ".join(f'"SELECT * FROM t WHERE a = " . $v{i}' for i in range(n)) + ");\n")
EOF
  row "SQL flow: appends, nested sinks, one statement" "$n" "$VIGIL" scan -q "$work/flow$n"
done

# 3e. The functions the flow reads (FunctionScopes): N functions each passing request
#     data on to the next and reassigning its parameter; N arrow functions on one line
#     above N deeper lines (each walked back to its line's start: 13 s at 80,000);
#     staircases of nested Python functions 1,000 deep.
for n in 20000 40000 80000; do
  mkdir -p "$work/functions$n"
  python3 - "$work/functions$n" "$n" <<'EOF'
import sys
root, n = sys.argv[1], int(sys.argv[2])
with open(root + "/calls.py", "w") as f:
    f.write('def start(request):\n    return f0(request.args["x"])\n')
    for i in range(n):
        f.write(f'def f{i}(a):\n    q = "SELECT * FROM t WHERE a = " + a\n    cursor.execute(q)\n'
                f'    a = a.strip()\n    return f{i + 1}(a)\n')
with open(root + "/arrows.js", "w") as f:
    # The SQL added to makes the flow (and so FunctionScopes) read the file.
    f.write('let q = "SELECT * FROM t WHERE a = "; q += x; db.query(q);\n')
    f.write("x(" + ", ".join("(a) => a" for _ in range(n)) + ");\n" + "    y = 1;\n" * n)
with open(root + "/stairs.py", "w") as f:
    for i in range(n):
        f.write(" " * (i % 1000) + f"def g{i}(p):\n")
EOF
  row "Functions: call chain, arrows, staircases" "$n" "$VIGIL" scan -q "$work/functions$n"
done

# 4. A large file reported as JSON and SARIF: memory must stay proportional.
for mib in 8 16 32; do
  mkdir -p "$work/big$mib"
  python3 - "$work/big$mib/bundle.js" "$mib" <<'EOF'
import sys
path, mib = sys.argv[1], int(sys.argv[2])
key = "pass" + "word"  # split so that this script does not scan as a finding itself
line = "".join(f'var {key} = "Xk{i:06d}Qz9vLmR4tZ8pW";' for i in range(2000))
with open(path, "w") as f:
    while f.tell() < mib * 1024 * 1024 - len(line):
        f.write(line + "\n")
EOF
  row "N MiB file of findings, JSON" "$mib MiB" "$VIGIL" scan -q --max-file-size 64000000 --format json "$work/big$mib"
  row "N MiB file of findings, SARIF" "$mib MiB" "$VIGIL" scan -q --max-file-size 64000000 --format sarif "$work/big$mib"
done

# 5. Standard input without end: refused at --max-file-size, in bounded memory.
row "yes | vigil scan - (refused at the cap)" "32 MiB cap" bash -c "yes | '$VIGIL' scan -q -"

# One file of one line: HEAD, then BODY N times, then TAIL; a row for N = 20,000,
# 40,000 and 80,000.  one_line_rows LABEL DIR FILE HEAD BODY TAIL
one_line_rows() {
  for n in 20000 40000 80000; do
    mkdir -p "$work/$2$n"
    python3 -c "import sys; open(sys.argv[1], 'w').write(sys.argv[3] + sys.argv[4] * int(sys.argv[2]) + sys.argv[5] + '\n')" \
      "$work/$2$n/$3" "$n" "$4" "$5" "$6"
    row "$1" "$n" "$VIGIL" scan -q --format json "$work/$2$n"
  done
}

# 6. One long line of TLS switches a guard looks behind (minified code): each match's
#    guard once read the line back to its start.
one_line_rows "one line of N guarded matches" guard bundle.js 'x(' '{rejectUnauthorized: false}, ' ')'

# 7. Rules that look ahead or far back: N `unsafe {/*` on one line (each block's
#    opening comments are read for SAFETY:), N imports of errorhandler (each once
#    searched the rest of the file for its use), N `.run(` calls full of parentheses
#    (each once read to the end of the file for debug=True).
for n in 20000 40000 80000; do
  mkdir -p "$work/ahead$n"
  python3 - "$work/ahead$n" "$n" <<'PY'
import sys
root, n = sys.argv[1], int(sys.argv[2])
open(root + "/lib.rs", "w").write("fn f() { " + "unsafe {/* a " * n + "\n}\n")
open(root + "/server.js", "w").write("const e = require('errorhandler')\n" * n + "app.listen(1)\n")
open(root + "/app.py", "w").write("app.run(" + "(a)" * 8 + "\n" + ("x.run(" + "(a)" * 8) * n + "\n")
PY
  row "look-ahead rules: unsafe, errorhandler, run(" "$n" "$VIGIL" scan -q --format json "$work/ahead$n"
done

# 8. One long line of N matches of a rule with a line allowlist (regexTarget = "line",
#    generic-bare-key's, as in many gitleaks configs): each match's allowlist once
#    searched the whole line.
# (The key is written in two pieces so that vigil's scan of this script finds none.)
one_line_rows "one line of N matches under a line allowlist" lineallow settings.yml '' "k""ey=Ab12cd34ef56gh78ij90kl " ''

# 9. Connection strings on one line, N of them, with no `;`: adonet's `Host=…;` once ran
#    to the end of the line from each `Host=` looking for the `;` (10,000 / 20,000 took
#    2.0 / 5.4 s). Also libpq's keyword/value form and MySQL's Go DSN.
one_line_rows "one line of N connection strings without ;" connstr main.go 'x := "' \
  "host=db user=app pass""word=Vq8Lz3Wm7Xk2 dbname=x app:Hm3x8Rq2Lz7v@""tcp(db:3306)/x " '"'

# 10. One file of N findings whose secrets share their first bytes (Stripe-shaped keys):
#     masking once compared every secret of a shared beginning at each shown byte.
for n in 4000 8000 16000; do
  mkdir -p "$work/prefix$n"
  python3 - "$work/prefix$n/keys.py" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(n):
        f.write('pass' 'word_%d = "Zq8vT3mW9xLpQ7%06d"\n' % (i, i))
PY
  row "one file of N secrets sharing a beginning" "$n" "$VIGIL" scan -q --format json "$work/prefix$n"
done

# 11. N links named as secret files in one commit, history read: each link's lookups
#     were once git processes of their own.
for n in 500 1000 2000; do
  repo="$work/links$n"
  mkdir -p "$repo/d"
  git -C "$repo" init -q
  echo "note" > "$repo/d/notes.txt"
  for i in $(seq "$n"); do ln -s d/notes.txt "$repo/.env.$i"; done
  git -C "$repo" add -A
  git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid commit -qm links
  row "N .env links in one commit, --history" "$n" "$VIGIL" scan -q --history --no-cache --format json "$repo"
done

# 12. An ignore pattern of many `**/a/` groups over a deep path: git's wildmatch retries
#     each group from every directory it could end at (about 7^groups steps: git itself
#     takes 40 s at 8); vigil's took 30 s at 8 and never ended at 10, and once its retries
#     were remembered, 40 ms a file for 100 groups 200 deep. N files there, 100 groups.
for n in 500 1000 2000; do
  tree="$work/wild$n"
  deep="$(python3 -c 'print("/".join(["a"] * 200))')"
  mkdir -p "$tree/$deep"
  for i in $(seq "$n"); do echo 'x = 1' > "$tree/$deep/f$i.py"; done
  python3 -c "print('**/a/' * 100 + 'b')" > "$tree/.gitignore"
  row ".gitignore of 100 '**/a/' groups, N files 200 deep" "$n" "$VIGIL" scan -q "$tree"
done

# 13. Redaction of a long, repetitive secret (`mysql -pA0A0…`): the other occurrences of
#     a secret's text were looked for from each position of the snippet's line, each
#     look costing the secret's length (20 / 40 / 80 KB: 1.7 / 4.1 / 15.6 s); and every
#     snippet's search was widened by the longest secret, so a line with a long password
#     and N key ids cost N times its length.
one_line_rows "one line: a password of N x 'A0'" periodic cmd.sh 'mysql -p' 'A0' ' ; echo done'
for n in 1000 2000 4000; do
  mkdir -p "$work/longsecret$n"
  python3 - "$work/longsecret$n/cmd.sh" "$n" <<'PY'
import random, string, sys
path, n = sys.argv[1], int(sys.argv[2])
random.seed(n)
password = "".join(random.choice(string.ascii_letters + string.digits) for _ in range(50 * n))
ids = " ".join("AKIA" + "".join(random.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)) for _ in range(n))
open(path, "w").write("mysql -p" + password + " ; echo " + ids + "\n")
PY
  row "one line: a password of 50N bytes, N key ids" "$n" "$VIGIL" scan -q --format json "$work/longsecret$n"
done

# 14. Base64 of zeros (an image's, a font's inlined): a run of A as long as the data. A
#     keyword made of A matched at every byte (a 27 MB line took 6.5 s; now 0.3 s).
for n in 4 8 16; do
  mkdir -p "$work/zeros$n"
  python3 -c "import base64,sys; open(sys.argv[1],'w').write('blob: ' + base64.b64encode(bytes($n << 20)).decode() + '\n')" \
    "$work/zeros$n/values.yaml"
  row "base64 of N MiB of zeros, one line" "$n MiB" "$VIGIL" scan -q "$work/zeros$n"
done

# 15. A .env of N credentials: each is a finding; a generic rule's overlap check once
#     looked through every other finding's range (160k lines: 20 s).
for n in 40000 80000 160000; do
  mkdir -p "$work/env$n"
  python3 - "$work/env$n/.env" "$n" <<'PY'
import random, string, sys
path, n = sys.argv[1], int(sys.argv[2])
random.seed(n)
with open(path, "w") as f:
    for i in range(n):
        f.write("K%d_PASS" % i + "WORD=" + "".join(random.choice(string.ascii_letters) for _ in range(16)) + "\n")
PY
  row ".env of N credentials" "$n" "$VIGIL" scan -q --format json "$work/env$n"
done

# 16. gzip bombs in base64, N of them in one file: each was inflated to the whole of the
#     file's decoding budget again (351 in a 32 MB file: 60 s).
for n in 40 80 160; do
  mkdir -p "$work/bombs$n"
  python3 - "$work/bombs$n/values.yaml" "$n" <<'PY'
import base64, gzip, sys
path, n = sys.argv[1], int(sys.argv[2])
bomb = base64.b64encode(gzip.compress(bytes(64 << 20))).decode()
open(path, "w").write("".join("b%d: %s\n" % (i, bomb) for i in range(n)))
PY
  row "N gzip bombs in base64, one file" "$n" "$VIGIL" scan -q "$work/bombs$n"
done

# 17. A tree N directories deep (paths past PATH_MAX): every directory and file was
#     opened from the root again, one component at a time past PATH_MAX (4,800 deep: 34 s).
for n in 1500 3000 6000; do
  python3 - "$work/deep$n" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(root, exist_ok=True)
fd = os.open(root, os.O_RDONLY)
for _ in range(n):
    try:
        os.mkdir("dd", dir_fd=fd)
    except FileExistsError:
        pass
    nfd = os.open("dd", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = nfd
f = os.open("app.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
os.write(f, b"x = 1\n"); os.close(f)
PY
  row "a tree N directories deep" "$n" "$VIGIL" scan -q "$work/deep$n"
done

# 18. SQL literals chained by `+` line after line ("SELECT * FROM t WHERE a=" + …): each
#     keyword's match of sql-string-concatenation followed the chain to the file's end
#     (PCRE2's JIT stack stopped it: 1 MB took 24 s); now at most 64 pieces. N lines.
for n in 40000 80000 160000; do
  mkdir -p "$work/chain$n"
  python3 -c "import sys; open(sys.argv[1], 'w').write('\"SELECT * FROM t WHERE a=\" + \n' * int(sys.argv[2]))" \
    "$work/chain$n/q.js" "$n"
  row "SQL literals chained by + over N lines" "$n" "$VIGIL" scan -q "$work/chain$n"
done

# 19. SQL strings that never close, full of interpolations (`x = $"select a from b {c} …`):
#     the C#, JVM, Kotlin, Ruby and Rust rules scanned from every hole to the line's end
#     (0.8 MB of C#: 12 s); the closing quote is now looked for once. N holes a file.
for n in 20000 40000 80000; do
  mkdir -p "$work/unclosed$n"
  python3 - "$work/unclosed$n" "$n" <<'PY'
import sys
root, n = sys.argv[1], int(sys.argv[2])
for name, head, hole in (("a.cs", 'x = $"', "select a from b {c} "), ("b.java", 'x = String.format("', "select a from b %s "),
                         ("c.kt", 'val x = "', "select a from b ${c} "), ("d.rb", 'x = "', "select a from b #{c} "),
                         ("e.rs", 'let x = format!("', "select a from b {:c ")):
    open(f"{root}/{name}", "w").write(head + hole * n + "\n")
PY
  row "unclosed SQL strings of N holes, 5 languages" "$n" "$VIGIL" scan -q "$work/unclosed$n"
done

# 20. A git work tree N directories deep with a `.gitignore` at every level: each path
#     was compared with the whole directory of every ignore file above it (the cube of
#     the depth: 2,000 deep 7 s, 4,000 over a minute); now git's square.
for n in 1000 2000 4000; do
  python3 - "$work/ignored$n" "$n" <<'PY'
import os, subprocess, sys
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(root); subprocess.run(["git", "init", "-q", root], check=True)
fd = os.open(root, os.O_RDONLY)
for _ in range(n):
    for name, body in ((".gitignore", b"*.log\n"), ("f.py", b"x = 1\n")):
        f = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd); os.write(f, body); os.close(f)
    os.mkdir("d", dir_fd=fd); nfd = os.open("d", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = nfd
PY
  row "a .gitignore at each of N levels" "$n" "$VIGIL" scan -q "$work/ignored$n"
done

# 21. A Python file of N Ansible-style documentation strings with a password in each and
#     N more on one line of `'''a'''` pairs: a secret's fixture check once could read
#     back to the documentation's start for each finding; the strings are now found in
#     one pass per file.
for n in 20000 40000 80000; do
  mkdir -p "$work/moduledoc$n"
  python3 - "$work/moduledoc$n/module.py" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
key = "pass" + "word"  # split so that this script does not scan as a finding itself
with open(path, "w") as f:
    for i in range(n):
        f.write(f"EXAMPLES = '''\n- user: {{{key}: \"Xk{i:06d}Qz9vLm\"}}\n'''\n")
    f.write("x = " + "'''a''' " * n + "\n")
PY
  row "N module documentation strings with secrets" "$n" "$VIGIL" scan -q --format json "$work/moduledoc$n"
done
