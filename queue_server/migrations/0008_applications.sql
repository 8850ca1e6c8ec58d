-- Applications (办件). `record` is the state machine's view (queue_server/applications/model.py:
-- states, materials' names and statuses, dates) and holds nothing personal; the form, the
-- citizen's name and phone are in `sealed` (AES-GCM, key in <db>.appkey, never here). The
-- columns beside it are copies of the record for the console's queries and reports.
-- After `keep_until` (closing day + the item's retention) the personal columns are erased.
CREATE TABLE applications (
    number TEXT PRIMARY KEY,           -- HALL-YYYYMMDD-NNNN
    token TEXT NOT NULL UNIQUE,        -- unguessable name of the phone page
    date TEXT NOT NULL,                -- hall-local day of submission
    seq INTEGER NOT NULL,
    item TEXT NOT NULL,
    domain TEXT,                       -- of the item: the overdue report's department
    state TEXT NOT NULL,
    window TEXT,                       -- the window that last handled it
    due TEXT,                          -- the promised day (ISO), once accepted
    record TEXT NOT NULL,              -- JSON, nothing personal
    sealed BLOB,                       -- encrypted {form, name, phone}; NULL once purged
    id_hash TEXT,                      -- HMAC of the ID number (identity.py); NULL once purged
    id_last4 TEXT,                     -- for a lookup by number + last four digits
    keep_until TEXT,                   -- personal data erased after this day
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    UNIQUE (date, seq)
);
CREATE INDEX applications_state ON applications (state);
CREATE INDEX applications_person ON applications (id_hash);
CREATE TABLE application_photos (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL REFERENCES applications (number),
    material TEXT NOT NULL,            -- the material's name in the catalogue
    sealed BLOB NOT NULL,              -- the encrypted image bytes
    created_at REAL NOT NULL
);
CREATE INDEX application_photos_number ON application_photos (number);
