"""Tiers 2 to 4: cohorts, attendance, graded simulations, roll-outs, workshops."""
