"""Who owns an alert now, and escalating red alerts nobody acknowledged. Qt-free; the engine runs it.

- Ownership: every resident belongs to a team; the team's rota says who is on duty at a local wall-clock
  time (office hours, evening, night on-call past midnight). Rota times are Europe/Amsterdam local time,
  so a 23:00-08:00 night shift covers the right hours on both sides of a DST change.
- Escalation: a red alert still ``new`` (not acknowledged, not assigned) ``delay_min`` minutes after it
  was raised escalates once to every configured channel inside the organisation: an MQTT topic on the
  organisation's own broker, an internal SMTP relay, or an alarm centre's webhook. Each attempt is logged
  (``escalation_log`` and the alert's history); a failing channel is retried with backoff and, after
  ``MAX_ATTEMPTS``, reported as failed — never an exception into the engine's loop.

``EscalationRunner(db, clock, channels).tick()`` is what the engine calls every minute.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import urlsplit

from .clock import Clock
from .errors import InputError
from .localtime import format_timestamp, from_ms, ms, to_local
from .storage import access_log
from .storage import alert_history as history_store
from .storage import teams as team_store
from .storage.database import Database
from .storage.teams import ChannelConfig, Contact, EscalationPolicy, RotaEntry

_log = logging.getLogger(__name__)

ESCALATE_SEVERITIES = frozenset({"red"})
# An old backlog (escalation just switched on, engine down for a day) must not page the night nurse.
MAX_AGE_MS = 24 * 3600 * 1000
MAX_ATTEMPTS = 8
FIRST_RETRY_MS = 60 * 1000
MAX_RETRY_MS = 30 * 60 * 1000
SEND_TIMEOUT_S = 10.0
ENGINE_ACTOR = "engine"
WEEKDAY_BITS = 0b1111111


# --- the rota -----------------------------------------------------------------------------------------
def weekday_mask(days: Sequence[int]) -> int:
    """A bit set of weekdays (0 = Monday ... 6 = Sunday)."""
    mask = 0
    for day in days:
        if not 0 <= day <= 6:
            raise InputError(f"weekday must be 0 (Monday) to 6 (Sunday), not {day}")
        mask |= 1 << day
    return mask


def weekdays_of(mask: int) -> list[int]:
    return [d for d in range(7) if mask >> d & 1]


def check_rota_entry(entry: RotaEntry) -> RotaEntry:
    if not entry.team.strip() or not entry.person.strip() or not entry.role.strip():
        raise InputError("a rota entry needs a team, a role and a person")
    if not 0 < entry.weekdays <= WEEKDAY_BITS:
        raise InputError("a rota entry needs at least one weekday")
    for value in (entry.start_min, entry.end_min):
        if not 0 <= value < 24 * 60:
            raise InputError(f"shift times are minutes after midnight (0-1439), not {value}")
    return entry


def covers(entry: RotaEntry, moment: datetime) -> bool:
    """Is ``moment`` inside this shift? A shift past midnight belongs to the weekday it starts on."""
    local = to_local(moment)
    minute = local.hour * 60 + local.minute
    today = local.weekday()
    on = entry.weekdays >> today & 1
    if entry.start_min < entry.end_min:
        return bool(on) and entry.start_min <= minute < entry.end_min
    yesterday_on = entry.weekdays >> ((today - 1) % 7) & 1
    return (bool(on) and minute >= entry.start_min) or (bool(yesterday_on) and minute < entry.end_min)


def _started(entry: RotaEntry, moment: datetime) -> int:
    """Minutes since this (covering) shift started, in wall-clock terms, to prefer the latest shift."""
    local = to_local(moment)
    minute = local.hour * 60 + local.minute
    return (minute - entry.start_min) % (24 * 60)


def on_duty(rota: Sequence[RotaEntry], team: str, moment: datetime) -> RotaEntry | None:
    """Who owns ``team``'s alerts at ``moment``; with overlapping shifts, the one that started last."""
    covering = [e for e in rota if e.team == team and covers(e, moment)]
    return min(covering, key=lambda e: (_started(e, moment), e.id), default=None)


