"""OpenAPI schema generation (drf-spectacular): only the public open-data API is documented."""


def public_api_only(endpoints, **kwargs):
    """Leave out Wagtail's internal admin API; keep the endpoints under /api/."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
