"""Import price list entries from CSV or XLSX: SKU, from quantity, net price or discount %.

All or nothing: every row is checked first; one bad row and nothing is written, and the
report names each bad row's line, column and reason. A dry run reports without writing.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core.audit import audit_record
from tandem.core.batches import in_batches
from tandem.core.catalog_cache import catalog_cache_clear
from tandem.core.events import event_publish
from tandem.core.money import parse_decimal
from tandem.core.tabular import TabularFileError as ImportFileError
from tandem.core.tabular import read_rows as _read_rows
from tandem.pricing.models import PriceList, PriceListEntry

MAX_ROWS = 50_000
COLUMNS = {"sku", "min_quantity", "price", "discount_percent"}


@dataclass(frozen=True, slots=True)
class RowError:
    line: int  # 1 = the header
    column: str
    message: str


@dataclass(slots=True)
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decimal(text: str, *, places: int = 2) -> Decimal | None:
    value = parse_decimal(text)
    if value is None or value.as_tuple().exponent < -places:
        return None
    return value


def price_list_entries_import(
    *, price_list: PriceList, file_name: str, content: bytes, dry_run: bool, actor_id: int | None
) -> ImportReport:
    """Check every row, then (unless a dry run, and only if all rows are good) create or
    update the entries in one transaction. Raises ImportFileError for an unreadable file."""
    rows = _read_rows(file_name, content, max_rows=MAX_ROWS)
    header = [cell.strip().lower() for cell in rows[0]]
    missing = {"sku"} - set(header)
    if missing or not ({"price", "discount_percent"} & set(header)):
        raise ImportFileError(
            _(
                "The first row must name the columns: sku, min_quantity (optional), and price or "
                "discount_percent."
            )
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}
    report = ImportReport(dry_run=dry_run, rows=len(rows) - 1)
    skus = sorted({row[index["sku"]] for row in rows[1:] if len(row) > index["sku"]})
    # The entries' own relation names the variant model: pricing sits below the catalog.
    variant_model = PriceListEntry._meta.get_field("variant").related_model
    variants = {}
    for batch in in_batches(skus):
        variants.update(variant_model.objects.filter(sku__in=batch).values_list("sku", "pk"))
    wanted: dict[tuple[int, int], tuple[Decimal | None, Decimal | None, int]] = {}
    for line, row in enumerate(rows[1:], start=2):

        def cell(name: str, row=row) -> str:
            position = index.get(name)
            return row[position] if position is not None and position < len(row) else ""

        errors_before = len(report.errors)
        sku = cell("sku")
        variant_id = variants.get(sku)
        if not sku:
            report.errors.append(RowError(line, "sku", _("The SKU is empty.")))
        elif variant_id is None:
            report.errors.append(RowError(line, "sku", _("Unknown SKU %(sku)s.") % {"sku": sku}))
        quantity_text = cell("min_quantity") or "1"
        # isdecimal, not isdigit: "²" is a digit that int() refuses
        quantity = int(quantity_text) if quantity_text.isdecimal() else 0
        if quantity < 1 or quantity > 10**9:
            report.errors.append(
                RowError(
                    line,
                    "min_quantity",
                    _("%(value)s is not a whole number of at least 1.") % {"value": quantity_text},
                )
            )
        price_text, discount_text = cell("price"), cell("discount_percent")
        price = _decimal(price_text) if price_text else None
        discount = _decimal(discount_text) if discount_text else None
        if bool(price_text) == bool(discount_text):
            report.errors.append(
                RowError(line, "price", _("Give either a net price or a discount %, not both."))
            )
        elif price_text and (price is None or price < 0 or price >= Decimal(10) ** 12):
            report.errors.append(
                RowError(
                    line,
                    "price",
                    _("%(value)s is not a price (a number ≥ 0 with at most 2 decimals).")
                    % {"value": price_text},
                )
            )
        elif discount_text and (discount is None or not Decimal(0) <= discount <= Decimal(100)):
            report.errors.append(
                RowError(
                    line,
                    "discount_percent",
                    _("%(value)s is not a discount between 0 and 100.") % {"value": discount_text},
                )
            )
        if len(report.errors) == errors_before:
            key = (variant_id, quantity)
            if key in wanted:
                report.errors.append(
                    RowError(
                        line,
                        "sku",
                        _("%(sku)s from %(quantity)s is already on line %(line)s.")
                        % {"sku": sku, "quantity": quantity, "line": wanted[key][2]},
                    )
                )
            else:
                wanted[key] = (price, discount, line)
    if report.errors:
        return report
    with transaction.atomic():
        existing = {}
        for batch in in_batches(sorted({variant_id for variant_id, _q in wanted})):
            existing.update(
                {
                    (entry.variant_id, entry.min_quantity): entry
                    for entry in PriceListEntry.objects.select_for_update().filter(
                        price_list=price_list, variant_id__in=batch
                    )
                }
            )
        to_create, to_update = [], []
        for (variant_id, quantity), (price, discount, _line) in wanted.items():
            entry = existing.get((variant_id, quantity))
            if entry is None:
                to_create.append(
                    PriceListEntry(
                        price_list=price_list,
                        variant_id=variant_id,
                        min_quantity=quantity,
                        price=price,
                        discount_percent=discount,
                    )
                )
            elif (entry.price, entry.discount_percent) != (price, discount):
                entry.price, entry.discount_percent = price, discount
                to_update.append(entry)
            else:
                report.unchanged += 1
        report.created, report.updated = len(to_create), len(to_update)
        if dry_run:
            return report
        PriceListEntry.objects.bulk_create(to_create, batch_size=2000)
        PriceListEntry.objects.bulk_update(to_update, ["price", "discount_percent"], batch_size=2000)
        audit_record(
            action="price_list.imported",
            actor_id=actor_id,
            target=price_list,
            changes={
                "file": file_name,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
        event_publish(
            "price_list.changed",
            {
                "price_list_id": price_list.pk,
                "source": "import",
                "created": report.created,
                "updated": report.updated,
            },
        )
        transaction.on_commit(catalog_cache_clear)
    return report
