"""GUI strings of the resident detail's tabs (context calendar, trends) and the team filter."""

from __future__ import annotations

DETAIL_STRINGS: dict[str, dict[str, str]] = {
    "detail.tab.overview": {"nl": "Overzicht", "en": "Overview"},
    "detail.tab.calendar": {"nl": "Agenda", "en": "Calendar"},
    "detail.tab.trends": {"nl": "Trends", "en": "Trends"},
    "context.absence": {"nl": "Afwezig", "en": "Absence"},
    "context.hospital": {"nl": "Ziekenhuisopname", "en": "Hospital stay"},
    "context.visit": {"nl": "Bezoek", "en": "Visit"},
    "calendar.title": {
        "nl": "Afwezigheid, opnames en bezoek (deze dagen tellen niet mee voor het gewone patroon)",
        "en": "Absence, hospital stays and visits (these days do not count towards the usual pattern)",
    },
    "calendar.col.type": {"nl": "Soort", "en": "Type"},
    "calendar.col.from": {"nl": "Van", "en": "From"},
    "calendar.col.to": {"nl": "Tot", "en": "To"},
    "calendar.col.note": {"nl": "Notitie", "en": "Note"},
    "calendar.empty": {"nl": "Nog niets in de agenda", "en": "Nothing in the calendar yet"},
    "calendar.add_title": {"nl": "Periode toevoegen", "en": "Add a period"},
    "calendar.field.type": {"nl": "&Soort", "en": "&Type"},
    "calendar.field.from": {"nl": "&Van", "en": "&From"},
    "calendar.field.to": {"nl": "&Tot", "en": "&To"},
    "calendar.field.note": {"nl": "&Notitie", "en": "&Note"},
    "calendar.note_hint": {"nl": "bijv. logeert bij dochter", "en": "e.g. staying with daughter"},
    "calendar.add": {"nl": "Toevoegen", "en": "Add"},
    "calendar.added": {"nl": "Periode toegevoegd", "en": "Period added"},
    "calendar.error": {"nl": "Niet gelukt: {error}", "en": "Failed: {error}"},
    "trends.title": {
        "nl": "Dagelijkse indicatoren, laatste {n} dagen",
        "en": "Daily indicators, last {n} days",
    },
    "trends.legend": {
        "nl": "Lijn: gemeten per dag · grijze band: gebruikelijk (10e–90e percentiel van de 28 dagen ervoor)",
        "en": "Line: measured per day · grey band: usual (10th–90th percentile of the 28 days before)",
    },
    "trends.nodata": {"nl": "Nog geen gegevens voor trends", "en": "No data for trends yet"},
    "trends.error": {"nl": "Trends niet geladen: {error}", "en": "Trends not loaded: {error}"},
    "col.team": {"nl": "Team", "en": "Team"},
    "overview.team_all": {"nl": "Alle teams", "en": "All teams"},
    "overview.team_none": {"nl": "(geen team)", "en": "(no team)"},
    "overview.team_filter": {"nl": "Team", "en": "Team"},
}
