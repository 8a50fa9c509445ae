"""load_settings: each of setting1..5 becomes a valid config or a precise error, independently."""

from __future__ import annotations

import pytest

from integration.app import (
    AfterCallState,
    FailMode,
    LogLevel,
    NumberFormat,
    PopTrigger,
    Settings,
    load_settings,
)


def errors_of(settings: Settings) -> list[str]:
    return settings.error_messages()


def test_empty_configuration_is_safe_defaults() -> None:
    """No settings at all: nothing blocked or confirmed, no pop, no after-call state, info, fail open."""
    settings = load_settings({})
    assert settings.ok
    assert settings.numbering.region is None and settings.numbering.number_format is NumberFormat.E164
    assert settings.numbering.outside_prefix == "" and settings.numbering.extension_max_digits == 6
    assert settings.dial_policy.block == () and settings.dial_policy.confirm == ()
    assert not settings.screen_pop.enabled and settings.screen_pop.trigger_event is None
    assert not settings.after_call.enabled
    assert settings.diagnostics.log_level is LogLevel.INFO
    assert settings.diagnostics.fail_mode is FailMode.OPEN
    assert settings.diagnostics.watchdog_ms == 3000


def test_none_and_empty_strings_are_defaults() -> None:
    """A setting that is null or "" in b+s Connects means all defaults for that feature."""
    assert load_settings({"setting1": None, "setting2": "", "setting3": "  "}) == load_settings({})


def test_all_five_settings_parse() -> None:
    """A full configuration is read into typed per-feature configs."""
    settings = load_settings(
        {
            "setting1": "region=ch; format=national; outsidePrefix=0; extensionMaxDigits=4",
            "setting2": "block=premium_rate, shared_cost, +41900*; confirm=international, mobile",
            "setting3": "on=connect; template=Incoming call; param.caseNo=ctiData.CaseNo; param.src='CTI'",
            "setting4": "state=NotReady; reason=After Call Work; classifications=Customer, Transfer",
            "setting5": "log=debug; failMode=closed; watchdogMs=1500",
        }
    )
    assert errors_of(settings) == []
    assert settings.numbering.region == "CH"
    assert settings.numbering.number_format is NumberFormat.NATIONAL
    assert settings.numbering.outside_prefix == "0"
    assert settings.numbering.extension_max_digits == 4
    assert settings.dial_policy.block == ("premium_rate", "shared_cost", "+41900*")
    assert settings.dial_policy.confirm == ("international", "mobile")
    assert settings.screen_pop.on is PopTrigger.CONNECT and settings.screen_pop.template == "Incoming call"
    assert [(p.name, p.source, p.literal) for p in settings.screen_pop.params] == [
        ("caseNo", "ctiData.CaseNo", False),
        ("src", "CTI", True),
    ]
    assert settings.after_call.state is AfterCallState.NOT_READY
    assert settings.after_call.reason == "After Call Work"
    assert settings.after_call.classifications == ("Customer", "Transfer")
    assert settings.diagnostics.log_level is LogLevel.DEBUG
    assert settings.diagnostics.fail_mode is FailMode.CLOSED
    assert settings.diagnostics.watchdog_ms == 1500


def test_bad_setting_disables_only_its_feature() -> None:
    """A typo in setting2 disables the dial policy; the other features keep their configuration."""
    settings = load_settings(
        {"setting1": "region=CH", "setting2": "block=premum_rate", "setting5": "failMode=closed"}
    )
    assert errors_of(settings) == [
        'setting2: key "block": unknown category "premum_rate" (expected one of premium_rate, toll_free, '
        "shared_cost, voip, personal_number, pager, uan, voicemail, mobile, fixed_line, international, "
        "invalid or a pattern starting with + (digits, * and ?))"
    ]
    assert not settings.dial_policy.ok and settings.dial_policy.block == ()
    assert settings.numbering.ok and settings.numbering.region == "CH"
    assert settings.diagnostics.fail_mode is FailMode.CLOSED


