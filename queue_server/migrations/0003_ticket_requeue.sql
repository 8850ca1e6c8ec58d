-- 过号重排: a skipped ticket brought back takes a new place in its queue (a time between
-- two waiting tickets' places); NULL for every ticket that was never brought back, which
-- also says it still may be, once.
ALTER TABLE tickets ADD COLUMN queued_at REAL;
