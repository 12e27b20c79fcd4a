"""The jinja2 environment the HTML and markdown outputs are rendered with.

Templates live in ``evals/templates/``. HTML pages are self-contained: the stylesheet and the
script are inlined from the same folder, charts are inline SVG, nothing is fetched. Every page
reads fine with JavaScript off; the script only adds sorting, filtering and lazy drill-downs.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"
MISSING = "\u2013"  # an en dash stands for "no value"


def pct(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{value * 100:.{digits}f}%"


def num(value: float | None, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{value:.{digits}f}"


def signed(value: float | None, digits: int = 1, percent: bool = True) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    scaled = value * 100 if percent else value
    text = f"{scaled:+.{digits}f}"
    return f"{text}{' pp' if percent else ''}"


def duration(seconds: float | None) -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return MISSING
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def when(value: str | None) -> str:
    """An ISO timestamp as ``2026-01-31 14:05 UTC`` (unparseable values as given)."""
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return value or MISSING
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M")


def thousands(value: int | float | None) -> str:
    return MISSING if value is None else f"{int(value):,}"


def usd(value: float | None) -> str:
    return MISSING if value is None else f"${value:,.4f}"


def sort_value(value: float | None) -> str:
    """A ``data-v`` attribute value for sortable tables (missing values sort first)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-1e18"
    return repr(float(value))


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text).strip("-").lower()


def cap(text: str | None, limit: int = 4000) -> str:
    """At most ``limit`` characters (the end is kept: tracebacks end with the cause)."""
    text = text or ""
    if len(text) <= limit:
        return text
    return f"[... {len(text) - limit:,} characters cut ...]\n" + text[-limit:]


def headline(message: str, limit: int = 220) -> str:
    """The line of a failure message that says what went wrong (for tables)."""
    lines = [line.strip() for line in (message or "").splitlines() if line.strip()]
    pick = next((ln for ln in lines if ln.startswith("E ") and "Error" in ln), None)
    pick = pick or next((ln for ln in lines if ln.startswith("E ")), None)
    pick = (pick or (lines[0] if lines else "")).removeprefix("E").strip()
    return pick if len(pick) <= limit else pick[: limit - 1] + "\u2026"


_MD_PUNCT = {c: "\\" + c for c in "\\`*_[]|~"}
_BLOCK_START = re.compile(r"^(\s*)([#+\-=])|^(\s*\d+)([.)])")
"""A line that starts like a heading, list item, quote or rule: escaped so it cannot start one."""
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_ZWSP = "\u200b"
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")
"""Where GitHub would start a link of its own in plain text (``scheme://``, ``www.``, an
e-mail address or an @mention): a zero-width space there keeps the text and loses the link."""


def _escape_block_start(m: re.Match) -> str:
    if m[2]:
        return f"{m[1]}\\{m[2]}"
    return f"{m[3]}\\{m[4]}"


def md_text(text: object) -> Markup:
    """Text from a run (a sample, a run folder) made inert in markdown and HTML alike.

    HTML specials become entities, markdown punctuation is backslash-escaped, line breaks
    become spaces (so a table row stays one row, and no block can start), and the places
    where GitHub autolinks plain text are broken with a zero-width space. What renders is the
    text as written: no tag, image, link, mention or emphasis survives.
    """
    if isinstance(text, Markup):
        return text
    flat = " ".join(str(text).splitlines()).replace("\t", " ")
    flat = _AUTOLINK.sub(_ZWSP, flat)
    escaped = "".join(_HTML.get(c) or _MD_PUNCT.get(c) or c for c in flat)
    return Markup(_BLOCK_START.sub(_escape_block_start, escaped, count=1))


def md_cell(text: object) -> Markup:
    """Text safe inside a markdown table cell (see :func:`md_text`)."""
    return md_text(text)


def md_code(text: object) -> Markup:
    """Text from a run as an inline code span (ids, hashes): markdown and HTML are not
    interpreted inside one; the fence outgrows any backticks in the text, and pipes are
    escaped so a table cell stays one cell."""
    flat = " ".join(str(text).splitlines()).replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat[:1] in ("`", " ") or flat[-1:] in ("`", " ") or not flat else ""
    return Markup(f"{fence}{pad}{flat}{pad}{fence}")


def _md_finalize(value: object) -> object:
    """Everything a markdown template prints is escaped unless a filter marked it safe."""
    if isinstance(value, Markup | int | float):
        return value
    return md_text(value)


def _safe(fn):
    def wrapped(*args, **kwargs):
        return Markup(fn(*args, **kwargs))

    return wrapped


def asset(name: str) -> Markup:
    """An inlined stylesheet or script from the templates folder."""
    return Markup(_read_asset(name))


@lru_cache(maxsize=8)
def _read_asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        pct=pct,
        num=num,
        signed=signed,
        duration=duration,
        thousands=thousands,
        usd=usd,
        sv=sort_value,
        slug=slug,
        cap=cap,
        headline=headline,
        when=when,
    )
    from evals.codeview import render_pairs, render_view

    env.globals.update(asset=asset, render_view=render_view, render_pairs=render_pairs)
    return env


def markdown_environment() -> Environment:
    """For gate.md: no HTML autoescape, but every printed value is escaped for markdown and
    HTML (:func:`md_text`) unless it comes from a number filter or ``md``/``code``."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_md_finalize,
    )
    env.filters.update(
        {name: _safe(fn) for name, fn in
         dict(pct=pct, num=num, signed=signed, duration=duration, usd=usd).items()},
        cap=cap, headline=headline, md=md_text, code=md_code, when=when,
    )  # fmt: skip
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
