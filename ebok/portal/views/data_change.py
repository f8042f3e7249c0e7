"""Zmiana danych: the change-of-data request, pre-filled with the customer's current data,
registered as a letter "Zmiana danych Podmiotu - dokument eBOK"."""

from django.utils.translation import gettext as _

from ebok.core.pages import render_page
from ebok.letters import services
from ebok.portal.letter_forms import DataChangeForm
from ebok.portal.scoping import customer_required
from ebok.portal.views.letters import submit_with_form


@customer_required
def data_change(request):
    customer = request.customer
    current = DataChangeForm.values_of(customer)
    if request.method == "POST":
        form = DataChangeForm(request.POST, request.FILES)
        if form.is_valid():
            new = form.new_values()
            if new == current and not form.cleaned_data["attachments"]:
                form.add_error(None, _("Nie wprowadzono żadnej zmiany."))
            else:

                def submit(form):
                    return services.submit_data_change(
                        customer=customer,
                        old_values=current,
                        new_values=new,
                        user=request.user,
                        files=form.cleaned_data["attachments"],
                        submission_key=form.submission_key(),
                        request=request,
                    )

                response = submit_with_form(
                    request,
                    form,
                    submit,
                    _("Zarejestrowano zgłoszenie zmiany danych jako pismo nr %(number)s."),
                )
                if response is not None:
                    return response
    else:
        form = DataChangeForm(initial={**current, "form_token": services.new_submission_key()})
    return render_page(request, "portal/data_change.html", {"form": form})
