# Sourced by the scripts: make sure .venv exists with what the calling script needs, then use it.
#   need=runtime  the package and its runtime dependencies only (scripts/demo)
#   need=dev      the package with its test and lint tools (default: test, lint, generate, ...)
# Needs only python3 (3.11+) and pip. Reinstalls when pyproject.toml changes. Concurrent first
# runs (./scripts/demo beside ./scripts/test) take turns on a lock instead of racing pip.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.venv"
python=${PYTHON:-python3}
need=${need:-dev}
stamp="$venv/.recallrai-installed"
want=$(sha256sum <"$root/pyproject.toml" | cut -d' ' -f1)

_venv_ready() {  # the stamp says "<level> <pyproject hash>"; dev includes runtime
  [ -x "$venv/bin/python" ] && [ -f "$stamp" ] || return 1
  read -r have_level have_hash <"$stamp" || return 1
  [ "$have_hash" = "$want" ] && { [ "$have_level" = dev ] || [ "$have_level" = "$need" ]; }
}

if ! _venv_ready; then
  exec 9>"$root/.venv.lock"
  command -v flock >/dev/null && flock 9
  if ! _venv_ready; then  # another script may have finished the install while we waited
    # A venv without its own pip is made in a fraction of the time; the outer pip fills it.
    outer_pip=no
    "$python" -m pip --version >/dev/null 2>&1 && outer_pip=yes
    if [ ! -x "$venv/bin/python" ]; then
      echo "Creating $venv ..." >&2
      if [ $outer_pip = yes ]; then "$python" -m venv --without-pip "$venv"; else "$python" -m venv "$venv"; fi
    fi
    if "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
      pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
    else
      pip=("$python" -m pip --python "$venv/bin/python" install --quiet --disable-pip-version-check)
    fi
    if [ "$need" = dev ]; then
      echo "Installing recallrai with its dev tools into $venv ..." >&2
      "${pip[@]}" --upgrade pip >&2  # the tests build wheels with the venv's own pip
      "${pip[@]}" -e "$root[dev]" >&2
    else
      echo "Installing recallrai (runtime dependencies only) into $venv ..." >&2
      "${pip[@]}" -e "$root" >&2
    fi
    echo "$need $want" >"$stamp"
  fi
  exec 9>&-
fi
unset -f _venv_ready
export PATH="$venv/bin:$PATH"
export VIRTUAL_ENV="$venv"
