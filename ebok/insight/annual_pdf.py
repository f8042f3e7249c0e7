"""The annual information letter as a PDF (always in Polish: a stored document of the
company), rendered from the letter's data snapshot."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ebok.billing.pdf import BasePdfRenderer, dmy, esc, number
from ebok.insight import annual


def _n(value, places=None) -> str:
    return "—" if value in (None, "") else number(Decimal(value), places)


def _pct(value) -> str:
    if value in (None, ""):
        return "—"
    v = Decimal(value)
    return f"{'+' if v > 0 else ''}{number(v, 1)}%"


class AnnualInformationPdfRenderer(BasePdfRenderer):
    def header(self, labels, num_cols=()) -> list:
        """A table's header row as paragraphs, so long labels wrap inside their column."""
        s = self.styles()
        left = ParagraphStyle("th", parent=s["bold"], fontSize=self.font_size, leading=10)
        right = ParagraphStyle("th_right", parent=left, alignment=TA_RIGHT)
        return [
            Paragraph(esc(label), right if i in num_cols else left)
            for i, label in enumerate(labels)
        ]

    def filename(self, info) -> str:
        return f"informacja-roczna-{info.year}-{info.customer.payer_code}.pdf"

    @translation.override(settings.LANGUAGE_CODE)
    def generate(self, info) -> tuple[str, str, bytes]:
        title = _("Informacja o zużyciu ciepła za rok %(year)d") % {"year": info.year}
        return self.filename(info), self.mimetype, self.build(self.story(info), title=title)

    def story(self, info) -> list:
        s = self.styles()
        d = info.data
        year = d["year"]
        story = [
            Paragraph(
                esc(_("Informacja o zużyciu ciepła za rok %(year)d") % {"year": year}), s["title"]
            ),
            Paragraph(
                esc(
                    _(
                        "Informacja sprzedawcy ciepła dla odbiorcy (art. 5 ust. 6c ustawy – "
                        "Prawo energetyczne)"
                    )
                ),
                s["small"],
            ),
            Spacer(1, 8),
        ]
        issued = timezone.localtime(info.issued_at).date() if info.issued_at else date.today()
        parties = Table(
            [
                [
                    Paragraph("<br/>".join(esc(x) for x in self.seller_lines()), s["base"]),
                    Paragraph(
                        "<br/>".join(esc(x) for x in d["customer"]["address"])
                        + "<br/>"
                        + esc(_("Kod płatnika: %(code)s") % {"code": d["customer"]["payer_code"]}),
                        s["base"],
                    ),
                ]
            ],
            colWidths=[8.25 * cm, 8.25 * cm],
            hAlign="LEFT",
        )
        parties.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        story += [
            parties,
            Spacer(1, 4),
            Paragraph(
                esc(
                    _("Data wystawienia: %(date)s, wersja %(version)d")
                    % {"date": dmy(issued), "version": info.version}
                ),
                s["small"],
            ),
        ]

        # 1. Consumption per site.
        story.append(Paragraph(esc(_("Zużycie ciepła w roku %(year)d") % {"year": year}), s["h2"]))
        rows = [
            self.header(
                [
                    _("Obiekt"),
                    _("Grupa taryfowa"),
                    _("Moc zamówiona [MW]"),
                    _("Zużycie [GJ]"),
                    _("Rok wcześniej [GJ]"),
                    _("Zmiana"),
                ],
                num_cols=(2, 3, 4, 5),
            )
        ]
        for site in d["sites"]:
            rows.append(
                [
                    Paragraph(esc(f"{site['code']} {site['address']}"), s["small"]),
                    site["tariff_group"] or "—",
                    _n(site["ordered_mw"]),
                    _n(site["gj"], 3),
                    _n(site["gj_previous"], 3),
                    _pct(site["change_percent"]),
                ]
            )
        rows.append([_("Razem"), "", "", _n(d["total_gj"], 3), "", ""])
        story.append(
            self.table(
                rows,
                [5.6 * cm, 2.2 * cm, 2.3 * cm, 2.3 * cm, 2.4 * cm, 1.7 * cm],
                num_cols=(2, 3, 4, 5),
                total_row=True,
            )
        )

        # 2. The tariff group's average.
        story.append(Paragraph(esc(_("Porównanie ze średnią grupy taryfowej")), s["h2"]))
        rows = [
            self.header(
                [
                    _("Obiekt"),
                    _("Twoje zużycie [GJ/MW]"),
                    _("Średnia grupy [GJ/MW]"),
                    _("Mediana [GJ/MW]"),
                    _("Okres i liczba odbiorców"),
                ],
                num_cols=(1, 2, 3),
            )
        ]
        hidden = False
        for site in d["sites"]:
            g = site["group"]
            if g is None:
                hidden = True
                rows.append([site["code"], _n(site["gj_per_mw"], 1), "—", "—", "—"])
                continue
            rows.append(
                [
                    site["code"],
                    _n(site["gj_per_mw"], 1),
                    _n(g["mean"], 1),
                    _n(g["median"], 1),
                    Paragraph(
                        esc(
                            _("%(start)s – %(end)s, odbiorców: %(n)d")
                            % {
                                "start": dmy(date.fromisoformat(g["period_start"])),
                                "end": dmy(date.fromisoformat(g["period_end"])),
                                "n": g["customers"],
                            }
                        ),
                        s["small"],
                    ),
                ]
            )
        story.append(
            self.table(rows, [3.0 * cm, 3.0 * cm, 3.0 * cm, 2.8 * cm, 4.7 * cm], num_cols=(1, 2, 3))
        )
        if hidden:
            story.append(
                Paragraph(
                    esc(
                        _(
                            "„—”: grupa liczy mniej niż 10 odbiorców albo obiekt nie ma mocy "
                            "zamówionej – średniej nie podajemy, aby nie ujawniać danych innych "
                            "odbiorców."
                        )
                    ),
                    s["small"],
                )
            )
        if d.get("group_averages_published_at"):
            story.append(
                Paragraph(
                    esc(
                        _("Średnie zużycie ciepła w grupach taryfowych publikujemy: %(where)s")
                        % {"where": d["group_averages_published_at"]}
                    ),
                    s["base"],
                )
            )

        # 3. Weather-normalised change.
        story.append(Paragraph(esc(_("Zmiana zużycia po uwzględnieniu pogody")), s["h2"]))
        for site in d["sites"]:
            story.append(Paragraph(esc(normalised_sentence(site, year)), s["base"]))

        # 4. Advice.
        story.append(Paragraph(esc(_("Jak możesz zmniejszyć zużycie ciepła")), s["h2"]))
        for site in d["sites"]:
            for title, text in annual.advice_items(site):
                story.append(
                    Paragraph(f"<b>{esc(site['code'])}: {esc(title)}.</b> {esc(text)}", s["base"])
                )
                story.append(Spacer(1, 3))

        # 5. Fuel mix and emissions.
        story.append(
            Paragraph(esc(_("Struktura paliw i emisje w roku %(year)d") % {"year": year}), s["h2"])
        )
        rows = [self.header([_("Paliwo"), _("Udział")], num_cols=(1,))]
        rows += [[label, f"{number(Decimal(v), 2)}%"] for label, v in annual.fuel_rows(d)]
        rows.append(
            [
                _("w tym energia z odnawialnych źródeł"),
                f"{number(Decimal(d['fuel_mix']['renewable_percent']), 2)}%",
            ]
        )
        story.append(self.table(rows, [9 * cm, 3 * cm], num_cols=(1,)))
        story.append(Spacer(1, 6))
        rows = [
            self.header(
                [_("Substancja"), _("Emisja na 1 GJ [kg]"), _("Przy Twoim zużyciu [kg]")],
                num_cols=(1, 2),
            )
        ]
        rows += [
            [label, number(Decimal(factor), 4), number(Decimal(kg), 1)]
            for label, factor, kg in annual.emission_rows(d)
        ]
        story.append(self.table(rows, [5 * cm, 4 * cm, 5 * cm], num_cols=(1, 2)))
        story.append(
            Paragraph(
                esc(
                    _(
                        "Emisje przy Twoim zużyciu = zużycie ciepła w roku (%(gj)s GJ) × "
                        "emisja na 1 GJ. Z odnawialnych źródeł pochodziło %(renewable)s GJ "
                        "dostarczonego Ci ciepła."
                    )
                    % {
                        "gj": number(Decimal(d["total_gj"]), 3),
                        "renewable": number(Decimal(d["emissions"]["renewable_gj"]), 3),
                    }
                ),
                s["small"],
            )
        )
        return story


