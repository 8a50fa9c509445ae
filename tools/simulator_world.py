"""``GET /simulator/world.json``: the project's ``[simulator]`` section, as the simulator page reads it.

The page (static/simulator/panel.js) fetches it before it opens a tab and hands it to
``connectsSimulator.setWorld``, so the integration meets the customer's reason codes, agent,
channel, initial state and settings from its first request. The file is read on every request:
an edit to bsconnects.toml shows on the next page load, like an edit to the integration's code.
Only the keys the project sets are sent; the simulator keeps its defaults for the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bsconnects.project import ProjectError, load_project
from bsconnects.project_config import SimulatorConfig

PATH = "/simulator/world.json"
SETTING_KEYS = tuple(f"setting{n}" for n in range(1, 6))


def world_of(config: SimulatorConfig) -> dict[str, Any]:
    """The JSON the simulator's ``setWorld`` takes: camelCase, only what the config sets."""
    world: dict[str, Any] = {}
    if config.flavour is not None:
        world["flavour"] = config.flavour
    if config.channel_id is not None:
        world["channelId"] = config.channel_id
    if config.wrapup is not None:
        world["wrapupEnabled"] = config.wrapup
    if config.initial_state is not None:
        world["initialState"] = {"state": config.initial_state, "reasonLabel": _configured_label(config)}
    agent = config.agent.model_dump(exclude_none=True)
    if agent:
        world["agent"] = {_camel(key): value for key, value in agent.items()}
    if config.reason_codes:
        world["reasonCodes"] = {kind: [{"id": code.id, "label": code.label} for code in codes]
                                for kind, codes in config.reason_codes.items()}
    if config.settings is not None:
        given = {str(key): value for key, value in config.settings.items()}
        world["settings"] = {key: given.get(key, "") for key in SETTING_KEYS}
    return world


def _configured_label(config: SimulatorConfig) -> str:
    """initial-reason as the reason code spells it (the config matches labels case-insensitively)."""
    state = config.initial_state
    if config.initial_reason is None or state not in ("NotReady", "Logout"):
        return ""
    wanted = config.initial_reason.casefold()
    codes = config.reason_codes.get("NotReady" if state == "NotReady" else "Logout", [])
    return next(code.label for code in codes if code.label.casefold() == wanted)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def route(project_root: Path) -> Route:
    """The route serving ``project_root``'s world; a broken config answers 422 with the reason."""

    async def world(request: Request) -> Response:
        try:
            config = load_project(project_root).config.simulator
        except ProjectError as error:
            return JSONResponse({"error": str(error)}, status_code=422, headers={"Cache-Control": "no-store"})
        return JSONResponse(world_of(config), headers={"Cache-Control": "no-store"})

    return Route(PATH, world)
