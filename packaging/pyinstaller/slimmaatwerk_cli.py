"""Entry point of the bundled ``slimmaatwerk`` executable: the full command line, as ``python -m slimmaatwerk``."""

import multiprocessing

from slimmaatwerk.cli import main

if __name__ == "__main__":
    # A frozen program that starts worker processes must let them identify themselves first (Windows, macOS).
    multiprocessing.freeze_support()
    raise SystemExit(main())
