#!/usr/bin/env python3
"""Recall on Plazmaz/leaky-repo, a repository of credential files others annotated.

    python3 Benchmarks/leaky-repo.py VIGIL [--gitleaks PATH]

leaky-repo holds ~45 files of the kinds that leak (shell profiles, .netrc, .pgpass,
.s3cfg, wp-config.php, FileZilla and Firefox profiles, …) and `.leaky-meta/secrets.csv`,
its authors' count of the lines of "risk" in each. Written by others, it measures what
vigil's own examples cannot. The repository comes from its mirror
(`$VIGIL_MIRRORS/Plazmaz+leaky-repo/repo`, which the `fetch` tool writes), else from a
clone made with `--repository DIR`.

Prints, for vigil and (given its binary) gitleaks: the files with risk that got at least
one secret or secret-file finding, and the risk lines found, counting at most a file's
own number of risk lines per file (vigil reports a secret file once, however many lines
it holds), then the files each missed. Findings in files without risk are listed too.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

MIRRORS = os.environ.get("VIGIL_MIRRORS", "/work/.mirror")


def risk_lines(tree):
    """{path: number of risk lines} from the annotation file."""
    risk = {}
    with open(os.path.join(tree, ".leaky-meta", "secrets.csv")) as rows:
        for row in rows:
            fields = row.strip().split(",")
            if row.startswith("#") or len(fields) < 3 or not fields[1].isdigit():
                continue
            risk[fields[0]] = int(fields[1])
    return risk


def vigil_files(binary, tree):
    report = subprocess.run(
        [binary, "scan", "--no-ignore", "-q", "--format", "json", tree], capture_output=True, check=False
    )
    findings = json.loads(report.stdout)["findings"]
    return collections.Counter(f["path"] for f in findings if f["category"] in ("secret", "secret-file"))


def gitleaks_files(binary, tree):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [binary, "dir", tree, "--no-banner", "--log-level", "error", "--exit-code", "0",
             "--report-format", "json", "--report-path", out.name],
            check=False,
        )
        rows = json.load(open(out.name)) or []
    return collections.Counter(os.path.relpath(r["File"], tree) for r in rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vigil")
    parser.add_argument("--gitleaks")
    parser.add_argument("--repository", help="a clone of Plazmaz/leaky-repo (default: its mirror)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tree:
        if args.repository:
            source = ["git", "-C", args.repository, "archive", "HEAD"]
        else:
            mirror = os.path.join(MIRRORS, "Plazmaz+leaky-repo", "repo")
            if not os.path.isdir(mirror):
                sys.exit(f"no mirror at {mirror}: fetch github:Plazmaz/leaky-repo, or pass --repository")
            source = ["git", f"--git-dir={mirror}", "archive", "HEAD"]
        archive = subprocess.run(source, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        risk = risk_lines(tree)
        risky = [path for path, count in risk.items() if count > 0]
        tools = {"vigil": vigil_files(args.vigil, tree)}
        if args.gitleaks:
            tools["gitleaks"] = gitleaks_files(args.gitleaks, tree)
        print(f"leaky-repo: {len(risky)} files with {sum(risk.values())} lines of risk")
        for name, found in tools.items():
            files = sum(1 for path in risky if found[path] > 0)
            lines = sum(min(found[path], risk[path]) for path in risky)
            print(f"  {name:9} files {files:3}/{len(risky)}   risk lines {lines:3}/{sum(risk.values())}")
        for name, found in tools.items():
            missed = sorted(path for path in risky if found[path] == 0)
            print(f"{name} missed: {', '.join(missed) or 'none'}")
            extra = sorted(path for path in found if path not in risk)
            if extra:
                print(f"{name} also reported (not in the annotation): {', '.join(extra)}")


if __name__ == "__main__":
    main()
