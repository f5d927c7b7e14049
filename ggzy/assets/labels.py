"""The printable asset label: the asset number as a QR code (SVG, made by the
``qrcode`` library) pointing at the asset's page in the admin."""

from __future__ import annotations

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")
