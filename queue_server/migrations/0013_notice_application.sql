-- A one-time notice (一次性告知书) given for an application's correction (补正) names it:
-- the notice page shows the application number the citizen brings the materials back for.
ALTER TABLE notices ADD COLUMN application TEXT;
