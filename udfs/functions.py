"""The CSQ_ Excel functions: thin wrappers over ``udfs.core``.

Each function accepts a single cell or a whole column/range and returns the same shape
(one call per column spills), gives a short ``#CSQ! ...`` message for a bad cell without
spoiling the other rows, and never lets a traceback reach a cell.  Aggregates (CSQ_CSAT,
CSQ_NPS, CSQ_FCR, CSQ_SLA, CSQ_REPEAT_RATE) return one value and skip invalid cells, as
Excel's AVERAGE skips text.  Docstrings are the help text Excel shows.

The decorators are xlwings' (no-ops where Excel is absent), so this one module serves
classic xlwings on Windows, xlwings Lite, and plain Python.  ``FUNCTIONS`` maps each Excel
name to its implementation for tests and other runtimes.
"""

from __future__ import annotations

import datetime as _dt
import functools
import gc
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # checked against xlwings' own decorators (xlwings is a dependency)
    from xlwings import arg, func
else:
    try:  # xlwings Lite and classic xlwings both provide these decorators
        from xlwings import arg, func
    except ImportError:  # pragma: no cover - plain Python without xlwings

        def func(f: Any = None, **_: Any) -> Any:
            return f if f is not None else (lambda g: g)

        def arg(*_: Any, **__: Any) -> Any:
            return lambda g: g


from .core import actions as _actions
from .core import metrics as _metrics
from .core import process as _process
from .core import tagging as _tagging
from .core.config import BAND_PRESETS, DEFAULT_CONFIG
from .core.pareto import pareto_columns
from .core.privacy import mask_id
from .core.problems import Problem, cell_text
from .core.scoring import QC_LABELS, explain, grade, level, qc_pass, score_contacts
from .core.scoring import band as _band
from .core.scoring import composite as _composite
from .core.values import (
    as_2d,
    critical_mask,
    err,
    fmt_value,
    merge_errors,
    parse_as_of,
    row_errors,
    to_days,
    to_number,
    to_text,
    to_yes_no,
)
from .core.version import __version__

FUNCTIONS: dict[str, Callable[..., Any]] = {}
_NONE = np.array(None, dtype=object)
"""A blank cell for ``np.where`` (None as a 0-d object array)."""


def _excel(f: Callable[..., Any]) -> Callable[..., Any]:
    """Register ``f`` and make sure no exception ever reaches a cell.

    Applied innermost (below ``@func``/``@arg``) so that every runtime registers the safe
    wrapper; ``functools.wraps`` keeps the signature and docstring xlwings reads.
    """

    @functools.wraps(f)
    def safe(*args: Any, **kwargs: Any) -> Any:
        # A column call allocates one small list per row; pausing the cyclic GC for the
        # call keeps it from re-scanning the caller's whole range over and over.
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            return f(*args, **kwargs)
        except _Bad as exc:
            return err(str(exc))
        except Exception as exc:  # noqa: BLE001 - last line of defence for a cell
            return err(f"{type(exc).__name__}: {str(exc)[:80]}")
        finally:
            if gc_was_on:
                gc.enable()

    FUNCTIONS[f.__name__] = safe
    return safe


class _Bad(ValueError):
    """A bad argument that spoils the whole call (shown as one #CSQ! message)."""


