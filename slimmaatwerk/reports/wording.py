"""Calm, plain words for the weekly summary, in Dutch and English (pure: facts and sections in, text out).

Written for a son or daughter of seventy: no numbers without a unit, no alarm words, no jargon. Changes
are named as "somewhat" or "clearly" different from what is usual *for this person*.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..consent import ALWAYS, SECTION_TEXT
from .weekly import Figure, WeekFacts

LANGS = ("nl", "en")
DAY_NAMES = {"nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
             "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
MONTHS = {"nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                 "oktober", "november", "december"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December")}

# (direction, degree) -> words, per figure kind
TIME_WORDS = {
    ("up", "somewhat"): {"nl": "wat later dan gewoonlijk", "en": "somewhat later than usual"},
    ("up", "clearly"): {"nl": "duidelijk later dan gewoonlijk", "en": "clearly later than usual"},
    ("down", "somewhat"): {"nl": "wat eerder dan gewoonlijk", "en": "somewhat earlier than usual"},
    ("down", "clearly"): {"nl": "duidelijk eerder dan gewoonlijk", "en": "clearly earlier than usual"},
}
AMOUNT_WORDS = {
    ("up", "somewhat"): {"nl": "wat meer dan gewoonlijk", "en": "somewhat more than usual"},
    ("up", "clearly"): {"nl": "duidelijk meer dan gewoonlijk", "en": "clearly more than usual"},
    ("down", "somewhat"): {"nl": "wat minder dan gewoonlijk", "en": "somewhat less than usual"},
    ("down", "clearly"): {"nl": "duidelijk minder dan gewoonlijk", "en": "clearly less than usual"},
}
AS_USUAL = {"nl": "zoals gewoonlijk", "en": "as usual"}
UNKNOWN = {"nl": "Deze week waren er te weinig gegevens om dit te vergelijken.",
           "en": "There was too little information this week to compare this."}
PERIOD_WORDS = {
    "hospital": {"nl": "was opgenomen in het ziekenhuis", "en": "was in hospital"},
    "absence": {"nl": "was niet thuis (afwezigheid gemeld)", "en": "was away from home (an announced absence)"},
    "visit": {"nl": "had logeerbezoek", "en": "had someone staying"},
}
INDICATOR_WORDS = {
    "kitchen_activity": {"nl": "minder bezigheid in de keuken", "en": "less activity in the kitchen"},
    "wake_time": {"nl": "later opstaan", "en": "getting up later"},
    "bed_time": {"nl": "later naar bed", "en": "going to bed later"},
    "sleep_duration": {"nl": "een andere nachtrust", "en": "a different night's sleep"},
    "night_toilet_visits": {"nl": "vaker naar het toilet 's nachts", "en": "more night-time toilet visits"},
    "night_restlessness": {"nl": "onrustige nachten", "en": "restless nights"},
    "total_activity": {"nl": "minder bezigheid in huis", "en": "less activity at home"},
    "time_out_of_home": {"nl": "minder naar buiten", "en": "going out less"},
    "housebound": {"nl": "een paar dagen niet naar buiten", "en": "a few days without going out"},
    "inactivity": {"nl": "een lange tijd zonder beweging", "en": "a long time without movement"},
    "night_exit": {"nl": "de voordeur 's nachts", "en": "the front door at night"},
    "hygiene": {"nl": "minder douchen", "en": "fewer showers"},
    "sensor_offline": {"nl": "een sensor die geen contact had", "en": "a sensor that lost contact"},
}
STATUS_WORDS = {
    "new": {"nl": "het zorgteam gaat hier nog naar kijken", "en": "the care team has yet to look at it"},
    "acknowledged": {"nl": "het zorgteam heeft de melding bekeken", "en": "the care team has looked at it"},
    "assigned": {"nl": "iemand van het zorgteam volgt dit op", "en": "someone in the care team is following it up"},
    "resolved": {"nl": "het zorgteam heeft de melding afgehandeld", "en": "the care team has dealt with it"},
}


@dataclass(frozen=True)
class Section:
    key: str
    title: dict[str, str]
    paragraphs: dict[str, list[str]]


def day_text(day: date, lang: str) -> str:
    return f"{DAY_NAMES[lang][day.weekday()]} {day.day} {MONTHS[lang][day.month - 1]}"


def clock_text(minutes: float, lang: str) -> str:
    total = round(minutes / 15.0) * 15 % (24 * 60)
    hours, mins = divmod(total, 60)
    return f"{hours}.{mins:02d} uur" if lang == "nl" else f"{hours}:{mins:02d}"


def hours_text(hours: float, lang: str) -> str:
    halves = round(hours * 2) / 2
    number = f"{halves:g}".replace(".", ",") if lang == "nl" else f"{halves:g}"
    return f"{number} uur" if lang == "nl" else f"{number} hours"


def _change(fig: Figure, table: dict, lang: str) -> str:
    return table[(fig.direction, fig.degree)][lang] if fig.notable else AS_USUAL[lang]


def _section(key: str, paragraphs: dict[str, list[str]]) -> Section:
    return Section(key, SECTION_TEXT[key], paragraphs)


def _each(build) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {lang: build(lang) for lang in LANGS}


def sleep_section(f: dict[str, Figure]) -> Section:
    wake, bed, dur, restless = f["wake_time"], f["bed_time"], f["sleep_duration"], f["night_restlessness"]

    def build(lang: str) -> list[str]:
        if wake.degree == "unknown" or dur.degree == "unknown":
            return [UNKNOWN[lang]]
        nl = lang == "nl"
        out = [(f"Opstaan: {_change(wake, TIME_WORDS, lang)}, meestal rond {clock_text(wake.week or 0, lang)}."
                if nl else f"Getting up: {_change(wake, TIME_WORDS, lang)}, mostly around "
                           f"{clock_text(wake.week or 0, lang)}."),
               (f"Naar bed: {_change(bed, TIME_WORDS, lang)}, meestal rond {clock_text(bed.week or 0, lang)}."
                if nl else f"Going to bed: {_change(bed, TIME_WORDS, lang)}, mostly around "
                           f"{clock_text(bed.week or 0, lang)}."),
               (f"Tijd in bed per nacht: ongeveer {hours_text(dur.week or 0, lang)} "
                f"({_change(dur, AMOUNT_WORDS, lang)})." if nl else
                f"Time in bed per night: about {hours_text(dur.week or 0, lang)} "
                f"({_change(dur, AMOUNT_WORDS, lang)}).")]
        if restless.notable and restless.direction == "up":
            out.append("De nachten waren wat onrustiger dan gewoonlijk." if nl
                       else "The nights were somewhat more restless than usual.")
        return out

    return _section("sleep", _each(build))


def count_section(key: str, fig: Figure, nl_what: str, en_what: str) -> Section:
    def build(lang: str) -> list[str]:
        if fig.degree == "unknown":
            return [UNKNOWN[lang]]
        if lang == "nl":
            return [f"{nl_what}: {_change(fig, AMOUNT_WORDS, lang)}."]
        return [f"{en_what}: {_change(fig, AMOUNT_WORDS, lang)}."]

    return _section(key, _each(build))


def night_toilet_section(fig: Figure) -> Section:
    def build(lang: str) -> list[str]:
        if fig.degree == "unknown":
            return [UNKNOWN[lang]]
        per_night = f"{fig.week or 0:.1f}".replace(".", "," if lang == "nl" else ".")
        if lang == "nl":
            return [(f"Toiletbezoek 's nachts: gemiddeld {per_night} keer per nacht "
                     f"({_change(fig, AMOUNT_WORDS, lang)}).")]
        return [f"Night-time toilet visits: on average {per_night} times a night ({_change(fig, AMOUNT_WORDS, lang)})."]

    return _section("night_toilet", _each(build))


def going_out_section(days: Figure, hours: Figure, measured: int) -> Section:
    def build(lang: str) -> list[str]:
        if days.week is None:
            return [UNKNOWN[lang]]
        n = round((days.week or 0) * measured / 7)
        if days.degree == "unknown":
            return [f"Naar buiten: op {n} van de {measured} gemeten dagen; te weinig dagen om te vergelijken."
                    if lang == "nl" else
                    f"Going out: on {n} of the {measured} days measured; too few days to compare."]
        if lang == "nl":
            out = [f"Naar buiten: op {n} van de 7 dagen ({_change(days, AMOUNT_WORDS, lang)})."]
            if n and hours.degree != "unknown":
                out.append(f"Meestal ongeveer {hours_text(hours.week or 0, lang)} per keer.")
            return out
        out = [f"Going out: on {n} of the 7 days ({_change(days, AMOUNT_WORDS, lang)})."]
        if n and hours.degree != "unknown":
            out.append(f"Mostly about {hours_text(hours.week or 0, lang)} each time.")
        return out

    return _section("going_out", _each(build))


def hygiene_section(fig: Figure, measured: int) -> Section:
    def build(lang: str) -> list[str]:
        if fig.week is None:
            return [UNKNOWN[lang]]
        if fig.degree == "unknown":
            n = round((fig.week or 0) * measured / 7)
            return [f"Douchen of baden: {n} keer op {measured} gemeten dagen; te weinig dagen om te vergelijken."
                    if lang == "nl" else
                    f"Showering or bathing: {n} times on {measured} days measured; too few days to compare."]
        n = round(fig.week or 0)
        if lang == "nl":
            return [f"Douchen of baden: ongeveer {n} keer deze week ({_change(fig, AMOUNT_WORDS, lang)})."]
        return [f"Showering or bathing: about {n} times this week ({_change(fig, AMOUNT_WORDS, lang)})."]

    return _section("hygiene", _each(build))


def care_team_section(facts: WeekFacts) -> Section:
    def build(lang: str) -> list[str]:
        if not facts.alerts:
            return ["Het zorgteam kreeg deze week geen meldingen." if lang == "nl"
                    else "The care team received no signals this week."]
        n = len(facts.alerts)
        out = [(f"Het zorgteam kreeg deze week {n} melding{'en' if n > 1 else ''}." if lang == "nl"
                else f"The care team received {n} signal{'s' if n > 1 else ''} this week.")]
        for alert in facts.alerts:
            what = INDICATOR_WORDS.get(alert.indicator, {"nl": "een verandering", "en": "a change"})[lang]
            status = STATUS_WORDS.get(alert.status, STATUS_WORDS["acknowledged"])[lang]
            when = day_text(alert.date, lang)
            out.append(f"{when[0].upper()}{when[1:]}: {what}; {status}.")
        return out

    return _section("care_team", _each(build))


def limits_section(facts: WeekFacts) -> Section:
    def build(lang: str) -> list[str]:
        if lang == "nl":
            out = [("De sensoren zien beweging, deuren, het bed en het vocht in de badkamer. Ze zien niet hoe "
                    "iemand zich voelt, of er goed gegeten en gedronken wordt, of medicijnen worden ingenomen, "
                    "en wie er op bezoek komt. Dit overzicht vervangt geen gesprek of bezoek.")]
            if facts.degraded_days:
                out.append(f"Op {facts.degraded_days} dag(en) gaven niet alle sensoren goed door; "
                           "die dagen tellen niet mee.")
            return out
        out = [("The sensors see movement, doors, the bed and humidity in the bathroom. They do not see how "
                "someone feels, whether they eat and drink well, take their medicines, or who visits. This "
                "summary does not replace a conversation or a visit.")]
        if facts.degraded_days:
            out.append(f"On {facts.degraded_days} day(s) not every sensor reported properly; those days are "
                       "not counted.")
        return out

    return _section(ALWAYS, _each(build))


def week_section(facts: WeekFacts, shown: list[str], notable: dict[str, dict[str, list[str]]]) -> Section:
    """The overall paragraph; names only changes from sections this reader may see."""

    def build(lang: str) -> list[str]:
        out = []
        for period in facts.periods:
            span = (day_text(period.first, lang) if period.first == period.last else
                    (f"van {day_text(period.first, lang)} tot en met {day_text(period.last, lang)}" if lang == "nl"
                     else f"from {day_text(period.first, lang)} to {day_text(period.last, lang)}"))
            who = facts.name
            what = PERIOD_WORDS[period.type][lang]
            out.append(f"{who} {what} {span}." if lang == "nl" or period.first != period.last
                       else f"{who} {what} on {span}.")
        if facts.periods:
            out.append("Die dagen zijn niet vergeleken met gewoonlijk." if lang == "nl"
                       else "Those days are not compared with what is usual.")
        changes = [text for key in shown for text in notable.get(key, {}).get(lang, [])]
        if changes:
            out.append(("Wat opviel: " if lang == "nl" else "What stood out: ") + "; ".join(changes) + ".")
        elif facts.days_measured >= 3 and facts.periods:
            out.append("Op de andere dagen viel niets bijzonders op." if lang == "nl"
                       else "Nothing stood out on the other days.")
        elif facts.days_measured >= 3:
            out.append("Een rustige week, zoals gewoonlijk." if lang == "nl" else "A calm week, much as usual.")
        else:
            out.append(UNKNOWN[lang])
        return out

    return _section("week", _each(build))
