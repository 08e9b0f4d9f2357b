#!/usr/bin/env bash
# Sets up everything the program needs on a fresh Debian/Ubuntu machine with Python 3.11:
# the system libraries Qt needs headless, a CJK TrueType font, poppler (PDF → PNG), and the Python packages
# in .venv. Usage: scripts/setup.sh [run|dev]   (dev also installs the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-run}"

# Qt's xcb platform (the GUI on an X11 desktop) loads these; `ldd` on PySide6's plugins/platforms/libqxcb.so and
# lib/libQt6XcbQpa.so.6 lists them (a bare Debian lacks libxcb-icccm4 and libxcb-keysyms1, and Qt then refuses to start).
# libcups2: Qt's print support plugin links it; without it the print dialog finds no printer.
# tests/packaging/test_setup_packages.py checks the list against what the Qt libraries and plugins link.
SYSTEM_PACKAGES=(libglib2.0-0 libegl1 libgl1 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3
  libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
  libxkbcommon-x11-0 libcups2
  fonts-wqy-microhei fonts-wqy-zenhei fonts-arphic-uming poppler-utils poppler-data)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "安装系统依赖：${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q >/dev/null
      apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "缺少系统软件包：${missing[*]}" >&2
      echo "请用管理员权限执行：sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
  fi
else
  echo "提示：不是 Debian/Ubuntu 系统，请自行安装 Qt 所需的系统库和一种中文 TrueType 字体。" >&2
fi

PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  echo "需要 Python 3.11（当前：$("$PY" --version 2>&1)）。请安装 Python 3.11，或用 PYTHON=/路径/python3.11 指定。" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv

REQ=requirements.txt
[ "$MODE" = "dev" ] && REQ=requirements-dev.txt
stamp=".venv/.installed-$(cat requirements.txt "$REQ" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$REQ"
  touch "$stamp"
fi