def _out(values: np.ndarray, errors: np.ndarray | None = None) -> np.ndarray:
    """Cell values for Excel: NaN/None -> empty, errors in place of their rows' values."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        out = values.astype(object)
        out[np.isnan(values)] = None
    else:
        out = values.astype(object, copy=True)
        for i, v in enumerate(out.ravel()):
            if isinstance(v, (float, np.floating)):
                out.ravel()[i] = None if v != v else float(v)
    if errors is not None:
        mask = errors != None  # noqa: E711
        if mask.any():  # each problem in its short in-cell form, #CSQ! csat 7 not in 1-5
            out[mask] = [cell_text(p) if isinstance(p, Problem) else p for p in errors[mask]]
    return out


def _floats(x: Any, name: str, n: int | None = None) -> np.ndarray:
    """A small numeric argument (weights, thresholds) flattened; bad cells spoil the call."""
    arr, _ = as_2d(x)
    vals, errs = to_number(arr, name)
    bad = errs[errs != None]  # noqa: E711
    if bad.size:
        raise _Bad(cell_text(bad[0], prefix=False))
    flat = vals.ravel()
    flat = flat[~np.isnan(flat)]
    if n is not None and flat.size != n:
        raise _Bad(f"{name} needs {n} numbers, got {flat.size}")
    return flat


def _lang(lang: Any) -> str:
    s = str(lang or "zh").strip().lower()
    if s not in ("zh", "en"):
        raise _Bad(f"lang {fmt_value(lang)} not zh/en")
    return s


def _critical(x: Any, n_rows: int) -> np.ndarray:
    if x is None:
        return np.zeros(n_rows, dtype=bool)
    arr, _ = as_2d(x)
    flags = critical_mask(arr[:, :1])[:, 0]  # blank and 无/否/N/none/-/... are no error
    if flags.size == 1 and n_rows > 1:
        flags = np.repeat(flags, n_rows)
    if flags.size != n_rows:
        raise _Bad(f"critical_error has {flags.size} rows, ratings {n_rows}")
    return flags


_RUBRIC_NAMES = tuple(i.key for i in DEFAULT_CONFIG.contact_indicators)


def _ratings(ratings: Any, weights: Any) -> tuple[np.ndarray, np.ndarray, Any, np.ndarray]:
    if isinstance(ratings, (list, tuple, np.ndarray)) and np.ndim(ratings) == 1:
        ratings = [list(ratings)]  # a flat list from Python is one contact's ratings
    arr, shape = as_2d(ratings)
    k = arr.shape[1]
    names = _RUBRIC_NAMES if k == len(_RUBRIC_NAMES) else tuple(f"rating {j + 1}" for j in range(k))
    if weights is None:
        if k != len(_RUBRIC_NAMES):
            raise _Bad(f"{k} rating columns: pass {k} weights")
        w = np.array([i.weight for i in DEFAULT_CONFIG.contact_indicators])
    else:
        w = _floats(weights, "weights", k)
        if (w < 0).any() or w.sum() <= 0:
            raise _Bad("weights must be >= 0, not all 0")
    vals = np.empty(arr.shape)
    errs = np.empty(arr.shape, dtype=object)
    for j in range(k):
        v, e = to_number(arr[:, j : j + 1], names[j], 1, 5, integer=True, allow_na=True)
        vals[:, j], errs[:, j] = v[:, 0], e[:, 0]
    return vals, w, shape, row_errors(errs)


def _column_result(result: np.ndarray, errors: np.ndarray | None, shape: Any, ncols: int) -> Any:
    """Per-row results as one column; for a one-column input keep the input's shape."""
    res = _out(result.reshape(-1, 1), None if errors is None else errors.reshape(-1, 1))
    if ncols == 1:
        return shape(res)
    if res.shape[0] == 1:
        return res[0, 0]
    return res.tolist()


@func
@arg("ratings", ndim=2)
@arg("critical_error", ndim=2)
@arg("weights", ndim=2)
@_excel
def CSQ_SCORE(ratings: Any, critical_error: Any = None, weights: Any = None) -> Any:
    """QA score 0-100 per contact from its rubric ratings (1-5 or N/A).

    ratings: one row per contact, one column per dimension (speed, attitude, solving,
    knowledge, satisfaction, records). critical_error: optional column; any text makes the
    score 0. weights: optional weights, one per rating column (default 15/20/25/15/15/10).
    N/A dimensions are skipped and the weights re-spread; no rating at all gives blank.
    """
    vals, w, shape, errs = _ratings(ratings, weights)
    crit = _critical(critical_error, vals.shape[0])
    score = score_contacts(
        vals,
        crit,
        DEFAULT_CONFIG.contact_indicators[: vals.shape[1]]
        if vals.shape[1] == len(_RUBRIC_NAMES)
        else [DEFAULT_CONFIG.contact_indicators[0]] * vals.shape[1],
        w,
    )
    return _column_result(score, errs, shape, vals.shape[1])


