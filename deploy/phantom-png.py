#!/usr/bin/env python3
"""Writes one gray 8-bit PNG test phantom (a smooth sine/cosine pattern, never an X-ray) from the standard library
only (zlib + struct), so the smoke tests need no imaging tools.
    deploy/phantom-png.py OUT.png WIDTH HEIGHT [SEED]"""
import math, struct, sys, zlib

def png(path, w, h, seed):
    rows = b"".join(b"\x00" + bytes(int(127 + 100 * math.sin((x + seed) / 17.0) * math.cos(y / 23.0)) for x in range(w)) for y in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))

if __name__ == "__main__":
    png(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 0)
