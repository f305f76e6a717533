from django.urls import path

from tandem.feeds import views

app_name = "feeds"

urlpatterns = [
    path("feeds/<str:token>/", views.feed_download, name="download"),
    path("account/company/feeds/", views.company_feeds, name="company"),
    path("account/company/feeds/<int:feed_id>/rotate/", views.company_feed_rotate, name="company_rotate"),
    path("account/company/feeds/<int:feed_id>/revoke/", views.company_feed_revoke, name="company_revoke"),
]
