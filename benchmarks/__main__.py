"""`python -m benchmarks [--quick]`: the performance suite, one table (see `benchmarks.suite`)."""

from benchmarks.suite import main

main()
