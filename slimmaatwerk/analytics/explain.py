"""Alert explanations in Dutch and English, written for a care coordinator, not a data scientist.

Every text says what was observed, what is usual for this resident (the band and how many days it was
learnt from), and whether the sensors involved were working, so a dead sensor is never mistaken for
an empty room. Only plain words and local times; no scores.
"""

from __future__ import annotations

from datetime import date
from typing import Any

DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")
SHORT_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SHORT_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
ROOMS_EN = {"bedroom": "bedroom", "bathroom": "bathroom", "toilet": "toilet", "kitchen": "kitchen",
            "living": "living room", "hall": "hall", "entrance": "entrance", "other": "other room"}
ROOMS_NL = {"bedroom": "slaapkamer", "bathroom": "badkamer", "toilet": "toilet", "kitchen": "keuken",
            "living": "woonkamer", "hall": "gang", "entrance": "entree", "other": "overige ruimte"}


def long_date(d: date, lang: str) -> str:
    if lang == "nl":
        return f"{DAYS_NL[d.weekday()]} {d.day} {MONTHS_NL[d.month - 1]}"
    return f"{DAYS_EN[d.weekday()]} {d.day} {MONTHS_EN[d.month - 1]}"


def short_date(d: date, lang: str) -> str:
    return f"{d.day} {(SHORT_NL if lang == 'nl' else SHORT_EN)[d.month - 1]}"


def clock(minutes: float) -> str:
    """Minutes after midnight (may be negative or beyond 1440) as a wall-clock time."""
    m = round(float(minutes)) % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def duration(minutes: float, lang: str) -> str:
    m = round(float(minutes))
    h, rest = divmod(m, 60)
    if h == 0:
        return f"{rest} min"
    unit = "uur" if lang == "nl" else "h"
    return f"{h} {unit}" if rest == 0 else f"{h} {unit} {rest} min"


def number(x: float, lang: str, decimals: int = 0) -> str:
    text = f"{x:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def learnt(baseline: dict[str, Any], lang: str) -> str:
    """'learnt from 35 days, 6 Jan-9 Feb' / 'geleerd uit 35 dagen, 6 jan-9 feb'."""
    first, last, days = date.fromisoformat(baseline["from"]), date.fromisoformat(baseline["to"]), baseline["days"]
    if lang == "nl":
        return f"geleerd uit {days} dagen, {short_date(first, 'nl')}-{short_date(last, 'nl')}"
    return f"learnt from {days} days, {short_date(first, 'en')}-{short_date(last, 'en')}"


def sensor_sentence(rooms: list[str], healthy: bool, lang: str) -> str:
    """Whether the sensors behind the alert were working."""
    if not rooms:
        names_en, names_nl = "the home", "de woning"
    else:
        names_en = " and ".join(ROOMS_EN.get(r, r) for r in rooms)
        names_nl = " en ".join(ROOMS_NL.get(r, r) for r in rooms)
    if healthy:
        if lang == "nl":
            return f"De sensoren in {'de ' if rooms else ''}{names_nl} werkten normaal, dus dit is geen sensorstoring."
        lead = f"{names_en[0].upper()}{names_en[1:]} sensors" if rooms else "All sensors"
        return f"{lead} reported normally, so this is not a sensor fault."
    if lang == "nl":
        return f"Let op: niet alle sensoren in {'de ' if rooms else ''}{names_nl} werkten; controleer ze."
    return f"Note: not all sensors in the {names_en if rooms else 'home'} were working; please check them."


