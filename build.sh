#!/usr/bin/env bash
# flaglight build script. Each subcommand installs what is missing (and skips
# what is already there), then does its job.
#
#   ./build.sh            build: Wasm engine, dist/chrome, dist/firefox, native CLI
#   ./build.sh demo       build, then highlight examples/feed.html in headless Chromium -> demo.png
#   ./build.sh test       fmt, clippy, cargo test, build, lint, end-to-end tests, web-ext lint
#   ./build.sh package    build, then dist/flaglight-chrome.zip and dist/flaglight-firefox.zip
#   ./build.sh bench      build, then the engine and in-page benchmarks (figures, not pass/fail)
#   ./build.sh fuzz [S]   coverage-guided fuzzing (cargo fuzz, nightly): each target S seconds (default 60)
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$(pwd)

# The wasm-bindgen CLI must be the exact version the crate pins (Cargo.toml: wasm-bindgen = "=X").
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
FIREFOX=${FIREFOX:-/usr/bin/firefox-esr}

log() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2
    return 1
  fi
}

ensure_rust() {
  if [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
  fi
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup (https://rustup.rs)" >&2; exit 1; }
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  local have=""
  if command -v wasm-bindgen >/dev/null; then have=$(wasm-bindgen --version | awk '{print $2}'); fi
  if [ "$have" != "$WASM_BINDGEN_VERSION" ]; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (have: ${have:-none}; takes several minutes)"
    # Not --locked: a locked dependency version is not served by the registry here.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

ensure_node() {
  command -v node >/dev/null || { echo "node not found: install Node.js 20 or later" >&2; exit 1; }
  # npm ci only when the lockfile changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

ensure_chromium() {
  if [ ! -x "$CHROMIUM" ]; then
    log "installing Debian's chromium"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
  fi
  # The UI-language tests start Chromium with --lang=ru and --lang=ar: without
  # its locale files Chromium runs in en-US whatever --lang says.
  if [ "$CHROMIUM" = /usr/bin/chromium ] && [ ! -f /usr/lib/chromium/locales/ru.pak ]; then
    log "installing Debian's chromium-l10n (locales for the ru/ar UI tests)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium-l10n
  fi
}

ensure_firefox() {
  if [ ! -x "$FIREFOX" ]; then
    log "installing Debian's firefox-esr (for the Firefox end-to-end check)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends firefox-esr
  fi
  # Russian and Arabic language packs, for the Firefox UI-language check.
  if [ "$FIREFOX" = /usr/bin/firefox-esr ] && { [ ! -f /usr/lib/firefox-esr/browser/extensions/langpack-ru@firefox-esr.mozilla.org.xpi ] ||
    [ ! -f /usr/lib/firefox-esr/browser/extensions/langpack-ar@firefox-esr.mozilla.org.xpi ]; }; then
    log "installing Debian's firefox-esr-l10n-ru and -ar (for the Firefox UI-language check)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends firefox-esr-l10n-ru firefox-esr-l10n-ar
  fi
}

# The Python tools the evidence-package tests check WACZ files with (Webrecorder's
# `wacz validate` and warcio), in a venv under target/ (no system packages touched).
PYENV="$ROOT/target/pyenv"
ensure_python_tools() {
  command -v python3 >/dev/null || { echo "python3 not found: install Python 3.9 or later" >&2; exit 1; }
  if [ ! -x "$PYENV/bin/wacz" ] || ! "$PYENV/bin/python" -c 'import warcio' 2>/dev/null; then
    log "installing the Python WACZ tools (wacz, warcio) in target/pyenv"
    if [ ! -x "$PYENV/bin/python" ]; then
      python3 -m venv "$PYENV" 2>/dev/null || {
        as_root apt-get update
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-venv
        python3 -m venv "$PYENV"
      }
    fi
    "$PYENV/bin/pip" install --quiet --disable-pip-version-check wacz warcio
  fi
}

build_wasm() {
  log "building the Wasm engine"
  cargo build --release --lib --target wasm32-unknown-unknown
  local wasm=target/wasm32-unknown-unknown/release/flaglight.wasm
  rm -rf extension/pkg
  wasm-bindgen --target web --no-typescript --out-dir extension/pkg "$wasm"
  local raw gz
  raw=$(stat -c %s extension/pkg/flaglight_bg.wasm)
  gz=$(gzip -9 -c extension/pkg/flaglight_bg.wasm | wc -c)
  echo "wasm: $raw bytes, $gz gzipped"
}

build_all() {
  ensure_rust
  ensure_node
  build_wasm
  log "writing dist/chrome and dist/firefox"
  node tools/build-ext.mjs chrome firefox
  log "building the native CLI"
  cargo build --release --bin flaglight
  echo "cli: target/release/flaglight"
}

cmd_test() {
  ensure_rust
  ensure_node
  ensure_chromium
  ensure_firefox
  ensure_python_tools
  log "cargo fmt --check"
  cargo fmt --check
  log "cargo clippy"
  cargo clippy --all-targets -- -D warnings
  cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
  log "cargo test"
  mkdir -p target
  if ! cargo test --all-targets > target/cargo-test.log 2>&1; then
    cat target/cargo-test.log
    echo "cargo test failed" >&2
    exit 1
  fi
  if ! cargo test --doc >> target/cargo-test.log 2>&1; then
    cat target/cargo-test.log
    echo "doc tests failed" >&2
    exit 1
  fi
  grep -E '^(test result|     Running|   Doc-tests)' target/cargo-test.log
  awk '/^test result:/ {p+=$4; f+=$6; i+=$8} END {print "cargo test: "p" passed, "f" failed, "i" ignored"}' target/cargo-test.log

  build_all
  log "built-in packs: check-pack"
  # shellcheck disable=SC2046
  target/release/flaglight check-pack --no-builtin $(node -e "for (const f of require('./extension/packs/index.json').packs) console.log('extension/packs/' + f)")
  log "eslint"
  npx eslint extension tests/e2e tests/unit tools
  log "extension unit tests (node)"
  node --test --test-reporter=spec tests/unit/
  log "end-to-end tests (Chromium, dist/chrome)"
  CHROMIUM="$CHROMIUM" node --test --test-concurrency=1 --test-reporter=spec tests/e2e/
  log "end-to-end smoke test (Firefox ESR, dist/firefox)"
  FIREFOX="$FIREFOX" node --experimental-websocket tests/e2e/firefox-smoke.mjs
  log "Firefox ESR in Russian and Arabic (dist/firefox)"
  FIREFOX="$FIREFOX" node --experimental-websocket tests/e2e/firefox-i18n.mjs
  log "web-ext lint (dist/firefox)"
  npx web-ext lint --source-dir dist/firefox --self-hosted --warnings-as-errors
  log "all tests passed"
}

cmd_demo() {
  build_all
  ensure_chromium
  log "demo: examples/feed.html in headless Chromium with the extension"
  CHROMIUM="$CHROMIUM" node tools/demo.mjs
}

cmd_package() {
  build_all
  log "packaging"
  rm -f dist/flaglight-chrome.zip dist/flaglight-firefox.zip
  (cd dist/chrome && python3 -m zipfile -c ../flaglight-chrome.zip ./*)
  (cd dist/firefox && python3 -m zipfile -c ../flaglight-firefox.zip ./*)
  ls -l dist/*.zip
}

cmd_bench() {
  build_all
  ensure_chromium
  log "engine benchmark (native)"
  cargo bench --bench engine
  log "engine benchmark (Wasm in Node, same corpus)"
  node tools/bench-wasm.mjs
  log "preserving a 1 MB page (Chromium)"
  CHROMIUM="$CHROMIUM" node tools/bench-preserve.mjs
  log "start-up storage check (Chromium service worker)"
  CHROMIUM="$CHROMIUM" node tools/bench-storage.mjs
  if [ -f tools/bench-page.mjs ]; then
    log "in-page benchmark (Chromium)"
    CHROMIUM="$CHROMIUM" node tools/bench-page.mjs
  fi
  log "sightings store at scale (Chromium): 100k sightings of 20k identifiers"
  CHROMIUM="$CHROMIUM" node tools/bench-sightings.mjs
  log "findings panel on a 3,500-post feed (Chromium)"
  CHROMIUM="$CHROMIUM" node tools/bench-panel.mjs
}

ensure_fuzz() {
  ensure_rust
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
  command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
}

# Each target starts from its committed seeds (fuzz/corpus/T) plus what
# earlier runs found (target/fuzz-corpus/T, where new inputs are written);
# a crash or hang lands in fuzz/artifacts/T and fails the run.
cmd_fuzz() {
  local secs=${1:-60} t failed=0
  ensure_fuzz
  mkdir -p target
  : > target/fuzz-summary.txt
  for t in pack scan ids fold anchor model; do
    log "fuzz $t ($secs s)"
    mkdir -p "target/fuzz-corpus/$t"
    if ! (cd fuzz && cargo +nightly fuzz run "$t" "../target/fuzz-corpus/$t" "corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1) \
        > "target/fuzz-$t.log" 2>&1; then
      failed=1
      echo "fuzz $t: FAILED (see target/fuzz-$t.log and fuzz/artifacts/$t/)" | tee -a target/fuzz-summary.txt
      tail -30 "target/fuzz-$t.log"
      continue
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "target/fuzz-$t.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "target/fuzz-$t.log" | tail -1)
    echo "fuzz $t: ${execs:-?} executions in $secs s, $cov, no crash" | tee -a target/fuzz-summary.txt
  done
  return $failed
}

case "${1:-build}" in
  build) build_all ;;
  demo) cmd_demo ;;
  test) cmd_test ;;
  package) cmd_package ;;
  bench) cmd_bench ;;
  fuzz) cmd_fuzz "${2:-60}" ;;
  -h|--help|help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "unknown command: $1 (build, demo, test, package, bench, fuzz)" >&2; exit 2 ;;
esac
