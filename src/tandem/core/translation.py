"""Translatable product texts.

Texts in the default language live in ordinary columns; the other languages live in a
``translations`` JSON column ``{"pl": {"name": …}, …}``. Reading a translation costs no
query, and a page of 48 products stays one query.
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _


class TranslatedText(models.Func):
    """A text field in ``language`` (its translation, else the default text), as SQL whose
    text is the same in every process, so that an index on it is used: Django's own JSON key
    lookup on SQLite lists JSON types in set order, which changes with each process's hash
    seed, and passes the path as a parameter, which an index on an expression cannot match.
    The language and field are checked names, written into the SQL."""

    output_field = models.CharField()

    def __init__(self, field: str, language: str):
        if not (re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{1,8})?", language) and field.isidentifier()):
            raise ValueError(f"not a language and a field: {language!r}, {field!r}")
        self.text_field, self.language = field, language
        super().__init__(models.F("translations"), models.F(field))

    def _parts(self, compiler, connection) -> tuple[str, str, tuple]:
        translations, own = self.get_source_expressions()
        translations_sql, translations_params = compiler.compile(translations)
        own_sql, own_params = compiler.compile(own)
        return translations_sql, own_sql, (*translations_params, *own_params)

    def as_sql(self, compiler, connection, **extra):  # SQLite (and any with JSON_EXTRACT)
        translations, own, params = self._parts(compiler, connection)
        path = f'$."{self.language}"."{self.text_field}"'
        return f"COALESCE(JSON_EXTRACT({translations}, '{path}'), {own})", params

    def as_postgresql(self, compiler, connection, **extra):
        translations, own, params = self._parts(compiler, connection)
        return f"COALESCE(({translations} -> '{self.language}' ->> '{self.text_field}'), {own})", params


def shop_languages() -> tuple[str, ...]:
    """Every language the shop speaks (settings.LANGUAGES), the default first."""
    return tuple(code for code, _name in settings.LANGUAGES)


def active_language(asked: str = "") -> str:
    """``asked`` when the shop speaks it, else the active language (the request's), without
    a region."""
    code = asked.split("-")[0]
    if code in shop_languages():
        return code
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


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
