"""The files `bsconnects build` writes for the person deploying the folder: DEPLOY.md and
ready-made configurations for IIS, nginx and Azure Static Web Apps.

Each is rendered from bsconnects/deploy_rules.py, the same rules the end-to-end test's plain file
server applies, so the documented headers are the tested ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import azure, guide, iis, nginx


@dataclass(frozen=True)
class DeploySummary:
    """What DEPLOY.md says about this particular build."""

    entry: str
    snapshot: bool
    files: int
    cold_bytes: int
    cold_files: int
    revalidated: tuple[str, ...]


def render(summary: DeploySummary) -> dict[str, str]:
    """File name -> text of every deployment file."""
    return {
        "DEPLOY.md": guide.render(summary),
        "web.config": iis.render(),
        "nginx.conf": nginx.render(),
        "staticwebapp.config.json": azure.render(),
    }


__all__ = ["DeploySummary", "render"]
