#!/usr/bin/python3
"""Makes the image-decoding fixtures in this folder (run: /usr/bin/python3 make_images.py).

Written with Debian's python3-pil 9.4 (PIL, an encoder independent of ours) plus a hand-written PNG writer for
the 16-bit RGB file PIL cannot write. Every image is 7 wide and 5 high (odd sizes catch stride bugs); the
pixel pattern is v(y, x, c) = (37 y + 11 x + 101 c) mod 256 (gray: c = 0).

For each <name>.<ext> this also writes <name>.<ext>.rgb: the expected pixels after decoding and converting to
RGB with alpha dropped — 5 x 7 x 3 bytes, row-major — taken from PIL's own decoding and convert("RGB"), except
for 16-bit files, whose expectation is the high byte of each sample (what our decoder keeps; PIL would clip).
"""
import os
import struct
import zlib

from PIL import Image

W, H = 7, 5
HERE = os.path.dirname(os.path.abspath(__file__))


def v(y, x, c=0):
    return (37 * y + 11 * x + 101 * c) % 256


def save(img, name, **kw):
    path = os.path.join(HERE, name)
    img.save(path, **kw)
    with Image.open(path) as back:
        back.load()
        write_rgb(name, back.convert("RGB").tobytes())


def write_rgb(name, data):
    assert len(data) == W * H * 3, name
    with open(os.path.join(HERE, name + ".rgb"), "wb") as f:
        f.write(data)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png16(name, channels, color_type, sample):
    rows = b"".join(b"\x00" + b"".join(struct.pack(">H", sample(y, x, c)) for x in range(W) for c in range(channels))
                    for y in range(H))
    data = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 16, color_type, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(rows)) + png_chunk(b"IEND", b""))
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


rgb = Image.frombytes("RGB", (W, H), bytes(v(y, x, c) for y in range(H) for x in range(W) for c in range(3)))
gray = Image.frombytes("L", (W, H), bytes(v(y, x) for y in range(H) for x in range(W)))
alpha = Image.frombytes("L", (W, H), bytes((y * W + x) * 7 % 256 for y in range(H) for x in range(W)))
palette = Image.new("P", (W, H))
palette.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255] + [0] * (252 * 3))
palette.putdata([(x + y) % 4 for y in range(H) for x in range(W)])

save(gray, "gray.png")
save(Image.merge("LA", (gray, alpha)), "gray_alpha.png")
save(rgb, "rgb.png")
save(Image.merge("RGBA", (*rgb.split(), alpha)), "rgba.png")
save(palette, "palette.png")
save(palette, "palette_alpha.png", transparency=3)
save(rgb, "rgb.bmp")
save(palette, "palette.bmp")
save(rgb, "rgb.gif")
save(rgb, "rgb.jpg", quality=95)
save(gray, "gray.jpg", quality=95)
save(rgb.convert("CMYK"), "cmyk.jpg", quality=95)

# 16-bit: the high byte is the pattern, the low byte something else, so keeping the high byte is checked.
def sample16(y, x, c):
    return (v(y, x, c) << 8) | ((3 * x + 5 * y + c) % 256)


write_png16("gray16.png", 1, 0, sample16)
write_png16("rgb16.png", 3, 2, sample16)
write_rgb("gray16.png", bytes(v(y, x) for y in range(H) for x in range(W) for _ in range(3)))
write_rgb("rgb16.png", rgb.tobytes())

# Resizing references: PIL's bilinear resize (a triangle filter that widens when shrinking, which libtorch's
# antialiased bilinear follows), as raw RGB bytes.
for w, h in [(3, 2), (13, 9)]:
    with open(os.path.join(HERE, f"rgb.png.resized-{w}x{h}.rgb"), "wb") as f:
        f.write(rgb.resize((w, h), Image.BILINEAR).tobytes())
