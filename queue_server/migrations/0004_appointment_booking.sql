-- 预约办理 from the mobile booking page: the item booked, the phone, cancellations, and the
-- capacity of each category's slots as the manager set it.
-- The ID number is still only id_hash + id_last4 (+ the masked name). The phone number is
-- kept in full only until the booked day is over (a hall that must close unexpectedly can
-- call), then erased; phone_masked (138****5678) is what every view shows.
ALTER TABLE appointments ADD COLUMN service TEXT;          -- catalogue item code, or NULL
ALTER TABLE appointments ADD COLUMN phone TEXT;
ALTER TABLE appointments ADD COLUMN phone_masked TEXT;
ALTER TABLE appointments ADD COLUMN cancelled_at REAL;     -- NULL: the booking stands
CREATE INDEX appointments_slot ON appointments (date, category, slot);
CREATE INDEX appointments_holder ON appointments (id_hash, date);

CREATE TABLE slot_capacities (
    category TEXT NOT NULL,
    slot TEXT NOT NULL,                -- "09:00-09:30", the same every day
    capacity INTEGER NOT NULL CHECK (capacity BETWEEN 0 AND 999),
    set_by TEXT,
    set_at REAL NOT NULL,
    PRIMARY KEY (category, slot)
) WITHOUT ROWID;
