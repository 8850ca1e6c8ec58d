-- Service items managers add, edit and retire in the console (事项管理). The catalogue file
-- the hall ships stays as it is; at start the newest change of each item is put over the
-- file's items (hall/catalog/edits.py checks it again). Rows are never deleted: the history.
CREATE TABLE catalogue_changes (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    staff TEXT,
    code TEXT NOT NULL,                -- the item's code
    action TEXT NOT NULL,              -- add | edit | retire
    before TEXT,                       -- JSON of the item's fields before (NULL for add)
    after TEXT NOT NULL                -- JSON of the item's fields after
);
CREATE INDEX catalogue_changes_code ON catalogue_changes (code, id);