@func
@arg("ratings", ndim=2)
@arg("critical_error", ndim=2)
@arg("weights", ndim=2)
@_excel
def CSQ_EXPLAIN(
    ratings: Any, critical_error: Any = None, weights: Any = None, lang: str = "zh"
) -> Any:
    """Text showing how each contact's QA score was reached (points x weight share)."""
    vals, w, shape, errs = _ratings(ratings, weights)
    lg = _lang(lang)
    crit_arr = None
    if critical_error is not None:
        carr, _ = as_2d(critical_error)
        crit_arr = np.where(critical_mask(carr[:, :1])[:, 0], to_text(carr[:, :1])[:, 0], _NONE)
        if crit_arr.size == 1 and vals.shape[0] > 1:
            crit_arr = np.repeat(crit_arr, vals.shape[0])
    inds = (
        DEFAULT_CONFIG.contact_indicators
        if vals.shape[1] == len(_RUBRIC_NAMES)
        else [DEFAULT_CONFIG.contact_indicators[0]] * vals.shape[1]
    )
    texts = np.array(
        [
            explain(vals[i], None if crit_arr is None else crit_arr[i], inds, w, None, lg)
            for i in range(vals.shape[0])
        ],
        dtype=np.object_,
    )
    return _column_result(texts, errs, shape, vals.shape[1])


@func
@arg("score", ndim=2)
@arg("thresholds", ndim=2)
@_excel
def CSQ_GRADE(score: Any, thresholds: Any = None, lang: str = "zh") -> Any:
    """Grade of a QA score (>=90 优秀 Excellent, 80-89 良好 Good, 60-79 合格 Pass, <60 不合格
    Fail).

    score: a QA score 0-100, or a column of them. thresholds: optional 3 lower bounds
    (default 90, 80, 60). lang: "zh" (default) or "en".
    """
    arr, shape = as_2d(score)
    t = None if thresholds is None else _floats(thresholds, "thresholds", 3)
    if t is not None and not (t[0] > t[1] > t[2]):
        raise _Bad("thresholds must be descending")
    vals, errs = to_number(arr, "score", 0, 100)
    return shape(_out(grade(vals, t, _lang(lang)), errs))


@func
@arg("rating", ndim=2)
@_excel
def CSQ_LEVEL(rating: Any, lang: str = "zh") -> Any:
    """Level of a rubric rating (5 优秀, 4 良好, 3 合格, 1-2 需改进; N/A gives blank).

    rating: a rubric rating 1-5 or N/A, or a range of them. lang: "zh" (default) or "en".
    """
    arr, shape = as_2d(rating)
    vals, errs = to_number(arr, "rating", 1, 5, integer=True, allow_na=True)
    return shape(_out(level(vals, _lang(lang)), errs))


@func
@arg("value", ndim=2)
@arg("bands", ndim=2)
@arg("points", ndim=2)
@_excel
def CSQ_BAND(value: Any, bands: Any = "first_response", points: Any = None) -> Any:
    """Band lookup: value <= bands[i] gives points[i]; above the last band the last points.

    bands: ascending upper-inclusive thresholds, or a preset name: "first_response"
    (<=30 s 100, <=60 s 80, else 60) or "speed" (<=3 s 5, <=5 4, <=10 3, <=30 2, else 1).
    points: one more value than bands.
    """
    arr, shape = as_2d(value)
    if (
        bands is None
        or isinstance(bands, str)
        or (
            isinstance(bands, list)
            and len(bands) == 1
            and len(bands[0]) == 1
            and isinstance(bands[0][0], str)
        )
    ):
        name = bands if isinstance(bands, str) or bands is None else bands[0][0]
        name = (name or "first_response").strip().lower()
        if name not in BAND_PRESETS:
            raise _Bad(f"band preset {name!r} unknown: {', '.join(BAND_PRESETS)}")
        b, p = BAND_PRESETS[name]
        if points is not None:
            p = tuple(_floats(points, "points", len(b) + 1))
    else:
        b = tuple(_floats(bands, "bands"))
        if any(y <= x for x, y in zip(b, b[1:], strict=False)):
            raise _Bad("bands must be ascending")
        if points is None:
            raise _Bad("points needed with custom bands")
        p = tuple(_floats(points, "points", len(b) + 1))
    vals, errs = to_number(arr, "value")
    return shape(_out(_band(vals, b, p), errs))


