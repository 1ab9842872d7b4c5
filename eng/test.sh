#!/usr/bin/env bash
# Runs every test: installs what the tests need (eng/setup.sh --tests), builds, runs all test
# projects, and ends with one line "N passed, N failed" summed from the test results.
set -uo pipefail
cd "$(dirname "$0")/.."
eng/setup.sh --tests || exit 1

results=artifacts/test-results
rm -rf "$results"
dotnet test SfPredictor.sln -c Release --logger trx --results-directory "$results" \
  --blame-hang-timeout 10m -- RunConfiguration.TreatNoTestsAsError=true
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
echo "$passed passed, $failed failed"
if [[ $status -eq 0 && $passed -eq 0 ]]; then status=1; fi
exit $status
