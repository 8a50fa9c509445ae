"""Where the toolkit's own files are, in a checkout and in an installed wheel alike.

A checkout (or an editable install of it) has the tools, serve.py, the page, the shim, the
simulator, runtime.lock.json and the runtime (static/vendor) at its root; an installed wheel has
them in ``bsconnects/_toolkit/`` (setup.py copies them there), laid out the same way. Everything
that reads one of those files starts from :data:`TOOLKIT_ROOT`, never from this package's parent.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
TOOLKIT_ROOT = _PACKAGE_DIR / "_toolkit" if (_PACKAGE_DIR / "_toolkit").is_dir() else _PACKAGE_DIR.parent
"""The folder holding the toolkit's own files."""
RUNTIME_LOCK = TOOLKIT_ROOT / "runtime.lock.json"
"""The pinned runtime's lock: the versions and hashes of every file the browser loads."""
