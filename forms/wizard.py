"""The application wizard: formtools' NamedUrlWizardView with its state in the database.

Every valid step is written to the real tables at once (through forms.services),
so the database always holds what the applicant typed; forms are initialised
from the database, and a GET resumes where the applicant left instead of
restarting the wizard (formtools' default).
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

from fonds.models import ChecklistItem

from . import services
from .forms import BudgetForm, PartnersForm, ProjectForm, SummaryForm, SupportForm, SustainabilityForm
from .models import Application
from .selectors import application_recap, draft_support_state, get_application_for_member, missing_explained
from .storage import DatabaseStorage

STEPS = [
    ("project", ProjectForm),
    ("budget", BudgetForm),
    ("partners", PartnersForm),
    ("sustainability", SustainabilityForm),
    ("summary", SummaryForm),
]
STEP_TITLES = {
    "project": _("Project"),
    "budget": _("Budget"),
    "partners": _("Partners and indicators"),
    "sustainability": _("Sustainability and criteria"),
    "summary": _("Summary and submission"),
}


class ApplicationWizard(NamedUrlWizardView):
    form_list = STEPS

    def dispatch(self, request, *args, **kwargs):
        application = get_application_for_member(request.user, kwargs["pk"])
        if application.status != Application.Status.DRAFT:
            messages.info(request, _("This application was submitted; it can no longer be changed."))
            return redirect(application)
        self.application = application
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
        if not form.is_valid():
            return self.render(form)
        self.storage.set_step_data(step, self.process_step(form))
        goto = request.POST.get("wizard_goto_step")
        target = goto if goto in self.get_form_list() else (self.get_next_step(step) or step)
        self.storage.current_step = target
        return redirect(self.get_step_url(target))

    def done(self, form_list, **kwargs):
        # Submission is its own view (forms:submit); the wizard never "finishes".
        return redirect(self.get_step_url("summary"))

    # -- forms, initialised from the database so resuming never depends on the stored state

    def get_form_kwargs(self, step=None):
        if step == "budget":
            return {"call": self.application.call}
        if step == "partners":
            return {"concerted": self.application.concerted}
        if step == "sustainability":
            return {"items": self._checklist_items()}
        return {}

    def get_form_initial(self, step):
        application = self.application
        if step == "project":
            return {"title": application.title, "summary": application.summary, "concerted": application.concerted}
        if step == "budget":
            return {f"year_{y.year}": y.amount for y in application.years.all()}
        if step == "partners":
            return {
                "partners": [{"name": p.name, "role": p.role} for p in application.partners.all()],
                "indicators": [
                    {"name": i.name, "unit": i.unit, "baseline": i.baseline, "target": i.target}
                    for i in application.indicators.all()
                ],
            }
        if step == "sustainability":
            initial = {"sustainability_plan": application.sustainability_plan}
            for answer in application.checklist_answers.all():
                initial[f"item_{answer.item_id}"] = answer.checked
                initial[f"justification_{answer.item_id}"] = answer.justification
            return initial
        return {}

    def _checklist_items(self) -> list[ChecklistItem]:
        if not hasattr(self, "_items"):
            self._items = list(
                ChecklistItem.objects.filter(criterion__call=self.application.call)
                .select_related("criterion")
                .order_by("criterion__position", "criterion__pk", "position", "pk")
            )
        return self._items

    def process_step(self, form):
        """Write the step to the real tables, then keep only this step's fields in the wizard state."""
        application, step = self.application, self.steps.current
        if step == "project":
            self.application = services.application_save_project(application=application, **form.cleaned_data)
        elif step == "budget":
            self.application = services.application_save_budget(application=application, amounts=form.amounts())
        elif step == "partners":
            self.application = services.application_save_partners(
                application=application,
                partners=form.cleaned_data["partners"],
                indicators=form.cleaned_data["indicators"],
            )
        elif step == "sustainability":
            self.application = services.application_save_sustainability(
                application=application,
                sustainability_plan=form.cleaned_data["sustainability_plan"],
                answers=form.answers(),
            )
        own = f"{form.prefix}-"
        return {key: values for key, values in form.data.lists() if key.startswith(own)}

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        application, current = self.application, self.steps.current
        context.update(
            application=application,
            step_title=STEP_TITLES[current],
            step_links=[
                {
                    "name": name,
                    "title": STEP_TITLES[name],
                    "number": i,
                    "url": self.get_step_url(name),
                    "current": name == current,
                }
                for i, name in enumerate(self.get_form_list(), 1)
            ],
            step_comments=[c for c in application.advisor_comments.select_related("author") if c.section == current],
            support=draft_support_state(application=application),
            support_form=SupportForm(),
        )
        if current == "summary":
            context.update(
                recap=application_recap(application=application),
                missing=[
                    {**m, "url": self.get_step_url(m["step"])} for m in missing_explained(application=application)
                ],
                deadline_passed=not application.call.is_open,
            )
        return context


wizard = login_required(ApplicationWizard.as_view(url_name="forms:wizard_step"))
