"""The pure rules of alert handling: which action is allowed from which status, labels, notes, filters."""

from __future__ import annotations

import pytest

from slimmaatwerk.alert_workflow import (
    LABELS,
    STATUSES,
    InboxFilter,
    WorkflowError,
    allowed_actions,
    check_label,
    check_note,
    check_owner,
    next_status,
    resolve_label,
)
from slimmaatwerk.errors import InputError

EXPECTED = {
    ("new", "acknowledge"): "acknowledged",
    ("new", "assign"): "assigned",
    ("new", "resolve"): "resolved",
    ("acknowledged", "assign"): "assigned",
    ("acknowledged", "resolve"): "resolved",
    ("assigned", "assign"): "assigned",  # hand over to someone else
    ("assigned", "resolve"): "resolved",
    ("resolved", "reopen"): "acknowledged",
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ["acknowledge", "assign", "resolve", "reopen"])
def test_every_status_and_action_pair_is_allowed_exactly_as_the_table_says(status: str, action: str) -> None:
    if (status, action) in EXPECTED:
        assert next_status(status, action) == EXPECTED[(status, action)]
        assert action in allowed_actions(status)
    else:
        with pytest.raises(WorkflowError, match=f"'{action}' is not possible for an alert that is {status}"):
            next_status(status, action)
        assert action not in allowed_actions(status)


def test_a_resolved_alert_can_only_be_reopened_and_a_new_one_never() -> None:
    assert allowed_actions("resolved") == ("reopen",)
    assert allowed_actions("new") == ("acknowledge", "assign", "resolve")


def test_unknown_actions_and_statuses_are_refused_with_a_clear_message() -> None:
    with pytest.raises(WorkflowError, match="unknown alert action 'delete'"):
        next_status("new", "delete")
    with pytest.raises(WorkflowError, match="unknown alert status 'lost'"):
        next_status("lost", "acknowledge")


def test_workflow_errors_are_input_errors_so_the_cli_and_gui_show_them_as_is() -> None:
    assert issubclass(WorkflowError, InputError)


def test_labels_are_the_four_outcomes_of_the_feedback_loop() -> None:
    assert LABELS == ("true", "false_visitor", "false_sensor", "false_other")
    for label in LABELS:
        assert check_label(label) == label
    with pytest.raises(WorkflowError, match="outcome label must be one of"):
        check_label("false")


def test_resolving_needs_an_outcome_given_now_or_before() -> None:
    assert resolve_label("", "false_visitor") == "false_visitor"
    assert resolve_label("true", None) == "true"
    assert resolve_label("true", "false_sensor") == "false_sensor"
    with pytest.raises(WorkflowError, match="choose an outcome"):
        resolve_label("", None)


def test_notes_and_owners_are_trimmed_and_must_not_be_empty_or_huge() -> None:
    assert check_note("  gebeld, alles goed  ") == "gebeld, alles goed"
    assert check_owner(" Anja ") == "Anja"
    with pytest.raises(WorkflowError, match="cannot be empty"):
        check_note("   ")
    with pytest.raises(WorkflowError, match="at most 4000"):
        check_note("x" * 4001)
    with pytest.raises(WorkflowError, match="owner cannot be empty"):
        check_owner("")


def test_inbox_filter_defaults_to_open_alerts_and_refuses_unknown_values() -> None:
    assert InboxFilter().statuses == ("new", "acknowledged", "assigned")
    with pytest.raises(WorkflowError, match="unknown alert status filter: done"):
        InboxFilter(statuses=("done",))
    with pytest.raises(WorkflowError, match="unknown severity filter"):
        InboxFilter(severity="orange")
