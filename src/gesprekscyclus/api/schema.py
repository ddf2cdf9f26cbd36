"""drf-spectacular's AutoSchema, with the problem responses every operation can give."""

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .problems import PROBLEM_CONTENT_TYPE


class ProblemErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field, dotted for nested ones; empty for the whole object.")
    message = serializers.CharField()
    row = serializers.IntegerField(required=False, help_text="Bulk upsert: the 1-based row as sent.")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemErrorSerializer(many=True, required=False)

    class Meta:
        ref_name = "Problem"


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # 404 everywhere: an object that is not yours, and a page past the end of a list.
        codes = ["401", "403", "404"]
        has_query = any(parameter.get("in") == "query" for parameter in self._get_parameters())
        if self.method in ("POST", "PUT", "PATCH") or self._is_list_view() or has_query:
            codes.append("400")
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ProblemSerializer, description="Problem details (RFC 9457)."),
                    code,
                    media_types=[PROBLEM_CONTENT_TYPE],
                )
        return responses
