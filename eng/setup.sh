#!/usr/bin/env bash
# Installs what SfPredictor needs beyond the .NET SDK, idempotently, with downloads cached:
#   - XGBoost 1.7.4 native library (Debian package libxgboost0)
#   - with --tests: Azurite (npm), PostgreSQL and Chromium (Debian) for the integration tests, and the
#     npm tools pinned in infra/salesforce (LWC Jest, metadata conversion) and the jsforce test client
# Cache: $SFP_CACHE, default ~/.cache/sfpredictor. Safe to run again; a second run downloads nothing.
set -euo pipefail

AZURITE_VERSION=3.37.0
CACHE="${SFP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sfpredictor}"
for_tests=false
[[ "${1:-}" == "--tests" ]] && for_tests=true

say() { printf 'setup: %s\n' "$*" >&2; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else fail "need root to run '$*' (install it by hand, or run setup as root)"; fi
}

apt_updated=false
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  command -v apt-get >/dev/null || fail "Debian packages ${missing[*]} are missing and apt-get is not available"
  say "installing Debian packages: ${missing[*]}"
  if ! $apt_updated; then as_root apt-get update -qq || fail "apt-get update failed; is the package mirror reachable?"; apt_updated=true; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed"
}

# ONNX Runtime needs no step here: the NuGet package Microsoft.ML.OnnxRuntime brings its Linux x64 library.

# XGBoost: Debian's build of 1.7.4 with its C API.
apt_install libxgboost0

if $for_tests; then
  apt_install postgresql
  azurite="$CACHE/npm/node_modules/.bin/azurite-blob"
  if [[ ! -x "$azurite" ]]; then
    say "installing azurite@$AZURITE_VERSION"
    mkdir -p "$CACHE/npm"
    npm install --prefix "$CACHE/npm" --no-audit --no-fund --silent "azurite@$AZURITE_VERSION" >/dev/null \
      || fail "could not install azurite@$AZURITE_VERSION from the npm registry"
  fi
fi

# npm folders pinned by their package-lock.json, installed with `npm ci` from npm's download cache in
# $CACHE/npm-cache; skipped while the installed tree matches the lock file.
npm_ci_locked() {
  local dir=$1 what=$2 lock stamp
  lock=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  stamp="$dir/node_modules/.sfp-package-lock.sha256"
  [[ "$(cat "$stamp" 2>/dev/null)" == "$lock" ]] && return 0
  command -v npm >/dev/null || fail "npm is needed for $what ($dir)"
  say "installing $what (npm ci in $dir)"
  (cd "$dir" && npm ci --cache "$CACHE/npm-cache" --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null) \
    || fail "npm ci in $dir failed; is the npm registry reachable?"
  echo "$lock" > "$stamp"
}

if $for_tests; then
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  # The score card's Jest tests, preview, metadata conversion; Debian's chromium takes the headless
  # screenshots (no browser download).
  apt_install chromium
  npm_ci_locked "$root/infra/salesforce" "the Salesforce UI tooling"
  # jsforce 3 for the local org's real-client test (undici held at 7 by npm overrides for Node 20).
  npm_ci_locked "$root/tests/SfPredictor.LocalOrg.Tests/jsforce" "jsforce for the local org's client test"
fi
