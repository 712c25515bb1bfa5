"""The token scheme in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "schakel.api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "Persoonlijk of systeemtoken van Mijn account / a personal "
                               "or system token from Mijn account."}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "schakel.api.auth.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "De sessie van de browser na inloggen met de tweede stap / "
                               "the browser's session after the second login step."}


PROBLEM = {
    "type": "object",
    "description": "Problem details (RFC 9457), in Dutch, or English with Accept-Language: en.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "detail"],
            "properties": {"field": {"type": "string"}, "detail": {"type": "string"}}}},
    },
}


def add_problem_responses(result, generator, request, public):
    """Every operation's errors are problem details: one `default` answer in the schema."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    reference = {"$ref": "#/components/schemas/Problem"}
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/") or path.endswith(("/schema/", "/docs/")):
            continue
        for operation in operations.values():
            operation.setdefault("responses", {})["default"] = {
                "description": "Problem details", "content": {
                    "application/problem+json": {"schema": reference}}}
    return result
