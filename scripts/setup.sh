#!/usr/bin/env bash
# Set up perfpack on this machine: LibreOffice (for the PDF), Chromium (for the tests of the
# HTML edition and `perfpack preview --open`) and a Python environment.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need_apt+=(python3-uno)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
# Liberation Sans has Arial's metrics, so the PDF breaks pages where Word does.
fc-list 2>/dev/null | grep -qi "Liberation Sans" || need_apt+=(fonts-liberation2)
if [ ${#need_apt[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing ${need_apt[*]} with apt-get …"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "note: install LibreOffice Writer and its Python UNO bridge for PDFs" \
         "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui python3-uno); use --no-pdf meanwhile." >&2
  fi
fi
# The tests open the HTML edition in a real headless Chromium (Playwright drives the system
# one). Best effort: a machine without it still builds packs, and the browser tests skip.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 \
   && ! command -v google-chrome >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo="sudo"; }
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; }; then
    echo "Installing chromium and chromium-driver with apt-get …"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends chromium chromium-driver >/dev/null \
      || echo "note: could not install Chromium; the browser tests will skip." >&2
  else
    echo "note: install Chromium (Debian/Ubuntu: apt-get install chromium) to run the browser tests;" \
         "they skip without it." >&2
  fi
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=.venv/.perfpack-installed
want=$(cat pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing perfpack and its Python packages into .venv …"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
  echo "$want" > "$stamp"
fi
# Byte-compile perfpack's own modules, as pip does for installed packages: an editable
# install is not compiled, and with PYTHONDONTWRITEBYTECODE set every build would
# compile ~12,000 lines again (about 0.4 s). Only changed files are recompiled.
.venv/bin/python -m compileall -q builder >/dev/null
