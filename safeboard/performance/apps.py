from safeboard.core.modules import ActionSource, SafeboardModule

_NATIONAL = (
    "national published statistics (DfE LAIT), loaded in bulk by the comparators import; "
    "each import is recorded (ComparatorImport)"
)


class PerformanceConfig(SafeboardModule):
    name = "safeboard.performance"
    label = "performance"
    verbose_name = "Performance: dataset, collection rounds and scorecards"
    url_prefix = "performance/"
    demo_order = 20
    # Actions agreed on an indicator of the exception report (linked to the indicator).
    action_sources = (
        ActionSource("indicator", "Performance indicator", model="performance.Indicator", order=20),
    )
    not_audited = {
        "ComparatorArea": _NATIONAL,
        "Measure": _NATIONAL,
        "ComparatorPeriod": _NATIONAL,
        "ComparatorValue": _NATIONAL,
        "StatisticalNeighbour": _NATIONAL,
    }
