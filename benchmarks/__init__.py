"""newsreader's benchmarks: ``python -m benchmarks --size N`` runs them all side by side.

The older single-purpose scripts (``bench_store.py``, ``bench_ui.py``, ``bench_refresh.py``,
…) still run on their own; the package's harness is the one that writes ``BENCHMARKS.md``.
"""
