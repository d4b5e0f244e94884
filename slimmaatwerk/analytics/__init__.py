"""Analytics: daily features, per-resident baselines, deviations and their explanations.

Pure and Qt-free: DataFrames of normalised events in, feature tables, baselines and ALERT dicts out.
statsmodels is imported lazily inside the fitting code (its import is slow).

Modules: ``frame`` (event frame contract), ``health`` (sensor health), ``presence`` (home/away),
``sleep`` (wake/bed time), ``hygiene`` (shower evidence), ``gaps`` (long-lie thresholds), ``features``
(daily table), ``baseline`` (fits), ``detect`` (scoring), ``trends`` (multi-day rules), ``realtime``
(long lie, night exit, dead sensor), ``explain`` (texts), ``alerts`` (ALERT dict), ``replay`` (analyse).
"""

from .baseline import Baseline, fit_baseline
from .context import ContextPeriod, DeviceInfo, ResidentContext
from .features import FEATURES, daily_features, hourly_activity
from .frame import validate_events
from .replay import analyse

__all__ = [
    "FEATURES",
    "Baseline",
    "ContextPeriod",
    "DeviceInfo",
    "ResidentContext",
    "analyse",
    "daily_features",
    "fit_baseline",
    "hourly_activity",
    "validate_events",
]