def test_error_fields_name_setting_key_found_and_expected() -> None:
    """Each error carries the setting, the key, what was found and what was expected."""
    (error,) = load_settings({"setting5": "watchdogMs=100"}).errors
    assert (error.setting, error.key, error.found) == ("setting5", "watchdogMs", "100")
    assert error.expected == "a whole number of milliseconds from 500 to 30000"
    assert str(error) == (
        'setting5: key "watchdogMs": out of range: "100" (expected a whole number of milliseconds from 500 to 30000)'
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"setting1": "regoin=CH"}, 'setting1: key "regoin": unknown key (expected one of region, format, '
         "outsidePrefix, extensionMaxDigits)"),
        ({"setting1": "region=CHE"}, 'setting1: key "region": unknown region "CHE" (expected a two-letter '
         "country code such as CH, DE, US or GB)"),
        ({"setting1": "format=NATIONAL"}, 'setting1: key "format": NATIONAL needs a home region '
         "(expected region=<two-letter code> in setting1, or format=E164)"),
        ({"setting1": "region=US; outsidePrefix=9"}, 'setting1: key "outsidePrefix": cannot go in front of a '
         '+number (format is E164); found "9" (expected format=NATIONAL or format=INTERNATIONAL together '
         "with outsidePrefix)"),
        ({"setting1": "region=CH; format=local"}, 'setting1: key "format": unknown format "local" (expected '
         "one of E164, INTERNATIONAL, NATIONAL, AS_TYPED)"),
        ({"setting1": "extensionMaxDigits=many"}, 'setting1: key "extensionMaxDigits": not a whole number: '
         '"many" (expected a whole number from 0 to 15)'),
        ({"setting2": "confirm=international"}, 'setting2: key "confirm": category "international" needs the '
         "home region, but setting1 has no region (expected region=<two-letter code> in setting1)"),
        ({"setting3": "on=connect"}, 'setting3: key "template": is missing (expected a session template name '
         "when on=connect)"),
        ({"setting3": "template=T; param.x=anni"}, 'setting3: key "param.x": unknown source "anni" (expected '
         "one of ani, id, direction, classification, agentId, channelId, associatedParticipant.id, "
         "associatedParticipant.name, associatedParticipant.recordType, activity.id, activity.recordType, "
         "ctiData.<variable> or a literal in quotes)"),
        ({"setting3": "templte=T"}, 'setting3: key "templte": unknown key (expected one of on, template or '
         "param.<name>)"),
        ({"setting4": "state=Busy"}, 'setting4: key "state": unknown state "Busy" (expected one of off, Ready, '
         "NotReady)"),
        ({"setting4": "state=Ready; reason=Lunch"}, 'setting4: key "reason": only applies to state=NotReady, '
         'not Ready; found "Lunch" (expected no reason with state=Ready)'),
        ({"setting5": "log=verbose"}, 'setting5: key "log": unknown log level "verbose" (expected one of debug, '
         "info, warning, error)"),
        ({"setting5": "failMode=maybe"}, 'setting5: key "failMode": unknown fail mode "maybe" (expected one of '
         "open, closed)"),
        ({"setting5": "watchdogMs=3s"}, 'setting5: key "watchdogMs": not a whole number: "3s" (expected a '
         "whole number of milliseconds from 500 to 30000)"),
    ],
)
def test_precise_messages(raw: dict[str, str], message: str) -> None:
    """Each kind of mistake yields exactly one message naming setting, key, finding and expectation."""
    assert errors_of(load_settings(raw)) == [message]


def test_every_mistake_in_a_setting_is_reported() -> None:
    """Several independent mistakes in one setting are all reported, not just the first."""
    settings = load_settings({"setting3": "template=T; param.a=foo; param.b=bar; colour=red"})
    assert [(error.key, error.found) for error in settings.errors] == [
        ("colour", None),
        ("param.a", "foo"),
        ("param.b", "bar"),
    ]
    assert not settings.screen_pop.enabled


def test_international_reports_broken_setting1() -> None:
    """When setting1 itself is broken, the international check says so instead of "no region"."""
    settings = load_settings({"setting1": "region=XX", "setting2": "confirm=international"})
    assert [error.setting for error in settings.errors] == ["setting1", "setting2"]
    assert "setting1 has an error" in str(settings.errors[1])


