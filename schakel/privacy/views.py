"""The officer's privacy tasks in one place."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from schakel.accounts.models import Role
from schakel.core.access import require_role

from .models import AccessRequest, DestructionItem, DestructionStatus


@login_required
def index(request):
    require_role(request.user, Role.OFFICER)
    return render(request, "privacy/index.html", {
        "due": DestructionItem.objects.filter(status=DestructionStatus.PROPOSED).count(),
        "open_requests": AccessRequest.objects.filter(completed_at__isnull=True).count(),
    })
