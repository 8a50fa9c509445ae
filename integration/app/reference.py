"""The reference integration: dial rules, primary-tab gating, screen pop, after-call state.

What a customer deploys, configured only through b+s Connects' settings 1–5 (docs/settings.md),
and what an integrator reads as the model for their own. The decisions live in the pure modules
of this package (``decide``, ``build_session_parameters``, ``resolve_reason``); this module only
wires them to the SDK's events and requests.

Rules that hold everywhere here:
- Side effects (dialling, sessions, state changes, alerts) happen in the primary tab only, and
  the question "am I primary?" is asked when the side effect happens, so a tab that becomes
  primary later takes over without a reload. Reading and logging happen in every tab.
- A bad setting disables its own feature only; its one precise message is logged as an error
  (writeLog Error) and shown once with showError in the primary tab.
- beforeDial is subscribed only when dial rules are configured (setting1 or setting2): while it
  is subscribed, the agent cannot dial without us.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections import deque
from typing import Any

import pydantic

from ..sdk import (
    Action,
    AgentState,
    BeforeDial,
    ConnectsError,
    EventName,
    Integration,
    ReasonType,
    Workitem,
    load_package,
    package_readable,
)
from ._after_call import ReasonCodeCache, resolve_reason
from ._after_call_settings import AfterCallState
from ._dial import DialAction, decide, rehearse
from ._screen_pop import ScreenPopMemory, build_session_parameters
from ._settings import SETTING_NAMES, Settings, load_settings

logger = logging.getLogger("integration.app")

CHANNEL = "voice"
PHONE_PACKAGE = "phonenumberslite"  # the Pyodide package of phonenumbers' region data
POP_MEMORY_KEY = "screen-pop-memory"
STATUS_EVERY_S = 0.5
LAST_EVENTS = 8
_LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


class ReferenceIntegration:
    """The reference integration's features (settings 1-5), bound to one :class:`Integration`."""

    def __init__(
        self, integration: Integration, settings: Settings, raw_settings: dict[str, str], settings_problem: str = ""
    ) -> None:
        self.integration = integration
        self.client = integration.client
        self.settings = settings
        self.raw_settings = raw_settings
        self.settings_problem = settings_problem
        """Why the settings could not be read at all (then every feature keeps its default), or ""."""
        self.reasons = ReasonCodeCache()
        self.popped = ScreenPopMemory()
        self.last_events: deque[str] = deque(maxlen=LAST_EVENTS)
        self.primary: bool | None = None
        self._status_due: asyncio.TimerHandle | None = None
        self._background: set[asyncio.Future[None]] = set()

    # ---- set-up ----------------------------------------------------------------------------
    @property
    def dial_rules_configured(self) -> bool:
        return bool(self.raw_settings.get("setting1", "").strip() or self.raw_settings.get("setting2", "").strip())

    def register(self) -> None:
        """Register the handlers the configuration asks for (before ``start``)."""
        if self.dial_rules_configured:
            self.integration.on(EventName.BEFORE_DIAL)(self.on_before_dial)
            # The dial rules read phonenumbers' region data: loaded right after start, not before.
            task = asyncio.ensure_future(self._load_phone_data())
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        trigger = self.settings.screen_pop.trigger_event if self.settings.screen_pop.enabled else None
        if trigger:
            self.integration.on(trigger)(self.on_screen_pop_trigger)
        if self.settings.after_call.enabled and self.settings.after_call.state is not AfterCallState.OFF:
            self.integration.on(EventName.WORKITEM_END)(self.on_workitem_end)
        for name in EventName:
            if name.is_known and name is not EventName.BEFORE_DIAL:
                self.integration.on(name)(self.note_event)

    async def restore(self) -> None:
        """Screen-pop memory from before a reload (kept by the shim in sessionStorage)."""
        try:
            context = await self.integration.wait_for_context(timeout=2.0)
        except TimeoutError:
            logger.warning("no context from the shim: screen-pop memory starts empty")
            return
        self.popped = ScreenPopMemory.from_json(context.storage.get(POP_MEMORY_KEY, "") or "")

    def configuration_errors(self) -> list[str]:
        """Settings that could not be read at all, then each bad setting: one line each."""
        problem = [self.settings_problem] if self.settings_problem else []
        return problem + self.settings.error_messages()

    async def report_setting_errors(self) -> None:
        """Each bad setting: one error line in b+s Connects' log, one alert in the primary tab.

        Settings that could not be read at all are reported the same way: read as empty, they
        would silently switch every feature off.
        """
        messages = self.configuration_errors()
        for message in messages:
            logger.error("configuration error: %s", message)
        if messages and await self.is_primary():
            for message in messages:
                consequence = ("Every feature keeps its safe default until the settings can be read"
                               if message == self.settings_problem
                               else "This feature is switched off until the setting is corrected")
                await self._quietly(self.client.show_error(f"{message}. {consequence}.",
                                                           "Integration configuration error"))

    # ---- gating ----------------------------------------------------------------------------
    async def is_primary(self) -> bool:
        """Asked at each side effect (never cached for a decision), so primary can move."""
        try:
            self.primary = bool(await self.client.is_primary_tab())
        except ConnectsError as exc:
            logger.warning("isPrimaryTab failed (%s): acting as a secondary tab", exc)
            self.primary = False
        return self.primary

    # ---- feature 1: dial rules ----------------------------------------------------------------
    async def _load_phone_data(self) -> None:
        await asyncio.sleep(0)  # let start() finish and say ready first
        try:
            await load_package(PHONE_PACKAGE)
        except Exception as exc:  # noqa: BLE001 - a beforeDial loads it again if it must
            logger.warning("loading %s failed (%s): the dial rules load it when they need it", PHONE_PACKAGE, exc)
            return
        rehearse(self.settings)  # the agent's first dial then finds the data loaded and the path warm

    async def on_before_dial(self, event: BeforeDial) -> None:
        # The agent is waiting and the watchdog counting: the decision never waits for the whole
        # wheel's download started with the integration (_load_phone_data), which only moves the
        # region data into memory (until then it is read by range); waiting for it, a beforeDial
        # that comes right after start would be dialled unchecked by the watchdog whenever the
        # download is slower than the watchdog. Only a package not installed at all is loaded
        # first; if that fails, the handler raises and the watchdog falls back.
        if not package_readable(PHONE_PACKAGE):
            await load_package(PHONE_PACKAGE)
        decision = decide(event.dialed_number or "", self.settings)
        # The agent is waiting: the decision goes out first, the log line and the panel after. The
        # shim dials only in the primary tab (asked at that moment), so no question is sent first.
        if decision.action is DialAction.DIAL:
            self.integration.send_decision(event, "dial", channel_id=CHANNEL, address=decision.number)
        else:
            self.integration.send_decision(event, "block")
        self._note(f"beforeDial {event.dialed_number} → {decision.action.value}")
        logger.info("beforeDial %s: %s %s (%s)", event.dialed_number, decision.action.value,
                    decision.number, decision.matched or decision.kind.value)
        if decision.action is DialAction.DIAL or not await self.is_primary():
            return  # an alert is shown by the primary tab's integration only
        if decision.action is DialAction.BLOCK:
            await self.client.show_error(decision.reason, "Call blocked")
            return
        number = decision.number

        async def confirmed() -> None:
            logger.info("agent confirmed dialling %s", number)
            await self.client.dial_or_consult(CHANNEL, number)

        await self.client.show_error(decision.reason, "Please confirm the call",
                                     confirm=Action("Dial", confirmed), dismiss=Action("Cancel"))

    # ---- feature 3: screen pop ----------------------------------------------------------------
    async def on_screen_pop_trigger(self, item: Workitem) -> None:
        config = self.settings.screen_pop
        if not config.template or not item.id or item.id in self.popped or not await self.is_primary():
            return
        self.popped.remember(item.id)
        self.integration.persist(POP_MEMORY_KEY, self.popped.to_json())
        parameters = build_session_parameters(item, config)
        logger.info("screen pop for work item %s: template %s %s", item.id, config.template, parameters)
        await self.client.create_session(config.template, parameters)

    # ---- feature 4: after-call state ------------------------------------------------------------
    async def on_workitem_end(self, item: Workitem) -> None:
        config = self.settings.after_call
        if not config.applies_to(item.classification) or not await self.is_primary():
            return
        channel = item.channel_id or CHANNEL
        if config.state is AfterCallState.READY:
            await self.client.set_agent_state(channel, AgentState.READY)
            return
        reason_id: Any = ""
        if config.reason:
            codes = await self.reasons.get_or_fetch(
                channel, ReasonType.NOT_READY.value,
                lambda: self.client.get_reason_code_list(channel, ReasonType.NOT_READY.value))
            resolution = resolve_reason(config.reason, codes, ReasonType.NOT_READY.value)
            if not resolution.ok:
                message = f"setting4: key \"reason\": {resolution.error}"
                logger.error("configuration error: %s", message)
                await self.client.show_error(f"{message}. No state was set after the call.",
                                             "Integration configuration error")
                return
            reason_id = resolution.reason_id
        await self.client.set_agent_state(channel, AgentState.NOT_READY, reason_id)

    # ---- feature 5: diagnostics -----------------------------------------------------------------
    def note_event(self, event: Any) -> None:
        identity = getattr(event, "id", None) or getattr(event, "new_state", None) or getattr(event, "message", "")
        self._note(f"{getattr(event, 'event', None) or type(event).__name__} {identity or ''}".strip())

    def _note(self, text: str) -> None:
        self.last_events.append(f"{time.strftime('%H:%M:%S')} {text}")
        self.schedule_status()

    def schedule_status(self) -> None:
        """At most one status message per half second, even in a burst of events."""
        if self._status_due is not None:
            return
        loop = asyncio.get_running_loop()
        self._status_due = loop.call_later(STATUS_EVERY_S, self.send_status)

    def send_status(self) -> None:
        self._status_due = None
        stats = self.integration.stats
        self.integration.send_status({
            "state": "ready",
            "runtime": f"Python {sys.version.split()[0]}, pydantic {pydantic.VERSION}",
            "start": self.integration.start_info or "not reported",
            "primary tab": {None: "not asked yet", True: "yes", False: "no"}[self.primary],
            "settings": [f"{name}: {self.raw_settings.get(name) or '(empty)'}" for name in SETTING_NAMES],
            "setting errors": self.configuration_errors() or "none",
            "dial rules": "on (beforeDial subscribed)" if self.dial_rules_configured else "off",
            "events": (f"{stats.events_received} received, {stats.events_dispatched} handled, "
                       f"{stats.events_invalid} invalid, {stats.events_dropped} dropped, "
                       f"{stats.handler_errors} handler errors"),
            "last events": list(self.last_events),
        })

    async def _quietly(self, awaitable: Any) -> None:
        try:
            await awaitable
        except ConnectsError as exc:
            logger.warning("request failed: %s", exc)


