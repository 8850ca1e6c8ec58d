-- 人证核验: the kiosk's face verification of the ticket's holder, as JSON {result, distance,
-- liveness, at}; never an image. NULL for tickets of categories that do not ask for it.
ALTER TABLE tickets ADD COLUMN face_check TEXT;
