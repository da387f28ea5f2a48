#!/usr/bin/env python3
"""History scans of real repositories: vigil against `git log -p` and gitleaks.

    python3 Benchmarks/history.py VIGIL REPO [REPO ...] [--rounds N] [--gitleaks PATH]

Each REPO is a git work tree (a clone of a mirror `fetch` brought). For each, in turn
and for N rounds (at least 3): `git log -p` over the same commits (the cost of the
patches a patch-based scanner reads), `vigil scan --history --no-cache`, the same scan
resumed from its cache (after one unrecorded run that writes it), and `gitleaks git`
when a gitleaks binary is given (`Benchmarks/compare.sh` installs one under
/tmp/vigil-bench/peers). Prints the medians of wall time and of peak memory summed over
the process and its children (git included), sampled every 20 ms, and the ratios the
performance issue sets targets for.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def tree_rss(pid):
    """Resident memory of `pid` and its descendants, in KiB."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            # Children spawned by any thread, not only the main one.
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
    return total


def run(command, cwd, env=None):
    """Wall seconds and peak tree RSS (MiB) of one run. The process is timed by waiting
    for it; a thread samples memory every 20 ms beside it, so the time is not rounded up
    to the sampling step (a 45 ms run read as 60 ms)."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    elapsed = time.monotonic() - started
    sampler.join()
    return elapsed, peak[0] / 1024


def main():
    arguments = sys.argv[1:]
    rounds = 3
    gitleaks = None
    if "--rounds" in arguments:
        index = arguments.index("--rounds")
        rounds = max(3, int(arguments[index + 1]))
        del arguments[index : index + 2]
    if "--gitleaks" in arguments:
        index = arguments.index("--gitleaks")
        gitleaks = arguments[index + 1]
        del arguments[index : index + 2]
    if len(arguments) < 2:
        sys.exit(__doc__)
    vigil, repositories = os.path.abspath(arguments[0]), arguments[1:]
    cache = tempfile.mkdtemp(prefix="vigil-history-cache-")
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    report = tempfile.mktemp(suffix=".json")
    for repository in repositories:
        commits = subprocess.run(
            ["git", "rev-list", "--count", "HEAD"], cwd=repository, capture_output=True, text=True
        ).stdout.strip()
        tools = {
            "git log -p": ["git", "log", "-p", "HEAD"],
            "vigil --history": [vigil, "scan", "--history", "--no-cache", "-q", "--format", "json", "-o", report],
            "vigil cached": [vigil, "scan", "--history", "-q", "--format", "json", "-o", report],
        }
        if gitleaks:
            tools["gitleaks git"] = [
                gitleaks, "git", "--no-banner", "--log-level", "error", "--exit-code", "0",
                "--report-format", "json", "--report-path", report, ".",
            ]
        run(tools["vigil cached"], repository, env)  # writes the cache
        results = {name: [] for name in tools}
        for _ in range(rounds):
            for name, command in tools.items():
                results[name].append(run(command, repository, env))
        print(f"\n{os.path.basename(os.path.abspath(repository))}: {commits} commits, medians of {rounds}")
        medians = {}
        for name, samples in results.items():
            wall = statistics.median(sample[0] for sample in samples)
            memory = statistics.median(sample[1] for sample in samples)
            medians[name] = wall
            print(f"  {name:16} {wall:7.2f} s  {memory:6.0f} MiB (with children)")
        print(f"  vigil / git log -p      {medians['vigil --history'] / medians['git log -p']:.2f}")
        print(f"  cached / full           {medians['vigil cached'] / medians['vigil --history']:.2f}")
        if gitleaks:
            print(f"  gitleaks / vigil        {medians['gitleaks git'] / medians['vigil --history']:.2f}")


if __name__ == "__main__":
    main()
