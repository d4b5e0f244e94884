"""Topic patterns of device profiles: matching MQTT topics and deriving subscription filters.

A pattern is an MQTT topic with named placeholders: ``{device}`` matches one level, ``{device+}`` one or
more levels (Zigbee2MQTT friendly names may contain ``/``), and ``{name:regex}`` one level restricted by
a regular expression (so that broad patterns such as ``{device}/events/rpc`` only catch Shelly ids).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PLACEHOLDER = re.compile(r"\{(?P<name>[a-z_]+)(?P<multi>\+)?(?::(?P<regex>[^}]+))?\}")


class PatternError(ValueError):
    """A topic pattern that cannot be compiled."""


@dataclass(frozen=True)
class TopicPattern:
    text: str
    regex: re.Pattern[str] = field(compare=False)
    names: tuple[str, ...] = field(compare=False)
    literal_chars: int = field(compare=False)

    def match(self, topic: str) -> dict[str, str] | None:
        found = self.regex.fullmatch(topic)
        return None if found is None else found.groupdict()

    def mqtt_filter(self) -> str:
        """The subscription filter that covers this pattern (placeholders become wildcards)."""
        # Placeholders first (their regexes may contain "/"), then split into levels.
        text = _PLACEHOLDER.sub(lambda m: "\x00#" if m.group("multi") else "\x00+", self.text)
        levels = []
        for level in text.split("/"):
            if "\x00#" in level:
                levels.append("#")
                break
            levels.append("+" if "\x00" in level else level)
        return "/".join(levels)


def compile_pattern(text: str) -> TopicPattern:
    if not text or text.startswith("/") or "#" in text or "+" in _PLACEHOLDER.sub("", text):
        raise PatternError(f"invalid topic pattern {text!r}")
    parts: list[str] = []
    names: list[str] = []
    position = 0
    for placeholder in _PLACEHOLDER.finditer(text):
        parts.append(re.escape(text[position : placeholder.start()]))
        name = placeholder.group("name")
        if name in names:
            raise PatternError(f"placeholder {{{name}}} appears twice in {text!r}")
        names.append(name)
        if placeholder.group("multi"):
            body = ".+"
        elif placeholder.group("regex"):
            body = placeholder.group("regex")
            try:
                re.compile(body)
            except re.error as exc:
                raise PatternError(f"bad regular expression in {text!r}: {exc}") from exc
            body = f"(?:{body})"
        else:
            body = "[^/]+"
        parts.append(f"(?P<{name}>{body})")
        position = placeholder.end()
    parts.append(re.escape(text[position:]))
    literal = len(_PLACEHOLDER.sub("", text))
    return TopicPattern(text, re.compile("".join(parts)), tuple(names), literal)


def filter_matches(mqtt_filter: str, topic: str) -> bool:
    """MQTT wildcard semantics: does a subscription filter cover a topic (or another filter)?"""
    f_levels, t_levels = mqtt_filter.split("/"), topic.split("/")
    for index, level in enumerate(f_levels):
        if level == "#":
            return True
        if index >= len(t_levels):
            return False
        if level != "+" and level != t_levels[index]:
            return False
        if level == "+" and t_levels[index] == "#":
            return False
    return len(f_levels) == len(t_levels)


def minimal_filters(filters: list[str]) -> list[str]:
    """Drop filters covered by another one, so the broker does not deliver a message twice."""
    unique = sorted(set(filters))
    kept = []
    for candidate in unique:
        if not any(other != candidate and filter_matches(other, candidate) for other in unique):
            kept.append(candidate)
    return kept
