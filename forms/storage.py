"""formtools storage that keeps an application's wizard state in the database (forms.WizardState).

The session storage would tie a draft to one browser; here the state follows the
application, so an applicant who signs in elsewhere resumes at the step where they left.
"""

import json

from formtools.wizard.storage.base import BaseStorage

from .models import Application, WizardState
from .services import wizard_state_save


class DatabaseStorage(BaseStorage):
    """One state per application, shared by every member of its organisation."""

    def __init__(self, prefix, request=None, file_storage=None, *, application: Application):
        super().__init__(prefix, request, file_storage)
        self.application = application
        state = WizardState.objects.filter(application=application).first()
        self.init_data()
        if state is not None and isinstance(state.data, dict):
            self.data.update(state.data)
        if not self.data.get(self.step_key):
            self.data[self.step_key] = application.wizard_step or None
        self._saved = self._snapshot()

    def _snapshot(self) -> str:
        return json.dumps(self.data, sort_keys=True, default=str)

    def save(self) -> None:
        """Write the state (and Application.wizard_step) if it changed during this request."""
        if self._snapshot() == self._saved:
            return
        wizard_state_save(application=self.application, data=_without_nul(self.data), step=self.current_step)
        self._saved = self._snapshot()

    def update_response(self, response):
        super().update_response(response)
        self.save()


def _without_nul(value):
    """The state with NUL characters removed: PostgreSQL's jsonb cannot store them, and no
    person types one (text fields refuse them with a message; this covers the raw values
    the wizard keeps for checkboxes and choices)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(v) for v in value]
    return value
