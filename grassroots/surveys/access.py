"""Who sees and manages questionnaires: staff of the owner unit or above see them;
单位负责人、领导干部、信访督办员 over the owner unit build and open/close them."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from grassroots.accounts.access import scope_q, units_in_scope
from grassroots.accounts.models import Role

from .models import Questionnaire

MANAGING = {Role.UNIT_HEAD, Role.LEADER, Role.SUPERVISOR}


def visible_questionnaires(user):
    return Questionnaire.objects.filter(scope_q(user, "owner_unit")).select_related("owner_unit")


def access_questionnaire_by_id(user, questionnaire_id) -> Questionnaire:
    try:
        return visible_questionnaires(user).get(pk=questionnaire_id)
    except (Questionnaire.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这个问卷，或您无权查看。") from None


def managing_units(user):
    return units_in_scope(user, MANAGING)


def can_create(user) -> bool:
    return managing_units(user).exists()


def can_manage(user, questionnaire) -> bool:
    return managing_units(user).filter(pk=questionnaire.owner_unit_id).exists()


def require_manage(user, questionnaire):
    if not can_manage(user, questionnaire):
        raise PermissionDenied("您没有权限管理此问卷。")
