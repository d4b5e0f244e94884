"""Ingest: MQTT in, normalised events out, at least once.

``mqtt_client`` (the only paho import), run per broker in a ``receiver_process`` of its own -> batches
through a pipe -> ``writer`` queue -> ``pipeline`` (profiles) -> ``device_tracker`` (change-only,
heartbeats, replays) -> one transaction -> acks back through the pipe. ``engine`` ties them together
under the database lease.
"""
