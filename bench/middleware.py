from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(get_response):
    """Adds X-Bench-Queries to responses when the request asks for it (one probe request per
    page; the load itself runs without counting)."""

    def middleware(request):
        if "HTTP_X_BENCH_COUNT" not in request.META:
            return get_response(request)
        with CaptureQueriesContext(connection) as queries:
            response = get_response(request)
        response["X-Bench-Queries"] = str(len(queries.captured_queries))
        return response

    return middleware
