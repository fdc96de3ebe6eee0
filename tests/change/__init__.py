"""Tests of generator.change: diff, check, issuing, redlines and the draft ändringsbeslut."""
