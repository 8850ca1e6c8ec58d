"""Face verification (人证核验): is the person at the kiosk the holder of the card just read?

- model: the dlib models (HOG detector, 5-point landmarks, 128-d embedding), loaded once.
- quality: the gates a live frame passes before it is compared, each with its prompt.
- liveness: the head-turn challenge, measured from the 5-point landmarks across frames.
- cardphoto: the card's photo (102x126), and how a picture is made into one (tests, CLI).
- verify: the card photo's embedding (once per card) and one try against live frames, 1:1.
- samples, synth, calibrate, bench: faces from installed packages, synthetic variations,
  the threshold's calibration and `yichuang bench face` (tests and measurement only).

Pure computation on RGB numpy arrays; nothing here keeps an image beyond the call that
received it, writes one anywhere, or logs one.
"""