async def main(integration: Integration) -> None:
    """The reference integration's entry (``entry = "integration.app.reference:main"`` in the
    toolkit's bsconnects.toml): started through ``integration.sdk.run`` like any integrator's."""
    await start_reference_integration(integration)



async def start_reference_integration(integration: Integration) -> ReferenceIntegration:
    """Read the settings, register what they ask for, start, and report configuration errors."""
    problem = ""
    try:
        custom = await integration.client.get_custom_settings()
        raw = {name: custom.mapping.get(name) or "" for name in SETTING_NAMES}
    except ConnectsError as exc:
        problem = str(exc)  # logged and shown with the setting errors, once logging reaches writeLog
        raw = {}
    settings = load_settings(raw)
    level = _LOG_LEVELS.get(settings.diagnostics.log_level.value, logging.INFO)
    logging.getLogger("integration").setLevel(level)
    integration.forward_logging(logging.getLogger("integration"), level=level)
    integration.configure_watchdog(settings.diagnostics.watchdog_ms, settings.diagnostics.fail_mode.value)

    app = ReferenceIntegration(integration, settings, {name: str(raw.get(name, "")) for name in SETTING_NAMES}, problem)
    app.register()
    await app.restore()
    await integration.start(channel_id=CHANNEL)
    await app.report_setting_errors()
    app.send_status()
    return app
