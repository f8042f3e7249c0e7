"""Template filters over `ebok.core.formatting`, so a page writes amounts, NIPs and
account numbers as the PDFs do."""

from django import template

from ebok.core import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("nip", formatting.nip)
register.filter("bank_account", formatting.bank_account)
