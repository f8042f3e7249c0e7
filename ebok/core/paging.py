"""One way to page a list: one page parameter name (`strona`), one helper, one partial
(`templates/includes/pagination.html`)."""

from django.core.paginator import Page, Paginator

from ebok.core.forms import with_current_date_names

PAGE_PARAM = "strona"
DEFAULT_PAGE_SIZE = 20


class _CountedPaginator(Paginator):
    """A paginator told how many items there are, so it does not count them."""

    def __init__(self, items, size, count: int):
        super().__init__(items, size)
        self.count = count  # replaces Paginator's cached count query


def page_of(request, items, size: int = DEFAULT_PAGE_SIZE, count: int | None = None) -> Page:
    """The requested page of `items` (a query set or a list); a missing, malformed or
    too large page number gives the first or the last page, never an error.

    `count`, when the caller already knows it (e.g. from the stored account summary),
    saves counting a long history on every page."""
    if count is None:
        return Paginator(items, size).get_page(request.GET.get(PAGE_PARAM))
    return _CountedPaginator(items, size, count).get_page(request.GET.get(PAGE_PARAM))


def query_without_page(request) -> str:
    """The query string without the page number, for the pagination and download links;
    an old date parameter (`date_from`, `date_to`) is given its current name."""
    params = with_current_date_names(request.GET).copy()
    params.pop(PAGE_PARAM, None)
    return params.urlencode()
