from tandem.messaging.selectors import unread_count, unread_threads_count


def inbox(request):
    """``inbox_unread``: the signed-in user's unread notifications; ``threads_unread``: their
    threads with the rep (a rep's: their customers', or the acting customer's) with unread
    messages. Each is one query, run only by pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0, "threads_unread": 0}
    return {
        "inbox_unread": lambda: unread_count(user),
        "threads_unread": lambda: unread_threads_count(user, getattr(request, "customer_context", None)),
    }
