"""A later-visit change before it happens: what it will do, said in words, and carrying it out.

The visit screen builds a ``Change`` with the moment it will take effect, shows ``describe(change)`` for
confirmation ("from today 14:05 the events of sensor X count for the bathroom; earlier events stay with
the hall") and then calls ``apply`` with exactly that moment, so what was confirmed is what is stored.
Pure apart from ``apply``, which goes through ``visits.Visits`` (role checks, access log).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..localtime import to_local
from .texts import text
from .visits import Visits

ACTIONS = ("move", "replace", "reuse", "end_care")


@dataclass(frozen=True)
class Target:
    """One device the change is about, with where it hangs now."""

    identity: str
    name: str
    room: str
    placement: str = ""


@dataclass(frozen=True)
class Change:
    action: str  # move | replace | reuse | end_care
    resident_id: str
    resident_name: str
    when: datetime
    devices: tuple[Target, ...] = ()
    room: str = ""  # move, reuse: the new room ("" for reuse: every device keeps its own)
    placement: str = ""
    new_identity: str = ""  # replace
    target_id: str = ""  # reuse: the other resident
    target_name: str = ""


def when_words(when: datetime, now: datetime, language: str) -> str:
    """``vandaag 14:05`` / ``today 14:05``, or the date and time when it is another day."""
    local, today = to_local(when), to_local(now)
    if local.date() == today.date():
        return text("common.today", language, time=local.strftime("%H:%M"))
    return local.strftime("%Y-%m-%d %H:%M")


def where_words(room: str, placement: str, language: str) -> str:
    """``de badkamer (shower)`` / ``the bathroom (shower)``."""
    words = text(f"where.{room}", language)
    return f"{words} ({placement.replace('_', ' ')})" if placement else words


def describe(change: Change, now: datetime, language: str = "nl") -> str:
    """What the change will do, in one or two sentences the installer confirms."""
    when = when_words(change.when, now, language)
    first = change.devices[0] if change.devices else Target("", "", "other")
    if change.action == "move":
        return text("visit.plan.move", language, when=when, name=first.name,
                    new=where_words(change.room, change.placement, language),
                    old=where_words(first.room, first.placement, language))
    if change.action == "replace":
        return text("visit.plan.replace", language, when=when, name=first.name, new_device=change.new_identity,
                    old=where_words(first.room, first.placement, language))
    if change.action == "reuse":
        new = where_words(change.room, change.placement, language) if change.room \
            else text("visit.plan.reuse_kept", language)
        return text("visit.plan.reuse", language, when=when, names=", ".join(d.name for d in change.devices),
                    target=change.target_name or change.target_id, new=new, resident=change.resident_name)
    if change.action == "end_care":
        return text("visit.plan.end_care", language, when=when, count=len(change.devices),
                    resident=change.resident_name)
    raise ValueError(f"unknown visit action {change.action!r}")


def done_words(change: Change, language: str = "nl") -> str:
    first = change.devices[0].name if change.devices else ""
    return text(f"visit.done.{change.action}", language, name=first, new_device=change.new_identity,
                count=len(change.devices), target=change.target_name or change.target_id)


def apply(visits: Visits, change: Change) -> None:
    """Carry the change out at ``change.when``; raises InputError or AccessDenied and then stores nothing."""
    if change.action == "move":
        visits.move(change.devices[0].identity, change.room, change.placement, change.when)
    elif change.action == "replace":
        visits.replace(change.devices[0].identity, change.new_identity, change.when)
    elif change.action == "reuse":
        kit = [(d.identity, change.room or d.room, change.placement if change.room else d.placement)
               for d in change.devices]
        visits.reuse_kit(kit, change.target_id, change.when)
    elif change.action == "end_care":
        visits.end_care(change.resident_id, change.when)
    else:
        raise ValueError(f"unknown visit action {change.action!r}")
