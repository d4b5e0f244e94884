"""The profile library an installation really uses: the built-in profiles plus the user profile folder.

User profiles are the ones an installer made with the profile builder (``<data dir>/device_profiles``).
Built-ins load all-or-nothing, as before. A user profile file is checked on its own: a broken file, or
one whose id or model is already taken by a built-in (or by an earlier user file), is skipped with a
logged message naming the file and the field, and everything else still loads. A user profile never
silently shadows a built-in: the installer who needs another mapping for a known model makes a
profile with its own id and model, or asks for the built-in to be fixed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .loader import DEFAULT_DIR, ProfileError, _check_unique, load_file, load_profiles
from .model import Profile, SpecialTopic
from .registry import ProfileRegistry

log = logging.getLogger(__name__)

USER_FOLDER = "device_profiles"


def user_profiles_dir(data_dir: Path) -> Path:
    return Path(data_dir) / USER_FOLDER


@dataclass
class Library:
    """The loaded registry, the user files that were taken and the ones that were refused (with why)."""

    registry: ProfileRegistry
    loaded: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one line per refused file, as logged
    refused_files: list[tuple[str, str]] = field(default_factory=list)  # (file name, why), for screens


def load_library(user_dir: Path | None, builtin_dir: Path | str = DEFAULT_DIR) -> Library:
    """Built-ins (strict) plus every usable user profile file (tolerant, one file at a time)."""
    builtin = load_profiles(builtin_dir)
    profiles: list[Profile] = list(builtin.profiles)
    specials: list[SpecialTopic] = list(builtin.specials)
    library = Library(builtin)
    if user_dir is None or not Path(user_dir).is_dir():
        return library
    for path in sorted(Path(user_dir).glob("*.json")):
        try:
            found, special = load_file(path)
            _check_unique([*profiles, *found])
        except ProfileError as exc:
            message = f"user profile {path} refused: {exc}"
            log.error("%s", message)
            library.refused.append(message)
            library.refused_files.append((path.name, str(exc).removeprefix(f"{path.name}: ")))
            continue
        profiles.extend(found)
        specials.extend(special)
        library.loaded.append(path)
    if library.loaded:
        library.registry = ProfileRegistry(profiles, specials)
        log.info("device profiles: %d built-in, %d from %d user files in %s", len(builtin),
                 len(profiles) - len(builtin), len(library.loaded), user_dir)
    return library
