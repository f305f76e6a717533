from django.urls import path

from tandem.orders import views

app_name = "orders"

urlpatterns = [
    path("account/orders/", views.order_list, name="list"),
    path("account/orders/<str:number>/", views.order_detail, name="detail"),
    path("account/orders/<str:number>/cancel/", views.order_cancel, name="cancel"),
    path("account/orders/<str:number>/reorder/", views.order_reorder, name="reorder"),
]
