"""The register of processing activities (AVG art. 30): purpose and legal basis per activity.

Shipped as code so that it is translated and versioned with the processing it
describes; a municipality's privacy officer reviews it on the register page.
"""

from django.utils.translation import gettext_lazy as _

from .models import Activity

_TASK = _("AVG art. 6(1)(e): a task in the public interest — the municipality's "
          "responsibility for the approach to human trafficking (Wmo 2015, Jeugdwet, "
          "Gemeentewet art. 172 for public order)")
_CRIMINAL = _("AVG art. 10 with UAVG art. 33: criminal data processed by a public "
              "authority for its task")
_SPECIAL = _("UAVG art. 22 and 30: special categories where needed for care of victims")

REGISTER = {
    Activity.REGISTER: (_("Record a signal of possible human trafficking from an employee "
                          "(step 1 of the internal reporting route)."), [_TASK, _CRIMINAL]),
    Activity.RECEIVE: (_("The designated officer takes the signal into handling (step 2)."),
                       [_TASK]),
    Activity.VIEW: (_("Read a signal to handle it, or a reporter reads their own signal."),
                    [_TASK]),
    Activity.ENRICH: (_("Check whether persons, organisations or addresses already appear in "
                        "municipal records, to enrich the signal (step 3)."),
                      [_TASK, _CRIMINAL]),
    Activity.DISCUSS: (_("Discuss the signal in the local case meeting (step 3)."),
                       [_TASK, _CRIMINAL]),
    Activity.REFER: (_("Pass the signal on to the right chain partner and ask for feedback "
                       "(steps 4 and 5)."), [_TASK, _CRIMINAL, _SPECIAL]),
    Activity.INFORM: (_("Tell the reporting employee what was done (step 6)."), [_TASK]),
    Activity.CLOSE: (_("Close the signal and record the outcome (step 6)."), [_TASK]),
    Activity.DISMISS: (_("Record that a signal is not passed on, with the reason."), [_TASK]),
    Activity.NOTE: (_("Add a note or correction to a signal."), [_TASK]),
    Activity.EXPORT: (_("Export data, e.g. for an access request or a partner."), [_TASK]),
    Activity.REPORT: (_("Anonymised figures for the dashboard and the council report."),
                      [_TASK]),
    Activity.ACCESS_REQUEST: (_("Answer a data subject's access request (AVG art. 15)."),
                              [_("AVG art. 15 and 23; UAVG art. 41 for restrictions")]),
    Activity.DESTROY: (_("Destroy personal data whose retention period has ended "
                         "(Selectielijst gemeenten)."),
                       [_("AVG art. 5(1)(e) and 17; Archiefwet 1995")]),
    Activity.LOG_SEARCH: (_("Search this log to account for processing."),
                          [_("AVG art. 5(2): accountability")]),
    Activity.ROLE: (_("Grant or withdraw a user's role; roles that see reporters with the "
                      "approval of a second person."),
                    [_("AVG art. 32: security of processing")]),
}
