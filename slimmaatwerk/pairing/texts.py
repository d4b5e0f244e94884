"""Every user-facing text of pairing and commissioning, in Dutch and English (Qt-free).

The flow returns keys (step ids, field names, error and abort reasons, walk-test problems); the wizard,
the command line and the PDF turn them into words with ``text(key, language, **placeholders)``.
"""

from __future__ import annotations

from .texts_later import LATER

TEXTS: dict[str, dict[str, str]] = {
    # Steps
    "step.home": {"nl": "Woning en bewoner", "en": "Home and resident"},
    "step.household": {"nl": "Huishouden", "en": "Household"},
    "step.purpose": {"nl": "Doel, gegevensbehoefte en toestemming", "en": "Purpose, data need and consent"},
    "step.broker": {"nl": "Verbinding met de MQTT-broker", "en": "Connection to the MQTT broker"},
    "step.discover": {"nl": "Apparaten zoeken", "en": "Find devices"},
    "step.profiles": {"nl": "Apparaatprofiel bevestigen", "en": "Confirm device profiles"},
    "step.rooms": {"nl": "Ruimte en plaats", "en": "Room and placement"},
    "step.walktest": {"nl": "Looptest", "en": "Walk test"},
    "step.summary": {"nl": "Overzicht", "en": "Summary"},
    "desc.home": {"nl": "Voeg een nieuwe bewoner toe of kies een bestaande.",
                  "en": "Add a new resident or choose an existing one."},
    "desc.household": {
        "nl": "Wie wonen er nog meer, en wie komt er geregeld? Dit voorkomt valse meldingen.",
        "en": "Who else lives here, and who visits regularly? This prevents false alarms."},
    "desc.purpose": {
        "nl": "Afwegingskader Sensordata en Privacy: leg vast waarom, welke gegevens en met wiens toestemming.",
        "en": "Sensor Data and Privacy framework: record why, which data and with whose consent."},
    "desc.broker": {"nl": "Het wachtwoord wordt in de sleutelbos van het besturingssysteem bewaard.",
                    "en": "The password is kept in the operating system's keyring."},
    "desc.discover": {"nl": "{count} apparaten gevonden. Kies de apparaten van deze woning.",
                      "en": "{count} devices found. Choose the devices of this home."},
    "desc.profiles": {"nl": "Het voorgestelde profiel past bij het model; wijzig het alleen als u het zeker weet.",
                      "en": "The suggested profile matches the model; change it only if you are sure."},
    "desc.rooms": {"nl": "Waar hangt elke sensor?", "en": "Where is each sensor?"},
    "desc.walktest": {
        "nl": "Loop langs elke sensor: open de deur, loop voorbij, zet de douche aan. Een sensor licht op "
              "zodra zijn melding binnenkomt.",
        "en": "Walk past every sensor: open the door, walk by, run the shower. A sensor lights up as soon "
              "as its message arrives."},
    "desc.summary": {"nl": "Controleer en rond de ingebruikname af.", "en": "Check and complete commissioning."},
    # Fields
    "field.resident_id": {"nl": "Bewonernummer", "en": "Resident number"},
    "field.name": {"nl": "Naam", "en": "Name"},
    "field.existing": {"nl": "Bestaande bewoner", "en": "Existing resident"},
    "field.household": {"nl": "Woont", "en": "Lives"},
    "field.pet": {"nl": "Huisdier dat bewegingssensoren kan activeren", "en": "Pet that can trigger motion sensors"},
    "field.care_visits": {"nl": "Vaste zorgbezoeken (bijv. 'ma-vr 08:00-08:30 thuiszorg')",
                          "en": "Scheduled care visits (e.g. 'mon-fri 08:00-08:30 home care')"},
    "field.purpose": {"nl": "Doel: welke vraag moeten de sensoren beantwoorden?",
                      "en": "Purpose: which question must the sensors answer?"},
    "field.data_need": {"nl": "Gegevensbehoefte: welke gegevens, hoe gedetailleerd?",
                        "en": "Data need: which data, in how much detail?"},
    "field.alternatives": {"nl": "Overwogen alternatieven zonder sensoren", "en": "Alternatives without sensors considered"},
    "field.consent_by": {"nl": "Toestemming gegeven door", "en": "Consent given by"},
    "field.consent_name": {"nl": "Naam vertegenwoordiger (indien van toepassing)",
                           "en": "Name of representative (if any)"},
    "field.consent_given": {"nl": "Toestemming is gegeven en vastgelegd", "en": "Consent has been given and recorded"},
    "field.broker_url": {"nl": "Broker-adres (mqtt://host:poort)", "en": "Broker address (mqtt://host:port)"},
    "field.username": {"nl": "Gebruikersnaam (leeg: anoniem)", "en": "User name (empty: anonymous)"},
    "field.password": {"nl": "Wachtwoord", "en": "Password"},
    "field.seconds": {"nl": "Luistertijd (seconden)", "en": "Listening time (seconds)"},
    "field.devices": {"nl": "Apparaten", "en": "Devices"},
    "field.permit_join": {"nl": "Nieuwe Zigbee-apparaten toelaten en opnieuw zoeken",
                          "en": "Allow new Zigbee devices to join and search again"},
    "field.profile": {"nl": "Profiel", "en": "Profile"},
    "field.room": {"nl": "Ruimte", "en": "Room"},
    "field.placement": {"nl": "Plaats", "en": "Placement"},
    "field.accept_problems": {"nl": "Afronden ondanks de genoemde problemen", "en": "Complete despite the problems named"},
    "field.notes": {"nl": "Opmerkingen", "en": "Notes"},
    "choice.alone": {"nl": "alleen", "en": "alone"},
    "choice.partner": {"nl": "met partner", "en": "with a partner"},
    "choice.resident": {"nl": "de bewoner zelf", "en": "the resident"},
    "choice.representative": {"nl": "een wettelijk vertegenwoordiger", "en": "a legal representative"},
    "choice.new": {"nl": "(nieuwe bewoner)", "en": "(new resident)"},
    # Errors (field -> key)
    "error.required": {"nl": "Vul dit in.", "en": "Please fill this in."},
    "error.resident_exists": {"nl": "Dit bewonernummer bestaat al; kies het als bestaande bewoner.",
                              "en": "This resident number exists; choose it as an existing resident."},
    "error.unknown_resident": {"nl": "Onbekende bewoner.", "en": "Unknown resident."},
    "error.invalid_choice": {"nl": "Kies een van de mogelijkheden.", "en": "Choose one of the options."},
    "error.invalid_id": {"nl": "Alleen letters, cijfers, '-' en '_'.", "en": "Letters, digits, '-' and '_' only."},
    "error.consent_required": {"nl": "Zonder vastgelegde toestemming geen sensoren.",
                               "en": "No sensors without recorded consent."},
    "error.representative_name": {"nl": "Noem de vertegenwoordiger.", "en": "Name the representative."},
    "error.invalid_url": {"nl": "Gebruik mqtt://host:poort of mqtts://host:poort.",
                          "en": "Use mqtt://host:port or mqtts://host:port."},
    "error.cannot_connect": {"nl": "De broker is niet bereikbaar: {detail}", "en": "Cannot reach the broker: {detail}"},
    "error.invalid_auth": {"nl": "De broker weigert deze gebruikersnaam of dit wachtwoord.",
                           "en": "The broker refuses this user name or password."},
    "error.keyring_unavailable": {
        "nl": "Geen sleutelbos beschikbaar: het wachtwoord wordt niet onbeveiligd opgeslagen.",
        "en": "No keyring available: the password will not be stored unprotected."},
    "error.invalid_seconds": {"nl": "Tussen 1 en 300 seconden.", "en": "Between 1 and 300 seconds."},
    "error.no_devices_selected": {"nl": "Kies minstens één apparaat.", "en": "Choose at least one device."},
    "error.unknown_device": {"nl": "Dit apparaat is niet gevonden.", "en": "This device was not found."},
    "error.unknown_profile": {"nl": "Onbekend profiel.", "en": "Unknown profile."},
    "error.no_profile": {"nl": "Geen profiel: maak er een met de profielbouwer.",
                         "en": "No profile: make one with the profile builder."},
    "error.unknown_room": {"nl": "Kies een ruimte.", "en": "Choose a room."},
    "error.invalid_placement": {"nl": "Plaats: kleine letters, cijfers en '_'.",
                                "en": "Placement: lower-case letters, digits and '_'."},
    "error.device_in_use": {"nl": "Dit apparaat is al in gebruik bij {resident}; gebruik 'hergebruiken'.",
                            "en": "This device is in use at {resident}; use 're-use'."},
    "error.walktest_incomplete": {
        "nl": "Niet elke sensor is getest. Los de problemen op of rond bewust af.",
        "en": "Not every sensor passed. Fix the problems or complete deliberately."},
    "error.permit_join_refused": {"nl": "De Zigbee-bridge weigert toelaten: {detail}",
                                  "en": "The Zigbee bridge refuses to permit joining: {detail}"},
    "error.permit_join_no_answer": {"nl": "De Zigbee-bridge antwoordt niet op het verzoek om toe te laten.",
                                    "en": "The Zigbee bridge did not answer the permit-join request."},
    "error.no_zigbee_bridge": {"nl": "Geen Zigbee2MQTT-bridge op deze broker.", "en": "No Zigbee2MQTT bridge on this broker."},
    "error.unknown_step": {"nl": "Deze stap is (nog) niet aan de beurt.", "en": "This step is not (yet) due."},
    # Aborts
    "abort.cancelled": {"nl": "Ingebruikname afgebroken; er is niets opgeslagen.",
                        "en": "Commissioning cancelled; nothing was stored."},
    "abort.no_devices_found": {"nl": "Geen apparaten gevonden op deze broker.", "en": "No devices found on this broker."},
    "abort.access_denied": {"nl": "U mag geen apparaten koppelen voor deze bewoner.",
                            "en": "You may not pair devices for this resident."},
    "abort.broker_lost": {"nl": "De verbinding met de broker is verbroken.", "en": "The connection to the broker was lost."},
    "abort.already_done": {"nl": "Deze ingebruikname is al afgerond.", "en": "This commissioning is already complete."},
    # Walk test
    "walk.waiting": {"nl": "wacht op melding…", "en": "waiting for a message…"},
    "walk.lit": {"nl": "werkt ({event})", "en": "works ({event})"},
    "walk.messages": {"nl": "{count} berichten", "en": "{count} messages"},
    "walk.battery": {"nl": "batterij {value} %", "en": "battery {value} %"},
    "walk.signal": {"nl": "signaal {value}", "en": "signal {value}"},
    "walk.action.motion": {"nl": "loop voorbij", "en": "walk past"},
    "walk.action.contact": {"nl": "open en sluit", "en": "open and close"},
    "walk.action.presence": {"nl": "ga zitten of liggen", "en": "sit or lie down"},
    "walk.action.humidity": {"nl": "zet de douche aan", "en": "run the shower"},
    "walk.action.power": {"nl": "zet het apparaat aan", "en": "switch the appliance on"},
    "walk.action.water_leak": {"nl": "maak de sensor nat", "en": "wet the sensor"},
    "walk.action.other": {"nl": "activeer de sensor", "en": "trigger the sensor"},
    "problem.no_messages": {"nl": "geen berichten ontvangen", "en": "no messages received"},
    "problem.no_activity": {"nl": "wel berichten, maar geen activiteit gezien",
                            "en": "messages arrive, but no activity seen"},
    "problem.wrong_room": {"nl": "lichtte op toen u in {room} was: klopt de ruimte?",
                           "en": "lit up while you were in {room}: is the room right?"},
    "problem.battery_low": {"nl": "batterij bijna leeg ({value} %)", "en": "battery low ({value} %)"},
    "problem.weak_signal": {"nl": "zwak signaal ({value})", "en": "weak signal ({value})"},
    "problem.offline": {"nl": "meldt zich offline", "en": "reports itself offline"},
    "result.passed": {"nl": "geslaagd", "en": "passed"},
    "result.failed": {"nl": "niet geslaagd", "en": "failed"},
    "result.untested": {"nl": "niet getest", "en": "not tested"},
    "source.zigbee2mqtt": {"nl": "Zigbee2MQTT", "en": "Zigbee2MQTT"},
    "source.homeassistant": {"nl": "Home Assistant-discovery", "en": "Home Assistant discovery"},
    "source.topic": {"nl": "bekend onderwerp", "en": "known topic"},
    "source.unknown": {"nl": "onbekend onderwerp", "en": "unknown topic"},
    "discover.joined": {"nl": "nieuw toegevoegd", "en": "just joined"},
    "discover.permit_join_open": {"nl": "Toelaten staat {seconds} s open.", "en": "Joining is open for {seconds} s."},
    # Commissioning record / PDF
    "pdf.title": {"nl": "Ingebruiknameverslag", "en": "Commissioning record"},
    "pdf.home": {"nl": "Woning", "en": "Home"},
    "pdf.resident": {"nl": "Bewoner", "en": "Resident"},
    "pdf.installer": {"nl": "Installateur", "en": "Installer"},
    "pdf.completed": {"nl": "Afgerond", "en": "Completed"},
    "pdf.broker": {"nl": "Broker", "en": "Broker"},
    "pdf.household": {"nl": "Huishouden", "en": "Household"},
    "pdf.privacy": {"nl": "Afwegingskader Sensordata en Privacy", "en": "Sensor Data and Privacy framework"},
    "pdf.devices": {"nl": "Sensoren", "en": "Sensors"},
    "pdf.col.device": {"nl": "Apparaat", "en": "Device"},
    "pdf.col.where": {"nl": "Ruimte / plaats", "en": "Room / placement"},
    "pdf.col.test": {"nl": "Looptest", "en": "Walk test"},
    "pdf.col.health": {"nl": "Batterij / signaal", "en": "Battery / signal"},
    "pdf.problems": {"nl": "Problemen", "en": "Problems"},
    "pdf.version": {"nl": "Versie {version}", "en": "Version {version}"},
    "pdf.yes": {"nl": "ja", "en": "yes"},
    "pdf.no": {"nl": "nee", "en": "no"},
    "pdf.none": {"nl": "geen", "en": "none"},
    "pdf.page": {"nl": "Pagina {page}", "en": "Page {page}"},
    # Rooms (the PDF is made without the GUI's string table)
    "room.bedroom": {"nl": "Slaapkamer", "en": "Bedroom"},
    "room.bathroom": {"nl": "Badkamer", "en": "Bathroom"},
    "room.toilet": {"nl": "Toilet", "en": "Toilet"},
    "room.kitchen": {"nl": "Keuken", "en": "Kitchen"},
    "room.living": {"nl": "Woonkamer", "en": "Living room"},
    "room.hall": {"nl": "Gang", "en": "Hall"},
    "room.entrance": {"nl": "Entree", "en": "Entrance"},
    "room.other": {"nl": "Overig", "en": "Other"},
}

TEXTS.update(LATER)


def text(key: str, language: str = "nl", **placeholders: object) -> str:
    """The words for ``key``; an unknown key shows itself (never a crash over a missing text)."""
    entry = TEXTS.get(key)
    if entry is None:
        return key
    template = entry.get(language) or entry["nl"]
    try:
        return template.format(**placeholders) if placeholders else template
    except (KeyError, IndexError, ValueError):
        return template


def problem_text(key: str, args: dict[str, object] | None, language: str = "nl") -> str:
    """A walk-test problem in words; a room placeholder is a room name, not a code."""
    values = dict(args or {})
    if "room" in values:
        values["room"] = text(f"room.{values['room']}", language).lower()
    return text(f"problem.{key}", language, **values)
