"""Signals the audit app sends for apps above it to act on (it imports none of them).

``chain_broken``: ``audit_verify`` found the hash chain (or an archive) broken —
网络安全管理办法 五(四); ``ggzy.incidents`` raises an alert (应急预案 第六条:
数据被非法修改、删除). Sent with: message, broken_id, broken_seq, broken_time,
archive (the path, or "" for the database chain).
"""

from django.dispatch import Signal

__all__ = ["chain_broken"]

chain_broken = Signal()
