#!/usr/bin/env bash
# Sets up (packages, deps, build, images) and runs the whole test suite with Node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Lint first (eslint: layering, cycles, bug rules; prettier --check; tsc --noEmit): a broken rule fails CI before any test runs.
npm run -s lint
# Unit tests first (fast, no root needs), then the tests that start servers, kubectl and containers.
node --test --test-concurrency=2 --test-reporter=spec dist/test/
