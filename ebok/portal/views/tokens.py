"""Personal access tokens (/konto/tokeny/): the user's read-only keys to the JSON feed
of readings, invoices and degree days (/api/v1/my/, docs/integration.md)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ebok.accounts import personal_tokens
from ebok.accounts.models import PersonalAccessToken
from ebok.portal.scoping import customers_for


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nazwa tokenu"),
        max_length=100,
        help_text=gettext_lazy(
            "Do czego posłuży token, np. „Automatyka domowa” albo „Program zarządcy”."
        ),
        error_messages={
            "required": gettext_lazy("Podaj nazwę tokenu."),
            "max_length": gettext_lazy("Nazwa może mieć najwyżej %(limit_value)d znaków."),
        },
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Podaj nazwę tokenu."))
        return name


def _page(request, form, status=200):
    return render(
        request,
        "portal/tokens/list.html",
        {
            "form": form,
            "tokens": list(personal_tokens.tokens_for(request.user)),
            "customers": list(customers_for(request.user)),
            "rate": settings.EBOK_PERSONAL_TOKEN_RATE_PER_MINUTE,
        },
        status=status,
    )


@login_required
def token_list(request):
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, raw = personal_tokens.create_token(
                    request.user, form.cleaned_data["name"], request=request
                )
            except personal_tokens.TokenLimitReached as exc:
                form.add_error(None, str(exc))
                return _page(request, form, status=400)
            # Rendered, not redirected: the token exists in this response only.
            response = render(
                request, "portal/tokens/created.html", {"token": token, "raw_token": raw}
            )
            response["Cache-Control"] = "no-store"
            return response
        return _page(request, form, status=400)
    return _page(request, TokenForm())


@require_POST
@login_required
def token_revoke(request, pk):
    token = PersonalAccessToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    if personal_tokens.revoke_token(token, request=request):
        messages.success(request, _("Token „%(name)s” został unieważniony.") % {"name": token.name})
    return redirect("portal:tokens")
