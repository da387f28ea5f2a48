#!/usr/bin/env python3
"""Writes a deterministic source tree for measuring vigil: many small files in many
languages, a few large ones, planted secrets at a known density, and some invalid
UTF-8. The same arguments always give the same bytes.

    python3 Benchmarks/generate-corpus.py OUT_DIR [--files N] [--seed S]
"""
import argparse
import os
import random
import zlib

LANGUAGES = {
    "py": "def handler_{n}(event):\n    value = event.get('{w}')\n    return value * {n}\n",
    "js": "export function handler{n}(req) {{\n  const v = req.query.{w};\n  return v + {n};\n}}\n",
    "go": "func Handler{n}(w http.ResponseWriter, r *http.Request) {{\n\tv := r.URL.Query().Get(\"{w}\")\n\t_ = v\n}}\n",
    "rs": "pub fn handler_{n}(input: &str) -> Result<usize, Error> {{\n    let v = input.parse::<usize>()?;\n    Ok(v + {n})\n}}\n",
    "java": "public int handler{n}(String {w}) {{\n    return {w}.length() + {n};\n}}\n",
    "yaml": "service_{n}:\n  name: {w}\n  replicas: {n}\n",
    "md": "## Section {n}\n\nThe {w} option controls how many items are kept.\n",
}
WORDS = ["alpha", "beta", "gamma", "delta", "limit", "offset", "region", "bucket", "user", "order"]
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def github_token(rng):
    """A token with GitHub's CRC32 checksum, so vigil takes it for real."""
    body = "".join(rng.choice(ALNUM) for _ in range(30))
    n = zlib.crc32(body.encode())
    digits = ""
    while n:
        digits = B62[n % 62] + digits
        n //= 62
    return "ghp_" + body + digits.rjust(6, "0")


def secret_line(rng):
    kind = rng.randrange(3)
    if kind == 0:
        return "AWS_KEY = '%s'\n" % ("AKIA" + "".join(rng.choice(BASE32) for _ in range(16)))
    if kind == 1:
        return "token = \"%s\"\n" % github_token(rng)
    return "db.execute(\"SELECT * FROM users WHERE id = \" + request.args[\"id\"])\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--secret-every", type=int, default=50, help="one planted finding per N files")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    planted = 0
    extensions = sorted(LANGUAGES)
    for index in range(args.files):
        directory = os.path.join(args.out, "pkg%02d" % (index % 40), "mod%03d" % (index % 300))
        os.makedirs(directory, exist_ok=True)
        extension = extensions[index % len(extensions)]
        body = [LANGUAGES[extension].format(n=n, w=rng.choice(WORDS)) for n in range(rng.randrange(5, 60))]
        if index % args.secret_every == 0:
            body.insert(rng.randrange(len(body) + 1), secret_line(rng))
            planted += 1
        data = "".join(body).encode()
        if index % 97 == 0:
            # Invalid UTF-8 on a line of its own at the start, so planted lines stay whole.
            data = b"# \xff\xfe invalid \xc3\x28 bytes\n" + data
        with open(os.path.join(directory, "file%05d.%s" % (index, extension)), "wb") as handle:
            handle.write(data)
    # A few large files: minified JavaScript, a big JSON document, a log.
    large = os.path.join(args.out, "large")
    os.makedirs(large, exist_ok=True)
    with open(os.path.join(large, "bundle.min.js"), "w") as handle:
        handle.write(";".join("var a%d=function(b){return b*%d}" % (n, n) for n in range(200000)))
    with open(os.path.join(large, "data.json"), "w") as handle:
        handle.write("[" + ",".join('{"id":%d,"name":"%s"}' % (n, rng.choice(WORDS)) for n in range(150000)) + "]")
    with open(os.path.join(large, "server.log"), "w") as handle:
        for n in range(100000):
            handle.write("2026-01-01T00:00:%02d INFO request %d served in %dms\n" % (n % 60, n, n % 900))
    print("wrote %d files with %d planted findings to %s" % (args.files, planted, args.out))


if __name__ == "__main__":
    main()
