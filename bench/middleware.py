"""Bench-only: how long the server spent on a request and how many SQL queries it made."""

import time

from django.db import connection

SERVER_MS_HEADER = "X-Bench-Server-Ms"
QUERIES_HEADER = "X-Bench-Queries"


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        # The body is read lazily, inside the view: on loopback that adds milliseconds
        # for 9 MB, so this is the server's time, not the upload's.
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response[SERVER_MS_HEADER] = f"{(time.perf_counter() - started) * 1000:.1f}"
        response[QUERIES_HEADER] = str(queries)
        return response
