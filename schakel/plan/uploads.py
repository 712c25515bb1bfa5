"""Checking an uploaded attachment by its content, not by its name or browser's say-so.

Allowed: PDF, PNG, JPEG, GIF, WebP, Office documents (Word, Excel, PowerPoint: the
zip-based formats and the old binary ones) and OpenDocument. The first bytes must
match the type the extension claims; a zip must really hold that kind of document.
"""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_SIZE = 10 * 1024 * 1024

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
            names = archive.namelist()
            if ext in OOXML:
                return "[Content_Types].xml" in names and any(
                    n.startswith(OOXML[ext]) for n in names)
            if "mimetype" not in names:
                return False
            return archive.read("mimetype").decode("ascii", "replace").strip() == ODF[ext]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False


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
        ok = head.startswith(b"PK\x03\x04") and _zip_holds(upload, ext)
    upload.seek(0)
    if not ok:
        raise ValidationError(_("The content of the file does not match its type (%(ext)s). "
                                "Only genuine PDF, image and Office files are accepted.")
                              % {"ext": ext})
    return CONTENT_TYPES[ext]
