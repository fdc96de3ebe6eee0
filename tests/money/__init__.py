"""Tests of generator.money: the rules, the distributions, published tables and the budgets beside them."""
