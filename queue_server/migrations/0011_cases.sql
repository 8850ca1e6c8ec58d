-- Cases (工单): bad ratings to rectify and 办不成事 / 有诉即办 complaints (queue_server/cases).
-- `record` is the state machine's view (queue_server/cases/model.py) and holds nothing
-- personal; a complaint's contact (phone) is in `sealed` (AES-GCM with the applications'
-- key, <db>.appkey, never here). The columns beside it are copies for the console's queries.
CREATE TABLE cases (
    number TEXT PRIMARY KEY,           -- HALL-CYYYYMMDD-NNNN
    token TEXT NOT NULL UNIQUE,        -- unguessable name of the citizen's page
    kind TEXT NOT NULL CHECK (kind IN ('rating', 'complaint')),
    date TEXT NOT NULL,                -- hall-local day it was opened
    seq INTEGER NOT NULL,
    state TEXT NOT NULL,
    department TEXT,
    lead TEXT,                         -- staff account it is assigned to
    window TEXT,
    staff TEXT,                        -- staff member rated or complained about
    item TEXT,
    named INTEGER NOT NULL DEFAULT 0,  -- a named citizen: counts in 实名差评按期整改率
    evaluation_id INTEGER UNIQUE,      -- the bad rating it was opened for
    due TEXT NOT NULL,                 -- ISO day to rectify (answer) by
    rectified_on TEXT,
    revisited_on TEXT,
    record TEXT NOT NULL,              -- JSON, nothing personal
    sealed BLOB,                       -- encrypted {phone} of a complaint
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    UNIQUE (date, seq)
);
CREATE INDEX cases_state ON cases (state);
CREATE INDEX cases_date ON cases (date);
-- Notes and evidence: what was found, done, said; one row per step (the audit has who too).
CREATE TABLE case_notes (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL REFERENCES cases (number),
    ts REAL NOT NULL,
    staff TEXT,
    action TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX case_notes_number ON case_notes (number);

-- Every bad rating stored before cases existed becomes a case. Its deadline was never set:
-- seven calendar days (about five working days) after the rating; a rating rectified with the
-- old note is "rectified" (or "revisited" when the note had a callback), on time when the note
-- came by that day. Old ratings name nobody: they do not count in the named on-time rate.
INSERT INTO cases (number, token, kind, date, seq, state, window, staff, named, evaluation_id,
                   due, rectified_on, revisited_on, record, created_at, updated_at)
SELECT number, token, 'rating', date, seq, state, window, staff, 0, id, due, rectified_on,
       revisited_on,
       json_object('number', number, 'token', token, 'kind', 'rating', 'state', state,
                   'opened_on', date, 'due', due, 'window', window, 'staff', staff,
                   'ticket', ticket, 'evaluation', id, 'level', level, 'channel', channel,
                   'answer', coalesce(json_extract(rectification, '$.cause') || '；' ||
                                      json_extract(rectification, '$.action'), ''),
                   'rectified_on', rectified_on,
                   'revisit', CASE WHEN revisited_on IS NULL THEN NULL ELSE json_object(
                       'how', 'phone', 'at', revisited_on || 'T00:00',
                       'said', json_extract(rectification, '$.callback'),
                       'satisfied', NULL) END,
                   'revisited_on', revisited_on),
       ts, ts
FROM (SELECT e.*, 'OLD-E' || printf('%06d', e.id) AS number,
             lower(hex(randomblob(18))) AS token, -e.id AS seq,
             date(e.date, '+7 days') AS due,
             date(e.rectified_at, 'unixepoch', 'localtime') AS rectified_on,
             CASE WHEN coalesce(json_extract(e.rectification, '$.callback'), '') != ''
                  THEN date(e.rectified_at, 'unixepoch', 'localtime') END AS revisited_on,
             CASE WHEN e.rectified_at IS NULL THEN 'open'
                  WHEN coalesce(json_extract(e.rectification, '$.callback'), '') != ''
                  THEN 'revisited' ELSE 'rectified' END AS state
      FROM evaluations e WHERE e.bad = 1);
