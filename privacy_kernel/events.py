"""The typed vocabulary of the audit log. An event type is added here, never renamed: old rows keep it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    USER = "user", _("You")
    OPERATOR = "operator", _("Operator")
    SUB_PROCESSOR = "sub_processor", _("Sub-processor")
    SYSTEM = "system", _("System")


class Event(models.TextChoices):
    # Account life
    ACCOUNT_SIGNED_UP = "account.signed_up", _("Account created")
    LOGIN_SUCCEEDED = "account.login_succeeded", _("Signed in")
    LOGIN_FAILED = "account.login_failed", _("Failed sign-in attempt")
    LOGGED_OUT = "account.logged_out", _("Signed out")
    PASSWORD_CHANGED = "account.password_changed", _("Password changed")
    PASSWORD_SET = "account.password_set", _("Password set")
    PASSWORD_RESET = "account.password_reset", _("Password reset")
    EMAIL_ADDED = "account.email_added", _("Email address added")
    EMAIL_CONFIRMED = "account.email_confirmed", _("Email address confirmed")
    EMAIL_CHANGED = "account.email_changed", _("Email address changed")
    EMAIL_REMOVED = "account.email_removed", _("Email address removed")
    PROFILE_UPDATED = "account.profile_updated", _("Profile updated")
    LANGUAGE_CHANGED = "account.language_changed", _("Language changed")
    ACCOUNT_PAGE_VIEWED = "account.page_viewed", _("Account page viewed")
    SESSIONS_ENDED = "account.sessions_ended", _("Other sessions signed out")
    ACTIVITY_VIEWED = "account.activity_viewed", _("Activity log viewed")
    # Two-factor authentication
    MFA_ADDED = "mfa.added", _("Two-factor method added")
    MFA_REMOVED = "mfa.removed", _("Two-factor method removed")
    MFA_RECOVERY_CODES_RESET = "mfa.recovery_codes_reset", _("Recovery codes regenerated")
    MFA_USED = "mfa.used", _("Two-factor code used")
    MFA_FAILED = "mfa.failed", _("Wrong two-factor code")
    # CV materials and letter samples
    MATERIALS_LISTED = "materials.listed", _("Materials list viewed")
    MATERIAL_ADDED = "materials.added", _("Material added")
    MATERIAL_VIEWED = "materials.viewed", _("Material viewed")
    MATERIAL_TEXT_EDITED = "materials.text_edited", _("Material text corrected")
    MATERIAL_PRIMARY_SET = "materials.primary_set", _("Primary CV chosen")
    MATERIAL_DOWNLOADED = "materials.downloaded", _("Material downloaded")
    MATERIAL_DELETED = "materials.deleted", _("Material deleted")
    MATERIALS_REEMBEDDED = "materials.reembedded", _("Materials re-indexed for search")
    # The worker embeds a material's chunks after the upload (or a corrected text) was stored
    MATERIAL_INDEXED = "materials.indexed", _("Material prepared for search")
    MATERIAL_INDEXING_FAILED = "materials.indexing_failed", _("Preparing a material for search failed")
    MATERIAL_INDEXING_RETRIED = "materials.indexing_retried", _("Preparing a material for search tried again")
    # LinkedIn data export imported as a CV (first time or again), and the user's choice after a re-import
    MATERIAL_LINKEDIN_IMPORTED = "materials.linkedin_imported", _("LinkedIn export imported")
    MATERIAL_LINKEDIN_CHOSEN = "materials.linkedin_chosen", _("LinkedIn re-import reviewed")
    # Any signed-in page that shows no stored data of its own (an empty form)
    PAGE_VIEWED = "page.viewed", _("Page viewed")
    # The signed-in home page: what is due, drafts, replies, recent applications
    HOME_VIEWED = "home.viewed", _("Home page viewed")
    # Applications
    APPLICATIONS_LISTED = "applications.listed", _("Applications viewed")
    APPLICATION_ADDED = "applications.added", _("Posting added")
    APPLICATION_VIEWED = "applications.viewed", _("Application viewed")
    APPLICATION_EDITED = "applications.edited", _("Posting details edited")
    APPLICATION_STATUS_CHANGED = "applications.status_changed", _("Application status changed")
    APPLICATION_NOTES_EDITED = "applications.notes_edited", _("Notes edited")
    APPLICATION_SCORED = "applications.scored", _("Fit score computed")
    APPLICATION_SCORE_REQUESTED = "applications.score_requested", _("Fit score requested")
    APPLICATION_SCORING_FAILED = "applications.scoring_failed", _("Fit score could not be computed")
    APPLICATION_DELETED = "applications.deleted", _("Application deleted")
    POSTING_IMPORTED = "applications.posting_imported", _("Posting imported from a web address")
    POSTING_IMPORT_REQUESTED = "applications.posting_import_requested", _("Posting import requested")
    POSTING_IMPORT_FAILED = "applications.posting_import_failed", _("Posting import failed")
    POSTING_IMPORT_VIEWED = "applications.posting_import_viewed", _("Posting import progress viewed")
    FOLLOW_UP_CHANGED = "applications.follow_up_changed", _("Follow-up changed")
    FOLLOW_UP_DIGEST_SENT = "applications.follow_up_digest_sent", _("Follow-up reminder emailed")
    REPLY_ADDED = "applications.reply_added", _("Reply added")
    REPLY_CONFIRMED = "applications.reply_confirmed", _("Reply kind confirmed")
    REPLY_DELETED = "applications.reply_deleted", _("Reply deleted")
    # Operator
    OPERATOR_VIEWED = "operator.viewed", _("Operator viewed account metadata")
    OPERATOR_DENIED = "operator.denied", _("Operator access refused")
    # Diary
    DIARY_VIEWED = "diary.viewed", _("Diary viewed")
    DIARY_ENTRY_ADDED = "diary.entry_added", _("Diary entry added")
    DIARY_ENTRY_EDITED = "diary.entry_edited", _("Diary entry edited")
    DIARY_ENTRY_DELETED = "diary.entry_deleted", _("Diary entry deleted")
    # Insights (diary/insights/): approaches the user names and tags applications with, the weekly review
    INSIGHTS_VIEWED = "diary.insights_viewed", _("Insights viewed")
    APPROACH_ADDED = "diary.approach_added", _("Approach added")
    APPROACH_DELETED = "diary.approach_deleted", _("Approach deleted")
    APPROACH_TAGGED = "diary.approach_tagged", _("Approach tagged on an application")
    APPROACH_UNTAGGED = "diary.approach_untagged", _("Approach removed from an application")
    WEEKLY_REVIEW_CHANGED = "diary.weekly_review_changed", _("Weekly review email turned on or off")
    WEEKLY_REVIEW_SENT = "diary.weekly_review_sent", _("Weekly review emailed")
    # Support access: the user grants time-limited, read-only access; every page support opens is recorded
    SUPPORT_GRANTED = "support.granted", _("Support access granted")
    SUPPORT_REVOKED = "support.revoked", _("Support access revoked")
    SUPPORT_VIEWED = "support.viewed", _("Support viewed your data")
    SUPPORT_DENIED = "support.denied", _("Support access refused")
    # Drafting: calls to language models (coach/llm.py) and the AI activity pages
    SUB_PROCESSOR_CALLED = "sub_processor.called", _("Data sent to a sub-processor")
    AI_ACTIVITY_VIEWED = "ai.activity_viewed", _("AI activity viewed")
    AI_TRACE_VIEWED = "ai.trace_viewed", _("AI call details viewed")
    LLM_TRACES_PURGED = "ai.traces_purged", _("Old AI call records deleted")
    BACKUP_MADE = "ops.backup_made", _("Backup made")
    RESTORE_DRILL_RUN = "ops.restore_drill_run", _("Restore drill run")
    # Audit retention (privacy_rights/retention.py): an operator brought the offline key, read archived events
    AUDIT_ARCHIVE_OPENED = "audit.archive_opened", _("Archived activity log opened by an operator")
    # Export and erasure
    EXPORT_PAGE_VIEWED = "export.page_viewed", _("Export page viewed")
    EXPORT_REQUESTED = "export.requested", _("Export requested")
    EXPORT_READY = "export.ready", _("Export ready")
    EXPORT_FAILED = "export.failed", _("Export failed")
    EXPORT_DOWNLOADED = "export.downloaded", _("Export downloaded")
    EXPORT_DOWNLOAD_REFUSED = "export.download_refused", _("Someone else tried to open your export")
    ERASURE_PAGE_VIEWED = "erasure.page_viewed", _("Account deletion page viewed")
    ERASURE_REQUESTED = "erasure.requested", _("Account deletion requested")
    ERASURE_COMPLETED = "erasure.completed", _("An account was deleted")
    # Letters: drafting, versions, sending
    DRAFT_REQUESTED = "letters.draft_requested", _("Letter draft requested")
    DRAFT_WRITTEN = "letters.draft_written", _("Letter draft written")
    DRAFT_FAILED = "letters.draft_failed", _("Letter draft failed")
    DRAFT_CANCELLED = "letters.draft_cancelled", _("Letter draft cancelled")
    DRAFT_VIEWED = "letters.draft_viewed", _("Letter drafts viewed")
    DRAFT_PROGRESS_VIEWED = "letters.progress_viewed", _("Letter draft progress viewed")
    DRAFT_EDITED = "letters.draft_edited", _("Letter draft edited")
    DRAFT_DIFF_VIEWED = "letters.diff_viewed", _("Letter versions compared")
    LETTER_SENT = "letters.sent", _("Letter marked as sent")
    SENT_LETTER_DOWNLOADED = "letters.sent_downloaded", _("Sent letter downloaded")
    # Billing (billing/): the plan page, Stripe Checkout and portal, subscription changes Stripe reports
    BILLING_VIEWED = "billing.viewed", _("Plan and billing page viewed")
    CHECKOUT_STARTED = "billing.checkout_started", _("Subscription checkout opened")
    BILLING_PORTAL_OPENED = "billing.portal_opened", _("Billing portal opened")
    SUBSCRIPTION_CHANGED = "billing.subscription_changed", _("Subscription changed")
