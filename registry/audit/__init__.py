"""Tamper-evident audit trail: every change to registry data, hash-chained (see chain.py).

Modules: context (who/through which channel), recorder (signals, bulk and event recording),
chain (append and verify), queries (filters and history links), middleware, admin.
"""
