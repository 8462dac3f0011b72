"""Writes to the maintenance fund: every money movement and every step of a use goes here.

By topic: `common` (rules as settings and shared checks), `ledger` (accounts, households,
postings; its docstring states the money rules), `notices`, `emergency`, `ordinary` and
`plans`. Callers import from `funds.services` itself: every name they use is re-exported
here.
"""

from __future__ import annotations

from .common import clean_money, notice_days, ordinary_publicity_days, top_up_ratio
from .emergency import (
    emergency_approve,
    emergency_certify,
    emergency_complete,
    emergency_confirm,
    emergency_escalate_overdue,
    emergency_file,
    emergency_reject,
)
from .ledger import (
    account_open,
    cost_shares,
    deposit_post,
    disbursement_post,
    household_add,
    household_update,
    interest_allocate,
    needs_top_up,
    posting_reverse,
    refund_post,
)
from .ordinary import (
    first_payment_amount,
    ordinary_accept,
    ordinary_file,
    ordinary_pay_final,
    ordinary_pay_first,
    ordinary_record_vote,
    ordinary_review,
)
from .plans import (
    plan_bureau_review,
    plan_create,
    plan_credit_deduct,
    plan_due_month,
    plan_is_late,
    plan_item_add,
    plan_item_progress,
    plan_item_remove,
    plan_late_q,
    plan_overdue_items,
    plan_review_due,
    plan_street_review,
    plan_submit,
)

__all__ = [
    "account_open",
    "clean_money",
    "cost_shares",
    "deposit_post",
    "disbursement_post",
    "emergency_approve",
    "emergency_certify",
    "emergency_complete",
    "emergency_confirm",
    "emergency_escalate_overdue",
    "emergency_file",
    "emergency_reject",
    "first_payment_amount",
    "household_add",
    "household_update",
    "interest_allocate",
    "needs_top_up",
    "notice_days",
    "ordinary_accept",
    "ordinary_file",
    "ordinary_pay_final",
    "ordinary_pay_first",
    "ordinary_publicity_days",
    "ordinary_record_vote",
    "ordinary_review",
    "plan_bureau_review",
    "plan_create",
    "plan_credit_deduct",
    "plan_due_month",
    "plan_is_late",
    "plan_item_add",
    "plan_item_progress",
    "plan_item_remove",
    "plan_late_q",
    "plan_overdue_items",
    "plan_review_due",
    "plan_street_review",
    "plan_submit",
    "posting_reverse",
    "refund_post",
    "top_up_ratio",
]