def is_due(severity: str, status: str, raised_ms: int, policy: EscalationPolicy, now_ms: int) -> bool:
    """Should this alert escalate now? Red, still new, unacknowledged for the whole delay, not stale."""
    waited = now_ms - raised_ms
    return (policy.enabled and severity in ESCALATE_SEVERITIES and status == "new"
            and policy.delay_min * 60_000 <= waited <= MAX_AGE_MS)


def retry_delay_ms(attempt: int) -> int:
    """Backoff after the ``attempt``-th failure: 1, 2, 4 ... minutes, at most 30."""
    return min(FIRST_RETRY_MS * 2 ** max(attempt - 1, 0), MAX_RETRY_MS)


# --- the notice and the channels ------------------------------------------------------------------------
@dataclass(frozen=True)
class Notice:
    """What an escalation tells the organisation: whose alert, how long unanswered, who to call."""

    alert_id: int
    resident_id: str
    resident_name: str
    team: str
    indicator: str
    severity: str
    raised_at: str  # ISO 8601, local time with offset
    waited_min: int
    on_duty: dict[str, str]  # person, role, phone; empty when nobody is on duty
    contacts: list[dict] = field(default_factory=list)
    explanation: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> bytes:
        body = {"type": "slimmaatwerk.escalation", "version": 1, **asdict(self), "text": self.text()}
        return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def subject(self) -> str:
        return (f"Slim Maatwerk: rode melding niet opgepakt / red alert not acknowledged — "
                f"{self.resident_name} ({self.resident_id})")

    def text(self) -> dict[str, str]:
        duty_nl = (f"{self.on_duty['person']} ({self.on_duty['role']}, {self.on_duty['phone'] or 'geen nummer'})"
                   if self.on_duty else "NIEMAND — er is geen dienst ingeroosterd")
        duty_en = (f"{self.on_duty['person']} ({self.on_duty['role']}, {self.on_duty['phone'] or 'no number'})"
                   if self.on_duty else "NOBODY — no shift is on the rota")
        calls = "; ".join(f"{c['position']}. {c['name']} {c['phone']}".strip() for c in self.contacts) or "—"
        return {
            "nl": (f"Rode melding '{self.indicator}' voor {self.resident_name} ({self.resident_id}, team "
                   f"{self.team or '—'}) is na {self.waited_min} minuten nog niet gezien. Dienst: {duty_nl}. "
                   f"Bellijst: {calls}. {self.explanation.get('nl', '')}").strip(),
            "en": (f"Red alert '{self.indicator}' for {self.resident_name} ({self.resident_id}, team "
                   f"{self.team or '—'}) has not been acknowledged after {self.waited_min} minutes. On duty: "
                   f"{duty_en}. Call list: {calls}. {self.explanation.get('en', '')}").strip(),
        }


class Channel(Protocol):
    name: str

    def send(self, notice: Notice) -> None:
        """Deliver the notice or raise; the runner retries and logs."""
        ...


class MqttChannel:
    """Publishes the notice as JSON to a topic on the organisation's own broker."""

    def __init__(self, name: str, topic: str, publish: Callable[[str, bytes], None]) -> None:
        if not topic or any(ch in topic for ch in "+#"):
            raise InputError(f"escalation topic {topic!r} must be a plain topic without wildcards")
        self.name, self.topic, self._publish = name, topic, publish

    def send(self, notice: Notice) -> None:
        self._publish(self.topic, notice.as_json())


class SmtpChannel:
    """Mails the notice (Dutch and English) through the organisation's internal SMTP relay."""

    def __init__(self, name: str, host: str, port: int, sender: str, recipients: Sequence[str], *,
                 starttls: bool = False, username: str | None = None, password: str | None = None,
                 timeout_s: float = SEND_TIMEOUT_S) -> None:
        if not host or not sender or not recipients:
            raise InputError("an SMTP escalation channel needs a relay host, a sender and recipients")
        self.name, self.host, self.port, self.sender = name, host, int(port), sender
        self.recipients = list(recipients)
        self.starttls, self.username, self.password, self.timeout_s = starttls, username, password, timeout_s

    def send(self, notice: Notice) -> None:
        message = EmailMessage()
        message["Subject"] = notice.subject()
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        text = notice.text()
        message.set_content(f"{text['nl']}\n\n---\n\n{text['en']}\n")
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


