"""The hand-written async implementation; recallrai/_sync is derived from it."""
