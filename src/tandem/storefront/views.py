"""Storefront pages: thin views that parse the request and call selectors and services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.cart.sessions import SESSION_KEY as CART_SESSION_KEY
from tandem.cart.sessions import merge_guest_cart
from tandem.catalog import selectors as catalog
from tandem.catalog.caching import cached_page_parts, listing_cache_key
from tandem.core.client_ip import client_ip
from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.core.redirects import safe_next
from tandem.customers import company_keys, company_users, registration
from tandem.customers import selectors as customers
from tandem.customers import services as customer_services
from tandem.customers.auth import membership_of
from tandem.customers.forms import SignInForm
from tandem.customers.models import CompanyRole, TermsAcceptance
from tandem.customers.services import ONLY_ADMIN_EDITS_ADDRESSES
from tandem.customers.staff_scope import manages_any_customer
from tandem.customers.terms import current_terms, terms_accept, terms_acceptances_for, terms_pending_for
from tandem.orders.approvals import approval_rules_of
from tandem.storefront import slots
from tandem.storefront.chrome import chrome_response
from tandem.storefront.company_views import NEW_KEY_SESSION, approval_rule_form
from tandem.storefront.forms import (
    AddressForm,
    ChoosePasswordForm,
    CompanyKeyForm,
    InvitationAcceptForm,
    InviteForm,
    MemberEditForm,
    ProfileForm,
    RegisterForm,
)

PER_PAGE = 48
MAX_QUERY_LENGTH = 200


def _listing_context(request: HttpRequest, **kwargs) -> dict:
    selected = catalog.parse_filters(request.GET.getlist("f"))
    category = kwargs.get("category")
    listing = catalog.product_listing(
        request.customer_context,
        selected=selected,
        sort=request.GET.get("sort", "relevance"),
        page_number=request.GET.get("page", 1),
        per_page=PER_PAGE,
        with_prices=False,
        shared_key=listing_cache_key(
            request,
            category_id=category.pk if category else None,
            query=kwargs.get("query", ""),
            selected=selected,
        ),
        **kwargs,
    )
    return {"listing": listing, "sorts": _sort_choices(bool(kwargs.get("query")))}


def _sort_choices(searching: bool) -> list[tuple[str, str]]:
    choices = [
        ("name", _("Name A–Z")),
        ("-name", _("Name Z–A")),
        ("price", _("Price: lowest")),
        ("-price", _("Price: highest")),
        ("newest", _("Newest")),
    ]
    return ([("relevance", _("Relevance"))] if searching else []) + choices


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """The same URL answers htmx with a fragment: caches in between must keep both apart."""
    patch_vary_headers(response, ["HX-Request"])
    return response


def home(request: HttpRequest) -> HttpResponse:
    def build() -> dict:
        listing = catalog.product_listing(
            request.customer_context, sort="newest", per_page=12, with_facets=False, with_prices=False
        )
        body = render_to_string("storefront/_home_body.html", {"listing": listing}, request)
        return slots.with_spec({"body": body}, slots.cards_spec(listing.cards))

    parts = slots.filled(request, cached_page_parts(request, "home", build))
    return chrome_response(request, title=_("Tools and hardware"), body=parts["body"])


def category(request: HttpRequest, slug: str) -> HttpResponse:
    def build() -> dict:
        try:
            current = catalog.category_by_slug(slug)
        except NotFound as error:
            raise Http404 from error
        context = _listing_context(request, category=current)
        context.update(
            category=current,
            breadcrumbs=catalog.category_ancestors(current),
            subcategories=catalog.category_children(current),
        )
        template = "storefront/_listing.html" if _is_htmx(request) else "storefront/_category_body.html"
        return slots.with_spec(
            {"title": current.tr("name"), "body": render_to_string(template, context, request)},
            slots.cards_spec(context["listing"].cards),
        )

    parts = slots.filled(request, cached_page_parts(request, "category", build))
    if _is_htmx(request):
        return _vary_on_htmx(HttpResponse(parts["body"]))
    return _vary_on_htmx(chrome_response(request, title=parts["title"], body=parts["body"]))


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]

    def build() -> dict:
        context = _listing_context(request, query=query)
        context["query"] = query
        template = "storefront/_listing.html" if _is_htmx(request) else "storefront/_search_body.html"
        return slots.with_spec(
            {"body": render_to_string(template, context, request)},
            slots.cards_spec(context["listing"].cards),
        )

    parts = slots.filled(request, cached_page_parts(request, "search", build))
    if _is_htmx(request):
        return _vary_on_htmx(HttpResponse(parts["body"]))
    return _vary_on_htmx(chrome_response(request, title=_("Search"), body=parts["body"], query=query))


def product(request: HttpRequest, slug: str) -> HttpResponse:
    def build() -> dict:
        try:
            detail = catalog.product_detail(request.customer_context, slug, with_prices=False)
        except NotFound:
            return {"missing": True}
        parts = {
            "title": detail.product.tr("name"),
            "description": Truncator(detail.product.tr("description")).chars(160),
            "body": render_to_string("storefront/_product_body.html", {"detail": detail}, request),
        }
        variants = ((v.variant.pk, v.variant.tax_class_id) for v in detail.variants)
        return slots.with_spec(parts, slots.product_spec(variants, backorder=detail.product.allow_backorder))

    parts = cached_page_parts(request, "product", build)
    if parts.get("missing"):
        raise Http404
    parts = slots.filled(request, parts)
    return chrome_response(
        request, title=parts["title"], description=parts["description"], body=parts["body"]
    )


def preferences(request: HttpRequest) -> HttpResponse:
    """Switch language and/or currency (a GET form: a preference, not a business change)."""
    response = redirect(safe_next(request, referer=True))
    _remember_language(response, request.GET.get("language", ""), secure=request.is_secure())
    currency = request.GET.get("currency", "")
    if currency in settings.SHOP_CURRENCIES:
        request.session["currency"] = currency
    return response


# --- accounts -----------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Log in, then show the shop in the user's own language."""

    template_name = "storefront/account/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Staff with customers land on the rep panel; everyone else on the shop."""
        if manages_any_customer(self.request.user):
            return reverse("salesrep:home")
        return super().get_default_redirect_url()

    def form_valid(self, form):
        guest_cart = self.request.session.get(CART_SESSION_KEY)
        response = super().form_valid(form)
        merge_guest_cart(self.request, guest_cart)
        _remember_language(response, form.get_user().language, secure=self.request.is_secure())
        return response