class WebhookChannel:
    """POSTs the notice as JSON to an alarm centre inside the organisation (never through a proxy)."""

    def __init__(self, name: str, url: str, *, token: str | None = None,
                 timeout_s: float = SEND_TIMEOUT_S) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"webhook URL {url!r} must be http(s)://host[:port]/path")
        self.name, self.url, self._token, self.timeout_s = name, url, token, timeout_s
        # An internal URL must go straight to the alarm centre, not via an HTTP(S)_PROXY of the machine.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def send(self, notice: Notice) -> None:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        request = urllib.request.Request(self.url, data=notice.as_json(), headers=headers, method="POST")
        with self._opener.open(request, timeout=self.timeout_s) as response:
            if not 200 <= response.status < 300:
                raise OSError(f"webhook answered HTTP {response.status}")


def make_channel(config: ChannelConfig, *, publish: Callable[[str, bytes], None] | None = None,
                 secret: Callable[[str], str | None] = lambda _key: None) -> Channel:
    """A channel from its stored settings; ``secret(key)`` looks up passwords and tokens (keyring)."""
    c = config.config
    if config.kind == "mqtt":
        if publish is None:
            raise InputError("an MQTT escalation channel needs the engine's broker connection")
        return MqttChannel(config.name, str(c.get("topic", "")), publish)
    if config.kind == "smtp":
        user = str(c.get("username", "")) or None
        return SmtpChannel(config.name, str(c.get("host", "")), int(c.get("port", 25)), str(c.get("sender", "")),
                           list(c.get("recipients", [])), starttls=bool(c.get("starttls", False)), username=user,
                           password=secret(f"escalation:{config.name}") if user else None)
    if config.kind == "webhook":
        return WebhookChannel(config.name, str(c.get("url", "")), token=secret(f"escalation:{config.name}"))
    raise InputError(f"unknown escalation channel kind {config.kind!r}")


def configured_channels(db: Database, *, publish: Callable[[str, bytes], None] | None = None,
                        secret: Callable[[str], str | None] = lambda _key: None) -> list[Channel]:
    """The enabled channels as stored by the settings screen; one that cannot be built is logged, skipped."""
    with db.read() as conn:
        configs = [c for c in team_store.channels(conn) if c.enabled]
    built: list[Channel] = []
    for config in configs:
        try:
            built.append(make_channel(config, publish=publish, secret=secret))
        except InputError as exc:
            _log.error("escalation channel %s is not usable: %s", config.name, exc)
    return built


# --- the runner -----------------------------------------------------------------------------------------
@dataclass
class TickReport:
    started: list[int] = field(default_factory=list)  # alert ids that began escalating this tick
    sent: list[tuple[int, str]] = field(default_factory=list)  # (alert id, channel)
    retrying: list[tuple[int, str, str]] = field(default_factory=list)  # (alert id, channel, error)
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # gave up: (alert id, channel, error)


