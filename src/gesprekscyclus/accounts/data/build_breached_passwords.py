"""Rebuild breached-passwords.txt.gz beside this file (see docs/security.md).

    .venv/bin/python src/gesprekscyclus/accounts/data/build_breached_passwords.py

Sources: Django's bundled list of 20,000 passwords from breaches (Royce Williams' list,
made from public breach corpora) plus Dutch words people often build passwords from.
"""

import gzip
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
django_list = Path(django.__file__).parent / "contrib" / "auth" / "common-passwords.txt.gz"
with gzip.open(django_list, "rt", encoding="utf-8") as source:
    words = set(source.read().split())
dutch = """
wachtwoord welkom welkom01 geheim hallo hoi doei dag zomer winter lente herfst voorjaar najaar
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart april mei juni juli
augustus september oktober november december gemeente gemeentehuis gemeenteraad provincie rijksoverheid
overheid ambtenaar personeel medewerker welkomstgesprek gesprekscyclus gesprek afdeling teamleider
nederland holland oranje amsterdam rotterdam utrecht denhaag eindhoven groningen tilburg almere breda
nijmegen arnhem haarlem zwolle leiden maastricht dordrecht zoetermeer ajax feyenoord psv vitesse twente
schatje liefje lieverd liefde mijnliefde ikhouvanjou kusjes knuffel poepie snoepje prinses prinsesje
konijn hondje poesje kikker vlinder zonnetje sterretje bloemetje tulpen tulp fiets fietsen voetbal
hockey tennis schaatsen koffie thee kaas stroopwafel hagelslag appeltaart pannenkoek bitterbal
sinterklaas kerstmis kerst pasen oudjaar nieuwjaar koningsdag bevrijdingsdag vakantie zomervakantie
wintersport welkomthuis welkomterug thuis familie gezin mamapapa mama papa opa oma broer zus
inloggen aanmelden toegang beheerder beheer systeem computer laptop telefoon internet
geheimwachtwoord mijnwachtwoord nieuwwachtwoord wachtwoord1 wachtwoord123 wachtwoord01
welkom123 welkom2020 welkom2021 welkom2022 welkom2023 welkom2024 welkom2025 welkom2026 welkom2027
qwertyuiop asdfghjkl zxcvbnm azertyuiop
""".split()  # noqa: SIM905  (easier to read and extend as text)
words.update(dutch)
entries = sorted(w for w in words if w)
out = HERE / "breached-passwords.txt.gz"
with gzip.GzipFile(out, "wb", mtime=0) as handle:
    handle.write(("\n".join(entries) + "\n").encode("utf-8"))
print(len(entries), out.stat().st_size)
