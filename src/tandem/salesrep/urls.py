from django.urls import path, re_path

from tandem.salesrep import customer_views, report_views, views

app_name = "salesrep"

urlpatterns = [
    path("rep/", customer_views.dashboard, name="home"),
    path("rep/dashboard/", report_views.staff_dashboard, name="dashboard"),
    path("rep/reports/", report_views.report_page, name="reports"),
    re_path(
        r"^rep/reports/sales\.(?P<file_format>csv|xlsx)$", report_views.report_download, name="report_file"
    ),
    path("rep/customers/<int:company_id>/act/", customer_views.act, name="act"),
    path("rep/acting/stop/", customer_views.acting_stop, name="acting_stop"),
    path("rep/orders/", views.order_list, name="orders"),
    re_path(r"^rep/orders/export\.(?P<file_format>csv|xlsx)$", views.order_export, name="export"),
    path("rep/orders/<str:number>/", views.order_detail, name="order"),
    path("rep/orders/<str:number>/status/", views.order_status, name="status"),
    path("rep/orders/<str:number>/custom-status/", views.order_custom_status, name="custom_status"),
    path("rep/orders/<str:number>/ship/", views.order_ship, name="ship"),
    path("rep/orders/<str:number>/cancel/", views.order_cancel, name="cancel"),
]
