"""The iCalendar feed (RFC 5545), written by hand: it is a few lines per event, and the
only subtle parts — escaping text values and folding lines at 75 octets without cutting
a UTF-8 character — are here and tested by parsing with the `icalendar` library."""

from datetime import UTC, datetime


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line to at most 75 octets per physical line (RFC 5545 3.1)."""
    out, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1  # continuation lines start with one space
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, events: list[dict], prodid: str) -> str:
    """`events`: dicts with uid, start, end, stamp, summary, description, location,
    url, status (CONFIRMED/CANCELLED), sequence."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape_text(prodid)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-PUBLISHED-TTL:PT15M",
        "REFRESH-INTERVAL;VALUE=DURATION:PT15M",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}",
            f"DTSTAMP:{utc(event['stamp'])}",
            f"LAST-MODIFIED:{utc(event['stamp'])}",
            f"DTSTART:{utc(event['start'])}",
            f"DTEND:{utc(event['end'])}",
            f"SEQUENCE:{event['sequence']}",
            f"STATUS:{event['status']}",
            f"SUMMARY:{escape_text(event['summary'])}",
            f"DESCRIPTION:{escape_text(event['description'])}",
            f"LOCATION:{escape_text(event['location'])}",
            f"URL:{event['url']}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