def _remember_language(response: HttpResponse, language: str, *, secure: bool) -> None:
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or 31536000,
            samesite="Lax",
            secure=secure,
        )


def register(request: HttpRequest) -> HttpResponse:
    """Sign up; the answer is the same whether or not the address has an account
    (``customers.registration``)."""
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.customer_register(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                language=request.LANGUAGE_CODE,
                marketing_email=form.cleaned_data["marketing_email"],
                ip_address=client_ip(request) or None,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return render(
                request, "storefront/account/register_sent.html", {"email": form.cleaned_data["email"]}
            )
    return render(request, "storefront/account/register.html", {"form": form})


def register_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link from the confirmation mail: its owner chooses the password (a POST, so a
    mail scanner opening the link uses nothing up), the account opens, they are signed in."""
    try:
        pending = registration.registration_pending(uidb64=uidb64, token=token)
    except DomainError as error:
        return render(
            request, "storefront/account/register_invalid.html", {"message": error.message}, status=400
        )
    form = ChoosePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = registration.registration_confirm(
                uidb64=uidb64, token=token, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            login(request, user, backend="tandem.customers.auth.EmailBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            response = redirect("storefront:account")
            _remember_language(response, user.language, secure=request.is_secure())
            return response
    return render(request, "storefront/account/register_confirm.html", {"form": form, "email": pending.email})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"full_name": user.full_name, "phone": user.phone, "language": user.language},
    )
    if request.method == "POST" and form.is_valid():
        customer_services.profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("storefront:account")
        _remember_language(response, user.language, secure=request.is_secure())
        return response
    return render(request, "storefront/account/profile.html", {"form": form})


@login_required
def addresses(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "storefront/account/addresses.html",
        {
            "addresses": customers.addresses_of(**customers.address_owner(request.user)),
            "can_edit": customers.can_manage_addresses(request.user),
        },
    )


@login_required
def address_edit(request: HttpRequest, address_id: int | None = None) -> HttpResponse:
    if not customers.can_manage_addresses(request.user):
        messages.error(request, ONLY_ADMIN_EDITS_ADDRESSES)
        return redirect("storefront:addresses")
    owner = customers.address_owner(request.user)
    try:
        address = customers.address_of(address_id=address_id, **owner) if address_id is not None else None
    except NotFound as error:
        raise Http404 from error
    initial = {}
    if address is not None:
        initial = {name: getattr(address, name) for name in AddressForm.base_fields}
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            customer_services.address_save(
                user=request.user,
                data=customer_services.AddressData(**form.cleaned_data),
                address=address,
            )
        except PermissionDenied:
            messages.error(request, ONLY_ADMIN_EDITS_ADDRESSES)
            return redirect("storefront:addresses")
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The address has been saved."))
            return redirect("storefront:addresses")
    return render(
        request,
        "storefront/account/address_form.html",
        {
            "form": form,
            "address": address,
        },
    )


@login_required
@require_POST
def address_delete(request: HttpRequest, address_id: int) -> HttpResponse:
    try:
        address = customers.address_of(address_id=address_id, **customers.address_owner(request.user))
        customer_services.address_delete(user=request.user, address=address)
    except NotFound as error:
        raise Http404 from error
    except PermissionDenied:
        messages.error(request, ONLY_ADMIN_EDITS_ADDRESSES)
    else:
        messages.success(request, _("The address has been deleted."))
    return redirect("storefront:addresses")


@login_required
def company_account(request: HttpRequest) -> HttpResponse:
    """The B2B client panel's start page: the company, its terms, people and addresses."""
    try:
        company = customers.company_for_user(request.user)
    except NotFound:
        messages.info(request, _("The B2B portal is for users of a company account."))
        return redirect("storefront:account")
    membership = membership_of(request.user)
    is_admin = membership.role == CompanyRole.ADMIN
    return render(
        request,
        "storefront/company/overview.html",
        {
            "company": company,
            "membership": membership,
            "is_admin": is_admin,
            "invitations": company_users.invitations_pending(request.user) if is_admin else [],
            "approval_rules": approval_rules_of(request.user),
            "rule_form": approval_rule_form() if is_admin else None,
            "members": customers.company_members_for(request.user, company),
            "addresses": customers.addresses_of(company=company),
            "pickup_persons": customers.pickup_persons_of(company),
            "roles": CompanyRole.choices,
            "acceptances": terms_acceptances_for(request.user, company),
            "api_keys": company_keys.company_api_keys(request.user) if is_admin else [],
            "key_form": CompanyKeyForm(members=company_keys.company_key_users(request.user))
            if is_admin
            else None,
            # a key just made is shown once, then forgotten
            "new_api_key": request.session.pop(NEW_KEY_SESSION, None) if is_admin else None,
        },
    )


@login_required
@require_POST
def company_user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            company_users.company_user_invite(
                admin=request.user, email=data["email"], terms=_member_terms(data)
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("storefront:company")


@login_required
@require_POST
def company_user_edit(request: HttpRequest, member_id: int) -> HttpResponse:
    form = MemberEditForm(request.POST)
    if form.is_valid():
        try:
            company_users.company_user_update(
                admin=request.user,
                member_id=member_id,
                terms=_member_terms(form.cleaned_data),
                is_active=form.cleaned_data["is_active"],
            )
        except NotFound as error:
            raise Http404 from error
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The user is updated."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("storefront:company")


def _member_terms(data: dict) -> company_users.MemberTerms:
    return company_users.MemberTerms(
        role=data["role"],
        spending_limit_per_order=data.get("spending_limit_per_order"),
        spending_limit_per_month=data.get("spending_limit_per_month"),
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: choose a name and a password (or give the existing account's)."""
    try:
        found = company_users.invitation_for(token)
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        return render(request, "storefront/account/invitation.html", {"problem": error.message}, status=410)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = company_users.invitation_accept(token=token, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            login(request, user, backend="tandem.customers.auth.EmailBackend")
            messages.success(request, _("Welcome to %(company)s!") % {"company": found.company.name})
            return redirect("storefront:company")
    return render(request, "storefront/account/invitation.html", {"form": form, "invitation": found})


@login_required
def b2b_entry(request: HttpRequest) -> HttpResponse:
    """``/b2b/``: the wholesale portal's door. Guests are sent to log in first."""
    if membership_of(request.user) is None:
        messages.info(request, _("The B2B portal is for users of a company account."))
    return redirect("storefront:home")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for ``/favicon.ico`` whatever the page links: the shop's icon."""
    return redirect(static("tandem/favicon.svg"))


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def terms(request: HttpRequest) -> HttpResponse:
    """The current terms of cooperation; a company user accepts them here."""
    current = current_terms()
    if request.method == "POST" and current is not None:
        try:
            terms_accept(
                user=request.user,
                terms_id=int(request.POST.get("terms") or 0),
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except (NotFound, ValueError):
            messages.error(request, _("These terms are no longer current; please read the new version."))
        else:
            messages.success(request, _("Thank you, the terms are accepted."))
            return redirect(safe_next(request, "storefront:terms"))
    accepted = TermsAcceptance.objects.filter(user=request.user).select_related("terms")
    return render(
        request,
        "storefront/account/terms.html",
        {
            "terms": current,
            "pending": terms_pending_for(request.user),
            "accepted": accepted,
            "next": request.GET.get("next", ""),
        },
    )
