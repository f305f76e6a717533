"""Who is buying: the customer context that pricing, visibility and permissions need."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    B2C = "b2c", _("Retail (B2C)")
    B2B = "b2b", _("Wholesale (B2B)")


@dataclass(frozen=True, slots=True)
class CustomerContext:
    """Everything a price or a visibility rule may depend on, resolved once per request.

    Domain code receives this object explicitly and never reads ``request.user``.
    """

    channel: str
    currency: str
    country: str
    language: str
    user_id: int | None = None
    company_id: int | None = None
    customer_group_id: int | None = None
    on_behalf_of_id: int | None = None
    reverse_charge: bool = False  # intra-EU B2B supply: net prices, 0 % VAT, buyer accounts

    @property
    def is_b2b(self) -> bool:
        return self.channel == Channel.B2B

    @property
    def prices_include_tax(self) -> bool:
        """B2C shows gross prices, B2B shows net."""
        return self.channel == Channel.B2C

    @property
    def cache_key(self) -> str:
        """A key that is identical only for contexts that see identical prices and products."""
        return (
            f"{self.channel}:{self.currency}:{self.country}:{self.language}:"
            f"{self.company_id or 0}:{self.customer_group_id or 0}:{int(self.reverse_charge)}"
        )
