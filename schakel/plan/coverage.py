"""Training coverage of the teams with client contact (§3.1): who was trained in two years."""

from datetime import timedelta

from django.db.models import Max, Q

from schakel.accounts.models import Team, User

WINDOW_DAYS = 730


def coverage(today) -> dict:
    """Per team with client contact: its members, who attended a training since `since`.

    Two queries whatever the number of teams and people.
    """
    since = today - timedelta(days=WINDOW_DAYS)
    teams = list(Team.objects.filter(client_contact=True).order_by("name"))
    members = (User.objects.filter(team__in=teams, is_active=True)
               .annotate(last_training=Max("trainings__date",
                                           filter=Q(trainings__date__gte=since,
                                                    trainings__date__lte=today)))
               .order_by("first_name", "last_name"))
    by_team = {team.pk: [] for team in teams}
    for member in members:
        by_team[member.team_id].append(member)
    rows = []
    total = trained_total = 0
    for team in teams:
        people = by_team[team.pk]
        trained = sum(1 for p in people if p.last_training)
        total += len(people)
        trained_total += trained
        rows.append({"team": team, "people": people, "trained": trained, "total": len(people),
                     "percent": round(100 * trained / len(people)) if people else None})
    return {"rows": rows, "since": since, "total": total, "trained_total": trained_total,
            "percent": round(100 * trained_total / total) if total else None}
