"""Customer-facing URLs (Polish paths, English names). See the URL map in docs/."""

from django.urls import path

from ebok.portal.views import (
    accessibility,
    auth,
    customer,
    data_change,
    exports,
    home,
    invoices,
    letters,
    meters,
    notifications,
    password,
    registration,
    remarks,
    reminder,
    requests,
    security,
    tokens,
    two_factor,
)

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
    path("rejestracja/", registration.register, name="registration"),
    path("rejestracja/wyslano/", registration.sent, name="registration_sent"),
    path("rejestracja/potwierdz/<str:token>/", registration.confirm, name="registration_confirm"),
    path("regulamin/", registration.terms, name="terms"),
    path("przypomnienie/", reminder.reminder, name="reminder"),
    path("przypomnienie/wyslano/", reminder.sent, name="reminder_sent"),
    path(
        "przypomnienie/haslo/<str:uidb64>/<str:token>/",
        reminder.password_reset,
        name="password_reset",
    ),
    path("haslo/zmiana/", password.password_change, name="password_change"),
    path("logowanie/kod/", two_factor.verify, name="otp_verify"),
    path("konto/bezpieczenstwo/", security.security, name="security"),
    path("konto/weryfikacja-dwuetapowa/wlacz/", two_factor.enrol, name="otp_enrol"),
    path("konto/weryfikacja-dwuetapowa/wylacz/", two_factor.disable, name="otp_disable"),
    path("konto/weryfikacja-dwuetapowa/kody/", two_factor.regenerate_codes, name="otp_codes"),
    path("konto/dostep/", registration.access_request, name="access_request"),
    path("konto/tokeny/", tokens.token_list, name="tokens"),
    path("konto/tokeny/<int:pk>/uniewaznij/", tokens.token_revoke, name="token_revoke"),
    # --- self-service ---
    path("kontrahent/", customer.detail, name="customer"),
    path("powiadomienia/", notifications.settings_view, name="notifications"),
    path("faktury/", invoices.unpaid, name="invoices"),
    path("faktury/historia/", invoices.history, name="invoice_history"),
    path("faktury/eksport.<str:fmt>", exports.invoices, name="invoices_export"),
    path("faktury/<int:pk>/", invoices.detail, name="invoice_detail"),
    path("faktury/<int:pk>/pdf/", invoices.pdf, name="invoice_pdf"),
    path("faktury/<int:pk>/ksef.xml", invoices.ksef_xml, name="invoice_ksef_xml"),
    path("faktury/saldo/", invoices.balance, name="balance"),
    path("faktury/saldo/pdf/", invoices.balance_pdf, name="balance_pdf"),
    path("faktury/saldo/eksport.<str:fmt>", exports.balance, name="balance_export"),
    path("umowy/", meters.contracts, name="contracts"),
    path("liczniki/<int:pk>/", meters.meter, name="meter"),
    path("liczniki/<int:pk>/eksport.<str:fmt>", exports.readings, name="meter_readings_export"),
    path("odczyty/<int:pk>/", meters.reading, name="reading"),
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
