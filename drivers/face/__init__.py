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

# The largest distance at which the card photo and the live face count as one person,
# calibrated in docs/face.md; a hall may set its own (hosts[].kiosk.face_threshold) within
# this range, measured on its own samples with `yichuang face compare --pairs`. Kept here,
# free of imports, so the hall config can name it without loading numpy or dlib.
DEFAULT_THRESHOLD = 0.55
THRESHOLD_RANGE = (0.30, 0.70)
