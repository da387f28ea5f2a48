"""Tests of realcode.py: the comparison with the review, the weighting of precision, and
the checkout from a real git repository whose snapshot lacks a blob.

    python3 -m unittest discover -s Benchmarks/real-code
"""

import os
import subprocess
import tempfile
import unittest
from collections import Counter
from unittest import mock

import realcode


def finding(repo, rule, category, fingerprint, path="a.py", line="1"):
    return {
        "repo": repo, "rule": rule, "category": category, "path": path, "line": line,
        "fingerprint": fingerprint, "snippet": "",
    }


def verdict(repo, fingerprint, value, rule="r"):
    return {"repo": repo, "rule": rule, "path": "a.py", "line": "1", "fingerprint": fingerprint,
            "verdict": value, "reason": "x"}


class CompareTests(unittest.TestCase):
    def test_unjudged_false_reported_and_lost(self):
        findings = [finding("o/a", "sql", "sql-injection", f"f{i}") for i in range(3)]
        review = [
            verdict("o/a", "f0", "true"),
            verdict("o/a", "f1", "false"),
            verdict("o/a", "gone", "true"),  # no longer reported: lost
            verdict("o/a", "gone-false", "false"),  # no longer reported: fine
        ]
        result = realcode.compare(findings, review, [])
        self.assertEqual([f["fingerprint"] for f in result["unjudged"]], ["f2"])
        self.assertEqual([f["fingerprint"] for f in result["false_reported"]], ["f1"])
        self.assertEqual([r["fingerprint"] for r in result["lost"]], ["gone"])
        self.assertEqual(result["rules"]["sql"]["verdicts"], Counter({"true": 1, "false": 1}))
        self.assertEqual(result["precision"]["sql-injection"], 0.5)

    def test_a_verdict_follows_a_finding_whose_fingerprint_changed(self):
        review = [verdict("o/a", "old", "true", rule="sql"), verdict("o/a", "old-file", "fixture", rule="env")]
        review[1]["path"] = ".env"
        moved = finding("o/a", "sql", "sql-injection", "new")  # same place, new fingerprint
        reread = finding("o/a", "env", "secret-file", "newer", path=".env", line="7")  # same file
        elsewhere = finding("o/a", "env", "secret", "x", path=".env", line="7")  # not a file rule
        result = realcode.compare([moved, reread, elsewhere], review, [])
        self.assertEqual([f["fingerprint"] for f in result["unjudged"]], ["x"])
        self.assertEqual(result["lost"], [])

    def test_a_shifted_fingerprint_does_not_carry_another_places_verdict(self):
        # Three occurrences of one text; the first (judged false) is gone, so the second
        # now has the first's fingerprint and the third the second's.
        review = [verdict("o/a", "fp0", "false"), verdict("o/a", "fp1", "true"), verdict("o/a", "fp2", "true")]
        for row, line in zip(review, ["35", "54", "69"]):
            row["line"] = line
        second = finding("o/a", "r", "cors", "fp0", line="54")
        third = finding("o/a", "r", "cors", "fp1", line="69")
        result = realcode.compare([second, third], review, [])
        self.assertEqual(result["rules"]["r"]["verdicts"], Counter({"true": 2}))
        self.assertEqual(result["lost"], [])
        # Code that moved keeps its verdict by fingerprint.
        moved = finding("o/a", "r", "cors", "fp1", line="80")
        self.assertEqual(realcode.compare([moved], review, [])["rules"]["r"]["verdicts"], Counter({"true": 1}))

    def test_a_judgement_belongs_to_its_repository(self):
        findings = [finding("o/a", "sql", "sql-injection", "same")]
        result = realcode.compare(findings, [verdict("o/b", "same", "true")], [])
        self.assertEqual(len(result["unjudged"]), 1)
        self.assertEqual(result["precision"]["sql-injection"], None)

    def test_the_sample_is_fixed_and_capped(self):
        findings = [finding("o/a", "big", "secret", f"f{i}") for i in range(80)]
        first = realcode.compare(findings, [], [], sample_size=50)["unjudged"]
        again = realcode.compare(list(reversed(findings)), [], [], sample_size=50)["unjudged"]
        self.assertEqual(len(first), 50)
        self.assertEqual([f["fingerprint"] for f in first], [f["fingerprint"] for f in again])

    def test_precision_weights_each_rule_by_its_findings(self):
        # Rule a: 100 findings, sample all good. Rule b: 10 findings, sample all false.
        rules = {
            "a": {"category": "secret", "count": 100, "verdicts": Counter({"true": 5, "fixture": 5})},
            "b": {"category": "secret", "count": 10, "verdicts": Counter({"false": 4})},
            "u": {"category": "unwrap", "count": 4, "verdicts": Counter({"true": 3, "fixture": 1})},
        }
        value = realcode.precision(rules)
        self.assertAlmostEqual(value["secret"], 100 / 110)
        # A fixture is good for secrets only: for unwrap it counts against.
        self.assertAlmostEqual(value["unwrap"], 0.75)

    def test_must_find_matches_category_file_and_nearby_line(self):
        flaw = {"repo": "o/a", "path": "app.js", "line": "10", "category": "sql-injection", "source": "docs"}
        near = finding("o/a", "sql", "sql-injection", "x", path="app.js", line="12")
        far = finding("o/a", "sql", "sql-injection", "x", path="app.js", line="13")
        other = finding("o/a", "cors", "cors", "x", path="app.js", line="10")
        self.assertTrue(realcode.must_match(flaw, near))
        self.assertFalse(realcode.must_match(flaw, far))
        self.assertFalse(realcode.must_match(flaw, other))
        result = realcode.compare([far, other], [], [flaw])
        self.assertEqual(result["must_find_missed"], [flaw])


