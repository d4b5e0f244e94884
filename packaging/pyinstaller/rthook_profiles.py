# PyInstaller runtime hook: tell the app where the bundle keeps its device profiles.
# They sit in device_profiles/ next to the executable so an administrator can see and extend them
# (inside the macOS .app they are in Contents/Resources, reached through sys._MEIPASS). A value an
# administrator set in the environment wins.
import os
import sys
from pathlib import Path

_candidates = (Path(sys.executable).resolve().parent / "device_profiles",
               Path(getattr(sys, "_MEIPASS", "")) / "device_profiles")
for _path in _candidates:
    if _path.is_dir():
        os.environ.setdefault("SLIMMAATWERK_PROFILES", str(_path))
        break
