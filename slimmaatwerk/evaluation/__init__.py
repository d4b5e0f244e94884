"""Detection quality, measured with DESIGN.md's protocol ("Detection quality: how it is judged").

``protocol`` (which streams, which anomalies, which days), ``runner`` (simulate and replay strictly
online, in a process pool), ``metrics`` (recall with the named indicator, delays, false-alarm episodes
and alert-days; pure) and ``report`` (the JSON result with commit and command, and the README table).
Used by ``slimmaatwerk evaluate``.
"""

from .metrics import Detection, detect, episodes, false_alarm_rates
from .protocol import Case, Config, build_cases
from .report import build_result, render_table, write_result
from .runner import run_case, run_cases

__all__ = [
    "Case", "Config", "Detection", "build_cases", "build_result", "detect", "episodes", "false_alarm_rates",
    "render_table", "run_case", "run_cases", "write_result",
]
