# Sourced by the other scripts: make .venv hold this project with the given extras, once.
# Reinstalls only when pyproject.toml changes, so repeated runs start at once.
ensure_venv() {
  local extras="$1"
  local python="${PYTHON:-python3}"
  local stamp=".venv/.installed-${extras:-base}"
  local want
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet --editable ".${extras:+[$extras]}"
    echo "$want" > "$stamp"
  fi
}
