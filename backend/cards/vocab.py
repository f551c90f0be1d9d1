"""The resident card vocabulary: print sizes and their Chinese labels (pure)."""

from __future__ import annotations

import enum


class CardSize(enum.StrEnum):
    """ID-1 is the bank-card size (ISO/IEC 7810, 85.60 × 53.98 mm); A6 a postcard (105 × 148 mm)."""

    ID1 = "id1"
    A6 = "a6"


CARD_SIZE_ZH = {CardSize.ID1: "卡片（身份证大小）", CardSize.A6: "A6 纸"}
# Page size in millimetres (width, height).
CARD_SIZE_MM = {CardSize.ID1: (85.6, 53.98), CardSize.A6: (105.0, 148.0)}
