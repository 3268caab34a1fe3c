# Sourced by every script: where builds and tools are cached (outside the clone, so fresh clones
# and CI reuse them) and how to reach them.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BRICKDESK_CACHE="${BRICKDESK_CACHE:-$HOME/.cache/brickdesk}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$BRICKDESK_CACHE/target}"
TOOLS_ROOT="$BRICKDESK_CACHE/tools"
export PATH="$TOOLS_ROOT/bin:$HOME/.cargo/bin:$PATH"
# Small debug info keeps links fast on 2 cores (also set in Cargo.toml profiles). Incremental
# compilation makes a local edit → build → test loop several times faster (README, Build times);
# CI builds every crate once per run, where incremental data only costs time and disk, so it is
# off there. Release builds (scripts/package) turn it off themselves.
if [[ "${CI:-}" == "true" ]]; then
  export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
else
  export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-1}"
fi
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
