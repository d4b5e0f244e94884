"""The service facade: the only way in for the GUI and the command line.

Every call names the acting user; the facade checks role and per-resident scope, does the work in one
transaction, and writes the access log (NEN 7513 spirit: reads, searches, exports and changes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .alert_service import AlertWorkflowMixin
from .clock import Clock
from .data_rights import DataRights
from .errors import AccessDenied, InputError
from .eventcsv import CsvEvent
from .events import KIND_CODES, Event
from .localtime import day_bounds, day_of, from_ms, ms, parse_timestamp
from .overview import overview_rows, resident_detail
from .permissions import allowed, parse_roles
from .privacy_service import PrivacyService
from .resident_data import analysis_context, events_frame, refresh_device_state
from .storage import access_log, accounts, event_store, residents
from .storage import alerts as alert_store
from .storage import devices as device_store
from .storage.accounts import User
from .storage.database import Database
from .timeline import HISTORY_DAYS as TIMELINE_HISTORY_DAYS
from .timeline import DayTimeline, day_timeline
from .trends import BAND_WINDOW, Trend, indicator_trends
from .views import ResidentDetail, ResidentRow

HOUSEHOLDS = ("alone", "partner")
CONTEXT_TYPES = ("absence", "hospital", "visit")
# The same read by the same user within this window is logged once (screens refresh every few seconds).
LOG_DEDUP_MS = 10 * 60 * 1000


@dataclass(frozen=True)
class ContextPeriodView:
    type: str  # one of CONTEXT_TYPES
    start: datetime
    end: datetime
    note: str


@dataclass(frozen=True)
class ImportResult:
    read: int
    stored_before: int
    stored_after: int

    @property
    def new(self) -> int:
        return self.stored_after - self.stored_before


class Service(AlertWorkflowMixin):
    def __init__(self, db: Database, actor: User, clock: Clock, on_behalf_of: str = "") -> None:
        self.db = db
        self.actor = actor
        self.clock = clock
        self.on_behalf_of = on_behalf_of
        self.roles = parse_roles(actor.role)
        self._recent_log: dict[tuple[str, str | None, str], int] = {}

    # --- checks and logging -------------------------------------------------------------------
    def now_ms(self) -> int:
        return ms(self.clock.now())

    def _require(self, permission: str, resident_id: str | None = None) -> None:
        if not allowed(self.roles, permission):
            raise AccessDenied(f"{self.actor.username} ({self.actor.role}) may not {permission.replace('_', ' ')}")
        if resident_id is not None and not self.actor.all_residents:
            with self.db.read() as conn:
                if resident_id not in accounts.scope(conn, self.actor.id):
                    raise AccessDenied(f"{self.actor.username} has no access to resident {resident_id}")

    def _scope(self) -> set[str] | None:
        if self.actor.all_residents:
            return None
        with self.db.read() as conn:
            return accounts.scope(conn, self.actor.id)

    def _log(self, conn, action: str, resident_id: str | None, detail: str, *, dedup: bool = False) -> None:  # type: ignore[no-untyped-def]
        now = self.now_ms()
        key = (action, resident_id, detail)
        if dedup and now - self._recent_log.get(key, -LOG_DEDUP_MS) < LOG_DEDUP_MS:
            return
        self._recent_log[key] = now
        access_log.append(conn, now, self.actor.id, action, resident_id, detail, self.on_behalf_of)

    def _known_resident(self, conn, resident_id: str) -> residents.ResidentRecord:  # type: ignore[no-untyped-def]
        record = residents.get_resident(conn, resident_id)
        if record is None:
            raise InputError(f"unknown resident {resident_id!r} (see 'slimmaatwerk residents list')")
        return record

    # --- residents and context ------------------------------------------------------------------
    def add_resident(self, resident_id: str, name: str, household: str = "alone", pet: bool = False,
                     team: str = "") -> residents.ResidentRecord:
        self._require("add_resident")
        if not resident_id.strip() or not name.strip():
            raise InputError("a resident needs a non-empty --id and --name")
        if household not in HOUSEHOLDS:
            raise InputError(f"household must be one of {', '.join(HOUSEHOLDS)}, not {household!r}")
        with self.db.begin() as conn:
            if residents.get_resident(conn, resident_id) is not None:
                raise InputError(f"resident {resident_id!r} already exists")
            record = residents.add_resident(conn, resident_id, name, self.now_ms(), household=household,
                                            pet=pet, team=team)
            if not self.actor.all_residents:
                accounts.grant(conn, self.actor.id, resident_id)
            self._log(conn, "change", resident_id, "resident added")
            self.db.bump_data_version(conn)
        return record

    def list_residents(self) -> list[residents.ResidentRecord]:
        self._require("read_residents")
        scope = self._scope()
        with self.db.begin() as conn:
            found = residents.list_residents(conn, scope)
            self._log(conn, "search", None, f"residents list ({len(found)})", dedup=True)
        return found

    def add_context(self, resident_id: str, type_: str, start: str, end: str, note: str = "") -> int:
        self._require("change_context", resident_id)
        if type_ not in CONTEXT_TYPES:
            raise InputError(f"context type must be one of {', '.join(CONTEXT_TYPES)}, not {type_!r}")
        try:
            from_dt, to_dt = parse_timestamp(start), parse_timestamp(end)
        except ValueError as exc:
            raise InputError(f"--from/--to: {exc}") from None
        if to_dt <= from_dt:
            raise InputError("--to must be later than --from")
        with self.db.begin() as conn:
            self._known_resident(conn, resident_id)
            period = residents.add_context(conn, resident_id, type_, ms(from_dt), ms(to_dt), note, self.actor.id)
            self._log(conn, "change", resident_id, f"context {type_} added")
            self.db.bump_data_version(conn)
        return period

    def list_context(self, resident_id: str) -> list[ContextPeriodView]:
        """The resident's context calendar (absence, hospital stay, visit), oldest first."""
        self._require("read_health", resident_id)
        with self.db.begin() as conn:
            self._known_resident(conn, resident_id)
            found = [ContextPeriodView(type_, from_ms(start), from_ms(end), note)
                     for type_, start, end, note in residents.list_context(conn, resident_id)]
            self._log(conn, "read", resident_id, "context calendar", dedup=True)
        return found

    # --- events ------------------------------------------------------------------------------------
    def import_events(self, resident_id: str, rows: list[CsvEvent], source: str = "") -> ImportResult:
        """Store a whole validated file in one transaction: all of it, or nothing on error."""
        self._require("import_events", resident_id)
        for row in rows:
            if row.resident is not None and row.resident != resident_id:
                raise InputError(
                    f"line {row.line}: resident {row.resident!r} disagrees with --resident {resident_id!r}"
                )
        now = self.now_ms()
        with self.db.begin() as conn:
            record = self._known_resident(conn, resident_id)
            before = event_store.count_resident_events(conn, resident_id)
            device_ids = self._attribute_csv_devices(conn, record, [r.event for r in rows], now)
            event_store.insert_events(
                conn,
                [
                    {"device_id": device_ids[r.event.device], "ts_ms": ms(r.event.timestamp),
                     "kind": KIND_CODES[r.event.kind], "value": r.event.value, "received_delta_ms": None}
                    for r in rows
                ],
            )
            refresh_device_state(conn, sorted(set(device_ids.values())))
            after = event_store.count_resident_events(conn, resident_id)
            self._log(conn, "change", resident_id, f"imported {after - before} events from {source or 'CSV'}")
            self.db.bump_data_version(conn)
        return ImportResult(len(rows), before, after)

    def store_device_events(self, resident_id: str, identity: str, name: str, room: str, placement: str,
                            events: list[Event], *, profile: str = "", model: str = "", vendor: str = "",
                            report_interval_s: int = 3600) -> None:
        """Store events of a hardware device paired to a resident (used to seed histories)."""
        self._require("import_events", resident_id)
        if not events:
            return
        now = self.now_ms()
        with self.db.begin() as conn:
            record = self._known_resident(conn, resident_id)
            device_id = device_store.ensure_device(conn, identity, name, now, profile=profile, model=model,
                                                   vendor=vendor, report_interval_s=report_interval_s)
            first = min(ms(e.timestamp) for e in events)
            if device_store.assignment_at(conn, device_id, first) is None:
                device_store.assign(conn, device_id, record.home_id, resident_id, room, placement, first)
            event_store.insert_events(conn, [
                {"device_id": device_id, "ts_ms": ms(e.timestamp), "kind": KIND_CODES[e.kind],
                 "value": e.value, "received_delta_ms": 0} for e in events
            ])
            refresh_device_state(conn, [device_id])
            self._log(conn, "change", resident_id, f"stored {len(events)} events of {name}")
            self.db.bump_data_version(conn)

    def _attribute_csv_devices(self, conn, record, events: list[Event], now: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
        """CSV device names are scoped to the resident; a change of room or placement is a move."""
        ids: dict[str, int] = {}
        placed: dict[str, tuple[str, str]] = {}
        for event in sorted(events, key=lambda e: e.timestamp):
            if event.device not in ids:
                ids[event.device] = device_store.ensure_device(conn, f"csv:{record.id}:{event.device}",
                                                               event.device, now)
            where = (event.room, event.placement)
            if placed.get(event.device) == where:
                continue
            placed[event.device] = where
            device_id, at = ids[event.device], ms(event.timestamp)
            current = device_store.assignment_at(conn, device_id, at)
            if current is not None and (current.room, current.placement) == where:
                continue
            existing = device_store.assignments(conn, device_id)
            if current is None and existing and existing[0].valid_from_ms > at and \
                    (existing[0].room, existing[0].placement) == where:
                device_store.extend_back(conn, existing[0].id, at)
                continue
            device_store.assign(conn, device_id, record.home_id, record.id, event.room, event.placement, at)
        return ids

    def export_events(self, resident_id: str | None, first: date | None, last: date | None) -> list[tuple[Event, str]]:
        if resident_id is not None:
            self._require("export_events", resident_id)
            targets = [resident_id]
        else:
            self._require("export_events")
            targets = [r.id for r in self.list_residents()]
        start_ms = ms(day_bounds(first)[0]) if first else None
        end_ms = ms(day_bounds(last)[1]) if last else None
        out: list[tuple[Event, str]] = []
        with self.db.begin() as conn:
            for rid in targets:
                self._known_resident(conn, rid)
                for ts, device, kind, room, placement, value in event_store.resident_events(conn, rid, start_ms, end_ms):
                    out.append((Event(from_ms(ts), device, kind, value, room, placement), rid))
                self._log(conn, "export", rid, f"events exported ({first or '-'} to {last or '-'})")
        out.sort(key=lambda pair: (pair[0].timestamp, pair[1], pair[0].device, pair[0].kind))
        return out

    # --- analysis -----------------------------------------------------------------------------------
    def analyse(self, resident_id: str, first: date, last: date,
                progress: Callable[[int, int], None] | None = None) -> dict:
        """A side-effect-free replay: changes nothing but the access log."""
        self._require("analyse", resident_id)
        if last < first:
            raise InputError("--to must not be before --from")
        from .analytics import analyse

        with self.db.begin() as conn:
            self._known_resident(conn, resident_id)
            frame = events_frame(conn, resident_id, None, ms(day_bounds(last)[1]))
            context = analysis_context(conn, resident_id)
            self._log(conn, "read", resident_id, f"analyse {first} to {last}")
        alerts = analyse(frame, context, first, last, progress=progress)
        return {"resident": resident_id, "alerts": alerts}

    def store_alerts(self, resident_id: str, alerts: Iterable[dict]) -> int:
        self._require("store_alerts", resident_id)
        records = [a for a in alerts if a.get("severity") in ("info", "amber", "red")]
        with self.db.begin() as conn:
            alert_store.store_alerts(conn, resident_id, records, [ms(parse_timestamp(a["raised_at"])) for a in records])
            if records:
                self.db.bump_data_version(conn)
        return len(records)

    def open_alerts(self, resident_id: str) -> list[dict]:
        self._require("read_health", resident_id)
        with self.db.begin() as conn:
            found = alert_store.list_alerts(conn, [resident_id], open_only=True)
            self._log(conn, "read", resident_id, "alerts", dedup=True)
        return found

    def audit_entries(self, resident_id: str | None = None) -> list[dict]:
        self._require("read_audit")
        with self.db.read() as conn:
            return access_log.entries(conn, resident_id)


    # --- coordinator screens -------------------------------------------------------------------------
    def overview(self) -> list[ResidentRow]:
        self._require("read_health")
        scope = self._scope()
        with self.db.begin() as conn:
            rows = overview_rows(conn, scope, self.clock.now())
            self._log(conn, "search", None, f"residents overview ({len(rows)})", dedup=True)
        return rows

    def resident_detail(self, resident_id: str, days: int = 28) -> ResidentDetail:
        self._require("read_health", resident_id)
        with self.db.begin() as conn:
            self._known_resident(conn, resident_id)
            detail = resident_detail(conn, resident_id, self.clock.now(), days)
            self._log(conn, "read", resident_id, "resident detail", dedup=True)
        return detail

    def resident_trends(self, resident_id: str, days: int = 56) -> list[Trend]:
        """Daily indicators of the last ``days`` days with the usual band (reads events: call off the UI thread)."""
        self._require("read_health", resident_id)
        from .analytics import daily_features

        end = self.clock.now()
        # The band needs BAND_WINDOW days before the first day shown.
        start_ms = ms(end) - (days + BAND_WINDOW + 1) * 86_400_000
        with self.db.begin() as conn:
            self._known_resident(conn, resident_id)
            frame = events_frame(conn, resident_id, start_ms, ms(end))
            context = analysis_context(conn, resident_id)
            self._log(conn, "read", resident_id, "indicator trends", dedup=True)
        features = daily_features(frame, context)
        # Only whole days: today (04:00 to 04:00) is still running and would read as a sudden drop.
        features = features[features.index.date < day_of(end)] if len(features) else features
        return indicator_trends(features, days)

    def resident_timeline(self, resident_id: str, day: date | None = None) -> DayTimeline:
        """One day's timeline per room (default: today) with the usual band from the 28 days before.

        Reads raw events of one resident for four weeks: call it off the UI thread.
        """
        self._require("read_health", resident_id)
        now = self.clock.now()
        day = day or day_of(now)
        if day > day_of(now):
            raise InputError(f"{day} has not begun yet")
        start_ms = ms(day_bounds(day - timedelta(days=TIMELINE_HISTORY_DAYS))[0])
        end_ms = min(ms(day_bounds(day)[1]), ms(now) + 1)
        with self.db.begin() as conn:
            self._known_resident(conn, resident_id)
            frame = events_frame(conn, resident_id, start_ms, end_ms)
            periods = residents.list_context(conn, resident_id)
            self._log(conn, "read", resident_id, f"room timeline {day}", dedup=True)
        # Absence and hospital stays are not "usual" days; a visit day still is the resident's own day.
        skip = {day_of(from_ms(a)) + timedelta(days=i) for type_, a, b, _note in periods if type_ != "visit"
                for i in range((day_of(from_ms(b)) - day_of(from_ms(a))).days + 1)}
        return day_timeline(frame, day, now, history_days=TIMELINE_HISTORY_DAYS, skip_days=skip)

    def watermark(self) -> int:
        return self.db.watermark()

    # --- privacy (issue 7): accounts, consent, audit chain, weekly summaries, data rights -----------
    @property
    def privacy(self) -> PrivacyService:
        return PrivacyService(self)

    @property
    def data_rights(self) -> DataRights:
        return DataRights(self)
