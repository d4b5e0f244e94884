"""Ingest: MQTT in, normalised events out, at least once.

``mqtt_client`` (the only paho import) -> ``writer`` queue -> ``pipeline`` (profiles) ->
``device_tracker`` (change-only, heartbeats, replays) -> one transaction -> acks. ``engine`` ties them
together under the database lease.
"""
