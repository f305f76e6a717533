from django.urls import path

from tandem.checkout import views

app_name = "checkout"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/summary/", views.checkout_summary, name="summary"),
    path("order/<str:token>/", views.order_done, name="order_done"),
    path("order/<str:token>/pay/", views.order_pay_again, name="pay_again"),
    path("pay/test/<str:reference>/", views.test_gateway, name="test_gateway"),
]
