#!/usr/bin/env python3
"""vigil on real code: check out the pinned repositories, scan them, and compare the
scan with the committed review.

    python3 Benchmarks/real-code/realcode.py checkout        # from /work/.mirror
    python3 Benchmarks/real-code/realcode.py scan --vigil .build/release/vigil
    python3 Benchmarks/real-code/realcode.py compare         # against review.tsv
    python3 Benchmarks/real-code/realcode.py sample          # what is left to judge
    python3 Benchmarks/real-code/realcode.py cost            # vigil against rg, per language

The pinned list is repos.tsv; the verdicts are review.tsv (one judged finding a line:
repo, rule, path, line, fingerprint, verdict, reason; never a secret); must-find.tsv
lists the flaws the vulnerable applications' authors document. Work files go to
.build-real-code/ (checkouts, one JSON report per repository).
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.environ.get("VIGIL_REAL_CODE_WORK", os.path.join(ROOT, ".build-real-code"))
MIRRORS = os.environ.get("VIGIL_MIRRORS", "/work/.mirror")

VERDICTS = ("true", "fixture", "false")
# What counts as a good finding per category: for secrets and secret files, a real
# credential or a fixture one (reported as a fixture); elsewhere only a true one.
GOOD = {
    "secret": {"true", "fixture"},
    "secret-file": {"true", "fixture"},
}
SAMPLE_SIZE = 50
REVIEW_COLUMNS = ["repo", "rule", "path", "line", "fingerprint", "verdict", "reason"]
MUST_FIND_COLUMNS = ["repo", "path", "line", "category", "source"]


def read_tsv(path, columns):
    """Rows of a tab-separated file as dicts; `#` lines are comments."""
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != len(columns):
                raise SystemExit(f"{path}:{number}: {len(fields)} fields, expected {len(columns)}")
            rows.append(dict(zip(columns, fields)))
    return rows


def repositories(path=os.path.join(HERE, "repos.tsv")):
    return read_tsv(path, ["repo", "commit", "kind", "covers"])


def mirror(repo):
    """The bare mirror `fetch` made; a few arrive as a work tree's .git instead."""
    path = os.path.join(MIRRORS, repo.replace("/", "+"), "repo")
    nested = os.path.join(path, ".git")
    return nested if os.path.isdir(nested) else path


def checkout_dir(repo):
    return os.path.join(WORK, "checkouts", repo.replace("/", "+"))


def report_path(repo):
    return os.path.join(WORK, "reports", repo.replace("/", "+") + ".json")


def git(git_dir, *args, data=None):
    return subprocess.run(
        ["git", "--git-dir=" + git_dir, *args], input=data, capture_output=True, check=True
    ).stdout


