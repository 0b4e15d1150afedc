"""Agreement and evaluation figures between annotators (no Qt, no database, no spaCy).

``report_html`` (charts, HTML) needs matplotlib and is not imported here, so the
figures themselves work without it.
"""

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
