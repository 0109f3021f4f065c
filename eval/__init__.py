"""Evaluation suite: gold questions, offline metrics, the CI gate, the impact report and the benchmark."""
