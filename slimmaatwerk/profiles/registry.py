"""The loaded profile library: find a profile by discovery metadata or by the topic a message came on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .model import Profile, SpecialTopic, TopicSpec
from .topics import TopicPattern, minimal_filters


@dataclass(frozen=True)
class Route:
    """All profiles listening on one topic pattern (Zigbee2MQTT models share theirs)."""

    pattern: TopicPattern
    entries: tuple[tuple[Profile, TopicSpec], ...]


class ProfileRegistry:
    def __init__(self, profiles: list[Profile], specials: list[SpecialTopic]) -> None:
        self.profiles: tuple[Profile, ...] = tuple(profiles)
        self.by_id: dict[str, Profile] = {p.id: p for p in profiles}
        self.specials: tuple[SpecialTopic, ...] = tuple(
            sorted(specials, key=lambda s: -s.pattern.literal_chars)
        )
        self._by_model: dict[tuple[str, str], Profile] = {}
        self._fallback: dict[str, Profile] = {}
        for profile in profiles:
            for name in (*profile.models, *profile.model_ids):
                self._by_model.setdefault((profile.integration, name.lower()), profile)
            if profile.fallback:
                self._fallback.setdefault(profile.integration, profile)
        grouped: dict[str, list[tuple[Profile, TopicSpec]]] = {}
        patterns: dict[str, TopicPattern] = {}
        for profile in profiles:
            for spec in profile.topics:
                grouped.setdefault(spec.pattern.text, []).append((profile, spec))
                patterns[spec.pattern.text] = spec.pattern
        # Most specific first, so `zigbee2mqtt/{device+}/availability` wins over `zigbee2mqtt/{device+}`.
        ordered = sorted(patterns.values(), key=_specificity, reverse=True)
        self.routes: tuple[Route, ...] = tuple(Route(p, tuple(grouped[p.text])) for p in ordered)
        # A literal first topic level indexes the routes, so a message tries a handful of regexes.
        self._by_first: dict[str, tuple[Route, ...]] = {}
        self._wild: tuple[Route, ...] = tuple(r for r in self.routes if _first_level(r.pattern) is None)
        firsts = {f for r in self.routes if (f := _first_level(r.pattern)) is not None}
        for first in firsts:
            self._by_first[first] = tuple(
                r for r in self.routes if _first_level(r.pattern) in (first, None)
            )

    def __len__(self) -> int:
        return len(self.profiles)

    def for_model(self, integration: str, *names: str | None) -> Profile | None:
        """The profile matching a model or model id, else the integration's generic fallback."""
        for name in names:
            if name:
                found = self._by_model.get((integration, name.lower()))
                if found is not None:
                    return found
        return self._fallback.get(integration)

    def candidate_routes(self, topic: str) -> Iterator[tuple[Route, dict[str, str]]]:
        first = topic.split("/", 1)[0]
        for route in self._by_first.get(first, self._wild):
            captures = route.pattern.match(topic)
            if captures is not None:
                yield route, captures

    def special(self, topic: str) -> tuple[SpecialTopic, dict[str, str]] | None:
        for special in self.specials:
            captures = special.pattern.match(topic)
            if captures is not None:
                return special, captures
        return None

    def subscription_filters(self) -> list[str]:
        filters = [r.pattern.mqtt_filter() for r in self.routes]
        filters += [s.pattern.mqtt_filter() for s in self.specials]
        return minimal_filters(filters)


def _first_level(pattern: TopicPattern) -> str | None:
    first = pattern.text.split("/", 1)[0]
    return None if "{" in first else first


def _specificity(pattern: TopicPattern) -> tuple[int, int]:
    constrained = pattern.text.count(":")
    return pattern.literal_chars, constrained
