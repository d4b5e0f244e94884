"""Run the ingest engine headless until SIGTERM/SIGINT, then stop cleanly (what `slimmaatwerk ingest` wraps).

A clean stop takes no new messages, commits and acknowledges everything already received, disconnects
and releases the lease; whatever was not acknowledged stays in the broker's persistent session.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from .engine import IngestEngine

log = logging.getLogger(__name__)


def run_until_signalled(engine: IngestEngine, stop: threading.Event | None = None,
                        status_every_s: float = 0.0) -> int:
    """Start, wait for SIGTERM/SIGINT (or ``stop``), stop cleanly. Returns a process exit code."""
    stop = stop or threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: stopping ingest", signum)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    engine.start()
    try:
        while not stop.wait(status_every_s or 1.0):
            failed = [c for c in engine.connections if c.state == "auth_failed"]
            if failed:
                log.error("%s", failed[0].last_error)
                return 3
            if not engine.writer.alive:
                # Only a bug ends the writer. Exit with an error so the service manager restarts us: what
                # was received since the last commit is unacknowledged and comes again.
                log.error("the writer thread ended unexpectedly (%s); stopping so the service restarts",
                          engine.writer.error or "no error recorded")
                return 4
            if status_every_s:
                print(json.dumps(engine.status()), file=sys.stderr, flush=True)
    finally:
        engine.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m slimmaatwerk.ingest.service --db URL --broker URL``; for tests and the service unit."""
    parser = argparse.ArgumentParser(description="Slim Maatwerk headless ingest engine")
    parser.add_argument("--db", required=True)
    parser.add_argument("--broker", action="append", required=True)
    parser.add_argument("--client-id", default="slimmaatwerk-engine")
    parser.add_argument("--ca")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--username")
    parser.add_argument("--password-file", help="a file holding the MQTT password (e.g. in $CREDENTIALS_DIRECTORY)")
    parser.add_argument("--protocol", type=int, choices=(4, 5), default=5)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    password = None
    if args.password_file:
        with open(args.password_file, encoding="utf-8") as fh:
            password = fh.read().strip()
    engine = IngestEngine(args.db, args.broker, client_id=args.client_id, username=args.username,
                          password=password, ca_file=args.ca, cert_file=args.cert, key_file=args.key,
                          protocol=args.protocol)
    return run_until_signalled(engine)


if __name__ == "__main__":
    raise SystemExit(main())
