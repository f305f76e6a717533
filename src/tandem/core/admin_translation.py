"""Admin editing of translated texts: one form field per language and field
(``name [pl]``, ``name [bg]`` …) stored in the model's ``translations`` JSON."""

from django import forms
from django.conf import settings

from tandem.core.translation import translation_languages


def _field_name(field: str, language: str) -> str:
    return f"{field}__{language}"


class TranslatableModelForm(forms.ModelForm):
    """Base form; build concrete ones with ``translatable_form_for(model)``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        translations = self.instance.translations or {}
        for language, values in translations.items():
            for field, value in values.items():
                name = _field_name(field, language)
                if name in self.fields:
                    self.initial.setdefault(name, value)

    def save(self, commit=True):
        instance = super().save(commit=False)
        translations = {lang: dict(values) for lang, values in (instance.translations or {}).items()}
        for language in translation_languages():
            values = translations.setdefault(language, {})
            for field in self._meta.model.translated_fields:
                name = _field_name(field, language)
                # Only fields the form really showed and posted: a form (or inline) that
                # leaves a language out must not wipe that language's texts.
                if name not in self.fields or self.add_prefix(name) not in self.data:
                    continue
                value = (self.cleaned_data.get(name) or "").strip()
                if value:
                    values[field] = value
                else:
                    values.pop(field, None)
        instance.translations = {lang: values for lang, values in translations.items() if values}
        if commit:
            instance.save()
            self._save_m2m()
        return instance


def translatable_form_for(model) -> type[TranslatableModelForm]:
    """A ModelForm for ``model`` with one declared field per language and translated field."""
    attrs: dict = {}
    for field in model.translated_fields:
        model_field = model._meta.get_field(field)
        is_long = model_field.get_internal_type() == "TextField"
        for language in translation_languages():
            attrs[_field_name(field, language)] = forms.CharField(
                label=f"{model_field.verbose_name} [{language}]",
                required=False,
                max_length=getattr(model_field, "max_length", None),
                widget=forms.Textarea(attrs={"rows": 3}) if is_long else forms.TextInput(attrs={"size": 50}),
            )
    attrs["Meta"] = type("Meta", (), {"model": model, "exclude": ["translations"]})
    return type(f"{model.__name__}TranslatableForm", (TranslatableModelForm,), attrs)


class TranslatableAdminMixin:
    """For a ModelAdmin of a TranslatableModel: translations in their own fieldset."""

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", translatable_form_for(self.model))
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            fieldsets = list(self.fieldsets)
        else:
            form = translatable_form_for(self.model)
            fields = [name for name in form.base_fields if "__" not in name] + [
                f for f in self.get_readonly_fields(request, obj) if f not in form.base_fields
            ]
            fieldsets = [(None, {"fields": fields})]
        extra = [
            _field_name(field, language)
            for language in translation_languages()
            for field in self.model.translated_fields
        ]
        default = dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]
        return [*fieldsets, (f"Translations (default: {default})", {"fields": extra})]


class TranslatableInlineMixin:
    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", translatable_form_for(self.model))
        return super().get_formset(request, obj, **kwargs)
