"""Signals other apps listen to, so the organisation never imports them.

``managers_changed``: sent after ``employees_refresh_managers`` stored new managers, with
``changes``: a list of ``(employee_id, old_manager_id, new_manager_id)``. Conversations
use it to move open conversations to the new manager.
"""

from django.dispatch import Signal

managers_changed = Signal()
