"""Rewrite the `[files]` table of pyscript.toml from the modules under integration/.

Why: PyScript copies into the worker's file system only the files listed there, so a module added
to integration/ but not listed would be missing in the browser only (CPython tests would not see
it). tests/unit/test_page_config.py fails when the list is stale; this command fixes it.
Usage: `python -m tools.sync_files`.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyscript.toml"
ENTRY = "integration/worker_main.py"  # loaded by URL as the worker's script, not as a module file


def shipped_modules() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT)) for path in (ROOT / "integration").rglob("*")
        if path.suffix in (".py", ".typed") and "__pycache__" not in path.parts and str(path.relative_to(ROOT)) != ENTRY
    )


def main() -> None:
    text = CONFIG.read_text()
    head = text.split("[files]")[0].rstrip() + "\n\n[files]\n"
    rows = "".join(f'"./{module}" = "./{module}"\n' for module in shipped_modules())
    CONFIG.write_text(head + rows)
    print(f"pyscript.toml: {len(shipped_modules())} files listed")


if __name__ == "__main__":
    main()
