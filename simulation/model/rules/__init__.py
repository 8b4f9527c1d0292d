"""The monthly rules, one module per concept: each rule is one compiled scalar function.

Each is called by its pass and by the plain-Mesa reference alike (docs/ODD.md 3, the code map).
"""
