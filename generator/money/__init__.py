"""Money: the rules that turn pots into allocations to the krona, key data, and the explanation of each amount."""
