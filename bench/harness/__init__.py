"""The parts of BustAPI's benchmark harness; `bench/run.py` is the entry point."""
