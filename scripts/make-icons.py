#!/usr/bin/env python3
"""Draws BrickDesk's icon (a red 2x2 brick seen from above) as RGBA PNGs into icons/.

Standard library only, so it runs on a fresh machine. Re-run after changing the drawing.
"""
import struct, zlib, pathlib

def png(size):
    ss = 4  # supersampling for smooth edges
    n = size * ss
    def inside(x, y):
        # rounded square body
        m, r = 0.06 * n, 0.18 * n
        lo, hi = m, n - m
        if not (lo <= x <= hi and lo <= y <= hi):
            return None
        cx = min(max(x, lo + r), hi - r); cy = min(max(y, lo + r), hi - r)
        if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
            return None
        for sx in (0.32, 0.68):
            for sy in (0.32, 0.68):
                dx, dy = x - sx * n, y - sy * n
                d2 = dx * dx + dy * dy
                rr = 0.13 * n
                if d2 <= rr * rr:
                    # stud: lighter, with a shadow ring on the lower right
                    return (232, 52, 64) if dx + dy < rr * 0.9 else (150, 10, 28)
                if d2 <= (rr * 1.12) ** 2 and dx + dy > 0:
                    return (150, 10, 28)
        return (200, 16, 46)
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for oy in range(ss):
                for ox in range(ss):
                    c = inside(px * ss + ox + 0.5, py * ss + oy + 0.5)
                    if c:
                        acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 1
            k = ss * ss
            a = acc[3]
            row += bytes([acc[0] // a if a else 0, acc[1] // a if a else 0, acc[2] // a if a else 0, 255 * a // k])
        rows.append(bytes(row))
    raw = b"".join(rows)
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")

out = pathlib.Path(__file__).resolve().parent.parent / "icons"
out.mkdir(exist_ok=True)
for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
    (out / name).write_bytes(png(size))
    print("wrote", out / name)
