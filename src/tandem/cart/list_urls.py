from django.urls import path

from tandem.cart import list_views

app_name = "lists"

urlpatterns = [
    path("account/lists/", list_views.shopping_lists, name="index"),
    path("account/lists/<int:list_id>/", list_views.shopping_list_detail, name="detail"),
    path("account/lists/<int:list_id>/to-cart/", list_views.shopping_list_to_cart, name="to_cart"),
    path("cart/save-as-list/", list_views.cart_to_list, name="from_cart"),
]
