"""Editorial content: articles (blog, inspiration) with product blocks, and static pages
(terms, privacy, delivery, contact).

Texts are Markdown (``service.markdown`` renders them safely). Texts in the default language
live in the columns, the others in ``translations`` like the catalogue's. An article is public
once it is published and its publication date has come; a product block shows a product only
to a reader who may see it, priced for them (``content.selectors``).
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.catalog.models import Product
from tandem.core.translation import TranslatableModel

MARKDOWN_HELP = _("Markdown: ### headings, **bold**, lists, [links](https://…).")


class ArticleCategory(TranslatableModel):
    translated_fields = ("name",)

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")

    def __str__(self) -> str:
        return self.name


def article_cover_path(instance: "Article", filename: str) -> str:
    return f"articles/{filename}"


class Article(TranslatableModel):
    translated_fields = ("title", "lead", "body")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    lead = models.TextField(_("lead"), blank=True, help_text=_("One or two sentences shown in the list."))
    body = models.TextField(_("body"), help_text=MARKDOWN_HELP)
    cover = models.ImageField(_("cover image"), upload_to=article_cover_path, max_length=255, blank=True)
    category = models.ForeignKey(
        ArticleCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("category"),
    )
    author_name = models.CharField(_("author"), max_length=120, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(
        _("publication date"), default=timezone.now, help_text=_("Public from this moment when published.")
    )
    products = models.ManyToManyField(
        Product, through="ArticleProduct", related_name="+", blank=True, verbose_name=_("products")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["is_published", "published_at"], name="article_public_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:article", kwargs={"slug": self.slug})


class ArticleProduct(models.Model):
    """A product block of an article, in the article's order."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="product_blocks", verbose_name=_("article")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("product block")
        verbose_name_plural = _("product blocks")
        constraints = [
            models.UniqueConstraint(fields=["article", "product"], name="article_product_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.product_id}"


class Page(TranslatableModel):
    """A static page (terms, privacy, delivery, contact) at /pages/<slug>/."""

    translated_fields = ("title", "body")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    body = models.TextField(_("body"), help_text=MARKDOWN_HELP)
    is_published = models.BooleanField(_("published"), default=True)
    show_in_footer = models.BooleanField(_("link in the footer"), default=False)
    sort_order = models.IntegerField(_("sort order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["sort_order", "title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:page", kwargs={"slug": self.slug})
