"""The operator inbox: every incoming letter, its handling (assignment, status, notes,
replies, data-change diff) and the configuration of remark types, answer deadlines and
the attachment formats text. Every view needs `accounts.handle_letters`; every change is
audit-logged by the services or here."""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django import forms
from django.contrib import messages
from django.db import connection, transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import truncatechars
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ebok.accounts.models import User
from ebok.backoffice.permissions import operator_required
from ebok.core import fields as safe_fields
from ebok.core import jinja, uploads
from ebok.core import rows as sqlrows
from ebok.core.audit import log_action
from ebok.core.forms import DateRangeForm
from ebok.core.models import CompanySettings
from ebok.core.pages import render_page
from ebok.core.paging import PAGE_PARAM, page_of
from ebok.customers.models import Customer, DataChangeRequest
from ebok.letters import services
from ebok.letters.models import (
    Attachment,
    KindDeadline,
    Letter,
    LetterKind,
    LetterStatus,
    RemarkType,
)

PERM = "accounts.handle_letters"
PAGE_SIZE = 25

INCOMING_KINDS = [(k.value, k.label) for k in LetterKind if k != LetterKind.REPLY]


def letter_handlers():
    perm = Q(groups__permissions__codename="handle_letters") | Q(
        user_permissions__codename="handle_letters"
    )
    return (
        User.objects.filter(is_active=True)
        .filter(perm | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


class InboxFilterForm(DateRangeForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Rodzaj"),
        required=False,
        choices=[("", gettext_lazy("wszystkie"))] + INCOMING_KINDS,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("wszystkie")), ("open", gettext_lazy("otwarte"))]
        + list(LetterStatus.choices),
    )
    customer = forms.CharField(
        label=gettext_lazy("Kontrahent lub nadawca"), required=False, max_length=100
    )
    number = forms.CharField(label=gettext_lazy("Numer pisma"), required=False, max_length=30)
    assigned = forms.ChoiceField(
        label=gettext_lazy("Prowadzący"),
        required=False,
        choices=[
            ("", gettext_lazy("wszyscy")),
            ("me", gettext_lazy("moje")),
            ("none", gettext_lazy("nieprzypisane")),
        ],
    )
    overdue = forms.BooleanField(label=gettext_lazy("Tylko po terminie"), required=False)


