"""Commissioning records on a later visit: a new version from an old one, with the home as it is now.

Goes through the installer facade (role and scope checks, access log); the versioning rule itself is
``commissioning.revision``. The household answers also update the resident, as in the wizard, because
the analytics read them there. A walk test made on the visit (a replacement, a moved sensor) is
recorded as the next version with its result and time, so the record does not say "untested" for a
sensor the installer has just seen working.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from ..commissioning.record import CommissioningRecord, DeviceRecord, Household, PrivacyAnswers
from ..commissioning.revision import DeviceNow, revise
from ..errors import InputError
from ..localtime import format_timestamp, from_ms
from .installer import Installer
from .visits import Visits
from .walktest import SensorCheck


class NoRecord(InputError):
    """The home has no commissioning record yet: a walk-test result has no version to go into."""


def new_version(installer: Installer, record_id: int, household: Household, privacy: PrivacyAnswers,
                notes: str = "") -> CommissioningRecord:
    """Store the next version of record ``record_id``'s home with these answers; returns it."""
    if household.composition not in ("alone", "partner"):
        raise InputError(f"household must be alone or partner, not {household.composition!r}")
    if not privacy.purpose.strip() or not privacy.data_need.strip():
        raise InputError("purpose and data need are required (Afwegingskader Sensordata en Privacy)")
    if not privacy.consent_given:
        raise InputError("no sensors without recorded consent")
    if privacy.consent_by == "representative" and not privacy.consent_name.strip():
        raise InputError("name the representative who gave consent")
    old = installer.open_record(record_id)
    installer.service._require("manage_devices", old.resident_id)
    record = revise(old, _home_now(installer, old.resident_id), household=household, privacy=privacy,
                    notes=notes.strip(), installer=installer.service.actor.display_name,
                    completed_at=format_timestamp(installer.service.clock.now()))
    installer.set_household(old.resident_id, household.composition, household.pet)
    return installer.save_record(record)


def record_walk_test(installer: Installer, resident_id: str, checks: Iterable[SensorCheck],
                     at: datetime | None = None) -> CommissioningRecord:
    """The next version of the home's latest record, its answers unchanged, with these walk-test results.

    Devices of the home that were not tested now keep what ``revise`` gives them (their earlier result
    when they still hang where they were tested, else "untested"). Raises ``NoRecord`` when the home
    has no record yet, and InputError when a tested sensor is no longer in the home.
    """
    installer.service._require("manage_devices", resident_id)
    versions = installer.records(resident_id)
    if not versions:
        raise NoRecord(f"resident {resident_id} has no commissioning record yet: pair the home with the wizard")
    old = installer.open_record(versions[-1][0])
    when = format_timestamp(at or installer.service.clock.now())
    record = revise(old, _home_now(installer, resident_id), household=old.household, privacy=old.privacy,
                    notes=old.notes, installer=installer.service.actor.display_name, completed_at=when)
    tested = {c.sensor.id: c for c in checks}
    missing = sorted(set(tested) - {d.id for d in record.devices})
    if missing:
        raise InputError(f"{', '.join(missing)} is no longer in this home: its walk test is not recorded")
    devices = tuple(_with_result(d, tested[d.id], when) if d.id in tested else d for d in record.devices)
    return installer.save_record(replace(record, devices=devices))


def _with_result(device: DeviceRecord, check: SensorCheck, when: str) -> DeviceRecord:
    """A device with the walk test's result, time (when it lit up; else when the test ended), battery, signal."""
    problems = check.problems
    return replace(device, result=check.result,
                   tested_at=format_timestamp(from_ms(check.lit_at_ms)) if check.lit_at_ms else when,
                   battery=check.battery if check.battery is not None else device.battery,
                   signal=check.signal if check.signal is not None else device.signal,
                   problems=tuple(k for k, _ in problems), problem_args=tuple(dict(a) for _, a in problems))


def _home_now(installer: Installer, resident_id: str) -> list[DeviceNow]:
    models = {d.identity: d for d in installer.devices(resident_id)}
    return [DeviceNow(d.identity, d.name, d.room, d.placement, d.profile,
                      models[d.identity].model if d.identity in models else "",
                      models[d.identity].vendor if d.identity in models else "", d.battery)
            for d in Visits(installer).home(resident_id)]
