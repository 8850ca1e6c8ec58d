-- 好差评 everywhere (queue_server/ratings.py): the rating's item, application, free text,
-- who gave it (named or not) and how often it was changed. Older rows keep working: their new
-- columns are empty, `created_at` falls back to `ts`, and they count as anonymous.
ALTER TABLE evaluations ADD COLUMN category TEXT;       -- the ticket's category
ALTER TABLE evaluations ADD COLUMN item TEXT;           -- the catalogue item's code
ALTER TABLE evaluations ADD COLUMN application TEXT;    -- the 办件 number filed on the ticket
ALTER TABLE evaluations ADD COLUMN comment TEXT;        -- free text (bad levels), neutralised
ALTER TABLE evaluations ADD COLUMN named INTEGER NOT NULL DEFAULT 0;
ALTER TABLE evaluations ADD COLUMN id_hash TEXT;        -- keyed hash of the ID number (identity.py)
ALTER TABLE evaluations ADD COLUMN phone TEXT;          -- for the 回访 of a bad rating; never sent up
ALTER TABLE evaluations ADD COLUMN created_at REAL;     -- first given; NULL in older rows: ts
ALTER TABLE evaluations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;   -- 2, 3: changed
CREATE INDEX evaluations_person ON evaluations (id_hash);
