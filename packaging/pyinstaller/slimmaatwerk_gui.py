"""Entry point of the windowed executable (Windows ``SlimMaatwerk.exe``, the macOS .app).

Started from a shortcut or the Dock it has no arguments and no console, so it opens the desktop app;
with arguments it behaves like the command line.
"""

import multiprocessing
import sys

from slimmaatwerk.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    # macOS Finder may pass a process serial number (-psn_...) to an .app; it is not an argument of ours.
    args = [arg for arg in sys.argv[1:] if not arg.startswith("-psn_")]
    raise SystemExit(main(args or ["app"]))
