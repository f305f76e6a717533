from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tandem.content.models import Article, ArticleCategory, ArticleProduct, Page
from tandem.core.admin_translation import TranslatableAdminMixin


@admin.register(ArticleCategory)
class ArticleCategoryAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    list_editable = ["sort_order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


class ArticleProductInline(admin.TabularInline):
    """The product blocks: each reader sees only those they may buy, at their own price."""

    model = ArticleProduct
    autocomplete_fields = ["product"]
    fields = ["product", "sort_order"]
    extra = 1


@admin.register(Article)
class ArticleAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    """Articles (Markdown), translated; public at /articles/ once published and dated."""

    list_display = ["title", "category", "is_published", "published_at", "author_name"]
    list_filter = ["is_published", "category"]
    list_select_related = ["category"]
    search_fields = ["title", "slug", "lead"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [ArticleProductInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "author_name", "cover", "lead", "body"]}),
        (_("Publication"), {"fields": ["is_published", "published_at"]}),
    ]


@admin.register(Page)
class PageAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    """Static pages (terms, privacy, delivery, contact) at /pages/<slug>/."""

    list_display = ["title", "slug", "is_published", "show_in_footer", "sort_order", "updated_at"]
    list_editable = ["is_published", "show_in_footer", "sort_order"]
    list_filter = ["is_published", "show_in_footer"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