class EscalationRunner:
    """Escalates due red alerts; the engine calls ``tick()`` every minute, also with no desktop open.

    ``channels`` is a list, or a function returning the current list (so changed settings apply without a
    restart). ``actor_id`` is the engine's account: with it, each delivered notice is also written to the
    access log as a disclosure of the resident's data.
    """

    def __init__(self, db: Database, clock: Clock,
                 channels: Sequence[Channel] | Callable[[], Sequence[Channel]], *,
                 actor_id: int | None = None) -> None:
        self.db, self.clock, self._channels, self.actor_id = db, clock, channels, actor_id

    def channels(self) -> list[Channel]:
        return list(self._channels() if callable(self._channels) else self._channels)

    def tick(self) -> TickReport:
        report = TickReport()
        try:
            channels = {c.name: c for c in self.channels()}
            self._start_due(channels, report)
            self._deliver(channels, report)
        except Exception:  # noqa: BLE001 - the engine's loop must survive a broken database or channel
            _log.exception("escalation tick failed; trying again next tick")
        for alert_id, channel, error in report.failed:
            _log.error("escalation of alert %s to %s failed for good: %s", alert_id, channel, error)
        return report

    def _start_due(self, channels: dict[str, Channel], report: TickReport) -> None:
        now = ms(self.clock.now())
        with self.db.begin() as conn:
            policy = team_store.escalation_policy(conn)
            if not policy.enabled or not channels:
                return
            candidates = history_store.inbox_records(conn, ["new"], severity="red")
            due = [c for c in candidates
                   if is_due(c.alert.severity, c.alert.status, c.alert.raised_ms, policy, now)]
            if not due:
                return
            done = team_store.escalated_alert_ids(conn, [c.alert.id for c in due])
            rota = team_store.rota(conn)
            for record in due:
                if record.alert.id in done:
                    continue
                duty = on_duty(rota, record.team, self.clock.now())
                for name in channels:
                    team_store.open_escalation(conn, record.alert.id, name, now, duty.person if duty else "")
                report.started.append(record.alert.id)
            if report.started:
                self.db.bump_data_version(conn)

    def _deliver(self, channels: dict[str, Channel], report: TickReport) -> None:
        now = ms(self.clock.now())
        with self.db.read() as conn:
            due = [r for r in team_store.due_escalations(conn, now) if r.channel in channels]
        for record in due:
            notice, status = self._notice(record.alert_id)
            if notice is None:  # acknowledged (or gone) meanwhile: nobody needs to be woken any more
                with self.db.begin() as conn:
                    team_store.finish_attempt(conn, record.id, status="cancelled", attempts=record.attempts,
                                              now_ms=now, error=f"alert is {status}")
                continue
            try:
                channels[record.channel].send(notice)
                error = ""
            except Exception as exc:  # noqa: BLE001 - any failure of a channel is retried, never raised
                error = f"{type(exc).__name__}: {exc}"
            self._record(record, notice, error, now, report)

    def _notice(self, alert_id: int) -> tuple[Notice | None, str]:
        with self.db.read() as conn:
            alert = history_store.get_alert(conn, alert_id)
            if alert is None or alert.status != "new":
                return None, alert.status if alert else "deleted"
            found = history_store.inbox_records(conn, ["new"], resident_id=alert.resident_id)
            record = next(r for r in found if r.alert.id == alert_id)
            duty = on_duty(team_store.rota(conn, record.team), record.team, self.clock.now())
            calls = team_store.contacts(conn, alert.resident_id)
        return build_notice(record, duty, calls, self.clock.now()), alert.status

    def _record(self, record: team_store.EscalationRecord, notice: Notice, error: str, now: int,
                report: TickReport) -> None:
        attempts = record.attempts + 1
        with self.db.begin() as conn:
            if not error:
                team_store.finish_attempt(conn, record.id, status="sent", attempts=attempts, now_ms=now)
                history_store.append(conn, record.alert_id, now, ENGINE_ACTOR, "escalated", detail=record.channel)
                if self.actor_id is not None:
                    access_log.append(conn, now, self.actor_id, "disclosure", notice.resident_id,
                                      f"alert {record.alert_id} escalated to {record.channel}")
                report.sent.append((record.alert_id, record.channel))
            elif attempts >= MAX_ATTEMPTS:
                team_store.finish_attempt(conn, record.id, status="failed", attempts=attempts, now_ms=now,
                                          error=error)
                history_store.append(conn, record.alert_id, now, ENGINE_ACTOR, "escalation_failed",
                                     detail=f"{record.channel}: {error}")
                report.failed.append((record.alert_id, record.channel, error))
            else:
                team_store.finish_attempt(conn, record.id, status="pending", attempts=attempts, now_ms=now,
                                          next_attempt_ms=now + retry_delay_ms(attempts), error=error)
                _log.warning("escalation of alert %s to %s failed (attempt %d), retrying: %s",
                             record.alert_id, record.channel, attempts, error)
                report.retrying.append((record.alert_id, record.channel, error))
            self.db.bump_data_version(conn)


def build_notice(record: history_store.InboxRecord, duty: RotaEntry | None, calls: Sequence[Contact],
                 now: datetime) -> Notice:
    alert = record.alert
    waited = (now - from_ms(alert.raised_ms)) // timedelta(minutes=1)
    return Notice(
        alert.id, alert.resident_id, record.resident_name, record.team, alert.indicator, alert.severity,
        format_timestamp(from_ms(alert.raised_ms)), int(waited),
        {"person": duty.person, "role": duty.role, "phone": duty.phone} if duty else {},
        [{"position": c.position, "name": c.name, "relation": c.relation, "phone": c.phone} for c in calls],
        dict(alert.payload.get("explanation") or {}),
    )
