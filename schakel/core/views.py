from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from schakel.accounts.models import Role


@login_required
def home(request):
    """Each role starts where its work is."""
    role = request.user.role
    if role == Role.OFFICER:
        return redirect("signals:queue")
    if role in (Role.EMPLOYEE, Role.TEAM_LEAD):
        return redirect("signals:mine")
    if role == Role.REGION:
        return redirect("region:overview")
    context = {}
    if role == Role.ADMIN:
        from .taskwatch import overview

        context["tasks"] = overview()
    return render(request, "core/home.html", context)
