"""Text that only a PDF's annotations carry, drawn into its pages so that the text layer holds it.

E-office systems stamp a document's number and date ("Số: 11 /TB-UBND", "ngày 08 tháng 01") into
widget annotations when it is issued and signed; viewers and ``pdftotext`` show them, pdfplumber does
not. Their appearances are flattened into the page content, so that the text is read where it is seen.
The boxes of digital signatures ("Ký bởi …", an e-mail address, the signing time) are left out: they
belong to the signature, not to the document, and may even name another document's number.
"""

from __future__ import annotations

import ctypes
import io
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

#: What marks a digital signature's box: a signing time to the second, an e-mail address, "ký bởi".
SIGNATURE_BOX = re.compile(r"\d{1,2}:\d{2}:\d{2}|[\w.-]+@[\w-]+\.[\w.]+|\b(?:ký bởi|người ký|thời gian ký)\b", re.I)


def with_annotations_drawn(data: bytes) -> bytes:
    """The PDF in ``data`` with its annotations' appearances drawn into the page content, signature boxes
    left out; ``data`` itself when it has none (or pdfium cannot open it: the reader then says why)."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return data
    try:
        signatures = _signature_boxes(pdf)
        if signatures is None:
            return data
        pdf.close()
        pdf = pdfium.PdfDocument(data)
        for index in signatures:
            page = pdf[index]
            for annotation in sorted(signatures[index], reverse=True):
                pdfium_c.FPDFPage_RemoveAnnot(page, annotation)
            if pdfium_c.FPDFPage_GetAnnotCount(page) > 0:
                pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY)
            page.close()
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
    finally:
        pdf.close()


def _signature_boxes(pdf: pdfium.PdfDocument) -> dict[int, list[int]] | None:
    """Per page index with annotations, the indexes of those that show a digital signature's box; None when
    no page has an annotation. Flattens ``pdf``'s pages to read what each annotation shows within its rectangle."""
    found: dict[int, list[int]] = {}
    for index in range(len(pdf)):
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            continue  # a page pdfium cannot load: the reader says what is wrong with it
        rects = [_rect(page, k) for k in range(pdfium_c.FPDFPage_GetAnnotCount(page))]
        if rects:
            pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY)
            page.close()
            page = pdf[index]
            text = page.get_textpage()
            found[index] = [k for k, r in enumerate(rects) if SIGNATURE_BOX.search(text.get_text_bounded(*r))]
            text.close()
        page.close()
    return found or None


def _rect(page: pdfium.PdfPage, index: int) -> tuple[float, float, float, float]:
    """The annotation's rectangle as (left, bottom, right, top) in page space."""
    annotation = pdfium_c.FPDFPage_GetAnnot(page, index)
    rect = pdfium_c.FS_RECTF()
    pdfium_c.FPDFAnnot_GetRect(annotation, ctypes.byref(rect))
    pdfium_c.FPDFPage_CloseAnnot(annotation)
    return rect.left, min(rect.bottom, rect.top), rect.right, max(rect.bottom, rect.top)
