"""A change of data keeps its old and new values only in its `DataChangeRequest`
(decision in docs/decisions.md): a change-of-data letter without one gets it from the
letter's copy, and the letter's copy is emptied where it says the same as the row. A
letter whose copy differs from its row keeps it, so nothing is lost.

The reverse writes the values back onto the letters.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    DataChangeRequest = apps.get_model("customers", "DataChangeRequest")
    letters = Letter.objects.filter(kind="data_change").select_related("data_change_request")
    for letter in letters.iterator():
        data = letter.structured_data or {}
        old, new = data.get("old") or {}, data.get("new") or {}
        try:
            change = letter.data_change_request
        except DataChangeRequest.DoesNotExist:
            if letter.customer_id is None or not data:
                continue
            change = DataChangeRequest.objects.create(
                customer_id=letter.customer_id, letter=letter, old_values=old, new_values=new
            )
            DataChangeRequest.objects.filter(pk=change.pk).update(created_at=letter.created_at)
        if data and change.old_values == old and change.new_values == new:
            letter.structured_data = {}
            letter.save(update_fields=["structured_data"])


def backwards(apps, schema_editor):
    DataChangeRequest = apps.get_model("customers", "DataChangeRequest")
    for change in DataChangeRequest.objects.select_related("letter").iterator():
        if not change.letter.structured_data:
            change.letter.structured_data = {"old": change.old_values, "new": change.new_values}
            change.letter.save(update_fields=["structured_data"])


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_datachangerequest_letter"),
        ("letters", "0003_one_source_of_truth"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
