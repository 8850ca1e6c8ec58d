-- Evidence photos on cases (整改材料, queue_server/cases/desk.py): the same pattern as the
-- application photos (0008): the image bytes sealed with the applications' key (AES-GCM,
-- <db>.appkey, never here), bound to the case number.
CREATE TABLE case_evidence (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL REFERENCES cases (number),
    state TEXT NOT NULL,               -- the case's state when it was added (the step it shows)
    staff TEXT,                        -- who added it
    sealed BLOB NOT NULL,              -- the encrypted image bytes
    created_at REAL NOT NULL
);
CREATE INDEX case_evidence_number ON case_evidence (number);