class AssignForm(forms.Form):
    operator = safe_fields.ModelChoiceField(
        label=gettext_lazy("Prowadzący"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("— nikt —"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = letter_handlers()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Nowy status"), choices=LetterStatus.choices)
    comment = forms.CharField(label=gettext_lazy("Komentarz"), required=False, max_length=300)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Notatka wewnętrzna"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Widoczna tylko dla pracowników BOK."),
    )

    def __init__(self, *args, **kwargs):
        # The reply form on the same page has a "text" field too: keep the ids unique.
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


class ReplyForm(uploads.AttachmentsFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Treść odpowiedzi"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachments = uploads.AttachmentsField(
        label=gettext_lazy("Załączniki"), widget=uploads.MultipleFileInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].widget.attrs["accept"] = uploads.accept_attribute()


# The columns the inbox's rows show (jinja/backoffice/letter_rows.html): building every
# column of a letter, its customer and its operator cost more than the query. A column
# added to the rows must be added here too, or each row loads it by a query.
INBOX_ROW_FIELDS = (
    "number",
    "created_at",
    "kind",
    "description",
    "status",
    "due_date",
    "sender_name",
    "customer__name",
    "customer__payer_code",
    "assigned_to__username",
)


def _inbox_queryset():
    return (
        Letter.objects.incoming().select_related("customer", "assigned_to").only(*INBOX_ROW_FIELDS)
    )


@dataclass
class InboxRow:
    """A row of the inbox (jinja/backoffice/letter_rows.html)."""

    pk: int
    number: str
    created_at: datetime
    kind: str
    description: str
    status: str
    due_date: date | None
    sender_name: str
    customer_id: int | None
    customer_name: str
    customer_payer_code: str
    assigned_username: str
    # Set by the view: what the row prints.
    created: str = ""
    kind_label: str = ""
    status_label: str = ""
    overdue: bool = False

    @classmethod
    def of(cls, letter: Letter) -> "InboxRow":
        """A letter of _inbox_queryset()."""
        customer, operator = letter.customer, letter.assigned_to
        return cls(
            pk=letter.pk,
            number=letter.number,
            created_at=letter.created_at,
            kind=letter.kind,
            description=letter.description,
            status=letter.status,
            due_date=letter.due_date,
            sender_name=letter.sender_name,
            customer_id=letter.customer_id,
            customer_name=customer.name if customer else "",
            customer_payer_code=customer.payer_code if customer else "",
            assigned_username=operator.get_username() if operator else "",
        )


# InboxRow's fields in the order _newest_query() selects them: the letter's own columns,
# then its customer's name and payer code and its operator's login.
LETTER_ROW_COLUMNS = ("id", "number", "created_at", "kind", "description", "status")
LETTER_ROW_COLUMNS += ("due_date", "sender_name", "customer_id")


@lru_cache(maxsize=16)
def _newest_query(ops) -> tuple[str, list]:
    """The rows of the unfiltered inbox, newest first, a page at a time (limit, offset):
    what _inbox_queryset().order_by("-created_at", "-id")[offset:offset + limit] reads,
    as one statement written once per database connection (`ops`, its operations)."""
    qn = ops.quote_name
    meta, customer, user = Letter._meta, Customer._meta, User._meta
    columns = sqlrows.columns(Letter, "l", LETTER_ROW_COLUMNS)
    columns += sqlrows.columns(Customer, "c", ["name", "payer_code"])
    columns += sqlrows.columns(User, "u", ["username"])
    kind = qn(meta.get_field("kind").column)
    created = qn(meta.get_field("created_at").column)
    customer_fk = qn(meta.get_field("customer").column)
    operator_fk = qn(meta.get_field("assigned_to").column)
    # Model table and column names only; the values are parameters.
    sql = (
        f"SELECT {sqlrows.select_list(columns)} FROM {qn(meta.db_table)} l"  # noqa: S608
        f" LEFT JOIN {qn(customer.db_table)} c ON c.{qn('id')} = l.{customer_fk}"
        f" LEFT JOIN {qn(user.db_table)} u ON u.{qn('id')} = l.{operator_fk}"
        f" WHERE l.{kind} <> %s ORDER BY l.{created} DESC, l.{qn('id')} DESC LIMIT %s OFFSET %s"
    )
    return sql, columns


class NewestIncoming:
    """Every incoming letter newest first, for the paginator (told the count): the page
    it slices is read by one fixed statement, not an ORM query built per request."""

    def __init__(self, count: int):
        self.count = count

    def __len__(self):
        return self.count

    def __getitem__(self, part: slice) -> list[InboxRow]:
        start, stop = part.start or 0, part.stop
        sql, columns = _newest_query(connection.ops)
        with connection.cursor() as cursor:
            cursor.execute(sql, [LetterKind.REPLY.value, stop - start, start])
            found = cursor.fetchall()
        result = []
        for row in found:
            values = sqlrows.converted(row, columns)
            # A letter without a customer or an operator has NULL in their columns.
            values[-3:] = [value or "" for value in values[-3:]]
            result.append(InboxRow(*values))
        return result


OPEN_STATUSES = (LetterStatus.RECEIVED, LetterStatus.IN_PROGRESS)


def shortened(text: str, length: int) -> str:
    """Django's truncatechars filter (the same text), without its cost (a lazy Truncator,
    a Python loop over every character) for a text in NFC whose characters all come before
    the combining marks (U+0300), as Polish and English texts do: there every character
    counts as one."""
    if length <= 0 or not text or max(text) >= "\u0300":
        return truncatechars(text, length)
    if not unicodedata.is_normalized("NFC", text):
        return truncatechars(text, length)
    if len(text) <= length:
        return text
    # What Truncator.chars keeps: `length` characters, the ellipsis (in the active
    # language) counted in.
    return add_truncation_text(text[: calculate_truncate_chars_length(length, None)])


# The inbox's filter fields, in their order on the page.
INBOX_FILTER_FIELDS = "kind status od do customer number assigned overdue"


@lru_cache(maxsize=8)
def _blank_filter_fields(language: str) -> str:
    """The filter fields of an inbox opened without a filter: the same markup for every
    operator, rendered once per process and language."""
    return jinja.render(
        "includes/fields.html", {"form": InboxFilterForm(), "names": INBOX_FILTER_FIELDS}
    )


@lru_cache(maxsize=1)
def _counts_sql() -> str:
    """How many incoming letters there are, and how many of them are overdue
    (LetterQuerySet.incoming().overdue(today)): one statement written once per process
    (building the ORM's counts cost more than running them). Each count reads an index:
    the kinds' for the first, the statuses' and due dates' for the second (a single pass
    over the table computing both read every row: four times slower at 40,000 letters)."""
    qn = connection.ops.quote_name
    meta = Letter._meta
    kind, status, due = (qn(meta.get_field(name).column) for name in ("kind", "status", "due_date"))
    table = qn(meta.db_table)
    # Model table and column names only; the values are parameters.
    return (
        f"SELECT (SELECT COUNT(*) FROM {table} WHERE NOT {kind} = %s),"  # noqa: S608
        f" (SELECT COUNT(*) FROM {table}"
        f" WHERE {status} IN (%s, %s) AND {due} < %s AND NOT {kind} = %s)"
    )


def incoming_counts(today) -> tuple[int, int]:
    """(incoming letters, overdue ones among them)."""
    reply = LetterKind.REPLY.value
    due = connection.ops.adapt_datefield_value(today)
    params = [reply, LetterStatus.RECEIVED.value, LetterStatus.IN_PROGRESS.value, due, reply]
    with connection.cursor() as cursor:
        cursor.execute(_counts_sql(), params)
        total, overdue = cursor.fetchone()
    return total, overdue


def filtered_letters(form, request, today):
    """The incoming letters the filter form asks for, newest first (all of them when the
    form is invalid)."""
    letters = _inbox_queryset().order_by("-created_at", "-id")
    if not form.is_valid():
        return letters
    data = form.cleaned_data
    if data["kind"]:
        letters = letters.filter(kind=data["kind"])
    if data["status"] == "open":
        letters = letters.open()
    elif data["status"]:
        letters = letters.filter(status=data["status"])
    if data["od"]:
        letters = letters.filter(created_at__date__gte=data["od"])
    if data["do"]:
        letters = letters.filter(created_at__date__lte=data["do"])
    if data["customer"]:
        q = data["customer"].strip()
        letters = letters.filter(
            Q(customer__payer_code=q)
            | Q(customer__name__icontains=q)
            | Q(customer__nip=q)
            | Q(sender_name__icontains=q)
            | Q(sender_email__iexact=q)
        )
    if data["number"]:
        letters = letters.filter(number__icontains=data["number"].strip())
    if data["assigned"] == "me":
        letters = letters.filter(assigned_to=request.user)
    elif data["assigned"] == "none":
        letters = letters.filter(assigned_to__isnull=True)
    if data["overdue"]:
        letters = letters.overdue(today)
    return letters


@operator_required(PERM)
def inbox(request):
    today = timezone.localdate()
    if request.GET.keys() - {PAGE_PARAM}:
        form = InboxFilterForm(request.GET)
        page = page_of(request, filtered_letters(form, request, today), PAGE_SIZE)
        page.object_list = [InboxRow.of(letter) for letter in page.object_list]
        overdue_count = Letter.objects.incoming().overdue(today).count()
        fields = jinja.render("includes/fields.html", {"form": form, "names": INBOX_FILTER_FIELDS})
    else:
        # Without a filter (a page number at most): every incoming letter, counted with the
        # overdue ones by one statement and read a page at a time by another.
        form = None  # nothing to show but the blank fields
        count, overdue_count = incoming_counts(today)
        page = page_of(request, NewestIncoming(count), PAGE_SIZE, count=count)
        fields = _blank_filter_fields(get_language())
    # Each label translated once, not once a row.
    kinds = {kind: str(label) for kind, label in LetterKind.choices}
    statuses = {status: str(label) for status, label in LetterStatus.choices}
    # The date filter's conversion to the current time zone, looked up once, not a row.
    zone = timezone.get_current_timezone()
    for row in page.object_list:
        row.created = timezone.localtime(row.created_at, zone).strftime("%d-%m-%Y %H:%M")
        row.kind_label = kinds.get(row.kind, row.kind)
        row.status_label = statuses.get(row.status, row.status)
        # Letter.is_overdue
        row.overdue = row.status in OPEN_STATUSES and row.due_date is not None
        row.overdue = row.overdue and row.due_date < today
        row.description = shortened(row.description, 60)
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    overdue_text = ""
    if overdue_count:
        overdue_text = ngettext(
            "%(n)s pismo po terminie", "%(n)s pism po terminie", overdue_count
        ) % {"n": overdue_count}
    return render_page(
        request,
        "backoffice/letters_inbox.html",
        {
            "form": form,
            "fields": mark_safe(fields),  # noqa: S308 - Jinja2 output, autoescaped
            "page": page,
            "query": query.urlencode(),
            "today": today,
            "overdue_count": overdue_count,
            "overdue_text": overdue_text,
        },
        kind="backoffice",
    )


def _detail_context(request, letter, **forms_):
    data_change = DataChangeRequest.objects.filter(letter=letter).first()
    rows = data_change.rows() if data_change is not None else []
    context = {
        "letter": letter,
        "today": timezone.localdate(),
        "assign_form": forms_.get("assign_form")
        or AssignForm(initial={"operator": letter.assigned_to_id}),
        "status_form": forms_.get("status_form") or StatusForm(initial={"status": letter.status}),
        "note_form": forms_.get("note_form") or NoteForm(),
        "reply_form": forms_.get("reply_form") or ReplyForm(),
        "data_change": data_change,
        "data_change_rows": rows,
    }
    return context


@operator_required(PERM)
def letter_detail(request, pk):
    letter = get_object_or_404(
        Letter.objects.incoming()
        .select_related("customer", "assigned_to", "remark_type", "created_by")
        .prefetch_related(
            "attachments",
            "status_changes__changed_by",
            "notes__author",
            Prefetch(
                "replies",
                queryset=Letter.objects.prefetch_related("attachments").select_related(
                    "created_by"
                ),
            ),
        ),
        pk=pk,
    )
    log_action("letters.letter.viewed", request=request, obj=letter)
    return render(request, "backoffice/letters/detail.html", _detail_context(request, letter))


def _letter_for_change(pk):
    return get_object_or_404(Letter.objects.incoming(), pk=pk)


@require_POST
@operator_required(PERM)
def letter_assign(request, pk):
    letter = _letter_for_change(pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        services.assign(letter, form.cleaned_data["operator"], user=request.user, request=request)
        messages.success(request, _("Zmieniono prowadzącego."))
    else:
        messages.error(request, _("Wybierz prowadzącego z listy."))
    return redirect("backoffice:letter_detail", letter.pk)


@require_POST
@operator_required(PERM)
def letter_status(request, pk):
    letter = _letter_for_change(pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.change_status(
            letter,
            form.cleaned_data["status"],
            user=request.user,
            comment=form.cleaned_data["comment"],
            request=request,
        )
        messages.success(request, _("Zmieniono status pisma."))
    else:
        messages.error(request, _("Wybierz status z listy."))
    return redirect("backoffice:letter_detail", letter.pk)


@require_POST
@operator_required(PERM)
def letter_note(request, pk):
    letter = _letter_for_change(pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(letter, form.cleaned_data["text"], user=request.user, request=request)
        messages.success(request, _("Dodano notatkę."))
        return redirect("backoffice:letter_detail", letter.pk)
    return render(
        request, "backoffice/letters/detail.html", _detail_context(request, letter, note_form=form)
    )


@require_POST
@operator_required(PERM)
def letter_reply(request, pk):
    letter = _letter_for_change(pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            answer = services.send_reply(
                letter,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"],
                user=request.user,
                request=request,
            )
        except services.SubmissionFailed:
            form.add_error(
                None,
                _(
                    "Nie udało się zapisać załączników; odpowiedź nie została wysłana. Treść została zachowana."
                ),
            )
        else:
            messages.success(
                request, _("Wysłano odpowiedź %(number)s.") % {"number": answer.number}
            )
            return redirect("backoffice:letter_detail", letter.pk)
    return render(
        request,
        "backoffice/letters/detail.html",
        _detail_context(request, letter, reply_form=form),
        status=400,
    )


@require_POST
@operator_required(PERM)
def data_change_applied(request, pk):
    letter = _letter_for_change(pk)
    change = get_object_or_404(DataChangeRequest, letter=letter)
    if change.applied_at is None:
        services.mark_data_change_applied(change, user=request.user, request=request)
        messages.success(request, _("Oznaczono zmianę danych jako wprowadzoną."))
    return redirect("backoffice:letter_detail", letter.pk)


@operator_required(PERM)
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("letter"), pk=pk)
    log_action(
        "letters.attachment.downloaded",
        request=request,
        obj=attachment.letter,
        data={"attachment": attachment.pk},
    )
    return uploads.download_response(
        attachment.file.name, attachment.original_name, attachment.content_type
    )


# --- configuration ----------------------------------------------------------------------


class RemarkTypeForm(forms.ModelForm):
    class Meta:
        model = RemarkType
        fields = ["name", "description", "is_complaint", "position", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class FormatsTextForm(forms.Form):
    attachment_formats_text = forms.CharField(
        label=gettext_lazy("Tekst o dopuszczalnych formatach załączników"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Wyświetlany przy każdym polu załączników w portalu."),
    )


class DeadlinesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in INCOMING_KINDS:
            self.fields[value] = forms.IntegerField(
                label=label,
                min_value=1,
                max_value=365,
                required=False,
                help_text=gettext_lazy("dni; puste pole = wartość domyślna"),
            )
            self.initial.setdefault(value, KindDeadline.days_for(value))


@operator_required(PERM)
def configuration(request):
    config = CompanySettings.get()
    formats_form = FormatsTextForm(
        initial={"attachment_formats_text": config.attachment_formats_text}
    )
    deadlines_form = DeadlinesForm()
    new_type_form = RemarkTypeForm(prefix="new")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "formats":
            formats_form = FormatsTextForm(request.POST)
            if formats_form.is_valid():
                with transaction.atomic():
                    config, _created = CompanySettings.objects.select_for_update().get_or_create(
                        pk=CompanySettings.SINGLETON_PK
                    )
                    old = config.attachment_formats_text
                    config.attachment_formats_text = formats_form.cleaned_data[
                        "attachment_formats_text"
                    ]
                    config.save()
                    log_action(
                        "letters.configuration.formats_text_changed",
                        request=request,
                        data={"old": old, "new": config.attachment_formats_text},
                    )
                messages.success(request, _("Zapisano tekst o formatach załączników."))
                return redirect("backoffice:letters_config")
        elif action == "deadlines":
            deadlines_form = DeadlinesForm(request.POST)
            if deadlines_form.is_valid():
                with transaction.atomic():
                    for kind, days in deadlines_form.cleaned_data.items():
                        if days is None:
                            # No row: the built-in default (or no deadline) applies.
                            KindDeadline.objects.filter(kind=kind).delete()
                        else:
                            KindDeadline.objects.update_or_create(
                                kind=kind, defaults={"days": days}
                            )
                    log_action(
                        "letters.configuration.deadlines_changed",
                        request=request,
                        data=dict(deadlines_form.cleaned_data),
                    )
                messages.success(request, _("Zapisano terminy odpowiedzi."))
                return redirect("backoffice:letters_config")
        elif action == "new_type":
            new_type_form = RemarkTypeForm(request.POST, prefix="new")
            if new_type_form.is_valid():
                with transaction.atomic():
                    remark_type = new_type_form.save()
                    log_action("letters.remark_type.created", request=request, obj=remark_type)
                messages.success(request, _("Dodano typ uwagi."))
                return redirect("backoffice:letters_config")
    types = RemarkType.objects.order_by("position", "name")
    return render(
        request,
        "backoffice/letters/config.html",
        {
            "formats_form": formats_form,
            "deadlines_form": deadlines_form,
            "new_type_form": new_type_form,
            "types": types,
        },
    )


@operator_required(PERM)
def remark_type_edit(request, pk):
    remark_type = get_object_or_404(RemarkType, pk=pk)
    form = RemarkTypeForm(request.POST or None, instance=remark_type)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            changed = {name: str(form.cleaned_data[name]) for name in form.changed_data}
            form.save()
            log_action(
                "letters.remark_type.changed", request=request, obj=remark_type, data=changed
            )
        messages.success(request, _("Zapisano typ uwagi."))
        return redirect("backoffice:letters_config")
    return render(
        request, "backoffice/letters/remark_type.html", {"form": form, "remark_type": remark_type}
    )
