"""Device profiles: data files describing how each vendor's MQTT messages become events.

``load_profiles`` reads and validates ``device_profiles/*.json`` into a ``ProfileRegistry``;
``normaliser`` applies one profile to one payload. Nothing here does I/O beyond reading the files.
"""

from .converters import CONVERTERS
from .loader import DEFAULT_DIR, ProfileError, load_profiles
from .model import Example, FieldSpec, Profile, TopicSpec
from .normaliser import UNITS, Reading
from .registry import ProfileRegistry

__all__ = [
    "CONVERTERS",
    "DEFAULT_DIR",
    "UNITS",
    "Example",
    "FieldSpec",
    "Profile",
    "ProfileError",
    "ProfileRegistry",
    "Reading",
    "TopicSpec",
    "load_profiles",
]
