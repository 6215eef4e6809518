#!/usr/bin/env bash
# Benchmark of the app steps' no-change decision on a 10,000-file context (see README.md).
# Needs scripts/docker-up.sh and scripts/base-images.sh for the push verify() part.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B -pl actions -am verify -Dtest=AppNoChangeBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.out="$PWD/bench/app/last-run.txt" -DargLine=-Dbench.out="$PWD/bench/app/last-run.txt"
cat bench/app/last-run.txt
