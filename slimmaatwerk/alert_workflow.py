"""The rules of handling an alert, and the read models of the alert inbox. Pure: no storage, no Qt.

An alert moves new -> acknowledged -> assigned -> resolved (any step may be skipped forward; a resolved
alert may be reopened). Resolving needs an outcome label, because the labels are the analytics feedback
loop: ``true`` (a real change in the resident's life) or one of the false-alarm reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .errors import InputError

STATUSES: tuple[str, ...] = ("new", "acknowledged", "assigned", "resolved")
OPEN_STATUSES: tuple[str, ...] = ("new", "acknowledged", "assigned")
LABELS: tuple[str, ...] = ("true", "false_visitor", "false_sensor", "false_other")
SEVERITIES: tuple[str, ...] = ("red", "amber", "info")
NOTE_MAX_CHARS = 4000
OWNER_MAX_CHARS = 100

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({"new"}), "acknowledged"),
    "assign": (frozenset({"new", "acknowledged", "assigned"}), "assigned"),
    "resolve": (frozenset({"new", "acknowledged", "assigned"}), "resolved"),
    "reopen": (frozenset({"resolved"}), "acknowledged"),
}

# What the history shows (``alert_events.action``; "raised" comes from the alert itself, the engine
# writes "escalated" and "escalation_failed").
HISTORY_ACTIONS: tuple[str, ...] = (
    "raised", "acknowledged", "assigned", "resolved", "reopened", "note", "labelled", "escalated", "escalation_failed",
)


class WorkflowError(InputError):
    """An action that the alert's current state does not allow, or a bad note, owner or label."""


class AlertChanged(WorkflowError):
    """Someone else changed the alert between reading and writing it (two coordinators, one alert)."""


def next_status(current: str, action: str) -> str:
    """The status ``action`` leads to from ``current``; raises WorkflowError when it is not allowed."""
    if action not in TRANSITIONS:
        raise WorkflowError(f"unknown alert action {action!r}; expected one of {', '.join(TRANSITIONS)}")
    if current not in STATUSES:
        raise WorkflowError(f"unknown alert status {current!r}")
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise WorkflowError(f"'{action}' is not possible for an alert that is {current} (only when "
                            f"{' or '.join(s for s in STATUSES if s in sources)})")
    return target


def allowed_actions(status: str) -> tuple[str, ...]:
    """The actions the inbox offers for an alert in ``status`` (buttons are enabled from this)."""
    return tuple(a for a, (sources, _) in TRANSITIONS.items() if status in sources)


def check_label(label: str) -> str:
    if label not in LABELS:
        raise WorkflowError(f"outcome label must be one of {', '.join(LABELS)}, not {label!r}")
    return label


def check_note(text: str) -> str:
    note = text.strip()
    if not note:
        raise WorkflowError("a note cannot be empty")
    if len(note) > NOTE_MAX_CHARS:
        raise WorkflowError(f"a note is at most {NOTE_MAX_CHARS} characters, this one has {len(note)}")
    return note


def check_owner(owner: str) -> str:
    name = owner.strip()
    if not name:
        raise WorkflowError("assign to whom? the owner cannot be empty")
    if len(name) > OWNER_MAX_CHARS:
        raise WorkflowError(f"an owner name is at most {OWNER_MAX_CHARS} characters")
    return name


def resolve_label(current_label: str, new_label: str | None) -> str:
    """The label an alert is resolved with: the one given now, else the one it already has."""
    if new_label:
        return check_label(new_label)
    if current_label:
        return current_label
    raise WorkflowError("choose an outcome (true, or false: visitor, sensor, other) before resolving")


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an alert's history: who did what, when, and what changed."""

    alert_id: int
    at: datetime
    actor: str
    action: str  # one of HISTORY_ACTIONS
    from_status: str
    to_status: str
    detail: str  # the note, the new owner, the label, or the escalation channel


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows; ``None`` means any. ``statuses`` defaults to the open ones."""

    statuses: tuple[str, ...] = OPEN_STATUSES
    severity: str | None = None
    team: str | None = None
    owner: str | None = None  # an explicit owner, or "" for alerts nobody has taken
    resident_id: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.statuses) - set(STATUSES)
        if unknown:
            raise WorkflowError(f"unknown alert status filter: {', '.join(sorted(unknown))}")
        if self.severity is not None and self.severity not in SEVERITIES:
            raise WorkflowError(f"unknown severity filter {self.severity!r}")


@dataclass(frozen=True)
class InboxRow:
    """One alert as the inbox lists it, with whoever owns it now."""

    alert_id: int
    resident_id: str
    resident_name: str
    team: str
    date: date
    indicator: str
    severity: str
    raised_at: datetime
    status: str
    owner: str  # taken explicitly by assign, "" when nobody has
    on_duty: str  # who the rota says owns the resident's alerts now, "" when nobody is on duty
    on_duty_role: str
    label: str
    escalation: str  # "", "pending", "sent" or "failed"
    explanation: dict[str, str] = field(default_factory=dict)

    @property
    def responsible(self) -> str:
        """Who acts on it now: the explicit owner, else the person on duty."""
        return self.owner or self.on_duty

    @property
    def unowned(self) -> bool:
        return not self.responsible
