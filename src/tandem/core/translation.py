"""Translatable product texts.

Texts in the default language live in ordinary columns; the other languages live in a
``translations`` JSON column ``{"pl": {"name": …}, …}``. Reading a translation costs no
query, and a page of 48 products stays one query.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def translation_languages() -> list[str]:
    """Languages other than the default one that texts can be translated into."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class TranslatableModel(models.Model):
    """Adds ``translations`` and ``tr(field)`` to a model with ``translated_fields``."""

    translated_fields: tuple[str, ...] = ()

    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def tr(self, field: str, language: str | None = None) -> str:
        """The field in ``language`` (the active one by default), else the default text."""
        language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language != settings.LANGUAGE_CODE:
            value = (self.translations or {}).get(language, {}).get(field)
            if value:
                return value
        return getattr(self, field)

    def all_texts(self) -> list[str]:
        """Every language's text of every translated field (for the search index)."""
        texts = [getattr(self, field) or "" for field in self.translated_fields]
        for values in (self.translations or {}).values():
            texts.extend(str(values.get(field) or "") for field in self.translated_fields)
        return [text for text in texts if text]


def translations_merged(current: dict | None, sent: dict[str, dict[str, str]]) -> dict:
    """``translations`` with the sent texts set, an empty text removing one (an integration
    sends only the languages and fields it changes)."""
    merged = {language: dict(texts) for language, texts in (current or {}).items()}
    for language, texts in sent.items():
        target = merged.setdefault(language, {})
        for name, text in texts.items():
            if text:
                target[name] = text
            else:
                target.pop(name, None)
        if not target:
            merged.pop(language)
    return merged


def translation_problems(sent: dict[str, dict[str, str]], fields) -> list[tuple[str, str, str]]:
    """What is wrong with sent translations, as (``language`` or ``language.field``, code,
    message): a language the shop does not speak, a field that is not translated."""
    languages = set(translation_languages())
    problems = []
    for language, texts in sent.items():
        if language not in languages:
            problems.append(
                (
                    language,
                    "language_unknown",
                    _("Texts can be translated into %(languages)s.")
                    % {"languages": ", ".join(sorted(languages))},
                )
            )
        problems += [
            (f"{language}.{name}", "field_unknown", _("This text cannot be translated."))
            for name in texts
            if name not in fields
        ]
    return problems
