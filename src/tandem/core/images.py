"""Images people upload (a reseller's logo, product photos from a PIM): decoded in full
before they are kept, so a truncated, forged or decompression-bomb file is refused."""

import io

from PIL import Image, UnidentifiedImageError


class ImageProblem(Exception):
    """Why an upload is not an acceptable image: ``code`` is ``type`` (not one of the
    formats, or unreadable) or ``too_big`` (more pixels a side than allowed)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def image_extension(content: bytes, *, formats: dict[str, str], max_side: int) -> str:
    """The file extension of ``content`` when it is an image in one of ``formats`` (PIL's
    format name → extension) at most ``max_side`` pixels a side; ImageProblem otherwise."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind, (width, height) = image.format, image.size
            if kind in formats and width <= max_side and height <= max_side:
                image.load()  # decode it all: a truncated or corrupt file fails here
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        kind = None
    if kind not in formats:
        raise ImageProblem("type")
    if width > max_side or height > max_side:
        raise ImageProblem("too_big")
    return formats[kind]
