"""An Elasticsearch client that talks to no server: the official client with a node class that records
each HTTP request (method, path, decoded body) and answers from a function, so tests see exactly what
the client would send, serialised by the client itself, and feed back responses shaped as Elasticsearch
returns them."""

import json
from urllib.parse import urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node._base import NodeApiResponse
from elasticsearch import Elasticsearch


def _decode(path, body):
    if not body:
        return None
    text = body.decode()
    if path.endswith("/_bulk"):  # ndjson: one operation or source a line
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def fake_client(respond):
    """(client, calls): `respond(method, path, body)` returns (status, body dict) or raises; `calls` lists
    every request as (method, path, body)."""
    calls = []

    class FakeNode(BaseNode):
        def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
            path = urlsplit(target).path
            decoded = _decode(path, body)
            calls.append((method, path, decoded))
            status, payload = respond(method, path, decoded)
            headers = HttpHeaders({"x-elastic-product": "Elasticsearch", "content-type": "application/json"})
            meta = ApiResponseMeta(status=status, http_version="1.1", headers=headers, duration=0.0, node=self.config)
            return NodeApiResponse(meta, b"" if payload is None else json.dumps(payload).encode())

    client = Elasticsearch("http://search.test:9200", node_class=FakeNode, retry_on_timeout=False, max_retries=0)
    return client, calls
