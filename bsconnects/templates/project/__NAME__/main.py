"""The integration: ``main(integration)`` registers what happens on each b+s Connects event.

- Screen pop: when an incoming call connects, open the CRM session with the caller's number and
  the account number the IVR put in the call variable ``account`` (the agent's own dials have
  no caller to look up).
- Dial rules: a dial to a 0900 number is blocked (the agent sees why); any other number is
  dialled in its normalised form (see ``dial_rules``).
- After the last call the agent goes NotReady with the reason code "After Call Work".
- Log lines of this package go into the b+s Connects log (writeLog).

Side effects (sessions, alerts, state changes) happen in the primary browser tab only: every tab
of the agent runs this integration and gets the same events.
"""

from __future__ import annotations

import logging

from integration.sdk import AgentState, BeforeDial, Direction, Integration, ReasonType, Workitem

from .dial_rules import is_blocked, normalise

logger = logging.getLogger(__name__)

CHANNEL = "voice"
SESSION_TEMPLATE = "incoming_call"
"""The unique name of the Dynamics 365 session template the screen pop opens."""
ACCOUNT_VARIABLE = "account"
"""The call variable (ctiData key) holding the caller's account number."""
AFTER_CALL_REASON = "After Call Work"
"""The label of the NotReady reason code set after the last call."""


def main(integration: Integration) -> None:
    """Register the handlers; the toolkit starts the integration once this returns."""
    integration.forward_logging(logging.getLogger(__package__))
    client = integration.client

    @integration.on_workitem_connect
    async def screen_pop(item: Workitem) -> None:
        if item.direction == Direction.OUTGOING or not await client.is_primary_tab():
            return
        account = str(item.cti_data.get(ACCOUNT_VARIABLE, ""))
        logger.info("screen pop for call %s: account %r", item.id, account)
        await client.create_session(SESSION_TEMPLATE, {"ani": item.ani, "account": account})

    @integration.on_before_dial
    async def dial_rules(event: BeforeDial) -> None:
        dialled = event.dialed_number or ""
        if is_blocked(dialled):
            integration.send_decision(event, "block")  # the agent is waiting: decide first
            logger.info("blocked a dial to %s (premium rate)", dialled)
            if await client.is_primary_tab():
                await client.show_error(f"{dialled} is a premium-rate number and cannot be dialled.", "Call blocked")
            return
        number = normalise(dialled)
        integration.send_decision(event, "dial", channel_id=CHANNEL, address=number)
        logger.info("dialling %s as %s", dialled, number)

    @integration.on_workitem_end
    async def after_call(item: Workitem) -> None:
        if integration.state.open_workitems() or not await client.is_primary_tab():
            return  # another call is still open, or another tab does it
        codes = await client.get_reason_code_list(CHANNEL, ReasonType.NOT_READY)
        reason = next((code.id for code in codes if code.label == AFTER_CALL_REASON), None)
        if reason is None:
            logger.error("no NotReady reason code %r: the agent's state is left as it is", AFTER_CALL_REASON)
            return
        await client.set_agent_state(CHANNEL, AgentState.NOT_READY, reason)
        logger.info("agent NotReady (%s) after the last call", AFTER_CALL_REASON)

    logger.info("__NAME__ started: screen pop, dial rules, after-call state")
