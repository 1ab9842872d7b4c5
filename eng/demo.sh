#!/usr/bin/env bash
# The main job end to end on the built-in local org (see README): installs what it needs, then runs `sfp demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
eng/setup.sh
dotnet run --project src/SfPredictor.Cli -c Release -- demo "$@"
