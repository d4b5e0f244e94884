"""metrics: recall with the named indicator, deadlines, delays, episodes per started week, alert-days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from slimmaatwerk.evaluation.metrics import (
    alert_dates,
    deadline,
    detect,
    episodes,
    false_alarm_rates,
    recall_table,
    target_check,
)


def alert(day: str, raised: str, indicator: str, severity: str = "amber", sensors: tuple[str, ...] = ()) -> dict:
    return {"date": day, "raised_at": raised, "indicator": indicator, "severity": severity,
            "sensors": [{"device": s} for s in sensors]}


A3 = {"type": "A3", "indicators": ["kitchen_activity"], "start": "2026-02-10T04:00:00+01:00",
      "end": "2026-02-13T04:00:00+01:00", "dates": ["2026-02-10", "2026-02-11", "2026-02-12"]}


def test_named_indicator_in_time_is_a_detection_with_its_delay() -> None:
    d = detect([alert("2026-02-10", "2026-02-11T04:00:00+01:00", "kitchen_activity")], A3)
    assert d.detected and d.indicator == "kitchen_activity"
    assert d.delay_h == pytest.approx(24.0)


def test_info_alerts_and_wrong_indicators_do_not_count() -> None:
    alerts = [alert("2026-02-10", "2026-02-11T04:00:00+01:00", "kitchen_activity", "info"),
              alert("2026-02-10", "2026-02-11T04:00:00+01:00", "total_activity")]
    d = detect(alerts, A3)
    assert not d.detected and d.indicator is None
    assert d.any_alarm  # the amber total_activity alert was in the window, just not the named one


def test_deadline_is_the_end_of_the_day_after_the_last_affected_day() -> None:
    assert deadline(A3).isoformat() == "2026-02-14T04:00:00+01:00"
    late = detect([alert("2026-02-12", "2026-02-14T04:00:01+01:00", "kitchen_activity")], A3)
    on_time = detect([alert("2026-02-13", "2026-02-14T04:00:00+01:00", "kitchen_activity")], A3)
    assert not late.detected and on_time.detected


def test_alerts_before_the_anomaly_or_for_earlier_dates_do_not_count() -> None:
    early = alert("2026-02-09", "2026-02-10T03:59:00+01:00", "kitchen_activity")
    old_date = alert("2026-02-08", "2026-02-10T05:00:00+01:00", "kitchen_activity")
    assert not detect([early, old_date], A3).detected


def test_f_needs_the_alert_within_15_minutes_and_e_while_the_gap_lasts() -> None:
    f = {"type": "F", "indicators": ["night_exit"], "start": "2026-02-10T03:01:00+01:00",
         "end": "2026-02-10T03:25:00+01:00", "dates": ["2026-02-10"]}
    assert detect([alert("2026-02-10", "2026-02-10T03:16:00+01:00", "night_exit")], f).detected
    assert not detect([alert("2026-02-10", "2026-02-10T03:16:01+01:00", "night_exit")], f).detected
    e = {"type": "E", "indicators": ["inactivity"], "start": "2026-02-10T10:00:00+01:00",
         "end": "2026-02-10T14:02:00+01:00", "dates": ["2026-02-10"]}
    hit = detect([alert("2026-02-10", "2026-02-10T11:30:00+01:00", "inactivity", "red")], e)
    assert hit.detected and hit.delay_h == pytest.approx(1.5)
    assert not detect([alert("2026-02-10", "2026-02-10T14:03:00+01:00", "inactivity", "red")], e).detected


def test_g_must_be_found_within_its_28_days() -> None:
    first = date(2026, 2, 1)
    g = {"type": "G", "indicators": ["gradual_decline", "total_activity"], "start": "2026-02-01T04:00:00+01:00",
         "end": "2026-03-01T04:00:00+01:00", "dates": [(first + timedelta(days=i)).isoformat() for i in range(28)]}
    assert deadline(g).isoformat() == "2026-03-01T04:00:00+01:00"
    assert not detect([alert("2026-03-01", "2026-03-02T04:00:00+01:00", "gradual_decline")], g).detected


def test_s_needs_sensor_offline_in_time_and_no_activity_alert_on_the_dead_sensor() -> None:
    s = {"type": "S", "indicators": ["sensor_offline"], "start": "2026-02-10T12:00:00+01:00",
         "end": "2026-03-01T04:00:00+01:00", "dates": ["2026-02-10"], "device": "kitchen_motion",
         "report_interval_s": 3600}
    offline = alert("2026-02-10", "2026-02-10T14:00:00+01:00", "sensor_offline", sensors=("kitchen_motion",))
    assert detect([offline], s).detected
    late = alert("2026-02-10", "2026-02-10T14:00:01+01:00", "sensor_offline", sensors=("kitchen_motion",))
    assert not detect([late], s).detected
    blamed = alert("2026-02-11", "2026-02-12T04:00:00+01:00", "kitchen_activity", sensors=("kitchen_motion", "fridge"))
    d = detect([offline, blamed], s)
    assert not d.detected and d.blamed_dead_sensor == 1


@pytest.mark.parametrize(("days", "expected"), [
    ([], 0),
    ([1], 1),
    ([1, 2, 3], 1),  # consecutive alert days are one episode
    ([1, 3], 2),
    ([1, 2, 3, 4, 5, 6, 7], 1),
    ([1, 2, 3, 4, 5, 6, 7, 8], 2),  # an 8-day episode has started a second week
    (list(range(1, 16)), 3),
    ([1, 2, 10, 11, 12, 13, 14, 15, 16, 17], 3),
])
def test_episodes_count_once_per_started_week(days: list[int], expected: int) -> None:
    assert episodes(date(2026, 3, 1) + timedelta(days=d) for d in days) == expected


def test_false_alarm_rates_per_resident_month_with_mean_and_p90() -> None:
    month = 365.25 / 12
    quiet = (set(), round(2 * month))
    busy = ({date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 10)}, round(2 * month))
    rates = false_alarm_rates([quiet] * 9 + [busy])
    # busy: 2 episodes and 3 alert-days in ~2 months; nine quiet residents.
    assert rates["residents"] == 10
    assert rates["episodes"]["mean"] == pytest.approx(0.1, abs=0.01)
    assert rates["alert_days"]["mean"] == pytest.approx(0.15, abs=0.01)
    assert 0.0 < rates["episodes"]["p90"] < 1.0
    assert rates["episodes"]["total"] == 2 and rates["alert_days"]["total"] == 3


def test_alert_dates_ignore_info_and_recall_table_and_targets() -> None:
    alerts = [alert("2026-02-10", "x", "kitchen_activity", "info"), alert("2026-02-11", "x", "inactivity", "red"),
              alert("2026-02-11", "x", "wake_time")]
    assert alert_dates(alerts) == {date(2026, 2, 11)}
    hit = detect([alert("2026-02-10", "2026-02-11T04:00:00+01:00", "kitchen_activity")], A3)
    miss = detect([], A3)
    table = recall_table([hit, miss], ["A3", "C"])
    assert table["A3"]["recall"] == 0.5 and table["A3"]["n"] == 2
    assert table["A3"]["indicators"] == {"kitchen_activity": 1}
    assert table["C"]["recall"] is None
    fa = false_alarm_rates([(set(), 60)])
    checked = target_check(table, fa)
    assert not checked["all_recall"] and checked["episodes"] and checked["alert_days"]
