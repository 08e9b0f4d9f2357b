"""scripts/setup.sh installs every Debian package whose library the Qt libraries and plugins of the GUI link
(the xcb platform, its GL integrations, print support, image formats, input method): on a bare Debian a missing
one stops the program at start (libxcb-icccm4, libxcb-keysyms1) or leaves it without printers (libcups2)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QT_PARTS = ["lib/libQt6Core.so.6", "lib/libQt6Gui.so.6", "lib/libQt6Widgets.so.6", "lib/libQt6Pdf.so.6",
            "lib/libQt6PdfWidgets.so.6", "lib/libQt6PrintSupport.so.6", "lib/libQt6DBus.so.6",
            "lib/libQt6XcbQpa.so.6", "lib/libQt6OpenGL.so.6", "plugins/platforms/libqxcb.so",
            "plugins/xcbglintegrations/*.so", "plugins/printsupport/*.so", "plugins/imageformats/*.so",
            "plugins/iconengines/*.so", "plugins/platforminputcontexts/libcompose*.so"]
BASE = {"libc6", "libstdc++6", "libgcc-s1", "zlib1g", "libzstd1"}  # in every Debian installation


def _setup_packages() -> set[str]:
    text = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    block = re.search(r"^SYSTEM_PACKAGES=\((.*?)\)", text, re.S | re.M)
    assert block, "scripts/setup.sh has no SYSTEM_PACKAGES"
    return set(block.group(1).split())


def _linked_packages() -> dict[str, str]:
    """soname → the Debian package that holds it, for every library the Qt parts name as NEEDED."""
    qt = Path(__import__("PySide6").__file__).parent / "Qt"
    needed: set[str] = set()
    for pattern in QT_PARTS:
        for f in qt.glob(pattern):
            out = subprocess.run(["readelf", "-d", str(f)], capture_output=True, text=True, check=True).stdout
            needed.update(re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out))
    paths = dict(re.findall(r"^\s*(\S+) \(libc6[^)]*\) => (\S+)$",
                            subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout, re.M))
    out = {}
    for soname in sorted(needed):
        if soname.startswith(("libQt6", "libicu", "ld-linux")) or soname not in paths:
            continue
        owner = subprocess.run(["dpkg", "-S", str(Path(paths[soname]).resolve())], capture_output=True, text=True)
        if owner.returncode == 0:
            out[soname] = owner.stdout.split(":")[0]
    return out


@pytest.mark.slow  # one dpkg -S per library (about 10 s)
@pytest.mark.skipif(not all(shutil.which(t) for t in ("readelf", "ldconfig", "dpkg")),
                    reason="needs a Debian/Ubuntu machine with binutils")
def test_setup_installs_every_package_the_gui_links():
    listed = _setup_packages()
    linked = _linked_packages()
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libcups2"} <= set(linked.values())  # what the check is about
    missing = {soname: pkg for soname, pkg in linked.items() if pkg not in listed | BASE}
    assert not missing, f"scripts/setup.sh SYSTEM_PACKAGES lacks {sorted(set(missing.values()))} ({sorted(missing)})"