# Per indicator: (what was seen, in English and Dutch). Placeholders are filled by ``explain``.
PHRASES: dict[str, dict[str, str]] = {
    "kitchen_activity": {
        "en_none": "No kitchen activity {when}", "nl_none": "Geen activiteit in de keuken {when}",
        "en": "Much less kitchen activity than usual {when}: {obs} events{per}",
        "nl": "Veel minder activiteit in de keuken dan gewoonlijk {when}: {obs} keer{per}",
        "en_usual": "usually {lo} to {hi} events a day", "nl_usual": "gewoonlijk {lo} tot {hi} keer per dag",
    },
    "total_activity": {
        "en": "Much less activity in the home than usual {when}: {obs} sensor events{per}",
        "nl": "Veel minder activiteit in huis dan gewoonlijk {when}: {obs} sensormeldingen{per}",
        "en_usual": "usually {lo} to {hi} a day", "nl_usual": "gewoonlijk {lo} tot {hi} per dag",
    },
    "activity_pace": {
        "en": "Moving about less than usual {when}: {obs} sensor events per quarter of an hour with any activity{per}",
        "nl": "Minder in beweging dan gewoonlijk {when}: {obs} sensormeldingen per kwartier waarin iets gebeurde{per}",
        "en_usual": "usually {lo} to {hi}", "nl_usual": "gewoonlijk {lo} tot {hi}",
    },
    "room_transitions": {
        "en": "Far fewer moves between rooms than usual {when}: {obs}{per}",
        "nl": "Veel minder verplaatsingen tussen kamers dan gewoonlijk {when}: {obs}{per}",
        "en_usual": "usually {lo} to {hi} a day", "nl_usual": "gewoonlijk {lo} tot {hi} per dag",
    },
    "night_toilet_visits": {
        "en": "More night-time toilet visits than usual {night}: {obs} visits between going to bed and getting up{per}",
        "nl": "Vaker 's nachts naar het toilet dan gewoonlijk {night}: {obs} keer tussen naar bed gaan en opstaan{per}",
        "en_usual": "usually {lo} to {hi} a night", "nl_usual": "gewoonlijk {lo} tot {hi} per nacht",
    },
    "night_restlessness": {
        "en": "A restless night {night}: {obs} times up and about in the home (not to the toilet) between going to bed and getting up{per}",
        "nl": "Een onrustige nacht {night}: {obs} keer op en in huis bezig (niet naar het toilet) tussen naar bed gaan en opstaan{per}",
        "en_usual": "usually {lo} to {hi} a night", "nl_usual": "gewoonlijk {lo} tot {hi} per nacht",
    },
    "wake_time": {
        "en": "Got up later than usual {when}: at {obs}{per}",
        "nl": "Later opgestaan dan gewoonlijk {when}: om {obs}{per}",
        "en_usual": "usually between {lo} and {hi}", "nl_usual": "gewoonlijk tussen {lo} en {hi}",
    },
    "bed_time": {
        "en": "Went to bed later than usual {when}: at {obs}{per}",
        "nl": "Later naar bed gegaan dan gewoonlijk {when}: om {obs}{per}",
        "en_usual": "usually between {lo} and {hi}", "nl_usual": "gewoonlijk tussen {lo} en {hi}",
    },
    "sleep_duration": {
        "en": "{more_en} in bed than usual {night}: {obs} hours{per}",
        "nl": "{more_nl} in bed dan gewoonlijk {night}: {obs} uur{per}",
        "en_usual": "usually {lo} to {hi} hours", "nl_usual": "gewoonlijk {lo} tot {hi} uur",
    },
}


def explain_daily(indicator: str, day: date, window: int, shown: dict[str, tuple[str, str, str]],
                  baseline: dict[str, Any], rooms: list[str], healthy: bool, extra: dict[str, str]) -> dict[str, str]:
    """Text for a day-based alert (``window`` 1: that day; 2 or 3: the days up to it).

    ``indicator``: the key of ``PHRASES``, the tested feature (``activity_pace`` for the pace test of
    ``total_activity``).

    ``shown`` gives, per language, the observed value and the usual band as they should be printed.
    """
    p = PHRASES[indicator]
    out = {}
    for lang in ("en", "nl"):
        observed, low, high = shown[lang]
        if window == 1:
            when = f"on {long_date(day, lang)}" if lang == "en" else f"op {long_date(day, lang)}"
            night = f"in the night to {long_date(day, lang)}" if lang == "en" else f"in de nacht naar {long_date(day, lang)}"
            per = ""
        else:
            when = (f"in the {window} days up to {long_date(day, lang)}" if lang == "en"
                    else f"in de {window} dagen tot en met {long_date(day, lang)}")
            night = (f"in the {window} nights up to {long_date(day, lang)}" if lang == "en"
                     else f"in de {window} nachten tot en met {long_date(day, lang)}")
            per = " on average" if lang == "en" else " gemiddeld"
        key = f"{lang}_none" if observed == "0" and window == 1 and f"{lang}_none" in p else lang
        head = p[key].format(when=when, night=night, obs=observed, per=per, **extra)
        usual = p[f"{lang}_usual"].format(lo=low, hi=high)
        out[lang] = f"{head} ({usual}, {learnt(baseline, lang)}). {sensor_sentence(rooms, healthy, lang)}"
    return out


def explain_not_up(day: date, window: int, shown: dict[str, tuple[str, str, str]], baseline: dict[str, Any],
                   healthy: bool) -> dict[str, str]:
    """Text for a wake-time alert raised while the resident was not up yet (``shown``: the moment of the
    alert and today's usual band; ``window`` > 1: the days before were late too)."""
    out = {}
    for lang in ("en", "nl"):
        moment, low, high = shown[lang]
        if lang == "en":
            after = ("" if window == 1 else ", after getting up later than usual the day before" if window == 2
                     else f", after getting up later than usual the {window - 1} days before")
            head = f"Not up yet on {long_date(day, lang)}: no sign of getting up by {moment}{after}"
            usual = f"usually up between {low} and {high}"
        else:
            after = ("" if window == 1 else ", na later opstaan dan gewoonlijk de dag ervoor" if window == 2
                     else f", na later opstaan dan gewoonlijk de {window - 1} dagen ervoor")
            head = f"Nog niet opgestaan op {long_date(day, lang)}: om {moment} nog geen teken van opstaan{after}"
            usual = f"gewoonlijk op tussen {low} en {high}"
        out[lang] = f"{head} ({usual}, {learnt(baseline, lang)}). {sensor_sentence([], healthy, lang)}"
    return out
