#!/usr/bin/env bash
# The rarer check the test suite leaves out: the pre-commit framework installs this
# checkout's hook the way a user's first `pre-commit run` does, building vigil from
# source in release mode (about ten minutes on two cores), and the hook blocks a staged
# secret. The suite's own pre-commit test runs the same hook definition on the vigil
# already built.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import pre_commit' 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check pre-commit
VIGIL_PRE_COMMIT_FROM_SOURCE=1 swift test --filter preCommitFrameworkBuildsTheHookFromSource
