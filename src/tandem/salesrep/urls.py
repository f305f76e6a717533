from django.urls import path, re_path
from django.views.generic import RedirectView

from tandem.salesrep import views

app_name = "salesrep"

urlpatterns = [
    path("rep/", RedirectView.as_view(pattern_name="salesrep:orders"), name="home"),
    path("rep/orders/", views.order_list, name="orders"),
    re_path(r"^rep/orders/export\.(?P<file_format>csv|xlsx)$", views.order_export, name="export"),
    path("rep/orders/<str:number>/", views.order_detail, name="order"),
    path("rep/orders/<str:number>/status/", views.order_status, name="status"),
    path("rep/orders/<str:number>/custom-status/", views.order_custom_status, name="custom_status"),
    path("rep/orders/<str:number>/ship/", views.order_ship, name="ship"),
    path("rep/orders/<str:number>/cancel/", views.order_cancel, name="cancel"),
]
