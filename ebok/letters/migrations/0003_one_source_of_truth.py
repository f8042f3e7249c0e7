"""Moves what was stored twice to its one place (decision in docs/decisions.md):

- a reply is marked by `kind = reply` alone: a letter stored with `direction = out`
  becomes a reply before the direction column goes (0004);
- an online request's type and answers live on the letter: an `OnlineRequest` row whose
  letter lacks them gives them to the letter before the table goes (0004). Where both
  hold answers the letter's stay: its PDF was rendered from them.

The reverse rebuilds the direction and the `OnlineRequest` rows from the letters.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    OnlineRequest = apps.get_model("letters", "OnlineRequest")
    Letter.objects.filter(direction="out").exclude(kind="reply").update(kind="reply")
    for online in OnlineRequest.objects.select_related("letter").iterator():
        letter = online.letter
        changed = []
        if not letter.request_type:
            letter.request_type = online.request_type
            changed.append("request_type")
        if not letter.structured_data and online.data:
            letter.structured_data = online.data
            changed.append("structured_data")
        if letter.kind != "online_request":
            letter.kind = "online_request"
            changed.append("kind")
        if changed:
            letter.save(update_fields=changed)


def backwards(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    OnlineRequest = apps.get_model("letters", "OnlineRequest")
    Letter.objects.filter(kind="reply").update(direction="out")
    Letter.objects.exclude(kind="reply").update(direction="in")
    letters = Letter.objects.filter(kind="online_request", customer__isnull=False)
    for letter in letters.iterator():
        OnlineRequest.objects.get_or_create(
            letter=letter,
            defaults={
                "customer_id": letter.customer_id,
                "request_type": letter.request_type,
                "data": letter.structured_data,
                "created_at": letter.created_at,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("letters", "0002_default_remark_types")]

    operations = [migrations.RunPython(forwards, backwards)]
