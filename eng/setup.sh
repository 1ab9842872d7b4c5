#!/usr/bin/env bash
# Installs what SfPredictor needs beyond the .NET SDK, idempotently, with downloads cached:
#   - XGBoost 1.7.4 native library (Debian package libxgboost0)
#   - with --tests: Azurite (npm) and PostgreSQL (Debian) for the integration tests
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

# --- Salesforce UI tooling: begin (score card Jest tests, preview, metadata conversion, page screenshots) ---
# npm packages pinned by infra/salesforce/package-lock.json, installed with `npm ci` into
# infra/salesforce/node_modules from npm's download cache in $CACHE/npm-cache; skipped while the installed
# tree matches the lock file. Debian's chromium takes the headless screenshots (no browser download).
if $for_tests; then
  apt_install chromium
  ui_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/infra/salesforce"
  ui_stamp="$ui_dir/node_modules/.sfp-package-lock.sha256"
  ui_lock=$(sha256sum "$ui_dir/package-lock.json" | cut -d' ' -f1)
  if [[ "$(cat "$ui_stamp" 2>/dev/null)" != "$ui_lock" ]]; then
    command -v npm >/dev/null || fail "npm is needed for the Salesforce UI tooling in infra/salesforce"
    say "installing the Salesforce UI tooling (npm ci in infra/salesforce)"
    (cd "$ui_dir" && npm ci --cache "$CACHE/npm-cache" --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null) \
      || fail "npm ci in infra/salesforce failed; is the npm registry reachable?"
    echo "$ui_lock" > "$ui_stamp"
  fi
fi
# --- Salesforce UI tooling: end ---
