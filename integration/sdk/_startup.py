"""How the Python running this integration started, as the worker start timed it.

One interpreter runs one integration, so this is a value of the process: the worker start
(integration/_worker_start.py) records it before it calls the entry, and the entry reads it as
``Integration.start_info`` (the reference integration shows it in the status panel). Outside the
browser nothing records it and it stays empty.
"""

from __future__ import annotations

_start_info = ""


def record_start_info(text: str) -> None:
    global _start_info
    _start_info = text


def start_info() -> str:
    return _start_info
