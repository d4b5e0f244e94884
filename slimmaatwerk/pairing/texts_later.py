"""Dutch and English words of the later-visit, commissioning-record and profile-builder screens (Qt-free).

Merged into ``texts.TEXTS``; kept apart so each table stays readable.
"""

from __future__ import annotations

LATER: dict[str, dict[str, str]] = {
    # Installer menu
    "menu.visit": {"nl": "Later bezoek…", "en": "Later visit…"},
    "menu.records": {"nl": "Ingebruiknameverslagen…", "en": "Commissioning records…"},
    "menu.builder": {"nl": "Profielbouwer…", "en": "Profile builder…"},
    "menu.denied": {"nl": "Alleen voor installateurs.", "en": "For installers only."},
    # Shared
    "common.resident": {"nl": "Bewoner", "en": "Resident"},
    "common.close": {"nl": "Sluiten", "en": "Close"},
    "common.cancel": {"nl": "Annuleren", "en": "Cancel"},
    "common.confirm": {"nl": "Bevestigen", "en": "Confirm"},
    "common.busy": {"nl": "Bezig…", "en": "Working…"},
    "common.access_denied": {"nl": "U mag dit niet voor deze bewoner.", "en": "You may not do this for this resident."},
    "common.no_residents": {"nl": "Geen bewoners waarvoor u dit mag.", "en": "No residents you may do this for."},
    "common.today": {"nl": "vandaag {time}", "en": "today {time}"},
    # Later visits
    "visit.title": {"nl": "Later bezoek", "en": "Later visit"},
    "visit.intro": {
        "nl": "Elke wijziging gaat in op het moment dat u bevestigt; eerdere gebeurtenissen blijven waar ze waren.",
        "en": "Every change starts when you confirm it; earlier events stay where they were."},
    "visit.col.device": {"nl": "Sensor", "en": "Sensor"},
    "visit.col.where": {"nl": "Ruimte / plaats", "en": "Room / placement"},
    "visit.col.since": {"nl": "Sinds", "en": "Since"},
    "visit.col.battery": {"nl": "Batterij", "en": "Battery"},
    "visit.col.seen": {"nl": "Laatst gehoord", "en": "Last seen"},
    "visit.never": {"nl": "nooit", "en": "never"},
    "visit.offline": {"nl": "{seen} — stil", "en": "{seen} — silent"},
    "visit.empty": {"nl": "Geen sensoren in deze woning.", "en": "No sensors in this home."},
    "visit.select_one": {"nl": "Kies eerst één sensor in de lijst.", "en": "Choose one sensor in the list first."},
    "visit.select_some": {"nl": "Kies eerst een of meer sensoren in de lijst.",
                          "en": "Choose one or more sensors in the list first."},
    "visit.action.move": {"nl": "Verplaatsen", "en": "Move"},
    "visit.action.replace": {"nl": "Vervangen", "en": "Replace"},
    "visit.action.reuse": {"nl": "Hergebruiken in andere woning", "en": "Re-use in another home"},
    "visit.action.end_care": {"nl": "Zorg beëindigen", "en": "End care"},
    "visit.field.room": {"nl": "Nieuwe ruimte", "en": "New room"},
    "visit.field.placement": {"nl": "Nieuwe plaats (bijv. shower)", "en": "New placement (e.g. shower)"},
    "visit.field.new_device": {"nl": "Nieuwe sensor (hardware-identiteit)", "en": "New sensor (hardware identity)"},
    "visit.field.target": {"nl": "Naar bewoner", "en": "To resident"},
    "visit.field.keep_rooms": {"nl": "Elke sensor houdt zijn ruimte en plaats",
                               "en": "Every sensor keeps its room and placement"},
    "visit.confirm.title": {"nl": "Klopt dit?", "en": "Is this right?"},
    "visit.plan.move": {
        "nl": "Vanaf {when} tellen de gebeurtenissen van sensor {name} voor {new}; eerdere gebeurtenissen "
              "blijven bij {old}.",
        "en": "From {when} the events of sensor {name} count for {new}; earlier events stay with {old}."},
    "visit.plan.replace": {
        "nl": "Vanaf {when} neemt sensor {new_device} de plaats in van {name} in {old}; de gebeurtenissen van "
              "{name} tot dat moment blijven bewaard, latere tellen niet meer.",
        "en": "From {when} sensor {new_device} takes the place of {name} in {old}; the events of {name} until "
              "then are kept, later ones no longer count."},
    "visit.plan.reuse": {
        "nl": "Vanaf {when} tellen de gebeurtenissen van {names} voor {target} ({new}); eerdere gebeurtenissen "
              "blijven bij {resident}.",
        "en": "From {when} the events of {names} count for {target} ({new}); earlier events stay with {resident}."},
    "visit.plan.reuse_kept": {"nl": "ieder in dezelfde ruimte", "en": "each in the same room"},
    "visit.plan.end_care": {
        "nl": "Vanaf {when} tellen de {count} sensoren van {resident} niet meer voor {resident}; de geschiedenis "
              "blijft bewaard en de set is vrij voor een andere woning.",
        "en": "From {when} the {count} sensors of {resident} no longer count for {resident}; the history is kept "
              "and the kit is free for another home."},
    "visit.done.move": {"nl": "{name} verplaatst.", "en": "{name} moved."},
    "visit.done.replace": {"nl": "{name} vervangen door {new_device}.", "en": "{name} replaced by {new_device}."},
    "visit.done.reuse": {"nl": "{count} sensor(en) naar {target}.", "en": "{count} sensor(s) to {target}."},
    "visit.done.end_care": {"nl": "Zorg beëindigd; {count} sensoren vrij.", "en": "Care ended; {count} sensors free."},
    "where.bedroom": {"nl": "de slaapkamer", "en": "the bedroom"},
    "where.bathroom": {"nl": "de badkamer", "en": "the bathroom"},
    "where.toilet": {"nl": "het toilet", "en": "the toilet"},
    "where.kitchen": {"nl": "de keuken", "en": "the kitchen"},
    "where.living": {"nl": "de woonkamer", "en": "the living room"},
    "where.hall": {"nl": "de gang", "en": "the hall"},
    "where.entrance": {"nl": "de entree", "en": "the entrance"},
    "where.other": {"nl": "een overige ruimte", "en": "another room"},
    # Commissioning records
    "records.title": {"nl": "Ingebruiknameverslagen", "en": "Commissioning records"},
    "records.col.version": {"nl": "Versie", "en": "Version"},
    "records.col.status": {"nl": "Status", "en": "Status"},
    "records.col.completed": {"nl": "Afgerond", "en": "Completed"},
    "records.status.complete": {"nl": "volledig getest", "en": "fully tested"},
    "records.status.incomplete": {"nl": "niet alles getest", "en": "not all tested"},
    "records.empty": {"nl": "Nog geen verslag voor deze bewoner.", "en": "No record for this resident yet."},
    "records.open": {"nl": "Openen", "en": "Open"},
    "records.new_version": {"nl": "Nieuwe versie…", "en": "New version…"},
    "records.export": {"nl": "PDF exporteren…", "en": "Export PDF…"},
    "records.save": {"nl": "Nieuwe versie opslaan", "en": "Save new version"},
    "records.tab.list": {"nl": "Verslagen", "en": "Records"},
    "records.tab.view": {"nl": "Verslag (alleen lezen)", "en": "Record (read only)"},
    "records.tab.edit": {"nl": "Nieuwe versie", "en": "New version"},
    "records.edit_intro": {
        "nl": "Gebaseerd op versie {version}. De sensoren zijn die van nu; eerdere versies blijven ongewijzigd.",
        "en": "Based on version {version}. The sensors are those of today; earlier versions stay unchanged."},
    "records.saved": {"nl": "Versie {version} opgeslagen.", "en": "Version {version} saved."},
    "records.exported": {"nl": "PDF opgeslagen: {path}", "en": "PDF saved: {path}"},
    "records.choose_one": {"nl": "Kies eerst een verslag.", "en": "Choose a record first."},
    "records.tested_at": {"nl": "getest {time}", "en": "tested {time}"},
    # Profile builder
    "builder.title": {"nl": "Profielbouwer", "en": "Profile builder"},
    "builder.intro": {
        "nl": "Plak voorbeeldberichten (één per regel) of vang ze op de broker, koppel velden aan soorten en "
              "controleer de voorbeeldgebeurtenissen.",
        "en": "Paste sample messages (one per line) or capture them on the broker, map fields to kinds and "
              "check the preview of the events."},
    "builder.topic": {"nl": "Onderwerp (topic) van een voorbeeld", "en": "Topic of a sample"},
    "builder.samples": {"nl": "Voorbeeldberichten", "en": "Sample messages"},
    "builder.broker": {"nl": "Broker", "en": "Broker"},
    "builder.capture": {"nl": "Opvangen", "en": "Capture"},
    "builder.captured": {"nl": "{count} berichten opgevangen.", "en": "{count} messages captured."},
    "builder.captured_none": {"nl": "Geen berichten op {topic}: activeer de sensor en probeer opnieuw.",
                              "en": "No messages on {topic}: trigger the sensor and try again."},
    "builder.fields": {"nl": "Velden", "en": "Fields"},
    "builder.col.field": {"nl": "Veld", "en": "Field"},
    "builder.col.values": {"nl": "Waarden", "en": "Values"},
    "builder.col.kind": {"nl": "Soort", "en": "Kind"},
    "builder.col.converter": {"nl": "Omzetting", "en": "Converter"},
    "builder.kind.none": {"nl": "(niet gebruiken)", "en": "(do not use)"},
    "builder.id": {"nl": "Profiel-id (bijv. acme.pir)", "en": "Profile id (e.g. acme.pir)"},
    "builder.description": {"nl": "Omschrijving", "en": "Description"},
    "builder.model": {"nl": "Model", "en": "Model"},
    "builder.vendor": {"nl": "Fabrikant", "en": "Vendor"},
    "builder.interval": {"nl": "Meldt zich minstens elke (s)", "en": "Reports at least every (s)"},
    "builder.power": {"nl": "Voeding", "en": "Power"},
    "builder.power.battery": {"nl": "batterij", "en": "battery"},
    "builder.power.mains": {"nl": "netstroom", "en": "mains"},
    "builder.preview": {"nl": "Voorbeeld van de gebeurtenissen", "en": "Preview of the events"},
    "builder.col.sample": {"nl": "Bericht", "en": "Message"},
    "builder.col.events": {"nl": "Gebeurtenissen", "en": "Events"},
    "builder.col.rejected": {"nl": "Geweigerd (waarom)", "en": "Rejected (why)"},
    "builder.no_events": {"nl": "geen: {reason}", "en": "none: {reason}"},
    "builder.test": {"nl": "Testen", "en": "Test"},
    "builder.save": {"nl": "Opslaan", "en": "Save"},
    "builder.tested": {"nl": "In orde: {events} gebeurtenissen uit {samples} berichten.",
                       "en": "Valid: {events} events from {samples} messages."},
    "builder.saved": {"nl": "Opgeslagen in {path}. De engine gebruikt het na een herstart.",
                      "en": "Saved to {path}. The engine uses it after a restart."},
    "builder.need_samples": {"nl": "Plak of vang eerst minstens één bericht.",
                             "en": "Paste or capture at least one message first."},
    "builder.need_topic": {"nl": "Vul het onderwerp (topic) in.", "en": "Fill in the topic."},
    "builder.no_user_dir": {"nl": "Geen gegevensmap: het profiel kan niet worden opgeslagen.",
                            "en": "No data folder: the profile cannot be saved."},
    "builder.make": {"nl": "Profiel maken…", "en": "Make a profile…"},
    "builder.rescanned": {"nl": "Profiel opgeslagen; opnieuw gezocht.", "en": "Profile saved; searched again."},
    "builder.user": {"nl": "gebruikersnaam", "en": "user name"},
    "builder.password": {"nl": "wachtwoord", "en": "password"},
    "builder.password_stored": {"nl": "bewaard wachtwoord", "en": "stored password"},
    "builder.broker_loaded": {"nl": "Broker van de woning van {resident} ingevuld.",
                              "en": "Broker of {resident}'s home filled in."},
    # Kinds of event, as the profile builder offers them (the profile stores the kind's code name)
    "kind.motion": {"nl": "beweging", "en": "motion"},
    "kind.contact": {"nl": "deur/raam open", "en": "door/window open"},
    "kind.presence": {"nl": "aanwezigheid (bed/stoel)", "en": "presence (bed/chair)"},
    "kind.usage": {"nl": "gebruik (apparaat, toilet)", "en": "use (appliance, toilet)"},
    "kind.humidity": {"nl": "luchtvochtigheid (%)", "en": "humidity (%)"},
    "kind.co2": {"nl": "CO₂ (ppm)", "en": "CO₂ (ppm)"},
    "kind.temperature": {"nl": "temperatuur (°C)", "en": "temperature (°C)"},
    "kind.fan": {"nl": "ventilatorstand (%)", "en": "fan speed (%)"},
    "kind.power": {"nl": "vermogen (W)", "en": "power (W)"},
    "kind.illuminance": {"nl": "lichtsterkte (lx)", "en": "illuminance (lx)"},
    "kind.water_leak": {"nl": "waterlek", "en": "water leak"},
    "kind.battery": {"nl": "batterij (%)", "en": "battery (%)"},
    "kind.availability": {"nl": "bereikbaar (online)", "en": "available (online)"},
    "kind.heartbeat": {"nl": "levensteken", "en": "heartbeat"},
    # Walk test on a later visit
    "visit.walk.title": {"nl": "Looptest van de sensor", "en": "Walk test of the sensor"},
    "visit.walk.intro": {
        "nl": "Kies de (nieuwe) sensor in de lijst, start de looptest en activeer de sensor. Het resultaat en "
              "de tijd komen in een nieuwe versie van het ingebruiknameverslag.",
        "en": "Choose the (new) sensor in the list, start the walk test and trigger the sensor. The result and "
              "the time go into a new version of the commissioning record."},
    "visit.walk.start": {"nl": "Looptest starten", "en": "Start walk test"},
    "visit.walk.stop": {"nl": "Stoppen", "en": "Stop"},
    "visit.walk.record": {"nl": "Vastleggen in verslag", "en": "Record in the report"},
    "visit.walk.connecting": {"nl": "Verbinden met de broker van de woning…", "en": "Connecting to the home's broker…"},
    "visit.walk.do": {"nl": "{name}: {action}", "en": "{name}: {action}"},
    "visit.walk.no_broker": {
        "nl": "Voor deze woning is geen broker vastgelegd (geen ingebruiknameverslag): koppel de woning eerst "
              "met de wizard.",
        "en": "No broker is recorded for this home (no commissioning record): pair the home with the wizard "
              "first."},
    "visit.walk.no_record": {
        "nl": "Deze woning heeft nog geen ingebruiknameverslag: het resultaat is niet vastgelegd.",
        "en": "This home has no commissioning record yet: the result is not recorded."},
    "visit.walk.recorded": {"nl": "Versie {version} van het verslag opgeslagen: {name} {result}.",
                            "en": "Version {version} of the record saved: {name} {result}."},
    "visit.walk.result.passed": {"nl": "werkt", "en": "works"},
    "visit.walk.result.failed": {"nl": "niet gelukt", "en": "did not pass"},
    "visit.refused_profiles": {
        "nl": "Eigen apparaatprofielen geweigerd; sensoren van die modellen worden niet gelezen: {files}",
        "en": "Own device profiles refused; sensors of those models are not read: {files}"},
}
