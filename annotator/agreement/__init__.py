"""Agreement and evaluation figures between annotators (no Qt, no database, no spaCy).

``report_html`` (charts, HTML) needs matplotlib and is not imported here, so the
figures themselves work without it. The names below are imported on first use
(PEP 562): the figures need numpy, and importing ``annotator.agreement.errors``
(every command line run does, through the app's errors) must not import it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.agreement.alpha import (
        UnitizingAlpha,
        krippendorff_alpha_nominal,
        unitizing_alpha,
    )
    from annotator.agreement.errors import AgreementError
    from annotator.agreement.kappa import (
        cohen_kappa,
        fleiss_kappa,
        fleiss_kappa_from_labels,
        token_labels,
    )
    from annotator.agreement.report import AgreementReport, Disagreement, agreement
    from annotator.agreement.spans import PRF, Evaluation, align_spans, evaluate, match_spans

_MODULE_OF = {
    "UnitizingAlpha": "alpha",
    "krippendorff_alpha_nominal": "alpha",
    "unitizing_alpha": "alpha",
    "AgreementError": "errors",
    "cohen_kappa": "kappa",
    "fleiss_kappa": "kappa",
    "fleiss_kappa_from_labels": "kappa",
    "token_labels": "kappa",
    "AgreementReport": "report",
    "Disagreement": "report",
    "agreement": "report",
    "PRF": "spans",
    "Evaluation": "spans",
    "align_spans": "spans",
    "evaluate": "spans",
    "match_spans": "spans",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "PRF",
    "AgreementError",
    "AgreementReport",
    "Disagreement",
    "Evaluation",
    "UnitizingAlpha",
    "agreement",
    "align_spans",
    "cohen_kappa",
    "evaluate",
    "fleiss_kappa",
    "fleiss_kappa_from_labels",
    "krippendorff_alpha_nominal",
    "match_spans",
    "token_labels",
    "unitizing_alpha",
]
