"""The installer's pairing flow: a Qt-free state machine in the manner of Home Assistant's config flows.

Steps (``forms.STEPS``): home and resident → household → purpose, data need and consent (Afwegingskader)
→ broker connection (password to the keyring) → discover (Zigbee2MQTT, Home Assistant discovery,
topics; permit-join) → confirm profiles → room and placement → live walk test → summary. Every
``submit(step_id, user_input)`` returns ``ShowForm`` (the next form, or the same one with error keys),
``Done(record)`` or ``Abort(reason_key)``. Nothing is stored before the summary is confirmed: a
cancelled flow leaves no resident, assignment or record behind (only the keyring entry, which is the
installer's). The broker is reached only through the injected ``tools``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from ..clock import Clock
from ..commissioning.record import CommissioningRecord, DeviceRecord, Household, PrivacyAnswers
from ..errors import AccessDenied, InputError
from ..events import ROOMS
from ..ingest.discovery import Directory
from ..localtime import format_timestamp, from_ms
from ..profiles import ProfileRegistry
from . import forms
from .broker import BrokerSettings, ConnectFailed
from .credentials import KeyringUnavailable, store_broker_password
from .discover import Candidate, Discovery
from .forms import Abort, Done, Result, ShowForm
from .home_broker import recorded_url, split_user
from .installer import PLACEMENT, RESIDENT_ID, Installer
from .walktest import Sensor, SensorCheck, WalkTest


class Live(Protocol):
    walk: WalkTest

    def stop(self) -> None: ...
    def snapshot(self) -> list[SensorCheck]: ...
    def set_focus(self, sensor_id: str | None) -> None: ...


class Tools(Protocol):
    def check(self, settings: BrokerSettings) -> None: ...
    def scan(self, settings: BrokerSettings, seconds: float, discovery: Discovery | None = None,
             join: bool = False) -> tuple[Discovery, str | None, str]: ...
    def walk(self, settings: BrokerSettings, walk: WalkTest, topics: list[str], directory: Directory | None,
             on_update: Callable[[SensorCheck], None] | None) -> Live: ...


class PairingFlow:
    def __init__(self, installer: Installer, registry: ProfileRegistry, tools: Tools, clock: Clock,
                 tls: tuple[str, str, str] = ("", "", "")) -> None:
        self.installer = installer
        # (CA, client certificate, client key) from the settings screen, used for mqtts:// addresses: a
        # home gateway with the organisation's private CA is reachable from the wizard as from the engine.
        self.tls = tls
        self.registry = registry
        self.tools = tools
        self.clock = clock
        self.data: dict[str, Any] = {}
        self.step = "home"
        self.reached = 0  # index of the furthest step shown
        self.discovery: Discovery | None = None
        self.selected: list[str] = []
        self.profiles: dict[str, str] = {}
        self.rooms: dict[str, str] = {}
        self.placements: dict[str, str] = {}
        self.live: Live | None = None
        self.checks: dict[str, SensorCheck] = {}
        self.on_walk_update: Callable[[SensorCheck], None] | None = None  # the wizard's signal emitter
        self.finished = False
        self._settings = BrokerSettings("")
        self._started = format_timestamp(clock.now())
        self._handlers: dict[str, Callable[[Mapping[str, Any]], Result]] = {
            "home": self._home, "household": self._household, "purpose": self._purpose, "broker": self._broker,
            "discover": self._discover, "profiles": self._profiles, "rooms": self._rooms,
            "walktest": self._walktest, "summary": self._summary,
        }

    # -- the public protocol ---------------------------------------------------------------------
    def start(self) -> Result:
        if "manage_devices" not in _permissions(self.installer):
            return Abort("access_denied")
        return self._show("home")

    def submit(self, step_id: str, user_input: Mapping[str, Any]) -> Result:
        """Handle a form; an earlier step may be submitted again (the wizard's Back button)."""
        if self.finished:
            return Abort("already_done")
        if step_id not in self._handlers or forms.STEPS.index(step_id) > self.reached:
            return self._show(self.step, {"base": "unknown_step"})
        if forms.STEPS.index(step_id) < forms.STEPS.index("walktest"):
            self._stop_live()
        self.step = step_id
        return self._handlers[step_id](user_input)

    def cancel(self) -> Abort:
        self._stop_live()
        self.finished = True
        return Abort("cancelled")

    def current_checks(self) -> list[SensorCheck]:
        if self.live is not None:
            return self.live.snapshot()
        return [self.checks[i] for i in self.selected if i in self.checks]

    def use_profiles(self, registry: ProfileRegistry) -> None:
        """A profile was made for an unknown device: use the new library from the next search on."""
        self.registry = registry
        self.installer.registry = registry
        if hasattr(self.tools, "registry"):
            self.tools.registry = registry

    def focus(self, sensor_id: str | None) -> None:
        if self.live is not None:
            self.live.set_focus(sensor_id)

    # -- forms -----------------------------------------------------------------------------------
    def _show(self, step: str, errors: Mapping[str, str] | None = None, **placeholders: object) -> ShowForm:
        self.step = step
        self.reached = max(self.reached, forms.STEPS.index(step))
        schema = {
            "home": lambda: forms.home_form([(r.id, r.name) for r in self._residents()], self.data),
            "household": lambda: forms.household_form(self.data),
            "purpose": lambda: forms.purpose_form(self.data),
            "broker": lambda: forms.broker_form(self.data),
            "discover": lambda: forms.discover_form(tuple(self._candidates()), self.selected),
            "profiles": lambda: forms.profiles_form(self._chosen(), self.profiles, self._profile_options()),
            "rooms": lambda: forms.rooms_form(self._chosen(), self.rooms, self.placements),
            "walktest": lambda: forms.walktest_form(tuple(self.current_checks())),
            "summary": lambda: forms.summary_form(self.data),
        }[step]()
        if step == "discover":
            placeholders.setdefault("count", len(self._candidates()))
        return ShowForm(step, schema, dict(errors or {}), placeholders)

    def _residents(self) -> list[Any]:
        try:
            return self.installer.service.list_residents()
        except AccessDenied:
            return []

    def _candidates(self) -> list[Candidate]:
        return self.discovery.devices() if self.discovery else []

    def _chosen(self) -> list[Candidate]:
        found = {c.id: c for c in self._candidates()}
        return [found[i] for i in self.selected if i in found]

    def _profile_options(self) -> dict[str, tuple[tuple[str, str], ...]]:
        out = {}
        for device in self._chosen():
            integration = self.registry.by_id[device.suggested_profile].integration \
                if device.suggested_profile in self.registry.by_id else ""
            same = [p for p in self.registry.profiles if p.integration == integration] or list(self.registry.profiles)
            out[device.id] = tuple((p.id, f"{p.id} — {p.description}") for p in same)
        return out

    # -- steps -----------------------------------------------------------------------------------
    def _home(self, given: Mapping[str, Any]) -> Result:
        existing = str(given.get("existing") or "").strip()
        if existing:
            record = self.installer.resident(existing)
            if record is None:
                return self._show("home", {"existing": "unknown_resident"})
            try:
                self.installer.service._require("manage_devices", existing)
            except AccessDenied:
                return Abort("access_denied")
            self.data.update(existing=existing, resident_id=record.id, name=record.name, home_id=record.home_id,
                             household=record.household, pet=record.pet)
            return self._show("household")
        rid, name = str(given.get("resident_id") or "").strip(), str(given.get("name") or "").strip()
        errors = {}
        if not rid:
            errors["resident_id"] = "required"
        elif not RESIDENT_ID.fullmatch(rid):
            errors["resident_id"] = "invalid_id"
        elif self.installer.resident(rid) is not None:
            errors["resident_id"] = "resident_exists"
        if not name:
            errors["name"] = "required"
        self.data.update(existing="", resident_id=rid, name=name, home_id=f"home-{rid}")
        return self._show("home", errors) if errors else self._show("household")

    def _household(self, given: Mapping[str, Any]) -> Result:
        household = str(given.get("household") or "alone")
        if household not in ("alone", "partner"):
            return self._show("household", {"household": "invalid_choice"})
        self.data.update(household=household, pet=bool(given.get("pet")),
                         care_visits=str(given.get("care_visits") or "").strip())
        return self._show("purpose")

    def _purpose(self, given: Mapping[str, Any]) -> Result:
        answers = {k: str(given.get(k) or "").strip() for k in ("purpose", "data_need", "alternatives",
                                                                 "consent_by", "consent_name")}
        answers["consent_by"] = answers["consent_by"] or "resident"
        self.data.update(answers, consent_given=bool(given.get("consent_given")))
        errors = {k: "required" for k in ("purpose", "data_need") if not answers[k]}
        if answers["consent_by"] not in ("resident", "representative"):
            errors["consent_by"] = "invalid_choice"
        elif answers["consent_by"] == "representative" and not answers["consent_name"]:
            errors["consent_name"] = "representative_name"
        if not self.data["consent_given"]:
            errors["consent_given"] = "consent_required"
        return self._show("purpose", errors) if errors else self._show("broker")

    def _broker(self, given: Mapping[str, Any]) -> Result:
        url = str(given.get("broker_url") or "").strip()
        username = str(given.get("username") or "").strip()
        password = str(given.get("password") or "")
        self.data.update(broker_url=url, username=username)
        try:
            raw = given.get("seconds")
            seconds = 3 if raw in (None, "") else int(raw)
        except (TypeError, ValueError):
            seconds = -1
        if not 1 <= seconds <= 300:
            return self._show("broker", {"seconds": "invalid_seconds"})
        self.data["seconds"] = seconds
        tls = self.tls if url.lower().startswith(("mqtts://", "ssl://")) else ("", "", "")
        settings = BrokerSettings(url, username, password, *tls)
        if not url:
            return self._show("broker", {"broker_url": "required"})
        if settings.check_url():
            return self._show("broker", {"broker_url": "invalid_url"})
        try:
            self.tools.check(settings)
            if username and password:
                # Under the address without user, as ``home_broker`` finds it again on a later visit.
                store_broker_password(self.data["home_id"], split_user(url)[0], username, password)
            self.discovery, _error, _detail = self.tools.scan(settings, seconds)
        except ConnectFailed as exc:
            field = "password" if exc.key == "invalid_auth" else "broker_url"
            return self._show("broker", {field: exc.key}, detail=exc.detail)
        except KeyringUnavailable:
            return self._show("broker", {"password": "keyring_unavailable"})
        self._settings = settings
        if not self._candidates() and not self.discovery.bridge_seen:
            self._stop_live()
            return Abort("no_devices_found")
        return self._show("discover")

    def _discover(self, given: Mapping[str, Any]) -> Result:
        chosen = [str(i) for i in given.get("devices") or []]
        self.selected = chosen
        if given.get("rescan"):
            # A fresh look with the current profile library (a device just got a profile).
            try:
                self.discovery, _error, _detail = self.tools.scan(self._settings, self.data["seconds"])
            except ConnectFailed as exc:
                return self._show("discover", {"base": exc.key}, detail=exc.detail)
            return self._show("discover")
        if given.get("permit_join"):
            try:
                self.discovery, error, detail = self.tools.scan(self._settings, self.data["seconds"],
                                                                self.discovery, join=True)
            except ConnectFailed as exc:
                return self._show("discover", {"base": exc.key}, detail=exc.detail)
            joined = sum(1 for c in self._candidates() if c.joined)
            return self._show("discover", {"base": error} if error else {}, detail=detail, joined=joined)
        known = {c.id: c for c in self._candidates()}
        errors: dict[str, str] = {}
        if not chosen:
            errors["devices"] = "no_devices_selected"
        elif any(i not in known for i in chosen):
            errors["devices"] = "unknown_device"
        elif any(known[i].source == "unknown" for i in chosen):
            errors["devices"] = "no_profile"
        else:
            in_use = self._in_use(chosen)
            if in_use:
                return self._show("discover", {"devices": "device_in_use"}, resident=in_use)
        if errors:
            return self._show("discover", errors)
        for device in self._chosen():
            self.profiles.setdefault(device.id, device.suggested_profile)
        return self._show("profiles")

    def _in_use(self, chosen: list[str]) -> str:
        mine = self.data.get("resident_id")
        for device in self.installer.devices():
            if device.identity in chosen and device.resident_id not in (None, mine):
                return device.resident_id or ""
        return ""

    def _profiles(self, given: Mapping[str, Any]) -> Result:
        errors = {}
        for device in self._chosen():
            key = f"profile:{device.id}"
            choice = str(given.get(key) or self.profiles.get(device.id) or "")
            self.profiles[device.id] = choice
            if not choice:
                errors[key] = "no_profile"
            elif choice not in self.registry.by_id:
                errors[key] = "unknown_profile"
        return self._show("profiles", errors) if errors else self._show("rooms")

    def _rooms(self, given: Mapping[str, Any]) -> Result:
        errors = {}
        for device in self._chosen():
            room = str(given.get(f"room:{device.id}") or "")
            placement = str(given.get(f"placement:{device.id}") or "").strip().lower().replace(" ", "_")
            self.rooms[device.id], self.placements[device.id] = room, placement
            if room not in ROOMS:
                errors[f"room:{device.id}"] = "unknown_room"
            if not PLACEMENT.fullmatch(placement):
                errors[f"placement:{device.id}"] = "invalid_placement"
        if errors:
            return self._show("rooms", errors)
        return self._start_walk()

    def _start_walk(self) -> Result:
        sensors = []
        for device in self._chosen():
            profile = self.registry.by_id[self.profiles[device.id]]
            kinds = tuple(f.kind for f in profile.fields)
            sensors.append(Sensor(device.id, device.name or device.id, self.rooms[device.id],
                                  self.placements[device.id], kinds))
        self._stop_live()
        walk = WalkTest(sensors)
        topics = [d.topic for d in self._chosen()]
        directory = self.discovery.directory if self.discovery else None
        try:
            self.live = self.tools.walk(self._settings, walk, topics, directory, self._walk_update)
        except ConnectFailed:
            return Abort("broker_lost")
        return self._show("walktest")

    def _walk_update(self, check: SensorCheck) -> None:
        if self.on_walk_update is not None:
            self.on_walk_update(check)

    def _walktest(self, given: Mapping[str, Any]) -> Result:
        checks = self.current_checks()
        self.checks = {c.sensor.id: c for c in checks}
        if given.get("focus"):
            self.focus(str(given["focus"]))
            return self._show("walktest")
        if not all(c.confirmed for c in checks) and not given.get("accept_problems"):
            return self._show("walktest", {"base": "walktest_incomplete"})
        self._stop_live()
        return self._show("summary")

    def _summary(self, given: Mapping[str, Any]) -> Result:
        self.data["notes"] = str(given.get("notes") or "").strip()
        record = self.build_record()
        try:
            if not self.data.get("existing"):
                self.installer.service.add_resident(self.data["resident_id"], self.data["name"],
                                                    self.data["household"], self.data["pet"])
            else:
                self.installer.set_household(self.data["resident_id"], self.data["household"], self.data["pet"])
            for device in record.devices:
                self.installer.pair(device.id, record.resident_id, device.room, device.placement, name=device.name,
                                    profile=device.profile, model=device.model, vendor=device.vendor)
            saved = self.installer.save_record(record)
        except AccessDenied:
            return Abort("access_denied")
        except InputError as exc:
            return self._show("summary", {"base": "device_in_use"}, detail=str(exc))
        self.finished = True
        return Done(saved)

    # -- the record ----------------------------------------------------------------------------------
    def build_record(self) -> CommissioningRecord:
        devices = []
        for device in self._chosen():
            check = self.checks.get(device.id)
            problems = check.problems if check else (("no_messages", {}),)
            devices.append(DeviceRecord(
                device.id, device.name or device.id, device.model, device.vendor, self.profiles.get(device.id, ""),
                self.rooms.get(device.id, "other"), self.placements.get(device.id, ""),
                check.result if check else "untested",
                format_timestamp(from_ms(check.lit_at_ms)) if check and check.lit_at_ms else "",
                check.battery if check and check.battery is not None else device.battery,
                check.signal if check and check.signal is not None else device.signal,
                tuple(p for p, _ in problems), tuple(dict(a) for _, a in problems)))
        d = self.data
        return CommissioningRecord(
            d.get("home_id", ""), d.get("resident_id", ""), d.get("name", ""), self.installer.service.actor.display_name,
            self._started, format_timestamp(self.clock.now()),
            recorded_url(d.get("broker_url", ""), d.get("username", "")) if d.get("broker_url") else "",
            Household(d.get("household", "alone"), bool(d.get("pet")), d.get("care_visits", "")),
            PrivacyAnswers(d.get("purpose", ""), d.get("data_need", ""), d.get("alternatives", ""),
                           d.get("consent_by", "resident"), d.get("consent_name", ""), bool(d.get("consent_given"))),
            tuple(devices), d.get("notes", ""))

    def _stop_live(self) -> None:
        if self.live is not None:
            self.checks = {c.sensor.id: c for c in self.live.snapshot()}
            self.live.stop()
            self.live = None


def _permissions(installer: Installer) -> set[str]:
    from ..permissions import PERMISSIONS

    return set().union(*(PERMISSIONS[r] for r in installer.service.roles))

