-- Sync with the county (docs/sync.md). Each change of an application counts up `rev`, so the
-- record owed to the county for it has its own id (<site>/application/<number>.<rev>);
-- `decided_by` is 'county' once the county's decision was applied here (the county owns
-- decisions: a synced site's windows do not approve or refuse).
ALTER TABLE applications ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN decided_by TEXT;
