from django.urls import path

from tandem.service import compare_views, recommendation_views, views

app_name = "service"

urlpatterns = [
    path("faq/", views.faq, name="faq"),
    path("assistant/", views.assistant, name="assistant"),
    path("assistant/handover/", views.assistant_handover, name="handover"),
    path("buy-again/", recommendation_views.buy_again, name="buy_again"),
    path("recommendations/home/", recommendation_views.home, name="recommendations_home"),
    path("recommendations/cart/", recommendation_views.cart, name="recommendations_cart"),
    path(
        "recommendations/product/<int:product_id>/",
        recommendation_views.together,
        name="recommendations_product",
    ),
    path("compare/", compare_views.compare, name="compare"),
    path("compare/add/", compare_views.compare_add_view, name="compare_add"),
    path("compare/remove/", compare_views.compare_remove_view, name="compare_remove"),
    path("compare/clear/", compare_views.compare_clear_view, name="compare_clear"),
]
