"""The actions panel of an object's page: the forms a user may submit there, and the POST that
runs one of them.

An app describes its panel as an ordered dict of action name -> (form class, action function)
and an access module with `allowed_actions(user, obj)` and `require(user, action, obj)`; the
page renders `panel.forms(...)` with the template `_action_form.html`, and the app's act view
hands the POST to `panel.run(...)`.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actions import ActionError, AlreadyDone, Conflict


class ActionForm(forms.Form):
    """One action on one object. It carries the object's version, so a stale form fails cleanly;
    the action itself checks the state and the law."""

    title = ""
    submit_label = gettext_lazy("提交")
    extra_template = ""  # rendered inside the form after the fields (the reply hints, say)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, target, user, action, **kwargs):
        kwargs.setdefault("auto_id", f"id_{action}_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.target, self.user, self.action = target, user, action
        self.action_url = ""
        self.initial.setdefault("version", target.version)

    @staticmethod
    def applies(target) -> bool:
        """Whether the action makes sense in the object's current state (the action decides for sure)."""
        return True

    def action_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ActionPanel:
    def __init__(self, actions: dict, *, access, act_url: str, page_url: str):
        self.actions, self.access = actions, access
        self.act_url, self.page_url = act_url, page_url

    def _form(self, form_class, target, user, action, data=None, files=None):
        form = form_class(data, files, target=target, user=user, action=action)
        form.action_url = reverse(self.act_url, args=[target.pk, action])
        return form

    def forms(self, user, target, bound=None) -> list[ActionForm]:
        """The forms of the actions the user may take now, in the panel's order; `bound` (a form
        that failed) stands in for its action's fresh form."""
        allowed = self.access.allowed_actions(user, target)
        panel = []
        for name, (form_class, _run) in self.actions.items():
            if bound is not None and bound.action == name:
                panel.append(bound)
            elif name in allowed and form_class.applies(target):
                panel.append(self._form(form_class, target, user, name))
        return panel

    def run(self, request, target, action, render_page):
        """Run `action` on `target` from the POSTed form; `render_page(request, target, bound=…,
        status=…)` shows the page again when the form or the action refuses."""
        if action not in self.actions:
            raise Http404(_("没有这项操作。"))
        form_class, run = self.actions[action]
        self.access.require(request.user, action, target)
        form = self._form(form_class, target, request.user, action, request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("「%(what)s」未执行：请按提示修改后再提交。") % {"what": form.title})
            return render_page(request, target, bound=form, status=400)
        try:
            run(target, request.user, **form.action_kwargs())
        except AlreadyDone as e:
            messages.info(request, str(e))
            return redirect(self.page_url, pk=target.pk)
        except Conflict as e:
            messages.error(request, str(e))
            return redirect(self.page_url, pk=target.pk)
        except ActionError as e:
            messages.error(request, str(e))
            return render_page(request, target, bound=form, status=400)
        messages.success(request, _("已完成：%(what)s。") % {"what": form.title})
        return redirect(self.page_url, pk=target.pk)
