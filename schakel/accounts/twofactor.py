"""The second factor: one TOTP device (an authenticator app) and recovery codes per user.

django-otp keeps the devices; this module decides who needs them and wraps the
few things the views, the demo command and the tests do with them.
"""

import base64
import logging

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger("schakel.security")

RECOVERY_CODE_COUNT = 10
# Set by the single sign-on callback: the identity provider did the second factor.
SSO_SESSION_KEY = "schakel_sso"


def totp_device(user, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("-confirmed", "pk").first()


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# Session flags, set once at login so that pages cost no query for the second factor.
REQUIRED_SESSION_KEY = "schakel_2fa_required"
VERIFIED_SESSION_KEY = "schakel_2fa_verified"


def on_login(sender, request, user, **kwargs):
    """user_logged_in: remember whether this session needs the second factor."""
    if request is not None and hasattr(request, "session"):
        request.session[REQUIRED_SESSION_KEY] = bool(
            getattr(user, "needs_two_factor", False) or has_totp(user))


def must_verify(request) -> bool:
    """Whether this authenticated session still has to pass the second factor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    session = request.session
    if session.get(VERIFIED_SESSION_KEY) or session.get(SSO_SESSION_KEY):
        return False
    if REQUIRED_SESSION_KEY not in session:  # a session from before this check existed
        session[REQUIRED_SESSION_KEY] = bool(user.needs_two_factor or has_totp(user))
    return session[REQUIRED_SESSION_KEY]


def _passed(request, device) -> None:
    otp_login(request, device)
    request.session[VERIFIED_SESSION_KEY] = True


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def start_enrolment(user) -> TOTPDevice:
    """An unconfirmed device with a fresh key; confirmed once the user types a code from it."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)


@transaction.atomic
def confirm_enrolment(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device if `token` fits it; returns the new recovery codes, else None."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _passed(request, device)
    logger.info("two-factor enrolled user=%s", device.user_id)
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes; each code works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Herstelcodes"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    logger.info("recovery codes renewed user=%s", user.pk)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def looks_like_totp(token: str) -> bool:
    token = "".join(token.split())
    return token.isdigit() and len(token) == 6


def verify(request, token: str) -> bool:
    """Check a TOTP code or a recovery code and mark the session as verified."""
    token = "".join(token.split()).lower()
    user = request.user
    if looks_like_totp(token):
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        with transaction.atomic():
            device = type(device).objects.select_for_update().get(pk=device.pk)
            if device.verify_token(token):
                _passed(request, device)
                logger.info("second factor passed user=%s device=%s",
                            user.pk, type(device).__name__)
                return True
    logger.info("second factor failed user=%s", user.pk)
    return False


def throttled(user) -> bool:
    device = totp_device(user)
    return device is not None and not device.verify_is_allowed()[0]


def mark_session_verified(session) -> None:
    """For tests: a session made by `force_login` counts as having passed the second factor."""
    session[VERIFIED_SESSION_KEY] = True
