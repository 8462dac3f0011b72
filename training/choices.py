"""Constants the training's services and selectors share."""

from __future__ import annotations

MATERIAL_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "png"]
MATERIAL_MAX_BYTES = 20 * 1024 * 1024

# The reasons recorded in the history.
SESSION_CREATED = "training session created"
SESSION_EDITED = "training session edited"
MATERIAL_ADDED = "training material added"
ATTENDANCE_RECORDED = "attendance recorded"
ATTENDANCE_REMOVED = "attendance removed"
