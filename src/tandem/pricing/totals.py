"""Document totals: VAT per rate on the sum of line nets (EN 16931), rounded half-up to
the currency's minor unit, so orders, invoices and e-invoices agree to the cent."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tandem.core.money import quantum, round_money


@dataclass(frozen=True, slots=True)
class RateTotal:
    rate: Decimal
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True, slots=True)
class DocumentTotals:
    currency: str
    net: Decimal
    tax: Decimal
    rates: tuple[RateTotal, ...]

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax

    def summary(self) -> list[dict[str, str]]:
        """VAT per rate as stored on documents (orders, offers, invoices): strings, no floats."""
        return [
            {"rate": str(rate.rate), "net": str(rate.net), "tax": str(rate.tax), "gross": str(rate.gross)}
            for rate in self.rates
        ]


def net_for_gross(gross: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The net whose VAT at ``rate`` (rounded half-up) brings it to ``gross``: retail
    documents then show exactly the gross the customer saw, with VAT still computed on
    the net. Where no net reaches the gross to the cent (VAT rounding can skip a cent),
    the one just below it, so the customer never pays more than shown."""
    unit = quantum(currency)
    start = round_money(gross * Decimal(100) / (Decimal(100) + rate), currency)
    best = None
    for candidate in (start - unit, start, start + unit):
        total = candidate + round_money(candidate * rate / Decimal(100), currency)
        if total == gross:
            return candidate
        if total < gross and (best is None or candidate > best):
            best = candidate
    return best if best is not None else start - unit


def document_totals(lines: Iterable[tuple[Decimal, Decimal]], currency: str) -> DocumentTotals:
    """Totals of (line net, VAT rate %) pairs: per rate, VAT = round(Σ nets × rate);
    the document's net and VAT are the sums of the per-rate figures."""
    nets: dict[Decimal, Decimal] = {}
    for net, rate in lines:
        key = Decimal(rate).normalize() + 0  # 23, 23.0 and 23.00 are one rate
        nets[key] = nets.get(key, Decimal(0)) + round_money(net, currency)
    rates = tuple(
        RateTotal(
            rate=rate, net=round_money(net, currency), tax=round_money(net * rate / Decimal(100), currency)
        )
        for rate, net in sorted(nets.items(), reverse=True)
    )
    return DocumentTotals(
        currency=currency,
        net=sum((rate.net for rate in rates), Decimal(0)),
        tax=sum((rate.tax for rate in rates), Decimal(0)),
        rates=rates,
    )
