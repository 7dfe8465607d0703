"""Appeals brought into each state through the real actions, for tests that need a starting point.

Each builder takes the `org` and `make_appeal` fixtures' values.
"""

from grassroots.appeals import actions


def registered(org, make_appeal):
    return make_appeal()


def dispatched(org, make_appeal):
    return actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)


def objected(org, make_appeal):
    return actions.object_to_dispatch(dispatched(org, make_appeal), org.handler, reason="不归我镇管")


def handling(org, make_appeal):
    return actions.inform(dispatched(org, make_appeal), org.handler, note="已受理")


def extension_pending(org, make_appeal):
    return actions.request_extension(handling(org, make_appeal), org.handler, days=10, reason="等待鉴定")


def replied(org, make_appeal):
    return actions.reply(handling(org, make_appeal), org.handler, text="已修好")


def reviewing(org, make_appeal):
    return actions.request_review(replied(org, make_appeal), None, reason="没有修好")
