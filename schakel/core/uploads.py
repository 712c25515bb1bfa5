"""Checking an uploaded attachment by its structure, not by its name or first bytes.

Allowed: PDF, PNG, JPEG, GIF, WebP, Office documents (Word, Excel, PowerPoint: the
zip-based formats and the old binary ones) and OpenDocument. Each is checked the way
a reader of that kind would read it:

1. the first bytes match the type the extension claims (cheap, first);
2. no HTML at the start or end of the file (a "%PDF-1.4" followed by a page with a
   script is a polyglot that an old browser could run as a web page);
3. a PDF parses with pypdf and has at least one page; an image decodes completely
   with Pillow, as the format its extension claims, within MAX_PIXELS; an Office or
   OpenDocument file is a real ZIP whose manifest names the main part of that kind of
   document, with no more than MAX_UNZIPPED bytes inside and no entry packed more than
   MAX_RATIO times (a zip bomb); an old binary Office file has a valid OLE2 header.

Used by the plan (meeting, control and training files) and by signals (attachments).
Downloads go out with `Content-Disposition: attachment` and `nosniff`.
"""

import io
import re
import warnings
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_SIZE = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 10 MB image of more pixels than this is built to blow up
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 200
HTML = re.compile(rb"<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|meta)\b",
                  re.IGNORECASE)
# The part each Office format must declare in [Content_Types].xml.
OOXML_MAIN = {
    ".docx": b"wordprocessingml.document.main+xml",
    ".xlsx": b"spreadsheetml.sheet.main+xml",
    ".pptx": b"presentationml.presentation.main+xml",
}
PILLOW_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}

OOXML = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
ODF = {".odt": "application/vnd.oasis.opendocument.text",
       ".ods": "application/vnd.oasis.opendocument.spreadsheet",
       ".odp": "application/vnd.oasis.opendocument.presentation"}
OLE = {".doc": "application/msword", ".xls": "application/vnd.ms-excel",
       ".ppt": "application/vnd.ms-powerpoint"}
CONTENT_TYPES = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    **ODF, **OLE,
}
MAGIC = {
    ".pdf": [b"%PDF-"], ".png": [b"\x89PNG\r\n\x1a\n"], ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"], ".gif": [b"GIF87a", b"GIF89a"],
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_holds(upload, ext: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if sum(i.file_size for i in infos) > MAX_UNZIPPED or any(
                    i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos):
                return False
            names = {i.filename for i in infos}
            if ext in OOXML:
                if "[Content_Types].xml" not in names or not any(
                        n.startswith(OOXML[ext]) for n in names):
                    return False
                manifest = archive.read("[Content_Types].xml")
                return OOXML_MAIN[ext] in manifest
            if "mimetype" not in names:
                return False
            return archive.read("mimetype").decode("ascii", "replace").strip() == ODF[ext]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError,
            NotImplementedError, EOFError, RuntimeError):
        return False


def _is_pdf(upload) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(upload.read()), strict=False)
            return len(reader.pages) >= 1
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError,
            RecursionError, OSError, AssertionError):
        return False


def _is_image(upload, ext: str) -> bool:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format != PILLOW_FORMATS[ext]:
                    return False
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return False
                image.load()  # decode every pixel: a truncated or forged body fails here
            return True
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, OSError, ValueError, SyntaxError, EOFError):
        return False


def _is_ole(upload) -> bool:
    """The OLE2 header of .doc/.xls/.ppt: magic, byte order, sector size, size."""
    upload.seek(0)
    header = upload.read(512)
    if len(header) < 512 or not header.startswith(OLE_MAGIC):
        return False
    byte_order = header[28:30]
    sector_shift = int.from_bytes(header[30:32], "little")
    return byte_order == b"\xfe\xff" and sector_shift in (9, 12)


def _looks_like_html(upload) -> bool:
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(upload.size - 1024, 0))
    tail = upload.read(1024)
    upload.seek(0)
    return bool(HTML.search(head) or HTML.search(tail))


def check_upload(upload) -> str:
    """Validate the file; return its content type. Raises ValidationError (Dutch via gettext)."""
    ext = PurePath(upload.name or "").suffix.lower()
    if ext not in CONTENT_TYPES:
        raise ValidationError(_("Only PDF files, images (PNG, JPEG, GIF, WebP) and Office "
                                "documents can be attached."))
    if upload.size > MAX_SIZE:
        raise ValidationError(_("The file is larger than 10 MB."))
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if ext in MAGIC:
        ok = any(head.startswith(m) for m in MAGIC[ext])
    elif ext == ".webp":
        ok = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    elif ext in OLE:
        ok = head.startswith(OLE_MAGIC)
    else:
        ok = head.startswith(b"PK\x03\x04")
    if ok and _looks_like_html(upload):
        ok = False
    if ok:
        if ext == ".pdf":
            ok = _is_pdf(upload)
        elif ext in PILLOW_FORMATS:
            ok = _is_image(upload, ext)
        elif ext in OLE:
            ok = _is_ole(upload)
        else:
            ok = _zip_holds(upload, ext)
    upload.seek(0)
    if not ok:
        raise ValidationError(_("The content of the file does not match its type (%(ext)s). "
                                "Only genuine PDF, image and Office files are accepted.")
                              % {"ext": ext})
    return CONTENT_TYPES[ext]
