"""A day's call sheet as a PDF: the call sheet page's own template, with
its print stylesheet, through WeasyPrint (like the checklist's PDF)."""

from .printing import pdf_bytes

CALL_SHEET_TEMPLATE = "productions/call_sheet.html"
CALL_SHEET_CSS = "css/call_sheet.css"


def call_sheet_pdf_bytes(context):
    return pdf_bytes(context, CALL_SHEET_TEMPLATE, CALL_SHEET_CSS)
