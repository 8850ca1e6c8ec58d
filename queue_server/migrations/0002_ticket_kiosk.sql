-- Which kiosk issued each ticket (NULL for tickets issued before this version, appointments
-- checked in by the console, and tickets of the web channel): lets a hall trace a complaint
-- such as "the ticket did not print" to one machine.
ALTER TABLE tickets ADD COLUMN kiosk TEXT;
CREATE INDEX tickets_kiosk ON tickets (date, kiosk);
