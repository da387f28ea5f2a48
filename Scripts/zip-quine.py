#!/usr/bin/env python3
"""Writes a zip file that contains itself: its one entry, NAME, is the zip file, byte
for byte (a test input for archive scanning: opening it must end).

    python3 Scripts/zip-quine.py OUT.zip [NAME]

How: DEFLATE data is a program of two instructions, "print the next n bytes" (a
stored block) and "repeat the last n bytes" (a fixed-Huffman block with back
references). With every instruction exactly UNIT bytes long, the sequence built in
`program` prints the zip's header P, itself, then the zip's trailer S (the
Lempel-Ziv quine extended with a prefix and a suffix). The CRC-32 the zip stores of
its entry is the CRC-32 of the zip itself; CRC-32 is affine over GF(2), so the value
is found by solving 32 linear equations.
"""
import struct
import sys
import zlib

UNIT = 20  # bytes per instruction


class Bits:
    """A DEFLATE bit stream: fields least significant bit first, Huffman codes most
    significant bit first."""

    def __init__(self):
        self.bits = []

    def field(self, value, count):
        self.bits += [(value >> i) & 1 for i in range(count)]

    def code(self, value, count):
        self.bits += [(value >> (count - 1 - i)) & 1 for i in range(count)]

    def bytes(self):
        assert len(self.bits) % 8 == 0
        return bytes(sum(bit << i for i, bit in enumerate(self.bits[k:k + 8])) for k in range(0, len(self.bits), 8))


def literal(n):
    """Print the next n units: empty stored blocks, then a stored block of n * UNIT
    bytes (each 5 bytes when it starts on a byte: 3 header bits padded, LEN, NLEN)."""
    return b"\0\0\0\xff\xff" * (UNIT // 5 - 1) + b"\0" + struct.pack("<HH", n * UNIT, (n * UNIT) ^ 0xFFFF)


# Fixed Huffman codes (RFC 1951 3.2.6): length symbols 257-285 and distance codes.
LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
               163, 195, 227, 258]
LENGTH_EXTRA = [0] * 8 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4 + [5] * 4 + [0]
DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
             3073, 4097, 6145, 8193, 12289, 16385, 24577]
