"""The weekly summary as a reader gets it: the facts worded, cut down to the sections this reader may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..consent import ALWAYS, SECTIONS
from . import wording as w
from .week import week_label
from .weekly import Figure, WeekFacts

# The figures each section is about, with a short label for "what stood out".
NOTABLE: dict[str, list[tuple[str, dict[str, str], dict]]] = {
    "sleep": [("wake_time", {"nl": "opstaan", "en": "getting up"}, w.TIME_WORDS),
              ("bed_time", {"nl": "naar bed gaan", "en": "going to bed"}, w.TIME_WORDS),
              ("sleep_duration", {"nl": "tijd in bed", "en": "time in bed"}, w.AMOUNT_WORDS)],
    "night_toilet": [("night_toilet_visits", {"nl": "toiletbezoek 's nachts", "en": "night-time toilet visits"},
                      w.AMOUNT_WORDS)],
    "meals": [("kitchen_activity", {"nl": "bezigheid in de keuken", "en": "activity in the kitchen"},
               w.AMOUNT_WORDS)],
    "going_out": [("days_out", {"nl": "naar buiten gaan", "en": "going out"}, w.AMOUNT_WORDS)],
    "activity": [("total_activity", {"nl": "bezigheid in huis", "en": "activity at home"}, w.AMOUNT_WORDS)],
    "hygiene": [("showers", {"nl": "douchen", "en": "showering"}, w.AMOUNT_WORDS)],
}


@dataclass(frozen=True)
class WeeklySummary:
    resident_id: str
    name: str
    week: str
    first: date
    last: date
    audience: dict[str, str]
    sections: tuple[w.Section, ...]
    made: datetime

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.sections)


def _notable(figures: dict[str, Figure], facts: WeekFacts) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for section, items in NOTABLE.items():
        for key, label, table in items:
            fig = figures[key]
            if fig.notable:
                for lang in w.LANGS:
                    out.setdefault(section, {}).setdefault(lang, []).append(
                        f"{label[lang]} {table[(fig.direction, fig.degree)][lang]}")
    if facts.alerts:
        n = len(facts.alerts)
        out["care_team"] = {"nl": [f"{n} melding{'en' if n > 1 else ''} voor het zorgteam"],
                            "en": [f"{n} signal{'s' if n > 1 else ''} for the care team"]}
    return out


def build_summary(facts: WeekFacts, allowed: set[str], audience: dict[str, str], made: datetime) -> WeeklySummary:
    """Only sections in ``allowed`` (plus "what the sensors cannot see") are worded at all."""
    f = facts.figures
    makers = {
        "sleep": lambda: w.sleep_section(f),
        "night_toilet": lambda: w.night_toilet_section(f["night_toilet_visits"]),
        "meals": lambda: w.count_section("meals", f["kitchen_activity"], "Bezigheid in de keuken (maaltijden)",
                                         "Activity in the kitchen (meals)"),
        "going_out": lambda: w.going_out_section(f["days_out"], f["hours_out"], facts.days_measured),
        "activity": lambda: w.count_section("activity", f["total_activity"], "Bezigheid in huis",
                                            "Activity at home"),
        "hygiene": lambda: w.hygiene_section(f["showers"], facts.days_measured),
        "care_team": lambda: w.care_team_section(facts),
    }
    shown = [key for key in SECTIONS if key in allowed]
    sections = []
    if "week" in allowed:
        sections.append(w.week_section(facts, shown, _notable(f, facts)))
    sections += [makers[key]() for key in shown if key in makers]
    sections.append(w.limits_section(facts))
    if any(s.key not in allowed and s.key != ALWAYS for s in sections):
        raise RuntimeError("a section without consent was worded")  # a bug, never a reader's problem
    return WeeklySummary(facts.resident_id, facts.name, week_label(facts.monday), facts.monday,
                         facts.monday.fromordinal(facts.monday.toordinal() + 6), audience, tuple(sections), made)


def plain_text(summary: WeeklySummary, lang: str) -> str:
    """The summary as plain text: golden files, and the text the PDF and HTML carry."""
    title = {"nl": "Weekoverzicht", "en": "Weekly summary"}[lang]
    lines = [f"{title} {summary.name} — {summary.week}",
             f"{w.day_text(summary.first, lang)} – {w.day_text(summary.last, lang)}",
             summary.audience[lang], ""]
    for section in summary.sections:
        lines.append(section.title[lang])
        lines.extend(section.paragraphs[lang])
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