@func
@arg("values", ndim=2)
@arg("weights", ndim=2)
@_excel
def CSQ_COMPOSITE(values: Any, weights: Any = None) -> Any:
    """Agent/team composite score 0-100, one row per agent or team.

    values: columns in Config order - mean QA score (0-100), CSAT mean (1-5), FCR (0-1),
    average first response (s). weights: optional, one per column (default 30/30/25/15).
    Blank metrics are skipped and the weights re-spread.
    """
    arr, shape = as_2d(values)
    inds = DEFAULT_CONFIG.team_indicators
    if arr.shape[1] != len(inds):
        raise _Bad(f"values needs {len(inds)} columns ({', '.join(i.key for i in inds)})")
    w = None if weights is None else _floats(weights, "weights", len(inds))
    vals, errs = to_number(arr, "value")
    res = _composite(vals, inds, w)
    return _column_result(res, row_errors(errs), shape, arr.shape[1])


@func
@arg("counts", ndim=2)
@arg("labels", ndim=2)
@_excel
def CSQ_PARETO(
    counts: Any, labels: Any = None, what: str = "share", a: float = 0.8, b: float = 0.95
) -> Any:
    """Pareto of problem counts, per row: what = "share" (count/total), "cumulative"
    (share of this and all larger categories; "Other/其他" last) or "class" (A up to the
    category crossing 80 %, B up to 95 %, C the rest)."""
    arr, shape = as_2d(counts)
    vals, errs = to_number(arr, "count", 0)
    n = arr.size
    labs = [None] * n if labels is None else list(to_text(as_2d(labels)[0]).ravel())
    if len(labs) != n:
        raise _Bad(f"labels has {len(labs)} cells, counts {n}")
    share, cum, cls = pareto_columns(labs, np.nan_to_num(vals.ravel()), float(a), float(b))
    key = str(what or "share").strip().lower()
    pick = {"share": share, "cumulative": cum, "cum": cum, "class": cls}.get(key)
    if pick is None:
        raise _Bad(f"what {fmt_value(what)} not share/cumulative/class")
    return shape(_out(pick.reshape(arr.shape), errs))


def _action_inputs(
    planned: Any, actual: Any, as_of: Any, status: Any
) -> tuple[np.ndarray, np.ndarray, Any, np.ndarray]:
    parr, shape = as_2d(planned)
    p, perr = to_days(parr, "planned date")
    if actual is None:
        a, aerr = np.full(p.shape, np.nan), np.full(p.shape, None, dtype=object)
    else:
        aarr, _ = as_2d(actual)
        if aarr.shape != parr.shape:
            raise _Bad(f"actual has {aarr.size} cells, planned {parr.size}")
        a, aerr = to_days(aarr, "actual date")
    try:
        day = parse_as_of(as_of)
    except ValueError as exc:
        raise _Bad(str(exc)) from None
    cancelled = None
    if status is not None:
        from .core.fields import choice_lookup

        look = choice_lookup("status")
        st = to_text(as_2d(status)[0]).ravel()
        if st.size == p.size:
            cancelled = np.array(
                [look.get((s or "").casefold()) == "cancelled" for s in st]
            ).reshape(p.shape)
    missing = np.isnan(p) & (perr == None)  # noqa: E711
    errs = merge_errors(perr, aerr)
    st_keys, days = _actions.action_status(p, a, day, cancelled)
    errs[missing & (a == a)] = Problem("planned_date_missing")
    return st_keys, days, shape, errs


