"""The letter pages of the portal (the register, a letter, the online requests) are cached
under the customer's stamp (letters/stamp.py). Every save of a customer's letter gives the
customer a new stamp in the same transaction: a new letter or reply (its attachments and
first status are written in that transaction too), a change of status, an answer. Letters
are never deleted, and every change of one goes through `save()` (letters/services.py)."""

from django.db.models.signals import post_save
from django.utils import timezone

from ebok.billing.models import AccountSummary
from ebok.billing.summary import get_account_summary, new_stamp
from ebok.letters.models import Letter


def _renew_stamp(sender, instance, raw=False, **kwargs):
    if raw or instance.customer_id is None:
        return
    renewed = AccountSummary.objects.filter(customer_id=instance.customer_id).update(
        stamp=new_stamp(), changed_at=timezone.now()
    )
    if not renewed:
        # No summary yet: it is created now, with a fresh stamp.
        get_account_summary(instance.customer, timezone.localdate())


def connect():
    post_save.connect(_renew_stamp, sender=Letter, dispatch_uid="letters-customer-stamp")
