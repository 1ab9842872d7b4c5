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

# The Lightning Web Component tests (Jest, @salesforce/sfdx-lwc-jest) add their counts to the same line.
jest_summary="$results/jest-summary.txt"
(cd infra/salesforce && SFP_JEST_SUMMARY="$PWD/../../$jest_summary" node node_modules/@salesforce/sfdx-lwc-jest/bin/sfdx-lwc-jest) || status=1
if [[ -s "$jest_summary" ]]; then
  read -r jest_passed jest_failed < "$jest_summary"
  passed=$((passed + jest_passed)); failed=$((failed + jest_failed))
else
  echo "Jest wrote no summary: counting the component tests as one failure" >&2
  failed=$((failed + 1)); status=1
fi

echo "$passed passed, $failed failed"
if [[ $status -eq 0 && $passed -eq 0 ]]; then status=1; fi
exit $status
