from tandem.messaging.selectors import unread_count


def inbox(request):
    """``inbox_unread``: the signed-in user's unread notifications, counted only by pages
    that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    return {"inbox_unread": lambda: unread_count(user)}
