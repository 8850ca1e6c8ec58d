-- Records this hall owes another system (its county over the bridged bus, the provincial
-- rating platform; at a county, each site), kept until the other side acknowledges each one
-- by its id; and the ids of records received from others, so that a redelivery has no second
-- effect. queue_server/outbox.py reads and writes both.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- delivery order
    destination TEXT NOT NULL,               -- county | province | a site's id
    id TEXT NOT NULL,                        -- the record's id: the receiver's dedupe key
    kind TEXT NOT NULL,                      -- application | rating | case | figures | ...
    body TEXT NOT NULL,                      -- JSON; nothing personal in clear
    created_at REAL NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    next_try_at REAL NOT NULL DEFAULT 0,     -- no new try before this (back-off)
    last_error TEXT,
    delivered_at REAL,                       -- acknowledged by the other side
    UNIQUE (destination, id)
);
CREATE INDEX outbox_due ON outbox (destination, delivered_at, next_try_at);
CREATE TABLE inbox (
    source TEXT NOT NULL,                    -- who sent it: a site's id, county, ...
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    received_at REAL NOT NULL,
    PRIMARY KEY (source, id)
);
