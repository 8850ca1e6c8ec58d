-- 一次性告知书: the materials a citizen still has to bring for an item, listed once at the
-- window. `number` is what the citizen types at a kiosk to come back for the same item (it
-- answers only the item); `token` is the unguessable name of the notice's mobile page.
-- Nothing personal is kept here: the ticket links to the holder as it always did.
CREATE TABLE notices (
    number TEXT PRIMARY KEY,           -- YYMMDD + sequence of the day: 261202007
    token TEXT NOT NULL UNIQUE,
    date TEXT NOT NULL,                -- hall-local day of issue
    seq INTEGER NOT NULL,
    item TEXT NOT NULL,                -- service item code of the catalogue
    materials TEXT NOT NULL,           -- JSON list of the missing materials' names
    ticket_id INTEGER,
    ticket TEXT,                       -- the ticket number it was issued on
    window TEXT,
    staff TEXT,
    created_at REAL NOT NULL,
    UNIQUE (date, seq)
);
CREATE INDEX notices_ticket ON notices (ticket_id);
