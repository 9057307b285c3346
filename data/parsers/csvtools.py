"""Strict reading of upstream files: decompression, encoding, CSV layout, numbers, dates, codes.

Every check raises data.errors.SourceError naming the file and, where it applies, the
1-based file line (the header is line 1), the column and the offending value. Frames read
by `read_csv_strict` are indexed by that file line (index name "line"), so filtering keeps
the line numbers that later messages need.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zlib
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from data.errors import SourceError

MAX_DECOMPRESSED_BYTES = 1 << 30  # 1 GiB: a larger gzip member is refused as a probable bomb
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"

CODE_PATTERNS = {
    "nl": r"NL\d{2}",
    "pv": r"PV\d{2}",
    "gm": r"GM\d{4}",
    "wk": r"WK\d{6}",
    "bu": r"BU\d{8}",
}
CODE_EXAMPLES = {"nl": "NL01", "pv": "PV22", "gm": "GM0114", "wk": "WK011401", "bu": "BU01140100"}

_SHOWN = 5  # how many offending values a message lists


def _short(value: object, limit: int = 60) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _where(index_name: str | None, label: object) -> str:
    return f"{index_name or 'row'} {label}"


# ------------------------------------------------------------------------------------------
# bytes


def decompress(raw: bytes, source: str, limit: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """Gunzip `raw` when it starts with the gzip magic bytes; otherwise return it unchanged."""
    if not raw.startswith(GZIP_MAGIC):
        return raw
    out = bytearray()
    rest = raw
    while rest:
        inflater = zlib.decompressobj(wbits=31)
        try:
            while rest:
                chunk = inflater.decompress(rest, limit + 1 - len(out))
                out += chunk
                if len(out) > limit:
                    raise SourceError(
                        source,
                        f"gzip content is larger than {limit:,} bytes when decompressed; "
                        "refused (limit MAX_DECOMPRESSED_BYTES)",
                    )
                rest = inflater.unconsumed_tail
                if inflater.eof or not chunk:
                    break
        except zlib.error as exc:
            raise SourceError(source, f"gzip stream is corrupt ({exc})") from None
        if not inflater.eof:
            raise SourceError(
                source, "gzip stream is truncated (the download stopped early); file rejected"
            )
        rest = inflater.unused_data
        if rest and not rest.startswith(GZIP_MAGIC):
            break  # trailing garbage after the last member, as gzip(1) tolerates
    return bytes(out)


def looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<!doctype html") or head.startswith(b"<html") or b"<html" in head[:200]


def prepare_text(raw: bytes, source: str, kind: str = "CSV") -> bytes:
    """Decompress, refuse empty/HTML/ZIP/non-UTF-8 content; return UTF-8 bytes without BOM."""
    if not raw.strip():
        raise SourceError(source, "file is empty")
    data = decompress(raw, source)
    if not data.strip():
        raise SourceError(source, "file is empty (after gzip decompression)")
    if data.startswith(ZIP_MAGIC):
        raise SourceError(source, f"got a ZIP archive, not {kind}")
    if looks_like_html(data):
        raise SourceError(
            source,
            f"got an HTML page, not {kind} (an error or login page from the server?)",
        )
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        snippet = data[start : exc.start + 8].decode("utf-8", "replace").rstrip("\r\n")
        raise SourceError(
            source,
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} on line {line} ({snippet!r}); "
            "expected UTF-8 (was the file saved as Windows-1252/Latin-1?)",
        ) from None
    return data


# ------------------------------------------------------------------------------------------
# CSV


def _fields(line: str, sep: str, number: int, source: str) -> list[str]:
    """The fields of one file line; a line the csv module cannot split is refused."""
    try:
        return next(csv.reader([line], delimiter=sep), [])
    except csv.Error as exc:
        raise SourceError(
            source,
            f"line {number} cannot be read as CSV ({exc}); a carriage return or quote in the "
            "middle of a line?",
        ) from None


def _header(data: bytes, sep: str, source: str = "") -> list[str]:
    first = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    return [name.strip() for name in _fields(first, sep, 1, source)]


def _delimiter_problem(header_line: str, sep: str) -> str | None:
    if sep in header_line:
        return None
    for other, label in ((",", "','"), (";", "';'"), ("\t", "a tab"), ("|", "'|'")):
        if other != sep and other in header_line:
            return (
                f"wrong delimiter: expected {sep!r}-separated columns, "
                f"but the header is separated by {label}"
            )
    return None


def _column_problem(
    header: list[str],
    required: Iterable[str],
    optional: Iterable[str],
    optional_pattern: str | None = None,
) -> str | None:
    required = list(required)
    known = set(required) | set(optional)
    missing = [c for c in required if c not in header]
    if not missing:
        return None
    unexpected = [
        c
        for c in header
        if c not in known and not (optional_pattern and re.fullmatch(optional_pattern, c))
    ]
    reason = "missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing)
    if unexpected:
        reason += "; unexpected column" + ("s " if len(unexpected) > 1 else " ")
        reason += ", ".join(_short(c) for c in unexpected)
        reason += " (renamed upstream?)"
    return reason


def _field_count_problem(data: bytes, sep: str, width: int, source: str = "") -> str:
    """Find the first line whose field count differs (slow path, only after a parse error)."""
    text = data.decode("utf-8")
    lines = text.split("\n")
    ends_with_newline = text.endswith("\n")
    if ends_with_newline:
        lines = lines[:-1]
    for number, line in enumerate(lines, start=1):
        if number == 1:
            continue
        fields = _fields(line.rstrip("\r"), sep, number, source)
        if len(fields) != width:
            last = number == len(lines)
            if last and not ends_with_newline and len(fields) < width:
                return (
                    f"file is truncated: the last line ({number}) has {len(fields)} of "
                    f"{width} fields and no line end (download cut off mid-row?)"
                )
            return f"line {number} has {len(fields)} fields, expected {width} (as in the header)"
    return "the CSV could not be parsed"


def read_csv_strict(
    raw: bytes,
    source: str,
    required_columns: Iterable[str],
    optional_columns: Iterable[str] = (),
    sep: str = ";",
    *,
    optional_pattern: str | None = None,
    allow_no_rows: bool = False,
) -> pd.DataFrame:
    """Read a delimited file strictly into a DataFrame of strings ("" = empty cell).

    Refuses (SourceError): empty file, HTML page, ZIP, invalid UTF-8, wrong delimiter,
    duplicate or missing required columns (naming unexpected ones), rows with a wrong number
    of fields (a truncated last row included), blank lines and, unless `allow_no_rows`, a
    header without rows. Columns in `optional_columns` or matching `optional_pattern` are
    known; other columns are allowed, but named when a required one is missing.
    The index is the 1-based file line, named "line".
    """
    required_columns = list(required_columns)
    optional_columns = list(optional_columns)
    data = prepare_text(raw, source)
    header_line = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    problem = _delimiter_problem(header_line, sep)
    if problem:
        raise SourceError(source, problem)
    header = _header(data, sep, source)
    duplicates = sorted({c for c in header if header.count(c) > 1})
    if duplicates:
        raise SourceError(source, f"duplicate column(s) in the header: {', '.join(duplicates)}")
    problem = _column_problem(header, required_columns, optional_columns, optional_pattern)
    if problem:
        raise SourceError(source, problem)

    body = data.rstrip(b"\r\n") + b"\n"
    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, newlines_in_values=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        raise SourceError(source, _field_count_problem(data, sep, len(header), source)) from None
    df = table.to_pandas()
    df.index = pd.RangeIndex(2, 2 + len(df), name="line")
    if len(df) == 0 and not allow_no_rows:
        raise SourceError(source, "file has a header but no data rows")
    if len(df):
        blank = (df == "").all(axis=1)
        if blank.any():
            raise SourceError(source, f"line {blank.idxmax()} is empty")
    return df


# ------------------------------------------------------------------------------------------
# values


def _first_bad(series: pd.Series, bad: pd.Series, column: str, source: str, what: str) -> None:
    if not bad.any():
        return
    idx = bad[bad].index
    first = idx[0]
    more = f" ({len(idx):,} such values)" if len(idx) > 1 else ""
    raise SourceError(
        source,
        f"column {column}, {_where(series.index.name, first)}: {_short(series.loc[first])} "
        f"is not {what}{more}",
    )


def to_number(
    series: pd.Series,
    column: str,
    source: str,
    *,
    missing: Iterable[str] = ("",),
    minimum: float | None = None,
) -> pd.Series:
    """Strings to float64; values in `missing` become NaN, anything non-numeric is refused.

    With `minimum` (0 for counts), a smaller value is refused too.
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.astype("float64")
    else:
        text = series if series.dtype == "str" else series.astype("str")
        blank = text.isna() | text.isin(list(missing))
        try:
            arr = pa.array(text.where(~blank), from_pandas=True, type=pa.string())
            values = pd.Series(
                arr.cast(pa.float64()).to_numpy(zero_copy_only=False), index=series.index
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values = pd.to_numeric(text.where(~blank), errors="coerce").astype("float64")
        _first_bad(text, values.isna() & ~blank, column, source, "a number")
    _first_bad(series, np.isinf(values), column, source, "a finite number")
    if minimum is not None:
        what = "a count (0 or more)" if minimum == 0 else f"a number of at least {minimum:g}"
        _first_bad(series, values < minimum, column, source, what)
    return values


def to_date(
    series: pd.Series,
    column: str,
    source: str,
    *,
    fmt: str = "%Y-%m-%d",
    allow_empty: bool = False,
    not_after: dt.date | None = None,
) -> pd.Series:
    """Strings like 2021-03-01 to datetime64[ns]; malformed or impossible dates are refused,
    and with `not_after` (see `latest_allowed_date`) dates after it too."""
    blank = series.isna() | (series == "")
    if blank.any() and not allow_empty:
        _first_bad(series, blank, column, source, f"a date ({fmt.replace('%', '')})")
    dates = pd.to_datetime(series.where(~blank), format=fmt, errors="coerce")
    example = pd.Timestamp("2021-03-01").strftime(fmt)
    _first_bad(series, dates.isna() & ~blank, column, source, f"a date like {example}")
    if not_after is not None:
        what = f"a date up to {not_after.isoformat()} (it lies in the future)"
        _first_bad(series, dates > pd.Timestamp(not_after), column, source, what)
    return dates.astype("datetime64[ns]")


def latest_allowed_date(today: dt.date | None = None) -> dt.date:
    """Observations may be dated up to tomorrow (time zones, files published after midnight)."""
    return (today or dt.date.today()) + dt.timedelta(days=1)


def check_no_duplicate_rows(df: pd.DataFrame, source: str) -> None:
    """Refuse a line that repeats an earlier line exactly (a file appended to itself?)."""
    dup = df.duplicated(keep="first")
    if not dup.any():
        return
    first = dup.idxmax()
    same = (df.loc[:first] == df.loc[first]).all(axis=1)
    earlier = same.idxmax()
    count = int(dup.sum())
    more = f" ({count:,} duplicated lines)" if count > 1 else ""
    raise SourceError(
        source,
        f"{_where(df.index.name, first)} repeats {_where(df.index.name, earlier)} exactly "
        f"(duplicated row){more}",
    )


def check_pattern(series: pd.Series, pattern: str, column: str, source: str, what: str) -> None:
    """Refuse values that do not match `pattern` entirely; `what` describes a good value."""
    bad = ~series.astype("str").str.fullmatch(pattern).astype(bool)
    _first_bad(series, bad, column, source, what)


def check_codes(series: pd.Series, level: str, column: str, source: str) -> None:
    """Refuse values that do not look like CBS codes of `level` (e.g. GM + 4 digits)."""
    what = f"a valid {level} code (like {CODE_EXAMPLES[level]})"
    check_pattern(series, CODE_PATTERNS[level], column, source, what)


def check_unique(df: pd.DataFrame, columns: list[str], source: str) -> None:
    """Refuse a second row with the same values in `columns`."""
    dup = df.duplicated(subset=columns)
    if dup.any():
        first = dup.idxmax()
        key = ", ".join(f"{c}={df.at[first, c]!s}" for c in columns)
        raise SourceError(
            source, f"{_where(df.index.name, first)} repeats an earlier row for {key}"
        )


def check_known_areas(
    df: pd.DataFrame,
    known: set[str] | None,
    source: str,
    column: str = "area",
    level: str = "gm",
) -> None:
    """Refuse codes of `level` (by pattern) that are not in the registry `known`.

    A well-formed code such as GM9999 passes the parser's pattern check; only a registry of
    real municipalities can tell it does not exist. `known=None` skips the check.
    """
    if known is None or df.empty:
        return
    codes = df[column].astype("str")
    of_level = codes.str.fullmatch(CODE_PATTERNS[level])
    unknown = of_level & ~codes.isin(list(known))
    if not unknown.any():
        return
    names = sorted(set(codes[unknown]))
    first = unknown.idxmax()
    where = f" (first on {_where(df.index.name, first)})" if df.index.name else ""
    listed = ", ".join(names[:_SHOWN]) + (
        f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
    )
    raise SourceError(
        source,
        f"unknown {level} code(s) in column {column}: {listed}{where}; "
        f"not among the {len(known)} known areas",
    )


def year_start(years: pd.Series, column: str, source: str) -> pd.Series:
    """Years (strings or numbers like 2021) to the first of January, refusing anything else."""
    numbers = to_number(years, column, source)
    bad = numbers.isna() | (numbers % 1 != 0) | (numbers < 1900) | (numbers > 2100)
    _first_bad(years, bad, column, source, "a year")
    return pd.to_datetime(numbers.astype("int64").astype("str") + "-01-01").astype("datetime64[ns]")


__all__ = [
    "CODE_PATTERNS",
    "MAX_DECOMPRESSED_BYTES",
    "check_codes",
    "check_known_areas",
    "check_no_duplicate_rows",
    "check_pattern",
    "check_unique",
    "decompress",
    "latest_allowed_date",
    "looks_like_html",
    "prepare_text",
    "read_csv_strict",
    "to_date",
    "to_number",
    "year_start",
]
