"""What other apps call: the start page's overdue list and a signal started from a control."""

from django.http import Http404

from .models import Control, ControlKind


def signal_initial_from_control(user, pk) -> dict:
    """What a control already knows, as initial data for the intake form (a finding → a signal).

    Returns {"form": {...}, "addresses": [{...}], "organisations": [{...}]}; 404 for a
    control the user may not see. Bibob checks never start a signal from here.
    """
    try:
        control = Control.objects.visible_to(user).exclude(kind=ControlKind.BIBOB).get(pk=int(pk))
    except (Control.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    where = control.get_kind_display()
    if control.establishment:
        where = f"{where}: {control.establishment}"
    form = {"background": control.findings, "observed_where": where[:200],
            "observed_on": control.date.isoformat()}  # ISO: the form shows a date input
    addresses, organisations = [], []
    if control.street and control.house_number:
        addresses.append({"street": control.street, "house_number": control.house_number,
                          "house_number_addition": control.house_number_addition,
                          "postcode": control.postcode, "city": control.city})
    if control.establishment:
        organisations.append({"name": control.establishment})
    return {"form": form, "addresses": addresses, "organisations": organisations}
