from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from tandem.api import api
from tandem.core.health import readyz
from tandem.core.metrics import metrics
from tandem.storefront import views as storefront_views

admin.site.site_header = "Tandem admin"
admin.site.site_title = "Tandem admin"
admin.site.index_title = "One catalog, one stock, one order book"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", storefront_views.healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    # the catalog pages first: every request walks the includes in order, and a miss in one
    # costs a list of what it tried (the storefront's patterns are exact, they shadow nothing)
    path("", include("tandem.storefront.urls")),
    path("", include("tandem.cart.urls")),
    path("", include("tandem.cart.list_urls")),
    path("", include("tandem.checkout.urls")),
    path("", include("tandem.orders.urls")),
    path("", include("tandem.messaging.urls")),
    path("", include("tandem.salesrep.urls")),
    path("", include("tandem.quotes.urls")),
    path("", include("tandem.billing.urls")),
    path("", include("tandem.quotes.resale_urls")),
    path("", include("tandem.privacy.urls")),
    path("", include("tandem.service.urls")),
    path("", include("tandem.content.urls")),
    path("", include("tandem.feeds.urls")),
    path("", include("tandem.punchout.urls")),
]

if settings.SERVE_MEDIA:
    # The embedded demo serves uploaded images itself; production uses object storage
    # or the reverse proxy (docs/deployment.md).
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler404 = "tandem.storefront.views.page_not_found"
handler500 = "tandem.core.health.server_error"