class TSVTests(unittest.TestCase):
    def test_a_row_with_the_wrong_number_of_fields_is_an_error_with_its_line(self):
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
            handle.write("# comment\na\tb\n\na\tb\tc\n")
        try:
            with self.assertRaises(SystemExit) as raised:
                realcode.read_tsv(handle.name, ["x", "y"])
            self.assertIn(":4:", str(raised.exception))
        finally:
            os.unlink(handle.name)


class CheckoutTests(unittest.TestCase):
    def git(self, *args, cwd):
        return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()

    def test_a_blob_the_snapshot_lacks_is_reported_and_the_rest_written(self):
        with tempfile.TemporaryDirectory() as work:
            source = os.path.join(work, "src")
            os.makedirs(os.path.join(source, "dir"))
            self.git("init", "-q", cwd=source)
            with open(os.path.join(source, "dir", "kept.txt"), "w") as handle:
                handle.write("kept\n")
            with open(os.path.join(source, "big.bin"), "w") as handle:
                handle.write("pretend this is over 4 MiB\n")
            os.symlink("dir/kept.txt", os.path.join(source, "link"))
            self.git("add", ".", cwd=source)
            self.git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c", cwd=source)
            commit = self.git("rev-parse", "HEAD", cwd=source)
            big = self.git("rev-parse", "HEAD:big.bin", cwd=source)
            os.unlink(os.path.join(source, ".git", "objects", big[:2], big[2:]))
            mirrors = os.path.join(work, "mirrors")
            os.makedirs(os.path.join(mirrors, "o+r"))
            os.symlink(os.path.join(source, ".git"), os.path.join(mirrors, "o+r", "repo"))
            with mock.patch.object(realcode, "MIRRORS", mirrors), mock.patch.object(realcode, "WORK", work):
                missing = realcode.checkout("o/r", commit)
                target = realcode.checkout_dir("o/r")
                self.assertEqual(missing, ["big.bin"])
                with open(os.path.join(target, "dir", "kept.txt")) as handle:
                    self.assertEqual(handle.read(), "kept\n")
                self.assertEqual(os.readlink(os.path.join(target, "link")), "dir/kept.txt")
                self.assertFalse(os.path.exists(os.path.join(target, "big.bin")))
                # A second run with the same commit keeps the checkout as it is.
                self.assertEqual(realcode.checkout("o/r", commit), [])


if __name__ == "__main__":
    unittest.main()
