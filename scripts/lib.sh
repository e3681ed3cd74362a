# Shared by scripts/run, scripts/test and scripts/bench: find or install every tool the build
# needs, saying what it does, and skipping whatever is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CARGO_LEPTOS_VERSION="0.3.11"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"

say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nrecheck: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  if is_root && command -v apt-get >/dev/null; then
    say "Installing $* with apt-get"
    [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ] || apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    die "please install $* (on Debian: sudo apt-get install $*), then run this again"
  fi
}

ensure_rust() {
  command -v rustup >/dev/null || die "rustup is missing: install it from https://rustup.rs, then run this again"
  if ! rustup run "$(toolchain_channel)" rustc --version >/dev/null 2>&1; then
    say "Installing the Rust toolchain pinned in rust-toolchain.toml ($(toolchain_channel), with the wasm target)"
    rustup toolchain install
  fi
}

toolchain_channel() { sed -n 's/^channel *= *"\(.*\)"/\1/p' "$ROOT/rust-toolchain.toml"; }

ensure_cargo_leptos() {
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 11 minutes on two cores, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
}

ensure_wasm_bindgen() {
  local wanted
  wanted="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
  [ -n "$wanted" ] || die "Cargo.lock names no wasm-bindgen version"
  if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wanted"; then
    say "Installing wasm-bindgen-cli $wanted, the version Cargo.lock uses (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$wanted"
  fi
}

ensure_node_packages() {
  command -v npm >/dev/null || apt_install nodejs npm
  local stamp="$ROOT/end2end/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT/end2end/package-lock.json" -nt "$stamp" ]; then
    say "Installing the npm packages in end2end/ (Playwright, axe, wasm-opt)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
}

ensure_chromium() {
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || apt_install chromium
}

# The browser tests read the PDFs Chromium prints with poppler's pdftotext.
ensure_pdftotext() {
  command -v pdftotext >/dev/null || apt_install poppler-utils
}

ensure_build_tools() {
  ensure_rust
  ensure_node_packages
  ensure_cargo_leptos
  ensure_wasm_bindgen
}

build_release() {
  say "Building Recheck (release: server and size-optimised wasm)"
  cargo leptos build --release
}

# The release binary and the built site, wherever the target folder is.
RECHECK_BIN="$CARGO_TARGET_DIR/release/recheck"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
