"""The test kit's earlier import path: it lives in ``integration.testing`` (never shipped to the browser)."""

from integration.testing import Alert, FakeConnects, RecordedRequest

__all__ = ["Alert", "FakeConnects", "RecordedRequest"]
