"""Pagination tests build their own simulators, sized per case."""
