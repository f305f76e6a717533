"""Shopping list pages (thin: parse, call cart.lists, render)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.cart import lists
from tandem.cart.sessions import request_cart
from tandem.cart.views import show_report
from tandem.core.errors import DomainError, NotFound


def _list(request: HttpRequest, list_id: int):
    try:
        return lists.shopping_list_for(request.user, list_id)
    except NotFound as error:
        raise Http404 from error


@login_required
def shopping_lists(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            created = lists.shopping_list_create(
                owner=request.user, name=request.POST.get("name", ""), shared=bool(request.POST.get("shared"))
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            return redirect("lists:detail", list_id=created.pk)
    return render(
        request,
        "cart/lists.html",
        {
            "lists": lists.shopping_lists_for(request.user).prefetch_related("lines"),
        },
    )


@login_required
def shopping_list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    shopping_list = _list(request, list_id)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                lists.shopping_list_remove_line(
                    user=request.user,
                    shopping_list=shopping_list,
                    line_id=int(request.POST.get("remove") or 0),
                )
            elif "delete" in request.POST:
                lists.shopping_list_delete(user=request.user, shopping_list=shopping_list)
                messages.success(request, _("The list is deleted."))
                return redirect("lists:index")
            else:
                item = (request.POST.get("sku", ""), request.POST.get("quantity", "1"))
                lists.shopping_list_add(
                    user=request.user,
                    shopping_list=shopping_list,
                    context=request.customer_context,
                    items=[item],
                )
        except (DomainError, ValueError) as error:
            messages.error(request, getattr(error, "message", _("Check the values you entered.")))
        return redirect("lists:detail", list_id=shopping_list.pk)
    return render(
        request,
        "cart/list_detail.html",
        {
            "list": shopping_list,
            "lines": shopping_list.lines.select_related("variant__product"),
            "can_edit": shopping_list.owner_id == request.user.pk,
        },
    )


@login_required
@require_POST
def shopping_list_to_cart(request: HttpRequest, list_id: int) -> HttpResponse:
    shopping_list = _list(request, list_id)
    chosen = [int(value) for value in request.POST.getlist("line") if value.isdecimal()]
    report = lists.shopping_list_to_cart(
        shopping_list=shopping_list,
        cart=request_cart(request, create=True),
        context=request.customer_context,
        line_ids=chosen or None,
    )
    return show_report(request, report, title=shopping_list.name)


@login_required
@require_POST
def cart_to_list(request: HttpRequest) -> HttpResponse:
    cart = request_cart(request)
    if cart is None:
        return redirect("cart:detail")
    try:
        created = lists.shopping_list_from_cart(
            user=request.user,
            cart=cart,
            name=request.POST.get("name", ""),
            shared=bool(request.POST.get("shared")),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cart:detail")
    messages.success(request, _("Saved as the list “%(name)s”.") % {"name": created.name})
    return redirect("lists:detail", list_id=created.pk)