@func
@arg("planned", ndim=2)
@arg("actual", ndim=2)
@arg("status", ndim=2)
@_excel
def CSQ_ACTION_STATUS(
    planned: Any, actual: Any = None, as_of: Any = None, status: Any = None, lang: str = "zh"
) -> Any:
    """Action status from planned and actual dates: done on time, done N days late,
    overdue by N days (no actual date and as-of past planned) or open, due in N days.
    as_of: the evaluation date (default today). status: optional; "Cancelled" rows say so."""
    st, days, shape, errs = _action_inputs(planned, actual, as_of, status)
    return shape(_out(_actions.status_text(st, days, _lang(lang)), errs))


@func
@arg("planned", ndim=2)
@arg("actual", ndim=2)
@arg("status", ndim=2)
@_excel
def CSQ_DAYS_LATE(planned: Any, actual: Any = None, as_of: Any = None, status: Any = None) -> Any:
    """Days late (done late) or overdue (not done, past planned date); 0 otherwise."""
    st, days, shape, errs = _action_inputs(planned, actual, as_of, status)
    return shape(_out(_actions.days_late(st, days), errs))


@func
@arg("baseline", ndim=2)
@arg("target", ndim=2)
@arg("after", ndim=2)
@_excel
def CSQ_MET(baseline: Any, target: Any, after: Any) -> Any:
    """Y when the after value reached the target (higher is better when target >= baseline,
    lower is better otherwise), N when not, blank while target or after is missing."""
    barr, shape = as_2d(baseline)
    b, berr = to_number(barr, "baseline")
    t, terr = to_number(as_2d(target)[0].reshape(barr.shape), "target")
    x, xerr = to_number(as_2d(after)[0].reshape(barr.shape), "after")
    met = _actions.effect_met(b, t, x)
    res = np.where(np.isnan(met), _NONE, np.where(met > 0, "Y", "N")).astype(object)
    return shape(_out(res, merge_errors(berr, terr, xerr)))


@func
@arg("score", ndim=2)
@arg("critical_error", ndim=2)
@_excel
def CSQ_QC_RESULT(
    score: Any, critical_error: Any = None, pass_mark: float = 60, lang: str = "zh"
) -> Any:
    """QC result per contact: 合格 Pass when score >= pass mark (default 60) and no critical error,
    else 不合格 Fail; blank when there is no score."""
    arr, shape = as_2d(score)
    vals, errs = to_number(arr, "score", 0, 100)
    crit = _critical(critical_error, arr.size).reshape(arr.shape)
    ok = qc_pass(vals.ravel(), crit.ravel(), float(pass_mark)).reshape(arr.shape)
    labels = QC_LABELS[_lang(lang)]
    res = np.where(np.isnan(ok), _NONE, np.where(ok > 0, labels[True], labels[False]))
    return shape(_out(res.astype(object), errs))


def _agg(
    x: Any, name: str, lo: float | None = None, hi: float | None = None, integer: bool = False
) -> np.ndarray:
    arr, _ = as_2d(x)
    vals, _errs = to_number(arr, name, lo, hi, integer=integer)
    return vals.ravel()


def _kpi(value: float | None) -> Any:
    return "" if value is None else value


@func
@arg("csat", ndim=2)
@_excel
def CSQ_CSAT(csat: Any, what: str = "mean") -> Any:
    """CSAT over rated contacts: what = "mean" (average 1-5) or "pct" (share of 4-5).
    Blank when no contact is rated; cells outside 1-5 are skipped."""
    vals = _agg(csat, "csat", 1, 5, integer=True)
    key = str(what or "mean").strip().lower()
    if key not in ("mean", "pct", "%"):
        raise _Bad(f"what {fmt_value(what)} not mean/pct")
    return _kpi(_metrics.csat_mean(vals) if key == "mean" else _metrics.csat_pct(vals))