def checkout(repo, commit):
    """Writes the tree of `commit` to the checkout directory; returns the paths whose
    blobs the snapshot lacks (files of 4 MiB and more are left out of snapshots)."""
    git_dir = mirror(repo)
    target = checkout_dir(repo)
    marker = os.path.join(target, ".vigil-real-code-commit")
    if os.path.exists(marker) and open(marker).read().strip() == commit:
        return []
    subprocess.run(["rm", "-rf", target], check=True)
    os.makedirs(target)
    entries = []
    for record in git(git_dir, "ls-tree", "-r", "-z", "--full-tree", commit).split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, sha = meta.split(b" ")
        if kind == b"blob":
            entries.append((mode.decode(), sha.decode(), path.decode("utf-8", "surrogateescape")))
    # Which blobs the snapshot has, in one batch.
    checked = git(git_dir, "cat-file", "--batch-check", data="".join(e[1] + "\n" for e in entries).encode())
    present = {line.split(" ")[0] for line in checked.decode().splitlines() if not line.endswith("missing")}
    missing = [path for _, sha, path in entries if sha not in present]
    wanted = [(mode, sha, path) for mode, sha, path in entries if sha in present]
    process = subprocess.Popen(
        ["git", "--git-dir=" + git_dir, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    for mode, sha, path in wanted:
        process.stdin.write((sha + "\n").encode())
        process.stdin.flush()
        header = process.stdout.readline().split()
        content = process.stdout.read(int(header[2]))
        process.stdout.read(1)
        destination = os.path.join(target, path)
        if not os.path.realpath(destination).startswith(os.path.realpath(target) + os.sep):
            continue  # a path that leads out of the checkout (never from git, but check)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        if mode == "120000":
            os.symlink(os.fsdecode(content), destination)
        else:
            with open(destination, "wb") as handle:
                handle.write(content)
    process.stdin.close()
    process.wait()
    with open(marker, "w") as handle:
        handle.write(commit + "\n")
    return missing


def load_findings(repo):
    with open(report_path(repo), encoding="utf-8") as handle:
        report = json.load(handle)
    return [
        {
            "repo": repo,
            "rule": f["ruleId"],
            "category": f["category"],
            "path": f["path"],
            "line": str(f["line"]),
            "fingerprint": f["fingerprint"],
            "snippet": f.get("snippet", ""),
        }
        for f in report["findings"]
    ]


def sample_order(finding):
    """A fixed pseudo-random order: the same findings always give the same sample."""
    return hashlib.sha256((finding["rule"] + "\0" + finding["fingerprint"]).encode()).hexdigest()


def compare(findings, review, must_find, sample_size=SAMPLE_SIZE):
    """What the scan says against the review: per rule, the findings, how many of the
    fixed sample are judged and how; what is not judged yet; judged-false findings still
    reported; judged-true ones and must-find flaws lost; precision per category."""
    judged = Lookup(review)
    by_rule = defaultdict(list)
    for finding in findings:
        by_rule[finding["rule"]].append(finding)
    rules = {}
    unjudged = []
    false_reported = []
    for rule, found in sorted(by_rule.items()):
        sample = sorted(found, key=sample_order)[:sample_size]
        verdicts = Counter()
        for finding in sample:
            verdict = judged.get(finding)
            if verdict is None:
                unjudged.append(finding)
            else:
                verdicts[verdict["verdict"]] += 1
        for finding in found:
            verdict = judged.get(finding)
            if verdict is not None and verdict["verdict"] == "false":
                false_reported.append(finding)
        rules[rule] = {"category": found[0]["category"], "count": len(found), "verdicts": verdicts}
    matched = {id(judged.get(f)) for f in findings}
    lost = [r for r in review if r["verdict"] != "false" and id(r) not in matched]
    missed = [m for m in must_find if not any(must_match(m, f) for f in findings)]
    return {
        "rules": rules,
        "unjudged": unjudged,
        "false_reported": false_reported,
        "lost": lost,
        "must_find_missed": missed,
        "must_find_total": len(must_find),
        "precision": precision(rules),
    }


class Lookup:
    """A finding's verdict: by fingerprint and place together, else by its place
    (repository, rule, path, line), else by fingerprint (code that moved), else, for a
    secret-file rule, by file: a rule that starts reading a file's content changes the
    fingerprint and line of a finding it already made."""

    def __init__(self, review):
        self.by_fingerprint = {(r["repo"], r["fingerprint"]): r for r in review}
        self.by_place = {(r["repo"], r["rule"], r["path"], r["line"]): r for r in review}
        self.by_file = {(r["repo"], r["rule"], r["path"]): r for r in review}

    def get(self, finding):
        by_fingerprint = self.by_fingerprint.get((finding["repo"], finding["fingerprint"]))
        place = (finding["repo"], finding["rule"], finding["path"], finding["line"])
        if by_fingerprint is not None and place == tuple(by_fingerprint[k] for k in ("repo", "rule", "path", "line")):
            return by_fingerprint
        # A fingerprint counts repeats of one text in a file, so removing one occurrence
        # shifts the others' fingerprints: the place, where it is judged, wins over them.
        found = self.by_place.get(place) or by_fingerprint
        if found is None and finding["category"] == "secret-file":
            found = self.by_file.get((finding["repo"], finding["rule"], finding["path"]))
        return found


def must_match(flaw, finding):
    """A must-find flaw is found by a finding of its category in its file, on its line
    when the list gives one (within 2 lines: a statement can span lines)."""
    if flaw["repo"] != finding["repo"] or flaw["path"] != finding["path"]:
        return False
    if flaw["category"] != finding["category"]:
        return False
    return flaw["line"] in ("", "-") or abs(int(flaw["line"]) - int(finding["line"])) <= 2


def precision(rules):
    """Per category, the share of findings that are good, each rule's judged sample
    weighted by its number of findings; `None` where nothing is judged."""
    estimated = defaultdict(float)
    counted = defaultdict(int)
    for rule in rules.values():
        judged = sum(rule["verdicts"].values())
        if judged == 0:
            continue
        good = GOOD.get(rule["category"], {"true"})
        share = sum(n for verdict, n in rule["verdicts"].items() if verdict in good) / judged
        estimated[rule["category"]] += share * rule["count"]
        counted[rule["category"]] += rule["count"]
    categories = {rule["category"] for rule in rules.values()}
    return {c: (estimated[c] / counted[c] if counted[c] else None) for c in sorted(categories)}


def print_comparison(result, out=sys.stdout):
    print(f"{'rule':<40} {'category':<14} {'found':>6} {'judged':>6} {'true':>5} {'fixt':>5} {'false':>5}", file=out)
    for rule, data in result["rules"].items():
        v = data["verdicts"]
        judged = sum(v.values())
        print(
            f"{rule:<40} {data['category']:<14} {data['count']:>6} {judged:>6} "
            f"{v['true']:>5} {v['fixture']:>5} {v['false']:>5}",
            file=out,
        )
    print("\nprecision per category (weighted by each rule's findings):", file=out)
    for category, value in result["precision"].items():
        shown = "not judged" if value is None else f"{100 * value:.1f} %"
        print(f"  {category:<14} {shown}", file=out)
    total = result["must_find_total"]
    found = total - len(result["must_find_missed"])
    print(f"\nmust-find: {found} of {total} found", file=out)
    for flaw in result["must_find_missed"]:
        print(f"  MISSED {flaw['repo']} {flaw['path']}:{flaw['line']} {flaw['category']} ({flaw['source']})", file=out)
    for finding in result["lost"]:
        print(f"  LOST {finding['repo']} {finding['path']}:{finding['line']} {finding['rule']} ({finding['verdict']})", file=out)
    print(f"judged false and still reported: {len(result['false_reported'])}", file=out)
    print(f"in the sample, not judged yet: {len(result['unjudged'])}", file=out)


# Languages by extension, for the cost per language: the code rules' languages, then
# everything else.
LANGUAGES = {
    "python": (".py", ".pyw"),
    "javascript/typescript": (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".vue", ".svelte"),
    "go": (".go",),
    "java/kotlin/scala/groovy": (".java", ".kt", ".kts", ".scala", ".groovy"),
    "c#": (".cs",),
    "php": (".php", ".phtml", ".inc"),
    "ruby": (".rb", ".rake", ".erb"),
    "rust": (".rs",),
    "swift": (".swift",),
}


def language_of(path):
    lower = path.lower()
    for language, extensions in LANGUAGES.items():
        if lower.endswith(extensions):
            return language
    return "other"


def median_seconds(command, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def cost(vigil, runs):
    """vigil against rg per language: every checkout's files of one language, hard-linked
    into one tree, scanned by vigil (all rules, JSON) and searched by rg for a literal
    that never occurs, in the same run; the ratio is what to compare."""
    root = os.path.join(WORK, "by-language")
    subprocess.run(["rm", "-rf", root], check=True)
    sizes = {}
    for r in repositories():
        source = checkout_dir(r["repo"])
        for directory, _, names in os.walk(source):
            for name in names:
                path = os.path.join(directory, name)
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                language = language_of(name)
                target = os.path.join(root, language.replace("/", "+"), r["repo"].replace("/", "+"), os.path.relpath(path, source))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.link(path, target)
                files, size = sizes.get(language, (0, 0))
                sizes[language] = (files + 1, size + os.path.getsize(path))
    print(f"{'language':26} {'files':>7} {'MiB':>7} {'vigil s':>8} {'rg s':>7} {'ratio':>6}")
    for language in list(LANGUAGES) + ["other"]:
        if language not in sizes:
            continue
        tree = os.path.join(root, language.replace("/", "+"))
        median_seconds(["rg", "-uu", "-c", "zqxjvkwplmnb_never_occurs", tree], 1)
        vigil_seconds = median_seconds([vigil, "scan", "--quiet", "--format", "json", tree], runs)
        rg_seconds = median_seconds(["rg", "-uu", "-c", "zqxjvkwplmnb_never_occurs", tree], runs)
        files, size = sizes[language]
        print(
            f"{language:26} {files:7d} {size / 1048576:7.1f} {vigil_seconds:8.2f} {rg_seconds:7.2f}"
            f" {vigil_seconds / max(rg_seconds, 0.001):6.1f}"
        )
    subprocess.run(["rm", "-rf", root], check=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("checkout", help="write each pinned commit out of its mirror")
    scan = commands.add_parser("scan", help="scan every checkout with vigil")
    scan.add_argument("--vigil", default=os.path.join(ROOT, ".build/release/vigil"))
    commands.add_parser("compare", help="compare the reports with review.tsv and must-find.tsv")
    timing = commands.add_parser("cost", help="vigil's time against rg's, per language, on the checkouts")
    timing.add_argument("--vigil", default=os.path.join(ROOT, ".build/release/vigil"))
    timing.add_argument("--runs", type=int, default=5)
    sample = commands.add_parser("sample", help="the sampled findings not judged yet, as review.tsv rows")
    sample.add_argument("--rule", help="only this rule")
    args = parser.parse_args(argv)

    repos = repositories()
    if args.command == "checkout":
        absent = [r["repo"] for r in repos if not os.path.isdir(mirror(r["repo"]))]
        if absent:
            print("not fetched yet; call the fetch tool for each, then run this again:")
            for repo in absent:
                print(f"  fetch github:{repo}")
        for r in repos:
            if r["repo"] in absent:
                continue
            missing = checkout(r["repo"], r["commit"])
            note = f" ({len(missing)} blob(s) the snapshot lacks: {', '.join(missing[:3])}...)" if missing else ""
            print(f"{r['repo']}: {r['commit'][:12]}{note}")
        return 0
    if args.command == "cost":
        cost(args.vigil, args.runs)
        return 0
    if args.command == "scan":
        os.makedirs(os.path.join(WORK, "reports"), exist_ok=True)
        for r in repos:
            directory = checkout_dir(r["repo"])
            if not os.path.isdir(directory):
                print(f"{r['repo']}: not checked out", file=sys.stderr)
                continue
            with open(report_path(r["repo"]), "wb") as handle:
                status = subprocess.run(
                    [args.vigil, "scan", "--quiet", "--format", "json", directory], stdout=handle
                ).returncode
            if status not in (0, 1):
                print(f"{r['repo']}: vigil exited {status}", file=sys.stderr)
        return 0
    findings = []
    for r in repos:
        if os.path.exists(report_path(r["repo"])):
            findings += load_findings(r["repo"])
    review = read_tsv(os.path.join(HERE, "review.tsv"), REVIEW_COLUMNS)
    for row in review:
        if row["verdict"] not in VERDICTS:
            raise SystemExit(f"review.tsv: verdict '{row['verdict']}' is not one of {', '.join(VERDICTS)}")
    must_find = read_tsv(os.path.join(HERE, "must-find.tsv"), MUST_FIND_COLUMNS)
    result = compare(findings, review, must_find)
    if args.command == "compare":
        print_comparison(result)
        return 0
    for finding in result["unjudged"]:
        if args.rule and finding["rule"] != args.rule:
            continue
        print("\t".join([finding["repo"], finding["rule"], finding["path"], finding["line"], finding["fingerprint"], "", ""]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
