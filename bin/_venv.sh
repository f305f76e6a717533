# Shared by bin/demo and bin/test: create .venv when missing and install the
# pinned dependencies when pyproject.toml changed since the last install.
# Usage: . bin/_venv.sh EXTRAS   (e.g. "" or "dev,postgres,redis")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
EXTRAS="${1:-}"
PYTHON_BIN="${PYTHON:-$(command -v python3.11 || command -v python3)}"
PYTHON_BIN="$(command -v "$PYTHON_BIN")"

"$PYTHON_BIN" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"Tandem needs Python 3.11 or newer, found {sys.version.split()[0]}")
PY

if [ ! -x "$VENV/bin/python" ]; then
    echo "Creating $VENV with $PYTHON_BIN"
    if command -v uv >/dev/null 2>&1; then
        uv venv -q -p "$PYTHON_BIN" "$VENV"
    else
        "$PYTHON_BIN" -m venv "$VENV"
    fi
fi

SPEC="."
[ -n "$EXTRAS" ] && SPEC=".[$EXTRAS]"
STAMP="$VENV/.installed-${EXTRAS:-base}"
WANT="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    echo "Installing dependencies ($SPEC) into $VENV"
    if command -v uv >/dev/null 2>&1; then
        (cd "$ROOT" && uv pip install -q -p "$VENV/bin/python" -e "$SPEC")
    else
        "$VENV/bin/python" -m pip install -q --upgrade pip
        (cd "$ROOT" && "$VENV/bin/python" -m pip install -q -e "$SPEC")
    fi
    echo "$WANT" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
