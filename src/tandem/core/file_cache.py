"""The shared cache of one machine without Redis: Django's file cache, culled now and then.

Django's ``FileBasedCache`` lists its whole folder on every ``set`` to decide whether to
cull: with the thousands of page parts a catalog keeps, that listing cost more than building
many of the parts. Here one ``set`` in ``CHECK_EVERY`` (at random, in each process) checks;
the cache may overshoot ``MAX_ENTRIES`` by that many entries per process between checks.
Expired entries are still removed when read.
"""

import random

from django.core.cache.backends.filebased import FileBasedCache

CHECK_EVERY = 200


class FileCache(FileBasedCache):
    def _cull(self) -> None:
        if random.randrange(CHECK_EVERY) == 0:  # noqa: S311 - spreading work, not security
            super()._cull()
