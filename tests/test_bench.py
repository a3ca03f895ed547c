"""benchmarks/bench.py's arithmetic: the figures the README and the closing notes quote."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    import bench
finally:
    sys.path.remove(str(ROOT / "benchmarks"))


def _samples(walls_cpus: list[tuple[float, float]]) -> list[bench.Sample]:
    return [bench.Sample(wall, 1024, 0, cpu) for wall, cpu in walls_cpus]


def test_cpu_per_file_is_the_cpu_over_bare_python_divided_by_the_files() -> None:
    rows = bench.summarise(
        {
            "runtime-lint": _samples([(0.30, 0.50), (0.32, 0.52), (0.31, 0.54)]),
            "runtime-lint-hook": _samples([(0.29, 0.47), (0.30, 0.48), (0.40, 0.49)]),
            "hadolint": _samples([(16.0, 16.0)]),
            "python-pass": _samples([(0.012, 0.008), (0.013, 0.010), (0.02, 0.012)]),
            "python-read": _samples([(0.04, 0.028), (0.05, 0.030), (0.05, 0.032)]),
        }
    )
    assert rows["runtime-lint-hook"]["cpu_ms_median"] == pytest.approx(480.0)
    figures = bench.cpu_per_file({"batch-2000": rows, "single": rows})
    # (480 - 10) ms over 2,000 files; the read floor (30 - 10) ms
    assert figures == {
        "2000 files: CPU per file (runtime-lint-hook)": "235 µs",
        "2000 files: CPU per file (python-read)": "10 µs",
    }
    assert bench.cpu_per_file({"batch-100": rows}) == {}  # too few files to say
