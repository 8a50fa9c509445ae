"""``Shared``: an attribute of ``FakeConnects`` that one of its parts keeps.

The fake is built from small parts (desk, calls, answers, outbox), yet tests read and set its
picture as plain attributes (``fake.state = AgentState.LOGOUT``, ``fake.fail["showInfo"] = ...``):
each such attribute reads and writes the part's field of the same name.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class Shared(Generic[T]):
    """A data descriptor forwarding one attribute to the part stored in the attribute ``part``."""

    def __init__(self, part: str) -> None:
        self._part = part
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Shared[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        return getattr(getattr(instance, self._part), self._name)

    def __set__(self, instance: object, value: T) -> None:
        setattr(getattr(instance, self._part), self._name, value)