@func
@arg("nps", ndim=2)
@_excel
def CSQ_NPS(nps: Any) -> Any:
    """Net Promoter Score: % of 9-10 minus % of 0-6 over rated contacts (-100..100)."""
    return _kpi(_metrics.nps(_agg(nps, "nps", 0, 10, integer=True)))


@func
@arg("resolved", ndim=2)
@arg("answered", ndim=2)
@_excel
def CSQ_FCR(resolved: Any, answered: Any = None) -> Any:
    """First-contact resolution: resolved Y / answered contacts (0-1). answered: optional
    Y/N column; without it every contact counts as answered."""
    r, _ = to_yes_no(as_2d(resolved)[0], "resolved")
    a = None if answered is None else to_yes_no(as_2d(answered)[0], "answered")[0].ravel()
    if a is not None and a.size != r.size:
        raise _Bad(f"answered has {a.size} cells, resolved {r.size}")
    return _kpi(_metrics.fcr(r.ravel(), a))


@func
@arg("first_response", ndim=2)
@arg("answered", ndim=2)
@_excel
def CSQ_SLA(first_response: Any, answered: Any = None, threshold: float = 30) -> Any:
    """Service level: share (0-1) of answered contacts with first response <= threshold
    seconds (default 30)."""
    v = _agg(first_response, "first response", 0)
    a = None if answered is None else to_yes_no(as_2d(answered)[0], "answered")[0].ravel()
    if a is not None and a.size != v.size:
        raise _Bad(f"answered has {a.size} cells, first_response {v.size}")
    return _kpi(_metrics.service_level(v, a, float(threshold)))


@func
@arg("customer_ids", ndim=2)
@arg("contact_times", ndim=2)
@_excel
def CSQ_REPEAT_RATE(customer_ids: Any, contact_times: Any, window_days: float = 30) -> Any:
    """Repeat-contact rate: contacts whose customer had an earlier contact within the
    previous window_days (default 30) / contacts with a customer id."""
    ids = to_text(as_2d(customer_ids)[0]).ravel()
    tarr, _ = as_2d(contact_times)
    times = [
        t if isinstance(t, (_dt.datetime, _dt.date)) else _serial_to_dt(t) for t in tarr.ravel()
    ]
    if len(times) != ids.size:
        raise _Bad(f"contact_times has {len(times)} cells, customer_ids {ids.size}")
    return _kpi(_metrics.repeat_rate(list(ids), times, float(window_days)))


def _serial_to_dt(v: Any) -> Any:
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and 1 <= v < 2958466:
        return _dt.datetime(1899, 12, 30) + _dt.timedelta(days=float(v))
    if isinstance(v, str) and v.strip():
        return v.strip()
    return None


@func
@arg("customer_id", ndim=2)
@_excel
def CSQ_MASK(customer_id: Any) -> Any:
    """Customer id masked to its last 4 characters (13800138000 -> *******8000)."""
    arr, shape = as_2d(customer_id)
    out = np.array([mask_id(v) for v in arr.ravel()], dtype=object).reshape(arr.shape)
    return shape(out)


