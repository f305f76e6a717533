"""Where files no URL may reach are kept."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read when used, so tests and deployments may move it),
    with no public URL: a view that checks permissions streams them."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return str(PurePath(settings.PRIVATE_MEDIA_ROOT))

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a permission-checking view.")


def random_file_name(folder: str, filename: str) -> str:
    """A stored name that reveals nothing: a random id with the upload's extension."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"
