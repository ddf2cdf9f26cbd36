"""The assessment (beoordeling): ratings by the manager, the employee's response, and the objection."""
