from django.utils.translation import gettext_lazy as _

ACCOUNTANTS_CANNOT_ORDER = _("Accountants can see documents and balances but cannot place orders.")
