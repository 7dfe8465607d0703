"""What a user typed into a form that could not be taken (an expired login, blocked cookies),
kept so that it is shown back to them rather than lost."""

# Fields that are not the user's words: tokens, versions, the honeypot; and personal numbers,
# which are retyped rather than shown on an error page.
NOT_KEPT = {"csrfmiddlewaretoken", "submission_token", "version", "website", "phone", "id_number", "dry_run"}
LABELS = {
    "title": "标题",
    "content": "内容",
    "petitioner_name": "姓名",
    "address": "详细地址",
    "text": "答复内容",
    "note": "意见",
    "reason": "理由",
    "comment": "意见",
    "description": "问题描述",
    "measures": "整改措施",
    "summary": "纪要",
}
MAX_FIELDS = 20
SESSION_KEY = "kept_text"


def kept_text(post) -> list[tuple[str, str]]:
    """(label, text) for every field of the posted form that holds something the user wrote."""
    kept = []
    for name, value in post.items():
        if name in NOT_KEPT or not value.strip() or value.strip().isdigit():
            continue
        kept.append((LABELS.get(name, name), value))
    return kept[:MAX_FIELDS]
