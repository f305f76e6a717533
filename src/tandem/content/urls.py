from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from tandem.content import views
from tandem.content.sitemaps import SITEMAPS

app_name = "content"

urlpatterns = [
    path("articles/", views.articles, name="articles"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("pages/<slug:slug>/", views.page, name="page"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "content:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]
