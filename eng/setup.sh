#!/usr/bin/env bash
# Installs what SfPredictor needs beyond the .NET SDK, idempotently, with downloads cached:
#   - ONNX Runtime 1.30.0 native library (from the npm package onnxruntime-node, extracted once)
#   - XGBoost 1.7.4 native library (Debian package libxgboost0)
#   - with --tests: Azurite (npm) and PostgreSQL (Debian) for the integration tests
# Cache: $SFP_CACHE, default ~/.cache/sfpredictor. Safe to run again; a second run downloads nothing.
set -euo pipefail

ORT_VERSION=1.30.0
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

# ONNX Runtime: the npm package ships the official Linux x64 build; only one file of it is kept.
ort_dir="$CACHE/onnxruntime-$ORT_VERSION"
if [[ ! -s "$ort_dir/libonnxruntime.so.1" ]]; then
  command -v npm >/dev/null || fail "npm is needed to fetch onnxruntime-node@$ORT_VERSION"
  mkdir -p "$CACHE/downloads" "$ort_dir"
  tgz="$CACHE/downloads/onnxruntime-node-$ORT_VERSION.tgz"
  if [[ ! -s "$tgz" ]]; then
    say "downloading onnxruntime-node@$ORT_VERSION (about 110 MB, once)"
    (cd "$CACHE/downloads" && npm pack "onnxruntime-node@$ORT_VERSION" --silent >/dev/null) \
      || fail "could not download onnxruntime-node@$ORT_VERSION from the npm registry"
  fi
  tmp=$(mktemp -d)
  tar -xzf "$tgz" -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1 \
    || { rm -f "$tgz"; fail "the cached $tgz was unreadable and has been removed; run setup again"; }
  mv "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$ort_dir/libonnxruntime.so.1"
  rm -rf "$tmp"
  say "ONNX Runtime $ORT_VERSION -> $ort_dir/libonnxruntime.so.1"
fi

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

# --- local org: jsforce 3 for the real-client test (tests/SfPredictor.LocalOrg.Tests/jsforce) ---
# Installed from its package-lock.json (jsforce pinned, undici held at 7 by npm overrides for Node 20)
# into the test folder's node_modules; again only when the lock file changes.
if $for_tests; then
  jsforce_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/SfPredictor.LocalOrg.Tests/jsforce"
  jsforce_lock=$(sha256sum "$jsforce_dir/package-lock.json" | cut -d' ' -f1)
  jsforce_stamp="$jsforce_dir/node_modules/.sfp-lock-sha256"
  if [[ ! -f "$jsforce_stamp" || "$(cat "$jsforce_stamp")" != "$jsforce_lock" ]]; then
    command -v npm >/dev/null || fail "npm is needed to install jsforce for the local org's client test"
    say "installing jsforce for the local org's client test"
    npm ci --prefix "$jsforce_dir" --prefer-offline --no-audit --no-fund --silent --cache "$CACHE/npm-cache" >/dev/null 2>&1 \
      || fail "could not install $jsforce_dir from the npm registry"
    echo "$jsforce_lock" >"$jsforce_stamp"
  fi
fi
# --- end local org: jsforce ---
