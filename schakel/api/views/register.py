"""The register's match: one query or a batch of up to 1,000, for officers.

The same reading rules and matching as "Lijst controleren" (`subjects/batch.py`):
each query is recorded once in the processing log with its purpose, never its terms.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from schakel.accounts.models import Role
from schakel.subjects import batch

from .base import ApiView

MAX_QUERIES = 1000


class MatchQueryIn(serializers.Serializer):
    id = serializers.CharField(max_length=100, required=False, allow_blank=True,
                               help_text="Your own id, echoed in the answer.")
    kind = serializers.ChoiceField(choices=["person", "organisation", "address"],
                                   required=False)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    date_of_birth = serializers.CharField(max_length=30, required=False, allow_blank=True)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    house_number = serializers.CharField(max_length=10, required=False, allow_blank=True)
    addition = serializers.CharField(max_length=10, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    kvk_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                    help_text="A whole address on one line, instead of "
                                              "street, house_number, postcode and city.")


class MatchIn(serializers.Serializer):
    purpose = serializers.CharField(max_length=200, help_text="Why you look (logged).")
    queries = MatchQueryIn(many=True, min_length=1, max_length=MAX_QUERIES)


class CandidateOut(serializers.Serializer):
    rank = serializers.IntegerField()
    band = serializers.ChoiceField(choices=["zeker", "waarschijnlijk", "mogelijk"])
    score = serializers.IntegerField()
    kind = serializers.CharField()
    source = serializers.CharField()
    source_id = serializers.CharField(allow_blank=True)
    record_name = serializers.CharField(allow_blank=True)
    record_date_of_birth = serializers.CharField(allow_blank=True)
    record_kvk_number = serializers.CharField(allow_blank=True)
    record_address = serializers.CharField(allow_blank=True)
    reasons_for = serializers.ListField(child=serializers.CharField())
    reasons_against = serializers.ListField(child=serializers.CharField())


class MatchRowOut(serializers.Serializer):
    id = serializers.CharField(allow_blank=True)
    line = serializers.IntegerField()
    error = serializers.CharField(allow_blank=True)
    candidates = CandidateOut(many=True)


class MatchOut(serializers.Serializer):
    results = MatchRowOut(many=True)


def _candidate(rank, candidate) -> dict:
    record = candidate.record
    has_address = record.street or record.postcode
    return {
        "rank": rank, "band": candidate.band.value, "score": candidate.score,
        "kind": record.kind, "source": record.source.name, "source_id": record.external_id,
        "record_name": record.name,
        "record_date_of_birth": record.date_of_birth.isoformat()
        if record.date_of_birth else "",
        "record_kvk_number": record.kvk_number,
        "record_address": record.address_line if has_address else "",
        "reasons_for": [str(r) for r in candidate.reasons_for],
        "reasons_against": [str(r) for r in candidate.reasons_against],
    }


class RegisterMatch(ApiView):
    roles = (Role.OFFICER,)

    @extend_schema(request=MatchIn, responses=MatchOut, operation_id="register_match",
                   description="Match persons, organisations or addresses against the "
                               "register: one query, or up to 1,000. Each answer lists the "
                               "candidates in a band (zeker, waarschijnlijk, mogelijk) with "
                               "the reasons for and against; an empty list means no match.")
    def post(self, request):
        incoming = MatchIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        rows = []
        for line, query in enumerate(data["queries"], start=1):
            values = {k: v for k, v in query.items() if isinstance(v, str)}
            rows.append(batch._row(line, values))
        purpose = data["purpose"].strip() or _("API: match against the register")
        batch.match_rows(rows, actor=request.user, purpose=purpose)
        results = [{"id": row.id, "line": row.line, "error": row.error,
                    "candidates": [_candidate(i, c)
                                   for i, c in enumerate(row.candidates, start=1)]}
                   for row in rows]
        return Response(MatchOut({"results": results}).data)
