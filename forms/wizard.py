"""The application wizard: formtools' NamedUrlWizardView with its state in the database.

Every step POST saves what is valid at once (through forms.services, see forms.steps), so the
database always holds what the applicant typed; forms are initialised from the database, and a
GET resumes where the applicant left instead of restarting the wizard (formtools' default).
A POST carries the version of the application the page was loaded at: when another member
saved the same step since, the page comes back with status 409 and both versions side by side.
A POST without a version the application had (missing, not a number, above the current one)
saves nothing: the page comes back with status 400, what was typed and what saving it would change.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, StepsHelper

from . import services
from .forms import AttachmentUploadForm, SupportForm
from .models import Application
from .selectors import (
    application_recap,
    draft_support_state,
    get_application_for_member,
    missing_explained,
    organisation_facts,
    wizard_progress,
)
from .steps import ALL_STEPS, SERVICES, StepForms, step_enabled, step_title, time_of
from .storage import DatabaseStorage


def parse_version(value, *, current: int) -> int | None:
    """The version a page sent, or None when it is missing, not a version number, or above the
    application's `current` version (never handed out: a forged or broken page)."""
    try:
        version = int(value)
    except (TypeError, ValueError):
        return None
    return version if 0 < version <= current else None


class ApplicationWizard(NamedUrlWizardView):
    form_list = ALL_STEPS
    condition_dict = {"attachments": lambda wizard: step_enabled(wizard.application, "attachments")}

    def dispatch(self, request, *args, **kwargs):
        application = get_application_for_member(request.user, kwargs["pk"])
        if application.status != Application.Status.DRAFT:
            messages.info(request, _("This application was submitted; it can no longer be changed."))
            return redirect(application)
        self.application = application
        self.step_forms = StepForms(application)
        self.conflict = None
        self.version_refused = None
        # formtools builds its storage from a dotted path with no way to pass the application in.
        self.prefix = self.get_prefix(request, *args, **kwargs)
        self.storage = DatabaseStorage(self.prefix, request, application=application)
        self.steps = StepsHelper(self)
        try:
            response = TemplateView.dispatch(self, request, *args, **kwargs)
        except services.DraftLocked:
            messages.info(request, _("This application was submitted; it can no longer be changed."))
            return redirect(application)
        self.storage.update_response(response)
        return response

    def get_prefix(self, request, *args, **kwargs):
        return "application_wizard"

    def get_step_url(self, step):
        return reverse("forms:wizard_step", kwargs={"pk": self.application.pk, "step": step})

    def get_template_names(self):
        return [f"forms/wizard/{self.steps.current}.html"]

    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step is None:
            # Resume where the applicant left, whatever browser they left it in.
            current = self.storage.current_step
            return redirect(self.get_step_url(current if current in self.get_form_list() else self.steps.first))
        if step not in self.get_form_list():
            raise Http404
        self.storage.current_step = step
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step not in self.get_form_list():
            raise Http404
        management_form = ManagementForm(request.POST, prefix=self.prefix)
        if not management_form.is_valid() or management_form.cleaned_data["current_step"] != step:
            raise SuspiciousOperation("wizard management form missing or for another step")
        self.storage.current_step = step
        form = self.get_form(data=request.POST, files=request.FILES)
        version = parse_version(request.POST.get("version"), current=self.application.version)
        if step in SERVICES and version is None:
            # Without the version the page was loaded at, saving could overwrite a colleague's
            # changes unseen: nothing is saved, the page shows what was typed and what it would change.
            form.is_valid()
            self.version_refused = form.conflicts(form.present(partial=False))
            return self.render(form, status=400)
        result = self.step_forms.save(step, form, partial=False, by=request.user, expected_version=version)
        self.application = result.application
        if result.conflict:
            self.conflict = result.conflict
            return self.render(form, status=409)
        if not form.is_valid():
            return self.render(form)
        self.storage.set_step_data(step, self.process_step(form))
        goto = request.POST.get("wizard_goto_step")
        target = goto if goto in self.get_form_list() else (self.get_next_step(step) or step)
        self.storage.current_step = target
        return redirect(self.get_step_url(target))

    def render(self, form=None, status=200, **kwargs):
        response = super().render(form, **kwargs)
        response.status_code = status
        return response

    def done(self, form_list, **kwargs):
        # Submission is its own view (forms:submit); the wizard never "finishes".
        return redirect(self.get_step_url("summary"))

    # -- forms, initialised from the database so resuming never depends on the stored state

    def get_form(self, step=None, data=None, files=None):
        step = step or self.steps.current
        # The wizard's own page; a new StepForms so a fresh read follows a save.
        self.step_forms = StepForms(self.application)
        return self.step_forms.build(step, data=data, files=files)

    def process_step(self, form):
        """Keep only this step's fields in the wizard state (the tables hold the content)."""
        own = f"{form.prefix}-"
        return {key: values for key, values in form.data.lists() if key.startswith(own)}

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        application, current = self.application, self.steps.current
        steps = list(self.get_form_list())
        missing = [
            {**m, "url": self.get_step_url(m["step"]) + (f"#{m['anchor']}" if m.get("anchor") else "")}
            for m in missing_explained(application=application)
            if m["step"] in steps
        ]
        progress = wizard_progress(application=application, steps=steps, missing=missing)
        context.update(
            application=application,
            form_settings=self.step_forms.settings,
            step_title=step_title(application, current),
            step_links=[
                {
                    "name": name,
                    "title": step_title(application, name),
                    "number": i,
                    "url": self.get_step_url(name),
                    "current": name == current,
                    "done": name in progress["done_steps"],
                }
                for i, name in enumerate(steps, 1)
            ],
            progress=progress,
            version=application.version,
            saved_at=time_of(application.updated_at),
            autosave_url=reverse("forms:autosave", args=[application.pk, current]),
            conflict=self.conflict,
            version_refused=self.version_refused,
            copied=current in application.copied_steps and application.prefilled_from_id,
            step_comments=[c for c in application.advisor_comments.select_related("author") if c.section == current],
            support=draft_support_state(application=application),
            support_form=SupportForm(),
        )
        if current == "project":
            context["facts"] = organisation_facts(organisation=application.organisation)
        if current == "attachments":
            context.update(
                attachments=list(application.attachments.select_related("uploaded_by")),
                upload_form=kwargs.get("upload_form") or AttachmentUploadForm(),
            )
        if current == "summary":
            context.update(
                recap=application_recap(application=application),
                missing=missing,
                deadline_passed=not application.call.is_open,
            )
        return context


wizard = login_required(ApplicationWizard.as_view(url_name="forms:wizard_step"))
