"""Area reports: `/rapport/<code>` (a printable HTML page) and `/rapport/<code>.pdf` (the same
document as an accessible PDF), for every gemeente and every wijk and buurt of the home
municipality (layouts/report/).

Bounded: a code is checked by its pattern before any lookup (anything else: the 404 page), a
report has at most `MAX_FIGURES` key figures and `MAX_TRENDS` charts, building one runs in a
small pool and a request waits at most `REPORT_TIMEOUT_S` for it (then 503 with Retry-After;
the work goes on and fills the cache), and a PDF larger than `MAX_PDF_BYTES` is not sent.
Reports and PDFs are memoized on (store version, site settings, code, language, site address)
in the Reader's QueryCache, so the second request for a report is a cache read.
"""

from __future__ import annotations

import contextvars
import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from flask import Blueprint, Response, request

from app.context import reader
from layouts.i18n import normalize_lang, t
from layouts.report.links import parse_code
from layouts.report.render import fingerprint, not_found_html, report_html

log = logging.getLogger("mmmeter.reports")
reports = Blueprint("reports", __name__)

REPORT_TIMEOUT_S = 45.0
MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_NAME = 24  # "BU01140100.pdf" is 14 characters
HTML_TYPE = "text/html; charset=utf-8"
# Two reports at a time per process: a burst of PDF requests waits, it does not take every
# core of the machine (WeasyPrint is CPU-bound).
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mmmeter-report")


class ReportUnavailable(Exception):
    pass


# matplotlib and WeasyPrint take a second or more to import: they load with the first report,
# not with every worker and every command.
def build_report(current, code: str, lang: str):
    from layouts.report.content import build_report as build

    return build(current, code, lang)


def html_to_pdf(document: str, base_url: str | None = None) -> bytes:
    from layouts.report.pdf import html_to_pdf as render

    return render(document, base_url)


def _page(body: str, status: int) -> Response:
    return Response(body, status=status, content_type=HTML_TYPE)


def _unavailable(lang: str, reason: str) -> Response:
    log.warning("report not served: %s", reason)
    response = _page(
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>MMmeter'
        f"</title></head><body><main><h1>{t('report.busy_title', lang)}</h1><p>"
        f"{t('report.busy', lang)}</p></main></body></html>",
        503,
    )
    response.headers["Retry-After"] = "30"
    return response


def _run_bounded(job):
    """`job()` in the report pool, in this request's context (language, site names, pinned
    version); at most REPORT_TIMEOUT_S."""
    future = _pool.submit(contextvars.copy_context().run, job)
    try:
        return future.result(timeout=REPORT_TIMEOUT_S)
    except FutureTimeout as exc:
        raise ReportUnavailable(f"took longer than {REPORT_TIMEOUT_S:.0f} s") from exc


@reports.get("/rapport/<path:name>")
def report(name: str) -> Response:
    lang = normalize_lang(request.args.get("lang"))
    pdf = name.lower().endswith(".pdf")
    code = parse_code(name[:-4] if pdf else name) if len(name) <= MAX_NAME else None
    current = reader()
    if code is None:
        return _page(not_found_html(name[:MAX_NAME], lang), 404)
    if current.version is None:
        return _unavailable(lang, "the store has no version yet")
    site_url = request.host_url.rstrip("/")

    def document() -> str | None:
        found = build_report(current, code, lang)
        return None if found is None else report_html(found, site_url)

    def make_pdf() -> bytes | None:
        html = document()
        return None if html is None else html_to_pdf(html, base_url=site_url)

    try:
        if pdf:
            body = _run_bounded(
                lambda: current.memo(
                    "app.reports.pdf", (code, lang, site_url, fingerprint()), make_pdf, local=False
                )
            )
        else:
            body = _run_bounded(document)
    except ReportUnavailable as exc:
        return _unavailable(lang, f"{code}: {exc}")
    if body is None:
        return _page(not_found_html(code, lang), 404)
    if not pdf:
        return _page(body, 200)
    if len(body) > MAX_PDF_BYTES:
        return _unavailable(lang, f"{code}: PDF of {len(body)} bytes over {MAX_PDF_BYTES}")
    response = Response(body, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="rapport-{code}.pdf"'
    return response
