"""setting2 — dial policy: ``block=premium_rate, +41900*; confirm=international, mobile``.

Why categories *and* patterns: number types (from phonenumbers' metadata) cover the usual
"no premium-rate calls" rules without maintaining number lists, while E.164 glob patterns cover
the site-specific exceptions (one expensive range, one country). Blocked wins over confirm; that
precedence lives in the decision code, this module only validates the lists.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationInfo, field_validator, model_validator

from ._errors import Invalid, show
from ._feature import FeatureConfig, canonical_word, parse_feature
from ._kv import split_list

__all__ = ["CATEGORIES", "DialPolicyConfig", "parse_dial_policy", "DIAL_POLICY_KEYS", "is_pattern"]

#: Every category name a rule may use (canonical snake_case spelling).
CATEGORIES: tuple[str, ...] = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "mobile",
    "fixed_line",
    "international",
    "invalid",
)
_BY_WORD = {canonical_word(name): name for name in CATEGORIES}
_PATTERN = re.compile(r"\+[0-9*?]+")
_EXPECTED = "one of " + ", ".join(CATEGORIES) + " or a pattern starting with + (digits, * and ?)"

DIAL_POLICY_KEYS = {"block": "block", "confirm": "confirm"}


def is_pattern(rule: str) -> bool:
    """Rules starting with ``+`` are glob patterns over the E.164 form; the rest are categories."""
    return rule.startswith("+")


def _rules(value: Any) -> tuple[str, ...]:
    items = split_list(value) if isinstance(value, str) else list(value or ())
    rules: list[str] = []
    bad: list[str] = []
    for item in items:
        if not isinstance(item, str):
            bad.append(show(item))
        elif item.startswith("+"):
            compact = item.replace(" ", "")  # "+41 900*" is as readable as "+41900*"
            if _PATTERN.fullmatch(compact):
                rules.append(compact)
            else:
                bad.append(item)
        elif canonical_word(item) in _BY_WORD:
            rules.append(_BY_WORD[canonical_word(item)])
        else:
            bad.append(item)
    if bad:
        noun = "category" if len(bad) == 1 else "categories"
        raise Invalid(f"unknown {noun}", ", ".join(bad), _EXPECTED)
    return tuple(dict.fromkeys(rules))  # duplicates are harmless: keep the first, keep the order


class DialPolicyConfig(FeatureConfig):
    """Which numbers are blocked and which need the agent's confirmation."""

    block: tuple[str, ...] = ()
    confirm: tuple[str, ...] = ()

    @field_validator("block", "confirm", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> tuple[str, ...]:
        return _rules(value)

    @model_validator(mode="after")
    def _international_needs_region(self, info: ValidationInfo) -> DialPolicyConfig:
        """``international`` compares with the home region, so setting1 must name one."""
        context = info.context or {}
        if "home_region" not in context or context["home_region"]:
            return self
        for key, rules in (("block", self.block), ("confirm", self.confirm)):
            if "international" in rules:
                why = "has an error" if context.get("numbering_failed") else "has no region"
                raise Invalid(
                    f'category "international" needs the home region, but setting1 {why}',
                    None,
                    "region=<two-letter code> in setting1",
                    key=key,
                )
        return self


def parse_dial_policy(text: str, home_region: str | None = None, numbering_failed: bool = False) -> DialPolicyConfig:
    """setting2 text -> config; ``home_region`` is setting1's region (for the ``international`` check)."""
    context = {"home_region": home_region, "numbering_failed": numbering_failed}
    return parse_feature("setting2", text, DialPolicyConfig, DIAL_POLICY_KEYS, context=context)
