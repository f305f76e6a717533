from django.urls import path

from tandem.cart import views

app_name = "cart"

urlpatterns = [
    path("cart/", views.cart_detail, name="detail"),
    path("cart/add/", views.cart_add, name="add"),
    path("cart/lines/<int:line_id>/", views.cart_update, name="update"),
    path("cart/coupon/", views.cart_coupon, name="coupon"),
    path("quick-order/", views.quick_order, name="quick_order"),
]
