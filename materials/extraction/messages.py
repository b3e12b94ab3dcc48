"""What the user reads when a file is refused: what is wrong, and what to do about it."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    "empty": _("This file is empty. Choose another file, or paste the text instead."),
    "too_large": _(
        "This file is too large for us to read. Upload a shorter version (a CV or a letter is usually a few "
        "pages), or paste the text instead."
    ),
    "unsupported_type": _(
        "We can't read this kind of file. Upload a PDF, Word (.docx), OpenDocument (.odt), Markdown or "
        "plain-text file, or paste the text instead."
    ),
    "text_encoding": _(
        "This text file is not saved as UTF-8, so its letters would come out garbled. Save it again as "
        "UTF-8, or paste the text instead."
    ),
    "encrypted_pdf": _(
        "This PDF is password-protected or encrypted. Save or export it again without a password, or paste "
        "the text instead."
    ),
    "pdf_with_script": _(
        "This PDF contains scripts, automatic actions or attached files, which we don't accept for your "
        "safety. Export it again from your word processor (or print it to a new PDF), or paste the text "
        "instead."
    ),
    "too_many_pages": _(
        "This PDF has more pages than we read for one material. Upload only the pages of your CV or letter, "
        "or paste the text instead."
    ),
    "no_text_layer": _(
        "This PDF has no text layer (it looks scanned). Export it again from your word processor, or paste "
        "the text instead."
    ),
    "archive_limits": _(
        "This document is packed in an unusual way (too many parts, or parts that unpack to a huge size), "
        "so we did not open it. Save it again from your word processor, or paste the text instead."
    ),
    "corrupt": _(
        "This file looks damaged and we could not read it. Save or export it again, or paste the text "
        "instead."
    ),
    "timeout": _(
        "Reading this file took too long or needed too much memory, so we stopped. Save a simpler version "
        "(for example without large images), or paste the text instead."
    ),
}


def message_for(code: str) -> Promise:
    return MESSAGES.get(code, MESSAGES["corrupt"])
