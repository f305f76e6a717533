from django.urls import path, re_path

from tandem.orders import views

app_name = "orders"

urlpatterns = [
    path("account/orders/", views.order_list, name="list"),
    path("account/approvals/", views.approvals_queue, name="approvals"),
    path("account/recurring/", views.recurring_list, name="recurring"),
    re_path(r"^account/orders/export\.(?P<file_format>csv|xlsx)$", views.order_export, name="export"),
    path("account/orders/<str:number>/", views.order_detail, name="detail"),
    path("account/orders/<str:number>/cancel/", views.order_cancel, name="cancel"),
    path("account/orders/<str:number>/reorder/", views.order_reorder, name="reorder"),
    path("account/orders/<str:number>/reorder/result/", views.order_reorder_result, name="reorder_result"),
    path("account/orders/<str:number>/decide/", views.order_decide, name="decide"),
    path("account/orders/<str:number>/repeat/", views.order_repeat, name="repeat"),
    path("account/orders/<str:number>/save-as-list/", views.order_to_list, name="to_list"),
]
