"""The billing-system integration API (django-ninja). Schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="eBOK integration API",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs",
)


@api.get("/ping", summary="Check that the API answers", auth=None)
def ping(request):
    return {"status": "ok"}
