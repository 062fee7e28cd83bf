"""What every API view shares: ETag / If-None-Match on reads, ``Idempotency-Key`` on writes,
and a service's refusal turned into problem details."""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.translation import gettext as _
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.models import IdempotencyKey
from api.rest.problems import domain_problem, problem
from communities.errors import DomainError

SAFE = ("GET", "HEAD")


class ApiView(GenericAPIView):
    required_scope = "manage"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in SAFE and response.status_code == 200:
            response.render()
            etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            response["ETag"] = etag
            response["Vary"] = "Accept, Authorization, Cookie, Accept-Language"
            conditional = get_conditional_response(request, etag=etag, response=response)
            if conditional is not response:
                conditional["ETag"] = etag
                return conditional
        return response

    def respond_once(self, request, produce) -> Response:
        """Run ``produce`` (a write) once per ``Idempotency-Key``: a repeat with the same key
        gets the first answer and changes nothing; the same key with another request is refused.
        The key row and the write share one transaction, so a concurrent repeat waits for the
        first and then replays it."""
        key = request.headers.get("Idempotency-Key", "")
        if not key:
            return self._produce(produce)
        if len(key) > 255:
            return problem(
                400, "idempotency-key", _("Keep the Idempotency-Key under 256 characters.")
            )
        fingerprint = hashlib.sha256(
            json.dumps(
                [request.method, request.path, request.data], sort_keys=True, default=str
            ).encode()
        ).hexdigest()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(
                        user=request.user, key=key, fingerprint=fingerprint
                    )
            except IntegrityError:
                row = IdempotencyKey.objects.select_for_update().get(user=request.user, key=key)
                if row.fingerprint != fingerprint:
                    return problem(
                        422,
                        "idempotency-key-reused",
                        _("This Idempotency-Key was used for another request."),
                    )
                replay = Response(row.body, status=row.status_code)
                replay["Idempotent-Replayed"] = "true"
                if row.status_code >= 400:
                    replay.content_type = "application/problem+json"
                return replay
            response = self._produce(produce)
            row.status_code = response.status_code
            row.body = json.loads(json.dumps(response.data, default=str))
            row.save(update_fields=["status_code", "body"])
            return response

    def _produce(self, produce) -> Response:
        try:
            return produce()
        except DomainError as error:
            return domain_problem(error)