DIST_EXTRA = [0, 0, 0, 0] + [k // 2 for k in range(2, 28)]


def length_symbol(length):
    index = max(i for i, base in enumerate(LENGTH_BASE) if base <= length)
    if index == 28 and length != 258:
        index = 27
    return index, length - LENGTH_BASE[index]


def dist_symbol(distance):
    index = max(i for i, base in enumerate(DIST_BASE) if base <= distance)
    return index, distance - DIST_BASE[index]


def copy_bits(length, distance):
    index, _ = length_symbol(length)
    symbol = 257 + index
    code_bits = 7 if symbol <= 279 else 8
    dist_index, _ = dist_symbol(distance)
    return code_bits + LENGTH_EXTRA[index] + 5 + DIST_EXTRA[dist_index]


def splits(total, parts):
    """Ways to cut `total` bytes into `parts` copies of 3 to 258 bytes."""
    if parts == 1:
        if 3 <= total <= 258:
            yield [total]
        return
    for first in range(3, min(258, total - 3 * (parts - 1)) + 1):
        for rest in splits(total - first, parts - 1):
            yield [first] + rest


def repeat(n, final=False):
    """Repeat the last n units: a fixed-Huffman block whose copies (all at distance
    n * UNIT) add up to n * UNIT bytes, then empty fixed blocks (10 bits each) and
    empty stored blocks that bring the stream back to a byte boundary and fill the
    unit (5 bytes each once aligned).
    None when no choice of copies fits. `final` marks the last block."""
    distance = n * UNIT
    for parts in range(1, 4):
        for lengths in splits(distance, parts):
            copies = 3 + sum(copy_bits(length, distance) for length in lengths) + 7 + 3
            # Empty fixed blocks (10 bits each) shift where the stream reaches a byte.
            fits = [
                empty for empty in range(8)
                if (copies + 10 * empty + 7) // 8 + 4 <= UNIT and (UNIT - (copies + 10 * empty + 7) // 8 - 4) % 5 == 0
            ]
            if not fits:
                continue
            empty_blocks = fits[0]
            size = (copies + 10 * empty_blocks + 7) // 8 + 4
            fillers = (UNIT - size) // 5
            bits = Bits()
            bits.field(0, 1)
            bits.field(1, 2)  # fixed Huffman
            for length in lengths:
                index, extra = length_symbol(length)
                symbol = 257 + index
                if symbol <= 279:
                    bits.code(symbol - 256, 7)
                else:
                    bits.code(symbol - 280 + 0b11000000, 8)
                bits.field(extra, LENGTH_EXTRA[index])
                dist_index, dist_extra = dist_symbol(distance)
                bits.code(dist_index, 5)
                bits.field(dist_extra, DIST_EXTRA[dist_index])
            bits.code(0, 7)  # end of block
            for _ in range(empty_blocks):
                bits.field(0, 1)
                bits.field(1, 2)
                bits.code(0, 7)
            bits.field(1 if final and fillers == 0 else 0, 1)
            bits.field(0, 2)  # stored, empty
            bits.field(0, (8 - len(bits.bits) % 8) % 8)
            out = bits.bytes() + b"\0\0\xff\xff"
            for k in range(fillers):
                out += bytes([1 if final and k == fillers - 1 else 0]) + b"\0\0\xff\xff"
            return out
    return None


def program(prefix, suffix):
    """DEFLATE data that prints prefix + itself + suffix (both a whole number of units)."""
    p, s = len(prefix) // UNIT, len(suffix) // UNIT
    L = literal
    R = repeat
    ops = [
        L(p + 1), prefix, L(p + 1),
        R(p + 1),
        L(1), R(p + 1),
        L(1), L(1),
        L(4), R(p + 1), L(1), L(1), L(4),
        R(4),
        L(4), R(4), L(4), R(4), L(4),
        R(4),
        L(4), R(4), L(0), L(0), L(s + 1),
        R(4),
        L(0),
        L(0),
        L(s + 1), R(s + 1, final=True), suffix,
        R(s + 1, final=True),
    ]
    return b"".join(ops)


def build(name):
    name = name.encode()
    # Pad the header (extra field) and trailer (archive comment) to whole units, and
    # further until every repeat instruction fits one unit.
    for header_pad in range(0, 80):
        for trailer_pad in range(0, 80):
            header_length = 30 + len(name) + header_pad
            trailer_length = 46 + len(name) + 22 + trailer_pad
            if header_length % UNIT or trailer_length % UNIT:
                continue
            p, s = header_length // UNIT, trailer_length // UNIT
            if any(repeat(n) is None for n in (p + 1, 4, s + 1)):
                continue
            return assemble(name, header_pad, trailer_pad)
    raise SystemExit("no padding gives repeat instructions of one unit")


def assemble(name, header_pad, trailer_pad):
    def parts(crc, compressed, total):
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, compressed, total, len(name), header_pad
        ) + name + b"\0" * header_pad
        central = struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, compressed, total, len(name), 0, 0, 0, 0,
            0, 0
        ) + name
        return header, central

    header, central = parts(0, 0, 0)
    length_of_c = len(program(header, central + b"\0" * (22 + trailer_pad)))
    total = len(header) + length_of_c + len(central) + 22 + trailer_pad

    def file_for(crc):
        header, central = parts(crc, length_of_c, total)
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(header) + length_of_c,
                          trailer_pad) + b"\0" * trailer_pad
        trailer = central + end
        data = header + program(header, trailer) + trailer
        assert len(data) == total
        return data

    # crc32(file_for(x)) is affine in x: solve crc32(file_for(x)) == x over GF(2).
    base = zlib.crc32(file_for(0))
    columns = [zlib.crc32(file_for(1 << i)) ^ base for i in range(32)]
    # Rows: bit j of (A x) ^ x == bit j of base.
    rows = []
    for j in range(32):
        row = 0
        for i in range(32):
            if (columns[i] >> j) & 1:
                row |= 1 << i
        row ^= 1 << j
        rows.append([row, (base >> j) & 1])
    solution = solve(rows)
    if solution is None:
        raise SystemExit("the CRC equations have no solution for this layout")
    data = file_for(solution)
    assert zlib.crc32(data) == solution
    return data


def solve(rows):
    rows = [list(r) for r in rows]
    pivots = []
    rank = 0
    for column in range(32):
        pivot = next((r for r in range(rank, 32) if (rows[r][0] >> column) & 1), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(32):
            if r != rank and (rows[r][0] >> column) & 1:
                rows[r][0] ^= rows[rank][0]
                rows[r][1] ^= rows[rank][1]
        pivots.append(column)
        rank += 1
    if any(row[0] == 0 and row[1] for row in rows):
        return None
    value = 0
    for r, column in enumerate(pivots):
        if rows[r][1]:
            value |= 1 << column
    return value


if __name__ == "__main__":
    out = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else "quine.zip"
    data = build(name)
    with open(out, "wb") as f:
        f.write(data)