@func
@arg("text", ndim=2)
@arg("keywords", ndim=2)
@arg("categories", ndim=2)
@_excel
def CSQ_TAG(text: Any, keywords: Any = None, categories: Any = None) -> Any:
    """Problem category of each feedback text by keyword: the longest keyword found wins
    (Chinese as substrings, English ignoring case); no match -> blank. keywords and
    categories: two equal ranges (e.g. CSQ_Keywords, CSQ_KeywordCategories on Config);
    omitted -> the built-in list."""
    arr, shape = as_2d(text)
    if keywords is None:
        if categories is not None:
            raise _Bad("categories needs keywords")
        kws: tuple[_tagging.Keyword, ...] = (
            _tagging.DEFAULT_KEYWORDS["zh"] + (_tagging.DEFAULT_KEYWORDS["en"])
        )
    else:
        words = list(to_text(as_2d(keywords)[0]).ravel())
        if categories is None:
            raise _Bad("keywords needs categories")
        cats = list(to_text(as_2d(categories)[0]).ravel())
        if len(cats) != len(words):
            raise _Bad(f"categories has {len(cats)} cells, keywords {len(words)}")
        kws = tuple(_tagging.Keyword(w, c) for w, c in zip(words, cats, strict=True) if w and c)
    tags = _tagging.tag(to_text(arr).ravel(), kws)
    return shape(np.array(tags, dtype=object).reshape(arr.shape))


@func
@arg("first_response", ndim=2)
@arg("steps", ndim=2)
@arg("process_ok", ndim=2)
@arg("limits", ndim=2)
@_excel
def CSQ_PROCESS(
    first_response: Any,
    steps: Any = None,
    process_ok: Any = None,
    limits: Any = None,
    unit: str = "s",
    lang: str = "zh",
) -> Any:
    """Process compliance of each contact (seeds/003's service steps) and the first step
    missed: 合规 / 不合规：回访超时, blank when no step applies. first_response: the first
    response column (in unit s/min/h); steps: the four columns escalation (min), answer
    (min), longest update gap (min), call-back (h); blank = the step did not apply;
    process_ok: the reviewer's Y/N, which wins where typed; limits: five limits (first
    response s, escalation min, answer min, update gap min, call-back h), default
    10/30/60/60/24."""
    farr, shape = as_2d(first_response)
    n = farr.shape[0]
    factor = {"s": 1.0, "min": 60.0, "h": 3600.0}.get(str(unit or "s").strip().lower())
    if factor is None:
        raise _Bad(f"unit {fmt_value(unit)} not s/min/h")
    fr, ferr = to_number(farr[:, :1], "first response", 0)
    cols = [fr[:, 0] * factor]
    errs = [ferr[:, 0]]
    if steps is not None:
        sarr, _ = as_2d(steps)
        if sarr.shape[0] != n or sarr.shape[1] != 4:
            raise _Bad(f"steps must be 4 columns of {n} rows")
        for j, name in enumerate(("escalation", "answer", "update gap", "call-back")):
            v, e = to_number(sarr[:, j : j + 1], name, 0)
            cols.append(v[:, 0])
            errs.append(e[:, 0])
    else:
        cols += [np.full(n, np.nan)] * 4
        errs += [np.full(n, None, dtype=object)] * 4
    lim = _process.limits(DEFAULT_CONFIG)
    if limits is not None:
        larr, _ = as_2d(limits)
        lv, lerr = to_number(larr.reshape(-1, 1), "limit", 0)
        if lv.size != 5 or (lerr != None).any():  # noqa: E711
            raise _Bad("limits must be 5 numbers of 0 or more")
        lim = tuple(float(x) for x in lv.ravel())
    ok = None
    if process_ok is not None:
        oarr, _ = as_2d(process_ok)
        if oarr.shape[0] != n:
            raise _Bad(f"process_ok has {oarr.shape[0]} rows, first_response {n}")
        ov, oerr = to_yes_no(oarr[:, :1], "process_ok")
        ok = ov[:, 0]
        errs.append(oerr[:, 0])
    values = np.column_stack(cols)
    measured, first, final = _process.contact_compliance(values, lim, ok)
    texts = np.array(_process.result_texts(measured, first, final, _lang(lang)), dtype=object)
    row_err = np.full(n, None, dtype=object)
    for e in errs:
        row_err = np.where(row_err == None, e, row_err)  # noqa: E711
    return shape(_out(texts.reshape(n, 1), row_err.reshape(n, 1)))


@func
@_excel
def CSQ_VERSION() -> str:
    """The CSQ version computing these cells."""
    return __version__
