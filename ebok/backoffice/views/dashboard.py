from django.shortcuts import render

from ebok.backoffice.permissions import operator_required


@operator_required()
def dashboard(request):
    return render(request, "backoffice/dashboard.html")
