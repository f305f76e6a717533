"""Every stock row gets an opening movement equal to what it holds, so that from now on on
hand and reserved are always the sums of their movements."""

from django.db import migrations
from django.db.models import Q


def open_balances(apps, schema_editor):
    StockItem = apps.get_model("inventory", "StockItem")
    StockMovement = apps.get_model("inventory", "StockMovement")
    rows = StockItem.objects.exclude(Q(on_hand=0) & Q(reserved=0)).values_list("pk", "on_hand", "reserved")
    batch = []
    for pk, on_hand, reserved in rows.iterator(chunk_size=5000):
        batch.append(StockMovement(item_id=pk, kind="opening", on_hand_change=on_hand,
                                   reserved_change=reserved, note="balance when the ledger began"))
        if len(batch) >= 5000:
            StockMovement.objects.bulk_create(batch)
            batch = []
    StockMovement.objects.bulk_create(batch)


def close_balances(apps, schema_editor):
    apps.get_model("inventory", "StockMovement").objects.filter(kind="opening").delete()


class Migration(migrations.Migration):
    dependencies = [("inventory", "0002_stock_movement")]
    operations = [migrations.RunPython(open_balances, close_balances)]
