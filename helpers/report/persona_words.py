"""Personas in words: the names and traits of clustered personas, in the reader's language.

:mod:`helpers.method.personas` finds the groups (numbers and ids only); this module names them
when they are shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from helpers.method.personas import ClusterPersona
from helpers.report.i18n import catalogue, fmt_number, label, t


def interest_label(value: str, lang: str) -> str:
    """An interest in the report's language (``interest.<value>``, then ``personas.interest.<value>``)."""
    if f"interest.{value}" in catalogue(lang):
        return label("interest", value, lang)
    return label("personas.interest", value, lang)


def channel_label(value: str, lang: str) -> str:
    """A network in the report's language; ``none`` reads "no network"."""
    return t("personas.channel_none", lang) if value == "none" else label("channel", value, lang)


def ages_text(persona: ClusterPersona, lang: str) -> str:
    """``25-44 ans`` / ``65 ans et plus`` (fr), ``25-44`` / ``65+`` (en)."""
    if persona.age_band is None:
        return ""
    low, high = persona.age_band
    if high is None:
        return t("personas.ages_open", lang, low=low)
    return t("personas.ages_range", lang, low=low, high=high)


def persona_name(persona: ClusterPersona, lang: str) -> str:
    """A name made of the group's traits: ``Femmes 25-44 ans · soin de la peau``."""
    parts = [t(f"personas.who_{persona.who}", lang)]
    ages = ages_text(persona, lang)
    head = t("personas.name_ages", lang, who=parts[0], ages=ages) if ages else parts[0]
    if persona.interests:
        return t("personas.name", lang, head=head, trait=interest_label(persona.interests[0][0], lang))
    return head


def persona_names(personas: Sequence[ClusterPersona], lang: str) -> list[str]:
    """Every persona's name, made unique by its main network, then by its number."""
    names = [persona_name(p, lang) for p in personas]
    repeated = {name for name in names if names.count(name) > 1}
    for i, p in enumerate(personas):
        if names[i] in repeated and p.channels:
            names[i] = t("personas.name", lang, head=names[i], trait=channel_label(p.channels[0][0], lang))
    repeated = {name for name in names if names.count(name) > 1}
    for i, p in enumerate(personas):
        if names[i] in repeated:
            names[i] = f"{names[i]} ({fmt_number(p.number, lang)})"
    return names
