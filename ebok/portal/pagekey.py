"""The page a request asks for, as part of a cached fragment's key."""

from ebok.core.paging import PAGE_PARAM

#: page numbers above this are not cached (past the last page of any list paged here)
MAX_CACHED_PAGE = 10_000


def page_key(request) -> str | None:
    """What `core.paging.page_of` makes of the page number in the query string, so that
    two spellings of one page share a fragment and two pages never do: a missing or
    malformed number is the first page, a number below 1 the last. None (do not cache)
    for a number above MAX_CACHED_PAGE."""
    try:
        number = int(request.GET.get(PAGE_PARAM))
    except (TypeError, ValueError):
        return "1"
    if number < 1:
        return "last"
    return str(number) if number <= MAX_CACHED_PAGE else None
