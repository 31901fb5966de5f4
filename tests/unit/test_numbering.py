"""Numbers made offline on several machines never collide."""

from __future__ import annotations

from itertools import pairwise, product

from app.services.numbering import PREFIX_LENGTH, block_number
from app.storage.keyslots import RECOVERY_ALPHABET

ISA13_LIMIT = 999_999_999


def test_every_device_prefix_gets_its_own_block_of_nine_digit_numbers() -> None:
    prefixes = ["".join(p) for p in product(RECOVERY_ALPHABET, repeat=PREFIX_LENGTH)]
    blocks = sorted(
        (block_number(p, 1, ISA13_LIMIT), block_number(p, 37_037, ISA13_LIMIT)) for p in prefixes
    )
    assert blocks[0][0] == 1
    assert blocks[-1][1] <= ISA13_LIMIT
    for (_, last), (next_first, _) in pairwise(blocks):
        assert last < next_first  # no two devices share a number


def test_a_device_counts_up_within_its_block_and_starts_over_when_it_is_used_up() -> None:
    first = block_number("K7M", 1, ISA13_LIMIT)
    assert block_number("K7M", 2, ISA13_LIMIT) == first + 1
    assert block_number("K7M", 37_038, ISA13_LIMIT) == first
