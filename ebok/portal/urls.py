"""Customer-facing URLs (Polish paths, English names). See the URL map in docs/."""

from django.urls import path

from ebok.portal.views import accessibility, auth, customer, home, pending
from ebok.portal.views import data_change, letters, remarks, requests

app_name = "portal"

urlpatterns = [
    # --- start page and session (foundation) ---
    path("", home.home, name="home"),
    path("logo/", home.logo, name="logo"),
    path("logowanie/", auth.login_view, name="login"),
    path("wyloguj/", auth.logout_view, name="logout"),
    path("deklaracja-dostepnosci/", accessibility.statement, name="accessibility"),
    path("kontrahent/wybierz/", customer.switch, name="customer_switch"),
    # --- account lifecycle ---
    path("rejestracja/", pending.public_pending, {"feature": "registration"}, name="registration"),
    path("przypomnienie/", pending.public_pending, {"feature": "reminder"}, name="reminder"),
    path("haslo/zmiana/", pending.pending, {"feature": "password_change"}, name="password_change"),
    # --- self-service ---
    path("kontrahent/", customer.detail, name="customer"),
    path("faktury/", pending.pending, {"feature": "invoices"}, name="invoices"),
    path("faktury/saldo/", pending.pending, {"feature": "balance"}, name="balance"),
    path("umowy/", pending.pending, {"feature": "contracts"}, name="contracts"),
    # --- correspondence ---
    path("kontrahent/zmiana-danych/", data_change.data_change, name="data_change"),
    path("uwagi/nowa/", remarks.remark_new, name="remark_new"),
    path("uwagi/wyslano/", remarks.remark_done, name="remark_done"),
    path("uwagi/sprawa/<str:token>/", remarks.remark_tracking, name="remark_tracking"),
    path(
        "uwagi/sprawa/<str:token>/zalaczniki/<int:pk>/",
        remarks.tracking_attachment,
        name="remark_tracking_attachment",
    ),
    path("wnioski/", requests.request_list, name="requests"),
    path("wnioski/nowy/<slug:code>/", requests.request_new, name="request_new"),
    path("pisma/", letters.letter_list, name="letters"),
    path("pisma/nowe/", letters.letter_new, name="letter_new"),
    path("pisma/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("pisma/zalaczniki/<int:pk>/", letters.attachment_download, name="letter_attachment"),
]
