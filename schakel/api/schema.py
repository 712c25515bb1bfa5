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
