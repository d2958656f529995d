# Derived from recallrai/_async by scripts/unasync. Do not edit: edit the async source.
"""The hand-written async implementation; recallrai/_sync is derived from it."""
