"""Who may search the audit log: the HR administrators (functioneel beheer), each for
their own organisation(s). Built from the predicates in ``access.predicates``."""

import rules

from gesprekscyclus.access.predicates import is_hr_admin

rules.add_perm("audit.view_auditlog", is_hr_admin)
