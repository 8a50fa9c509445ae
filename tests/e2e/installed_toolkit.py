"""The toolkit as an integrator installs it: a wheel built from this checkout, in a virtual
environment of its own, with nothing of the checkout importable.

The wheel is built offline (``pip wheel --no-build-isolation``) from a copy of the checkout's
files (what git tracks, plus new files it does not ignore), so no earlier build's leftovers get
in. Its dependencies come from the test environment through a path file rather than from the
package index, which a test does not reach; the editable install living there is not loaded
(path files are read only in a site folder). The first ``serve`` or ``build`` would fetch the
runtime into the installed package; the runtime this checkout verified is linked there instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def source_files(root: Path = ROOT) -> list[str]:
    """The checkout's files as a clean checkout has them (no set-up output, no build leftovers)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                            capture_output=True, check=True).stdout.decode()
    return [name for name in listed.split("\0") if name and (root / name).is_file()]


def build_wheel(folder: Path) -> Path:
    """The toolkit's wheel, built in `folder` from a copy of the checkout."""
    source = folder / "source"
    for name in source_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", str(source), "-w", str(folder / "wheel")], check=True)
    [wheel] = (folder / "wheel").glob("bs_connects_pyscript-*.whl")
    return wheel


def install(folder: Path) -> Path:
    """A new virtual environment in `folder` with the toolkit installed from its wheel; its `bin`."""
    wheel = build_wheel(folder)
    env = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    python = env / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "toolkit-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
                   check=True)
    vendor = ROOT / "static" / "vendor"
    shutil.copytree(vendor, site / "bsconnects" / "_toolkit" / "static" / "vendor", copy_function=_link_or_copy)
    return env / "bin"


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copy2(source, target)
