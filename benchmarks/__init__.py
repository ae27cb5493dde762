"""The benchmark suite (benchmarks/README.md): synthetic data, a production-like server, goals
measured against plain baselines in the same run. Not part of `make test`."""
