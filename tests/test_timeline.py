"""Today's timeline per room (``slimmaatwerk.timeline``) on hand-built events: activity blocks, the usual
band learnt from earlier days, late rooms, exterior doors and time out of home."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from slimmaatwerk.localtime import TZ
from slimmaatwerk.timeline import at_night, day_timeline

DAY = date(2026, 3, 2)  # a Monday; Amsterdam is UTC+1 then


def at(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=TZ)


def ev(moment: datetime, device: str, kind: str, room: str, value: float = 1.0, placement: str = "") -> dict:
    return {"timestamp": moment, "device": device, "kind": kind, "room": room, "placement": placement,
            "value": value}


def usual_day(day: date) -> list[dict]:
    """Up at 07:15, breakfast 08:30, lunch 12:30, dinner 18:00, to bed 22:30; the hall has only a sensor
    that beats."""
    return [
        ev(at(day, 7, 15), "bed-pir", "motion", "bedroom"),
        ev(at(day, 7, 16), "bed-pir", "motion", "bedroom", 0.0),  # a "clear" is no activity
        ev(at(day, 8, 30), "kitchen-pir", "motion", "kitchen"),
        ev(at(day, 8, 41), "kitchen-pir", "motion", "kitchen"),
        ev(at(day, 12, 30), "kitchen-pir", "motion", "kitchen"),
        ev(at(day, 18, 5), "kitchen-pir", "motion", "kitchen"),
        ev(at(day, 22, 30), "bed-pir", "motion", "bedroom"),
        ev(at(day, 12, 0), "hall-pir", "heartbeat", "hall"),
    ]


def frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    out["timestamp"] = pd.to_datetime(out["timestamp"].map(lambda t: t.isoformat()), utc=True)
    return out


def history(n: int = 10) -> list[dict]:
    return [row for i in range(1, n + 1) for row in usual_day(DAY - timedelta(days=i))]


def test_activity_today_in_five_minute_blocks_and_the_usual_band_per_room() -> None:
    today = [ev(at(DAY, 7, 20), "bed-pir", "motion", "bedroom"), ev(at(DAY, 8, 35), "kitchen-pir", "motion", "kitchen"),
             ev(at(DAY, 8, 37), "kitchen-pir", "motion", "kitchen"), ev(at(DAY, 8, 46), "kitchen-pir", "motion", "kitchen"),
             ev(at(DAY, 9, 40), "kitchen-pir", "motion", "kitchen")]
    tl = day_timeline(frame(history() + today), DAY, at(DAY, 11, 30))
    assert tl.now_min == 11 * 60 + 30 and tl.history_days == 10
    assert [lane.room for lane in tl.lanes] == ["bedroom", "kitchen"]  # rooms in ROOMS order; no activity sensor in the hall
    kitchen = tl.lane("kitchen")
    assert kitchen is not None
    assert kitchen.active == ((515, 520), (525, 530), (580, 585))  # 08:35 and 08:37 share a block
    assert (kitchen.first_active, kitchen.last_active) == (515, 580)  # quiet since 09:40
    assert kitchen.usual == ((510, 540), (750, 780), (1080, 1110))
    assert kitchen.usual_first == 510  # usually active by 08:30
    assert not kitchen.late
    bedroom = tl.lane("bedroom")
    assert bedroom is not None and bedroom.active == ((440, 445),) and bedroom.usual == ((420, 450), (1350, 1380))


def test_a_room_is_late_once_its_usual_first_activity_is_half_an_hour_past() -> None:
    events = frame(history() + [ev(at(DAY, 7, 20), "bed-pir", "motion", "bedroom")])
    assert not day_timeline(events, DAY, at(DAY, 8, 50)).lane("kitchen").late
    kitchen = day_timeline(events, DAY, at(DAY, 9, 5)).lane("kitchen")
    assert kitchen.late and kitchen.active == () and kitchen.last_active is None
    assert not day_timeline(events, DAY, at(DAY, 9, 5)).lane("bedroom").late


def test_nothing_after_now_and_a_finished_day_has_no_now() -> None:
    rows = history() + usual_day(DAY)
    running = day_timeline(frame(rows), DAY, at(DAY, 10, 0)).lane("kitchen")
    assert running.last_active == 8 * 60 + 41
    done = day_timeline(frame(rows), DAY, at(DAY + timedelta(days=1), 9, 0))
    assert done.now_min is None
    assert done.lane("kitchen").last_active == 18 * 60 + 5
    assert done.lane("bedroom").last_active == 22 * 60 + 30


def test_the_day_runs_from_four_to_four_so_a_night_visit_belongs_to_the_evening_before() -> None:
    rows = history() + [ev(at(DAY + timedelta(days=1), 2, 10), "wc", "usage", "toilet", placement="toilet"),
                        ev(at(DAY, 3, 50), "wc", "usage", "toilet", placement="toilet")]
    tl = day_timeline(frame(rows), DAY, at(DAY + timedelta(days=1), 3, 0))
    assert tl.now_min == 27 * 60
    assert tl.lane("toilet").active == ((1570, 1575),)  # 02:10 the next morning; 03:50 was the day before


def test_a_room_first_used_at_night_is_known_as_such_not_as_a_morning_room() -> None:
    # The bathroom only sees the night toilet visit (02:18, the next morning in the 04:00-04:00 day).
    night_visits = [ev(at(DAY - timedelta(days=i) + timedelta(days=1), 2, 18), "bath-pir", "motion", "bathroom")
                    for i in range(1, 11)]
    tl = day_timeline(frame(history() + night_visits), DAY, at(DAY, 11, 0))
    bathroom, kitchen = tl.lane("bathroom"), tl.lane("kitchen")
    assert bathroom.usual_first == 24 * 60 + 2 * 60 + 18  # 02:18 after this day's midnight
    assert bathroom.usually_first_at_night and not bathroom.late
    assert kitchen.usual_first == 510 and not kitchen.usually_first_at_night  # 08:30 is the morning
    assert [at_night(m) for m in (240, 299, 300, 1439, 1440, 1679)] == [True, True, False, False, True, True]


def test_doors_and_time_out_of_home() -> None:
    today = [
        ev(at(DAY, 9, 55), "living-pir", "motion", "living"),
        ev(at(DAY, 10, 0), "door", "contact", "entrance", 1.0, "front_door"),
        ev(at(DAY, 10, 0, 30), "door", "contact", "entrance", 0.0, "front_door"),
        ev(at(DAY, 11, 0), "door", "contact", "entrance", 1.0, "front_door"),
        ev(at(DAY, 11, 0, 20), "door", "contact", "entrance", 0.0, "front_door"),
        ev(at(DAY, 11, 5), "living-pir", "motion", "living"),
    ]
    tl = day_timeline(frame(history() + today), DAY, at(DAY, 12, 0))
    assert tl.doors == (600, 660)
    assert tl.away == ((600, 660),)
    assert tl.lane("entrance").active == ((600, 605), (660, 665))
    still_out = day_timeline(frame(history() + today[:3]), DAY, at(DAY, 10, 40))
    assert still_out.away == ((600, 640),)  # out until now


def test_usual_needs_a_week_of_comparable_days_and_skips_absences_and_empty_days() -> None:
    rows = history(10)
    absent = [DAY - timedelta(days=i) for i in range(1, 5)]
    tl = day_timeline(frame(rows), DAY, at(DAY, 9, 30), skip_days=absent)
    assert tl.history_days == 6
    assert tl.lane("kitchen").usual == () and tl.lane("kitchen").usual_first is None
    assert not tl.lane("kitchen").late  # without a usual pattern nothing is "late"
    sparse = [r for r in rows if r["timestamp"].date() >= DAY - timedelta(days=3)]
    assert day_timeline(frame(sparse), DAY, at(DAY, 9, 30)).history_days == 3


def test_no_events_gives_an_empty_timeline_and_bad_input_a_clear_error() -> None:
    empty = pd.DataFrame({"timestamp": pd.Series([], dtype="datetime64[ns, UTC]"), "device": [], "kind": [],
                          "room": [], "placement": [], "value": pd.Series([], dtype=float)})
    tl = day_timeline(empty, DAY, at(DAY, 9, 0))
    assert (tl.lanes, tl.doors, tl.away, tl.history_days) == ((), (), (), 0)
    with pytest.raises(ValueError, match="history_days"):
        day_timeline(empty, DAY, at(DAY, 9, 0), history_days=-1)
    with pytest.raises(ValueError, match="lack column"):
        day_timeline(pd.DataFrame({"timestamp": []}), DAY, at(DAY, 9, 0))
