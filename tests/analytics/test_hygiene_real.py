"""The shower detector on a real bathroom humidity series (Open Smart Home Data Set, Fraunhofer IBP,
CC BY-SA 4.0; tests/fixtures/opensmarthome): real showers found, real decays, drifts and bumps ignored."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from slimmaatwerk.analytics.hygiene import HUMIDITY_RISE, humidity_showers

SERIES = Path(__file__).parents[1] / "fixtures" / "opensmarthome" / "Bathroom_Humidity.csv"
TZ = ZoneInfo("Europe/Berlin")
NS = 1_000_000_000
MIN = 60 * NS


@pytest.fixture(scope="module")
def real() -> tuple[np.ndarray, np.ndarray]:
    data = np.loadtxt(SERIES, delimiter="\t")
    return data[:, 0].astype(np.int64) * NS, data[:, 1].astype(float)


def _ns(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()) * NS


def _near(onsets: np.ndarray, when: int, minutes: int = 15) -> bool:
    return bool(np.any(np.abs(onsets - when) <= minutes * MIN))


def test_the_real_series_has_a_plausible_number_of_showers(real: tuple[np.ndarray, np.ndarray]) -> None:
    t, v = real
    onsets = humidity_showers(t, v)
    days = (t[-1] - t[0]) / (24 * 3600 * NS)
    per_day = np.bincount(((onsets - t[0]) // (24 * 3600 * NS)).astype(int))
    # A shared flat: about one shower a day, never a burst of "showers" from one decaying curve.
    assert 0.8 <= len(onsets) / days <= 1.6
    assert per_day.max() <= 3
    assert np.all(np.diff(onsets) > 60 * MIN)


def test_every_detected_shower_is_a_real_humidity_peak(real: tuple[np.ndarray, np.ndarray]) -> None:
    t, v = real
    for onset in humidity_showers(t, v):
        before = v[(t >= onset - 60 * MIN) & (t < onset)]
        after = v[(t >= onset) & (t <= onset + 30 * MIN)]
        low = before.min() if len(before) else v[np.searchsorted(t, onset) - 1]
        assert after.max() - low >= HUMIDITY_RISE


def test_the_threshold_sits_on_a_plateau(real: tuple[np.ndarray, np.ndarray],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Days without a shower barely move for rise thresholds from 8 to 20 %RH: not a tuned knife-edge."""
    from slimmaatwerk.analytics import hygiene

    t, v = real
    day = ((t - t[0]) // (24 * 3600 * NS)).astype(int)
    empty = []
    for rise in (8.0, 12.0, 20.0):
        monkeypatch.setattr(hygiene, "HUMIDITY_RISE", rise)
        onsets = hygiene.humidity_showers(t, v)
        showered = set(((onsets - t[0]) // (24 * 3600 * NS)).astype(int).tolist())
        empty.append(len(set(day.tolist()) - showered))
    assert max(empty) - min(empty) <= 2, empty


@pytest.mark.parametrize("moment", ["2017-03-28T20:55", "2017-04-10T17:41", "2017-04-15T11:09",
                                    "2017-04-30T09:49", "2017-04-30T14:25", "2017-04-30T21:36",
                                    "2017-03-30T22:10"])
def test_known_showers_are_found(real: tuple[np.ndarray, np.ndarray], moment: str) -> None:
    assert _near(humidity_showers(*real), _ns(moment))


@pytest.mark.parametrize(("label", "moment"), [
    ("rebound while the 22:10 shower decays", "2017-03-30T23:30"),
    ("recovery after the room aired out to 31 %", "2017-04-30T15:03"),
    ("slow decay after the 16:42 shower", "2017-03-12T17:03"),
])
def test_decays_and_rebounds_are_not_showers(real: tuple[np.ndarray, np.ndarray], label: str, moment: str) -> None:
    assert not _near(humidity_showers(*real), _ns(moment), minutes=20), label


def test_slow_drift_changes_nothing(real: tuple[np.ndarray, np.ndarray]) -> None:
    t, v = real
    drift = 8.0 * np.sin(2 * np.pi * (t - t[0]) / (9 * 24 * 3600 * NS)) + 4.0 * (t - t[0]) / (t[-1] - t[0])
    assert np.array_equal(humidity_showers(t, v + drift), humidity_showers(t, v))


def test_cooking_and_laundry_bumps_add_no_showers(real: tuple[np.ndarray, np.ndarray]) -> None:
    t, v = real
    rng = np.random.default_rng(1)
    bumped = v.copy()
    for start in rng.uniform(t[0], t[-1], 200):
        # +6 %RH building up over 20 minutes and fading over an hour (a pan of soup, a drying rack).
        rel = np.clip((t - start) / MIN, -1, 10_000)
        bumped += np.where(rel < 0, 0, np.where(rel < 20, 6 * rel / 20, 6 * np.exp(-(rel - 20) / 60)))
    base = humidity_showers(t, v)
    found = humidity_showers(t, np.round(bumped))
    extra = [x for x in found if not _near(base, x, minutes=30)]
    assert len(extra) <= 2, [datetime.fromtimestamp(x / NS, TZ).isoformat() for x in extra]
    assert sum(_near(found, x, minutes=30) for x in base) >= 0.95 * len(base)


def test_change_based_reporting_still_finds_the_showers(real: tuple[np.ndarray, np.ndarray]) -> None:
    t, v = real
    # A sensor that only reports a change of 3 %RH or more (or every 3 hours): rises arrive as jumps.
    keep, last_v, last_t = [], -100.0, -(10**18)
    for i, (ti, vi) in enumerate(zip(t.tolist(), v.tolist(), strict=True)):
        if abs(vi - last_v) >= 3 or ti - last_t >= 180 * MIN:
            keep.append(i)
            last_v, last_t = vi, ti
    sparse = humidity_showers(t[keep], v[keep])
    base = humidity_showers(t, v)
    assert len(keep) < 0.6 * len(t)
    assert sum(_near(sparse, x, minutes=30) for x in base) >= 0.9 * len(base)
    assert len(sparse) <= 1.1 * len(base)
