#!/usr/bin/env bash
# Install everything the tests need, then run every test. The README's test command and .ci/run
# both call this script, so what CI runs is what a developer runs.
#   Debian packages: chromium (the real browser for the SCORM end-to-end tests), nodejs + npm
#   (scorm-again, axe-core and playwright-core for the Moodle player from npm), python3-venv.  Python: this project + its [test] extras
#   in .venv.  npm: tests/e2e/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
# A real (non-editable) install: the tests also run the installed build-course from another folder.
.venv/bin/python -m pip install -q --force-reinstall --no-deps . >/dev/null
.venv/bin/python -m pip install -q ".[test]"
npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error

# Two workers (pytest-xdist), each test file whole on one of them and the files that drive the
# local Moodle together (tests/conftest.py); PYTEST_WORKERS=0 runs everything in this process.
set +e
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here." >&2
  exit 1
fi
exit "$status"
