"""Operator (back-office) URLs under /obsluga/."""

from django.urls import path

from ebok.backoffice.views import dashboard

app_name = "backoffice"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
]
