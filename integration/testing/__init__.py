"""The test kit: ``FakeConnects``, b+s Connects in-process, for an integration's unit tests.

A tool for the integrator's machine, never shipped to the browser (the bundler leaves this
package out). Typical use (docs/testing.md has more)::

    from integration.sdk import run
    from integration.testing import FakeConnects

    fake = FakeConnects()
    integration = await run(main, fake.transport)
    call_id = fake.incoming_call("+41441234567")
    fake.connect(call_id)
    await integration.idle()
    assert fake.sessions  # what main's handlers did

Public names
    FakeConnects      the fake host: raise events (incoming_call, connect, before_dial, error, ...),
                      read what the integration did (requests, sessions, infos, logs, alerts,
                      decisions), steer it (fail, silent, primary_tab, reason_codes, ...)
    RecordedRequest   one request the integration sent (id, name, args)
    Alert             one showError the integration displayed; ``fake.click`` presses its buttons
"""

from ._fake import FakeConnects
from ._records import Alert, RecordedRequest

__all__ = ["Alert", "FakeConnects", "RecordedRequest"]