def test_keys_and_enum_values_are_case_insensitive() -> None:
    """Keys and word values ignore case (and _ - in values); call variable names keep theirs."""
    settings = load_settings(
        {
            "setting1": "REGION=de; Format=As_Typed",
            "setting3": "ON=Create; Template=T; PARAM.caseNo=CTIDATA.CaseNo",
            "setting4": "State=not-ready",
            "setting5": "LOG=Warning; FAILMODE=Closed",
        }
    )
    assert errors_of(settings) == []
    assert settings.numbering.number_format is NumberFormat.AS_TYPED
    assert settings.screen_pop.trigger_event == "workitemCreate"
    assert settings.screen_pop.params[0].source == "ctiData.CaseNo"
    assert settings.after_call.state is AfterCallState.NOT_READY


def test_template_alone_means_pop_on_connect() -> None:
    """Naming a template without on= pops on workitemConnect."""
    settings = load_settings({"setting3": "template=Incoming call"})
    assert settings.screen_pop.on is PopTrigger.CONNECT
    assert settings.screen_pop.trigger_event == "workitemConnect"


def test_off_keeps_parameters_without_template() -> None:
    """on=off switches the pop off without having to delete its parameters."""
    settings = load_settings({"setting3": "on=off; param.a=ani"})
    assert settings.ok and not settings.screen_pop.enabled


def test_not_ready_without_reason_is_allowed() -> None:
    """NotReady may go without a reason (setAgentState then gets an empty reason code)."""
    settings = load_settings({"setting4": "state=NotReady"})
    assert settings.ok and settings.after_call.enabled and settings.after_call.reason is None


def test_key_value_list_shape_is_accepted() -> None:
    """getCustomSettings' array of {key, value} (either capitalisation) reads like a mapping."""
    as_list = load_settings([{"key": "setting1", "value": "region=CH"}, {"Key": "setting5", "Value": "log=error"}])
    assert as_list == load_settings({"setting1": "region=CH", "setting5": "log=error"})


def test_sdk_like_settings_object_is_accepted() -> None:
    """An object exposing ``.mapping`` (the SDK's CustomSettings) is read through it."""

    class Custom:
        mapping = {"setting1": "region=GB"}

    assert load_settings(Custom()).numbering.region == "GB"


def test_non_text_value_is_an_error_for_that_setting_only() -> None:
    """A number where text is expected disables that feature with a precise error."""
    settings = load_settings({"setting4": 5, "setting1": "region=CH"})
    assert errors_of(settings) == ['setting4: is not text (int): "5" (expected a string of key=value pairs)']
    assert settings.numbering.region == "CH"


def test_duplicated_setting_in_list_is_an_error() -> None:
    """The same setting twice in the key/value list is ambiguous: reported, feature disabled."""
    settings = load_settings([("setting5", "log=debug"), ("setting5", "log=error")])
    assert [error.setting for error in settings.errors] == ["setting5"]
    assert settings.diagnostics.log_level is LogLevel.INFO


def test_unrelated_keys_and_shapes_are_ignored() -> None:
    """Keys other than setting1..5, and inputs that are not mappings/lists, give defaults, not errors."""
    assert load_settings({"setting9": "x", 3: "y"}).ok
    assert load_settings(None).ok and load_settings("setting1=x").ok and load_settings(42).ok


def test_duplicate_rules_are_kept_once() -> None:
    """Listing a category twice is harmless and kept once, in the first position."""
    settings = load_settings({"setting2": "block=mobile, pager, Mobile"})
    assert settings.dial_policy.block == ("mobile", "pager")


def test_configs_can_be_built_in_python() -> None:
    """Configs accept typed values directly, so the wiring can construct them without text."""
    from integration.app import DiagnosticsConfig, NumberingConfig

    assert DiagnosticsConfig(fail_mode=FailMode.CLOSED, watchdog_ms=800).fail_mode is FailMode.CLOSED
    assert NumberingConfig(region="CH", number_format=NumberFormat.NATIONAL).region == "CH"


def test_enabled_reflects_errors_and_switches() -> None:
    """``enabled`` is False for a feature with errors, and for screen pop/after-call when switched off."""
    settings = load_settings({"setting1": "region=XX", "setting3": "on=off", "setting4": "state=Ready"})
    assert not settings.numbering.enabled and settings.dial_policy.enabled
    assert not settings.screen_pop.enabled and settings.after_call.enabled
