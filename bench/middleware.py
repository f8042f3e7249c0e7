"""Server CPU per request, measured by the server (bench mode only).

The outermost middleware reads the worker process's CPU time (user + system) before and
after the request and sends the difference in microseconds as `X-Bench-CPU-us`. Unlike
latency it hardly depends on what else runs on the machine, so it is the stable figure
`make bench` reports next to throughput.
"""

import time


class ServerCpuMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.process_time()
        response = self.get_response(request)
        response["X-Bench-CPU-us"] = str(round((time.process_time() - started) * 1_000_000))
        return response
