"""Every institution with a chart gets the posting accounts that were fixed in code before
(vendors payable 9110, input VAT 5620, bank 5810), so nothing posts differently."""

from django.db import migrations

DEFAULTS = {"payables_account": "9110", "input_vat_account": "5620", "bank_account": "5810"}


def forwards(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    PostingAccounts = apps.get_model("ledger", "PostingAccounts")
    accounts = {
        (institution_id, number): pk
        for pk, institution_id, number in Account.objects.filter(
            number__in=DEFAULTS.values()
        ).values_list("pk", "institution_id", "number")
    }
    have = set(PostingAccounts.objects.values_list("institution_id", flat=True))
    rows = []
    for institution_id in sorted({i for i, _n in accounts} - have):
        ids = {field: accounts.get((institution_id, n)) for field, n in DEFAULTS.items()}
        if None in ids.values():
            continue  # an institution without the common accounts chooses its own
        rows.append(
            PostingAccounts(institution_id=institution_id, **{f"{k}_id": v for k, v in ids.items()})
        )
    PostingAccounts.objects.bulk_create(rows)


def backwards(apps, schema_editor):
    apps.get_model("ledger", "PostingAccounts").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_posting_accounts"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
