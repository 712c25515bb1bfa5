"""Input and output shapes of the signal endpoints.

Inputs are checked here for shape only; the intake rules themselves are the
page's forms (`signals/forms.py`), which the view runs on the same data, so a
signal filed through the API meets exactly the rules of one filed on the page.
Outputs are built per access level (`signals/access.py`); fields a level may not
see are left out, never sent empty.
"""

from rest_framework import serializers

from schakel.signals.models import Capacity, Outcome, SubjectKind
from schakel.signals.workflow import State

STATES = [s for s in State.values]


class SubjectIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SubjectKind.choices)
    capacity = serializers.ChoiceField(choices=Capacity.choices, required=False,
                                       allow_blank=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    nationality = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    kvk_number = serializers.CharField(max_length=8, required=False, allow_blank=True)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    house_number = serializers.CharField(max_length=10, required=False, allow_blank=True)
    house_number_addition = serializers.CharField(max_length=10, required=False,
                                                  allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)


class SignalIn(serializers.Serializer):
    """File a signal (step 1). `draft: true` keeps it as a draft that only you see."""

    urgent = serializers.BooleanField(default=False)
    forms = serializers.ListField(child=serializers.CharField(max_length=20), default=list,
                                  max_length=20, help_text="Codes, e.g. labour, sexual.")
    indicators = serializers.ListField(child=serializers.IntegerField(min_value=1),
                                       default=list, max_length=200)
    background = serializers.CharField(max_length=10000, allow_blank=True, default="")
    observed_where = serializers.CharField(max_length=200, allow_blank=True, default="")
    observed_on = serializers.DateField(required=False, allow_null=True)
    team_lead_consulted = serializers.BooleanField(required=False, allow_null=True)
    team_lead_consulted_with = serializers.CharField(max_length=200, allow_blank=True,
                                                     default="")
    reporter_phone = serializers.CharField(max_length=30, allow_blank=True, default="")
    reporter_email = serializers.EmailField(allow_blank=True, default="")
    on_behalf_of = serializers.IntegerField(
        required=False, allow_null=True, min_value=1,
        help_text="Team leads: the id of a team member this signal is filed for.")
    subjects = SubjectIn(many=True, required=False, max_length=90)
    draft = serializers.BooleanField(default=False)


class TransitionIn(serializers.Serializer):
    name = serializers.ChoiceField(choices=["receive", "dismiss", "inform_reporter", "close"])
    version = serializers.IntegerField(
        min_value=0, required=False,
        help_text="The version you saw; or send it as If-Match. 409 when stale.")
    remark = serializers.CharField(max_length=2000, allow_blank=True, default="")
    dismiss_reason = serializers.CharField(max_length=5000, required=False)
    message_for_reporter = serializers.CharField(max_length=5000, required=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    outcome_other = serializers.CharField(max_length=200, required=False, allow_blank=True)


class SubjectOut(serializers.Serializer):
    id = serializers.IntegerField()
    pseudonym = serializers.UUIDField(required=False)
    kind = serializers.CharField()
    capacity = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)
    date_of_birth = serializers.DateField(allow_null=True)
    nationality = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    kvk_number = serializers.CharField(allow_blank=True)
    street = serializers.CharField(allow_blank=True)
    house_number = serializers.CharField(allow_blank=True)
    house_number_addition = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)


class ReporterOut(serializers.Serializer):
    """Only in an officer's answer."""

    name = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    team = serializers.CharField(allow_null=True)
    team_lead_consulted_with = serializers.CharField(allow_blank=True)
    pseudonym = serializers.UUIDField()


class EventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    transition = serializers.CharField(allow_blank=True)
    from_state = serializers.CharField(allow_blank=True)
    to_state = serializers.CharField(allow_blank=True)
    actor_role = serializers.CharField()
    remark = serializers.CharField(
        allow_blank=True, help_text="The history text in the request's language: the line "
        "Schakel wrote (see code) followed by what a person typed.")
    code = serializers.CharField(allow_blank=True, help_text="The line Schakel wrote: "
                                 "referred, referrals_settled, case_meeting_decision, or empty.")
    params = serializers.DictField(help_text="The line's parameters: partner names or a date.")


class SignalSummaryOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    state = serializers.ChoiceField(choices=STATES)
    version = serializers.IntegerField()
    access = serializers.ChoiceField(choices=["full", "own", "team", "status"])
    submitted_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    urgent = serializers.BooleanField(required=False)
    forms = serializers.ListField(child=serializers.CharField(), required=False)
    officer = serializers.CharField(allow_null=True, required=False)


class SignalOut(SignalSummaryOut):
    received_at = serializers.DateTimeField(allow_null=True)
    reporter_informed_at = serializers.DateTimeField(allow_null=True, required=False)
    indicators = serializers.ListField(child=serializers.IntegerField(), required=False)
    background = serializers.CharField(required=False, allow_blank=True)
    observed_where = serializers.CharField(required=False, allow_blank=True)
    observed_on = serializers.DateField(required=False, allow_null=True)
    team_lead_consulted = serializers.BooleanField(required=False)
    subjects = SubjectOut(many=True, required=False)
    message_for_reporter = serializers.CharField(required=False, allow_blank=True)
    dismiss_reason = serializers.CharField(required=False, allow_blank=True)
    outcome = serializers.CharField(required=False, allow_blank=True)
    outcome_other = serializers.CharField(required=False, allow_blank=True)
    reporter = ReporterOut(required=False)
    events = EventOut(many=True, required=False)
    transitions = serializers.ListField(child=serializers.CharField(), required=False,
                                        help_text="The steps you can take now.")