def normalised_sentence(site: dict, year: int) -> str:
    """One sentence on the weather-normalised change of a site (active language)."""
    n = site["normalised"]
    if n is None:
        return _(
            "%(code)s: za mało danych, aby uwzględnić pogodę (potrzeba co najmniej 12 miesięcy "
            "odczytów i temperatur w latach %(prev)d–%(year)d)."
        ) % {"code": site["code"], "prev": year - 1, "year": year}
    hdd = Decimal(n["hdd_change_percent"] or 0)
    if hdd >= 0:
        weather = _("było o %(p)s%% chłodniej (więcej stopniodni)") % {"p": number(hdd, 1)}
    else:
        weather = _("było o %(p)s%% cieplej (mniej stopniodni)") % {"p": number(-hdd, 1)}
    return _(
        "%(code)s: w porównywalnych miesiącach (%(months)d) roku %(year)d %(weather)s niż "
        "rok wcześniej. Zużycie rzeczywiste: %(prev_actual)s → %(cur_actual)s GJ; po "
        "przeliczeniu na pogodę roku standardowego: %(prev_norm)s → %(cur_norm)s GJ "
        "(%(change)s)."
    ) % {
        "code": site["code"],
        "months": n["months"],
        "year": year,
        "weather": weather,
        "prev_actual": number(Decimal(n["previous_actual"]), 1),
        "cur_actual": number(Decimal(n["current_actual"]), 1),
        "prev_norm": number(Decimal(n["previous_normalised"]), 1),
        "cur_norm": number(Decimal(n["current_normalised"]), 1),
        "change": _pct(n["change_percent"]),
    }
