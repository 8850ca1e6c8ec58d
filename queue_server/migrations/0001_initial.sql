-- The hall's day: tickets, windows, idempotent answers, ratings, audit, appointments, staff.
-- No table holds a raw ID number: only a salted HMAC (id_hash) and the last four digits.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,                -- hall-local day of issue
    category TEXT NOT NULL,            -- the queue it is in now
    origin TEXT NOT NULL,              -- the category that numbered it
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    priority TEXT NOT NULL,
    issued_at REAL NOT NULL,
    token TEXT NOT NULL,
    status TEXT NOT NULL,
    service TEXT,
    window TEXT,
    staff TEXT,
    called_at REAL,
    started_at REAL,
    finished_at REAL,
    attempt INTEGER NOT NULL DEFAULT 0,
    overtaken INTEGER NOT NULL DEFAULT 0,
    reserved_for TEXT,
    transferred_from TEXT,             -- JSON {"category", "window"}
    outcome TEXT,
    reason TEXT,
    id_hash TEXT,
    id_last4 TEXT,
    name_masked TEXT,
    appointment TEXT,
    UNIQUE (date, origin, seq),
    UNIQUE (date, number)
);
CREATE UNIQUE INDEX tickets_token ON tickets (token);
CREATE INDEX tickets_status ON tickets (status, date);

CREATE TABLE windows (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    staff TEXT,
    staff_name TEXT,
    ticket_id INTEGER,
    reason TEXT,
    since REAL
);

CREATE TABLE idempotency (
    role TEXT NOT NULL,
    client_id TEXT NOT NULL,
    txn TEXT NOT NULL,
    response TEXT NOT NULL,            -- the JSON answer sent the first time
    ts REAL NOT NULL,
    PRIMARY KEY (role, client_id, txn)
) WITHOUT ROWID;
CREATE INDEX idempotency_ts ON idempotency (ts);

CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL UNIQUE,
    ticket TEXT NOT NULL,
    date TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    reasons TEXT NOT NULL,             -- JSON list
    window TEXT,
    staff TEXT,
    channel TEXT NOT NULL,
    ts REAL NOT NULL,
    bad INTEGER NOT NULL,              -- levels 1-2: needs rectification
    rectified_at REAL,
    rectified_by TEXT,
    rectification TEXT
);
CREATE INDEX evaluations_date ON evaluations (date);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    date TEXT NOT NULL,
    staff TEXT,
    window TEXT,
    action TEXT NOT NULL,
    ticket TEXT,
    details TEXT NOT NULL,             -- JSON
    channel TEXT NOT NULL
);
CREATE INDEX audit_date ON audit (date);

CREATE TABLE appointments (
    code TEXT PRIMARY KEY,
    category TEXT NOT NULL,
    date TEXT NOT NULL,
    slot TEXT NOT NULL,
    name_masked TEXT,
    id_hash TEXT,
    id_last4 TEXT,
    created_at REAL NOT NULL,
    checked_in INTEGER NOT NULL DEFAULT 0,
    ticket_id INTEGER
);
CREATE INDEX appointments_person ON appointments (date, id_hash);

CREATE TABLE staff (
    staff_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('window', 'manager', 'admin')),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at REAL NOT NULL
);
