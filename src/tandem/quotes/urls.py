from django.urls import path

from tandem.quotes import rep_views, views

app_name = "quotes"

urlpatterns = [
    path("account/quotes/", views.quote_list, name="list"),
    path("account/quotes/new/", views.quote_new, name="new"),
    path("cart/request-quote/", views.quote_from_cart, name="from_cart"),
    path("account/quotes/<int:quote_id>/", views.quote_detail, name="detail"),
    path("account/quotes/<int:quote_id>/comment/", views.quote_comment, name="comment"),
    path("account/quotes/<int:quote_id>/decline/", views.quote_decline, name="decline"),
    path("account/quotes/<int:quote_id>/offers/<int:revision>/accept/", views.offer_accept, name="accept"),
    path("account/quotes/<int:quote_id>/offers/<int:revision>.pdf", views.offer_pdf, name="pdf"),
    path("account/quotes/<int:quote_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("rep/quotes/", rep_views.quote_list, name="rep_list"),
    path("rep/quotes/<int:quote_id>/", rep_views.quote_builder, name="rep_detail"),
    path("rep/quotes/<int:quote_id>/draft/", rep_views.draft_save, name="rep_draft"),
    path("rep/quotes/<int:quote_id>/comment/", rep_views.rep_comment, name="rep_comment"),
    path("rep/quotes/<int:quote_id>/offers/<int:revision>.pdf", rep_views.rep_offer_pdf, name="rep_pdf"),
    path(
        "rep/quotes/<int:quote_id>/files/<int:attachment_id>/",
        rep_views.rep_attachment,
        name="rep_attachment",
    ),
]
