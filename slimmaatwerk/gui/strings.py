"""The GUI's string table: every user-visible text, in Dutch and English.

Keys are stable identifiers; values are ``str.format`` templates with named placeholders. Dutch is the
primary language and English is complete too (a test checks both exist for every key).
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # Window, menus, banners
    "app.title": {"nl": "Slim Maatwerk", "en": "Slim Maatwerk"},
    "app.title_demo": {"nl": "Slim Maatwerk — DEMO", "en": "Slim Maatwerk — DEMO"},
    "banner.demo": {
        "nl": "DEMO — gesimuleerde bewoners en gegevens, geen echte personen",
        "en": "DEMO — simulated residents and data, no real people",
    },
    "menu.file": {"nl": "&Bestand", "en": "&File"},
    "menu.language": {"nl": "&Taal", "en": "&Language"},
    "action.refresh": {"nl": "&Vernieuwen", "en": "&Refresh"},
    "action.quit": {"nl": "&Afsluiten", "en": "&Quit"},
    "action.settings": {"nl": "&Instellingen…", "en": "&Settings…"},
    "menu.installer": {"nl": "&Installatie", "en": "&Installer"},
    "action.pair": {"nl": "Woning &koppelen…", "en": "&Pair a home…"},
    "action.pair.denied": {
        "nl": "Alleen voor installateurs: uw account mag geen sensoren koppelen.",
        "en": "Installers only: your account may not pair sensors.",
    },
    "workspace.tab.residents": {"nl": "Bewoners", "en": "Residents"},
    "workspace.tab.inbox": {"nl": "Meldingen", "en": "Alert inbox"},
    "workspace.tab.inbox_count": {"nl": "Meldingen ({n})", "en": "Alert inbox ({n})"},
    "lang.nl": {"nl": "Nederlands", "en": "Nederlands"},
    "lang.en": {"nl": "English", "en": "English"},
    # Overview
    "overview.title": {"nl": "Bewoners", "en": "Residents"},
    "overview.search": {"nl": "Zoek op naam…", "en": "Search by name…"},
    "overview.summary": {
        "nl": "▲ {red} rood    ◆ {amber} oranje    ■ {grey} geen gegevens    ✓ {green} groen",
        "en": "▲ {red} red    ◆ {amber} amber    ■ {grey} no data    ✓ {green} green",
    },
    "overview.empty": {"nl": "Nog geen bewoners", "en": "No residents yet"},
    "col.status": {"nl": "Status", "en": "Status"},
    "col.name": {"nl": "Naam", "en": "Name"},
    "col.last_activity": {"nl": "Laatst actief", "en": "Last active"},
    "col.alerts": {"nl": "Meldingen", "en": "Alerts"},
    "col.completeness": {"nl": "Gegevens", "en": "Data"},
    "col.sensors": {"nl": "Sensoren", "en": "Sensors"},
    "status.red": {"nl": "▲ Rood", "en": "▲ Red"},
    "status.amber": {"nl": "◆ Oranje", "en": "◆ Amber"},
    "status.grey": {"nl": "■ Grijs — geen gegevens", "en": "■ Grey — no data"},
    "status.green": {"nl": "✓ Groen", "en": "✓ Green"},
    "status.red.tip": {
        "nl": "Rood: een ernstige afwijking van het eigen patroon — nu bekijken",
        "en": "Red: a serious deviation from the resident's own pattern — look now",
    },
    "status.amber.tip": {
        "nl": "Oranje: een afwijking van het eigen patroon — vandaag bekijken",
        "en": "Amber: a deviation from the resident's own pattern — look today",
    },
    "status.grey.tip": {
        "nl": "Grijs: te weinig sensorgegevens om iets te zeggen — controleer de sensoren",
        "en": "Grey: too little sensor data to tell — check the sensors",
    },
    "status.green.tip": {
        "nl": "Groen: het dagpatroon past bij het eigen patroon",
        "en": "Green: the day fits the resident's own pattern",
    },
    "status.unknown": {"nl": "? Onbekend", "en": "? Unknown"},
    "alerts.part.red": {"nl": "{n} rood", "en": "{n} red"},
    "alerts.part.amber": {"nl": "{n} oranje", "en": "{n} amber"},
    "alerts.part.info": {"nl": "{n} info", "en": "{n} info"},
    "alerts.none": {"nl": "—", "en": "—"},
    "completeness.tip": {
        "nl": "{pct}% van de verwachte sensormeldingen ontvangen in de laatste 24 uur",
        "en": "{pct}% of the expected sensor reports received in the last 24 hours",
    },
    "sensors.value": {"nl": "{ok}/{total}", "en": "{ok}/{total}"},
    "sensors.tip": {
        "nl": "{ok} van {total} sensoren melden zich normaal",
        "en": "{ok} of {total} sensors report normally",
    },
    # Relative time
    "time.unknown": {"nl": "onbekend", "en": "unknown"},
    "time.just_now": {"nl": "zojuist", "en": "just now"},
    "time.minutes": {"nl": "{n} min geleden", "en": "{n} min ago"},
    "time.hours": {"nl": "{n} uur geleden", "en": "{n} h ago"},
    "time.day": {"nl": "1 dag geleden", "en": "1 day ago"},
    "time.days": {"nl": "{n} dagen geleden", "en": "{n} days ago"},
    "date.weekdays": {"nl": "ma di wo do vr za zo", "en": "Mon Tue Wed Thu Fri Sat Sun"},
    "date.months": {
        "nl": "jan feb mrt apr mei jun jul aug sep okt nov dec",
        "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    },
    # Resident detail
    "detail.choose": {"nl": "Kies een bewoner in de lijst", "en": "Choose a resident in the list"},
    "detail.subtitle": {
        "nl": "{status}  ·  laatst actief {last}  ·  {ok} van {total} sensoren in orde",
        "en": "{status}  ·  last active {last}  ·  {ok} of {total} sensors OK",
    },
    "detail.loading": {"nl": "Laden…", "en": "Loading…"},
    "detail.heatmap": {
        "nl": "Activiteit per uur — laatste {n} dagen (nieuwste bovenaan)",
        "en": "Activity per hour — last {n} days (newest at the top)",
    },
    "heatmap.hours": {"nl": "uur van de dag", "en": "hour of day"},
    "heatmap.usual": {"nl": "gebruikelijk", "en": "usual"},
    "heatmap.latest": {"nl": "laatste dag", "en": "latest day"},
    "heatmap.nodata": {"nl": "Geen activiteitsgegevens", "en": "No activity data"},
    "heatmap.scale": {"nl": "meldingen per uur", "en": "events per hour"},
    "heatmap.cell": {
        "nl": "{day}, {hour}:00–{hour}:59: {value}",
        "en": "{day}, {hour}:00–{hour}:59: {value}",
    },
    "tab.alerts": {"nl": "Meldingen ({n})", "en": "Alerts ({n})"},
    "tab.devices": {"nl": "Sensoren ({ok} van {total} in orde)", "en": "Sensors ({ok} of {total} OK)"},
    "alerts.empty": {
        "nl": "Geen meldingen in deze periode.",
        "en": "No alerts in this period.",
    },
    "alert.meta": {"nl": "{date} · {status}", "en": "{date} · {status}"},
    "severity.red": {"nl": "▲ Rood", "en": "▲ Red"},
    "severity.amber": {"nl": "◆ Oranje", "en": "◆ Amber"},
    "severity.info": {"nl": "● Info", "en": "● Info"},
    "alert_status.new": {"nl": "nieuw", "en": "new"},
    "alert_status.acknowledged": {"nl": "gezien", "en": "acknowledged"},
    "alert_status.assigned": {"nl": "toegewezen", "en": "assigned"},
    "alert_status.resolved": {"nl": "afgehandeld", "en": "resolved"},
    "dev.col.room": {"nl": "Ruimte", "en": "Room"},
    "dev.col.placement": {"nl": "Plaats", "en": "Placement"},
    "dev.col.state": {"nl": "Verbinding", "en": "Connection"},
    "dev.col.battery": {"nl": "Batterij", "en": "Battery"},
    "dev.col.last_seen": {"nl": "Laatst gezien", "en": "Last seen"},
    "dev.online": {"nl": "✓ Online", "en": "✓ Online"},
    "dev.offline": {"nl": "✕ Geen contact", "en": "✕ Offline"},
    "dev.battery_mains": {"nl": "netstroom", "en": "mains"},
    "dev.battery_low": {"nl": "⚠ {pct}% — vervangen", "en": "⚠ {pct}% — replace"},
    # Status bar
    "state.loading": {"nl": "Gegevens laden…", "en": "Loading data…"},
    "state.updated": {
        "nl": "{n} bewoners · bijgewerkt om {time}",
        "en": "{n} residents · updated at {time}",
    },
    "state.error": {"nl": "⚠ Kon gegevens niet laden: {error}", "en": "⚠ Could not load data: {error}"},
    # Indicators (DESIGN.md "Indicator names")
    "indicator.wake_time": {"nl": "Opstaan", "en": "Wake-up time"},
    "indicator.bed_time": {"nl": "Naar bed gaan", "en": "Bedtime"},
    "indicator.sleep_duration": {"nl": "Slaapduur", "en": "Sleep duration"},
    "indicator.night_toilet_visits": {"nl": "Nachtelijk toiletbezoek", "en": "Night-time toilet visits"},
    "indicator.night_restlessness": {"nl": "Onrustige nacht", "en": "Restless night"},
    "indicator.kitchen_activity": {"nl": "Keukenactiviteit", "en": "Kitchen activity"},
    "indicator.total_activity": {"nl": "Totale activiteit", "en": "Overall activity"},
    "indicator.time_out_of_home": {"nl": "Tijd buitenshuis", "en": "Time out of home"},
    "indicator.housebound": {"nl": "Niet buiten geweest", "en": "Not out of the house"},
    "indicator.inactivity": {"nl": "Langdurige inactiviteit", "en": "Long inactivity"},
    "indicator.night_exit": {"nl": "Voordeur 's nachts", "en": "Front door at night"},
    "indicator.hygiene": {"nl": "Douchen en wassen", "en": "Showering and bathing"},
    "indicator.room_transitions": {"nl": "Bewegen door het huis", "en": "Moving around the home"},
    "indicator.gradual_decline": {"nl": "Geleidelijke achteruitgang", "en": "Gradual decline"},
    "indicator.sensor_offline": {"nl": "Sensor stil", "en": "Sensor offline"},
    "indicator.indoor_climate": {"nl": "Binnenklimaat", "en": "Indoor climate"},
    # Rooms (DESIGN.md event CSV)
    "room.bedroom": {"nl": "Slaapkamer", "en": "Bedroom"},
    "room.bathroom": {"nl": "Badkamer", "en": "Bathroom"},
    "room.toilet": {"nl": "Toilet", "en": "Toilet"},
    "room.kitchen": {"nl": "Keuken", "en": "Kitchen"},
    "room.living": {"nl": "Woonkamer", "en": "Living room"},
    "room.hall": {"nl": "Gang", "en": "Hall"},
    "room.entrance": {"nl": "Entree", "en": "Entrance"},
    "room.other": {"nl": "Overig", "en": "Other"},
    # Placements the analytics know
    "placement.front_door": {"nl": "Voordeur", "en": "Front door"},
    "placement.back_door": {"nl": "Achterdeur", "en": "Back door"},
    "placement.bedroom_door": {"nl": "Slaapkamerdeur", "en": "Bedroom door"},
    "placement.toilet_door": {"nl": "Toiletdeur", "en": "Toilet door"},
    "placement.bathroom_door": {"nl": "Badkamerdeur", "en": "Bathroom door"},
    "placement.fridge": {"nl": "Koelkast", "en": "Fridge"},
    "placement.freezer": {"nl": "Vriezer", "en": "Freezer"},
    "placement.cupboard": {"nl": "Kastje", "en": "Cupboard"},
    "placement.drawer": {"nl": "Lade", "en": "Drawer"},
    "placement.bed": {"nl": "Bed", "en": "Bed"},
    "placement.chair": {"nl": "Stoel", "en": "Chair"},
    "placement.toilet": {"nl": "Toilet", "en": "Toilet"},
    "placement.shower": {"nl": "Douche", "en": "Shower"},
    "placement.bath": {"nl": "Bad", "en": "Bath"},
    "placement.sink": {"nl": "Wastafel", "en": "Sink"},
    "placement.stove": {"nl": "Kookplaat", "en": "Stove"},
    "placement.microwave": {"nl": "Magnetron", "en": "Microwave"},
    "placement.kettle": {"nl": "Waterkoker", "en": "Kettle"},
    "placement.ventilation_unit": {"nl": "Ventilatie-unit", "en": "Ventilation unit"},
}

from slimmaatwerk.gui.strings_workflow import WORKFLOW_STRINGS  # merged after the core table

STRINGS.update({key: text for key, text in WORKFLOW_STRINGS.items() if key not in STRINGS})

from slimmaatwerk.gui.strings_detail import DETAIL_STRINGS  # merged after the core table

STRINGS.update({key: text for key, text in DETAIL_STRINGS.items() if key not in STRINGS})

from slimmaatwerk.gui.strings_coordinator import COORDINATOR_STRINGS  # merged after the core table

STRINGS.update({key: text for key, text in COORDINATOR_STRINGS.items() if key not in STRINGS})
