"""Deterministic Dutch test data: the labelled variant pairs and the synthetic register.

`python -m schakel.subjects.benchdata` rewrites `data/variant_pairs.csv` (committed):
each row is a register record (the truth) and the way a signal might write the same
person, organisation or address, labelled with the kind of variation.
"""

import csv
import random
from pathlib import Path

PAIRS_FILE = Path(__file__).parent / "data" / "variant_pairs.csv"
PAIR_FIELDS = ["pair", "kind", "variant", "name", "date_of_birth", "kvk_number", "street",
               "house_number", "house_number_addition", "postcode", "city",
               "q_name", "q_date_of_birth", "q_kvk_number", "q_street", "q_house_number",
               "q_house_number_addition", "q_postcode", "q_city"]

FIRST_NAMES = """Jan Piet Kees Henk Willem Johannes Cornelis Hendrik Gerrit Dirk Pieter Klaas Arie
Bram Daan Sem Lucas Levi Finn Milan Noah Thijs Ruben Stijn Bas Joost Maarten Sander Tim Jeroen
Anna Maria Johanna Cornelia Wilhelmina Elisabeth Hendrika Grietje Sanne Lotte Emma Julia Sophie
Fleur Eva Lisa Iris Anouk Femke Marieke Ingrid Ans Els Mieke Karin Petra Monique Esther Ilse
Mohamed Ahmed Youssef Fatima Khadija Mustafa Ibrahim Ayşe Zeynep Mehmet Özlem Çetin Gökhan
Agnieszka Katarzyna Piotr Tomasz Łukasz Marek Andrzej Małgorzata Ewa Krzysztof Bogdan Ionuț
Andrei Mihai Elena Ioana Dragoș Nikolai Olga Irina Dmitri Anastasia Chloë Zoë Noël René
Hélène Joël Gaël Renée André Frédérique Céline Thérèse Jürgen Jörg Björn Søren Åsa Gülşen""".split()

SURNAMES = """Jansen|Janssen|de Vries|van den Berg|van Dijk|Bakker|Visser|Smit|Meijer|de Boer|Mulder
|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf
|van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|van der Veen
|van den Broek|de Bruijn|de Bruin|van der Heijden|Schouten|van Beek|Willems|van Vliet
|van de Ven|Hoekstra|Maas|Verhoeven|Koster|van Dam|van der Wal|Prins|Blom|Huisman|Peeters
|de Jong|Kuipers|van Wijk|Postma|Kuiper|Veenstra|Kramer|van den Brink|Scholten|van Wijngaarden
|Post|Martens|Vink|de Ruiter|Timmermans|Groen|Gerritsen|Jonker|van Loon|Boer|van der Velde
|Willemsen|Smeets|de Lange|de Vos|Bosch|van Dongen|Schipper|de Koning|van der Laan|Koning
|van der Velden|Driessen|van Doorn|Hermans|Evers|van den Bosch|van der Meulen|Hofman|Bosman
|Wolters|Sanders|van der Horst|Mol|Kuijpers|Molenaar|van de Pol|de Leeuw|Verbeek|IJzerman
|Ijsselstein|Claassen|Klaassen|Schmidt|Müller|Çelik|Yılmaz|Öztürk|Şahin|Kaya|Demir|Aydın
|El Amrani|el Idrissi|Bouzid|Benali|Haddou|Kowalski|Nowak|Wiśniewski|Wójcik|Kamiński
|Lewandowski|Zieliński|Popescu|Ionescu|Dumitrescu|Stoica|Ivanov|Petrov|Nguyen|Tran|Pham
|'t Hart|ter Horst|ten Cate|in 't Veld|op de Beek|van 't Zand|Verschuren|Huijsman|Ruijters
|Hoogendoorn|Zwart|Geerts|Rademaker|Wouters|Mertens|Goossens|Lambrechts|Hoogeveen|Mathijssen
|Philipsen|Teunissen|Verstappen|Thijssen|Schreurs|Knoops|van Schaik|Ouwehand|Lindeboom
|Zuidema|Wijnands|Crijns|Cuijpers|Gijsbers|Reijnders|Steijn|Heijnen|Coenen
|Duijvestijn""".replace("\n", "").split("|")

STREETS = """Kerkstraat|Hoofdstraat|Dorpsstraat|Molenweg|Schoolstraat|Stationsweg|Julianastraat
|Beatrixstraat|Wilhelminastraat|Nieuwstraat|Marktplein|Kerkplein|Parallelweg|Industrieweg
|Burgemeester de Withstraat|Prins Bernhardlaan|Oranjelaan|Emmalaan|Lindenlaan|Eikenlaan
|Beukenlaan|Kastanjelaan|Populierenlaan|Achterweg|Dijkweg|Hofstraat|Havenstraat|Kloosterstraat
|Sint Jansstraat|Van Goghstraat|Rembrandtplein|Vondelstraat|Thorbeckestraat|Leliestraat
|Rozengracht|Herengracht|Keizersgracht|Singel|Oudegracht|Lange Nieuwstraat|Korte Nieuwstraat
|Zandweg|Hoogstraat|Weidelaan|Slotlaan|Mgr. Nolenslaan|Koningin Julianaplein|Waterstraat
|Heuvelweg|Broekweg|Steenweg|Brugstraat|Tolhuislaan|Veldweg|Jan van Galenstraat
|Pieter de Hoochstraat|Willem de Zwijgerlaan|Johan de Wittlaan
|Van 't Hoffstraat""".replace("\n", "").split("|")

CITIES = """Montfoort|Linschoten|Oudewater|IJsselstein|Woerden|Utrecht|Nieuwegein|Houten
|Lopik|Vianen|Gouda|Bodegraven|Harmelen|Mijdrecht|Amersfoort|Zeist|Culemborg|Den Haag
|Rotterdam|Amsterdam|Haarlem|Leiden|Tilburg|Eindhoven|'s-Hertogenbosch|Breda|Arnhem
|Nijmegen|Zwolle|Groningen""".replace("\n", "").split("|")

ORG_WORDS = """Schoonmaak|Bouw|Transport|Uitzendbureau|Nagelstudio|Massagesalon|Autowasserette
|Horeca|Bakkerij|Kapsalon|Koeriers|Logistiek|Tuinbouw|Champignonkwekerij|Vleesverwerking
|Installatietechniek|Sloopwerken|Schilders|Beveiliging|Pizzeria|Shoarma|Snackbar|Hotel
|Pension|Kinderopvang|Thuiszorg|Belwinkel|Supermarkt|Autobedrijf|Bandenservice|Klussen
|Verhuur|Vastgoed|Beheer|Import|Export|Handel|Groothandel|Detachering
|Personeel""".replace("\n", "").split("|")
ORG_NAMES = """Noord|Zuid|Oost|West|Centrum|Ster|Zon|Maan|Regenboog|Anker|Eiken|Linde|Kroon
|Parel|Diamant|Goud|Zilver|Royal|Europa|Holland|Utrecht|Lek|IJssel|Rijn|Polder|Molen|Toren
|Brug|Haven|Kade|Vesting|Slot|Kasteel|Hoeve|Weide|Akker|Veld|Duin|Bron
|Stroom""".replace("\n", "").split("|")
LEGAL = ["B.V.", "BV", "V.O.F.", "VOF", "Holding B.V.", "N.V.", "C.V.", "", ""]
LEGAL_PREFIX = ["Stichting", "Vereniging", ""]

SYLLABLES_A = """ber bol bra bro dam del dor ger gro haar ham hee hol hoo kam ker kle kro lam lan
ley mar mee mol nie noo oost pel ree rie roo sal sche ste stra ter tol vel ver wes wil wou zee
zon blok brou dek dui eek fok gie haa hui kie kuy loo mei ouw pie rui spi ta tui vaa vlie
wei""".split()
SYLLABLES_B = """man mans sma stra inga ing ink ens sen ssen ers kamp beek berg broek dijk donk hof
hout huis kes land laar meer mans molen rink sma veld vliet wijk ze ma ga ke dal horst
kes""".split()

DIACRITICS = {"a": "á", "e": "ë", "i": "ï", "o": "ö", "u": "ü", "c": "ç", "s": "ş", "n": "ñ"}


def fold_simple(text: str) -> str:
    from .normalize import fold

    folded = fold(text)
    return "".join(f if c.lower() == c else f.upper() for c, f in zip(text, folded, strict=False))


# ---------------------------------------------------------------- variant makers


def phonetic_variant(word: str, rng: random.Random) -> str:
    swaps = [("ssen", "sen"), ("sen", "ssen"), ("ij", "y"), ("IJ", "Y"), ("Ij", "Y"), ("y", "ij"),
             ("ei", "ij"), ("ij", "ei"), ("dt", "d"), ("ch", "g"), ("c", "k"),
             ("k", "c"), ("z", "s"), ("ph", "f"), ("uy", "ui"), ("ui", "uy"), ("aa", "a"),
             ("ee", "e"), ("oo", "o"), ("ks", "x"), ("th", "t"), ("tt", "t"), ("kk", "k"),
             ("Sch", "Sg"), ("ou", "au"), ("au", "ou")]
    rng.shuffle(swaps)
    if word.endswith("d") and rng.random() < 0.3:
        return word + "t"
    for old, new in swaps:
        pos = word.find(old, 1) if old.islower() else word.find(old)
        if pos >= 0:
            return word[:pos] + new + word[pos + len(old):]
    return word[:-1] + word[-1] * 2


def typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard, not in the first letter.

    A vowel swapped or dropped, or two letters turned round.
    """
    if len(word) < 4:
        return word + word[-1]
    vowels = [i for i in range(1, len(word)) if word[i] in "aeiou"]
    choice = rng.random()
    if choice < 0.4 and vowels:
        i = rng.choice(vowels)
        return word[:i] + rng.choice([v for v in "aeiou" if v != word[i]]) + word[i + 1:]
    if choice < 0.7 and vowels:
        i = rng.choice(vowels)
        return word[:i] + word[i + 1:]
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def split_surname(surname: str) -> tuple[str, str]:
    from .normalize import PREFIXES

    parts = surname.split()
    i = 0
    while i < len(parts) - 1 and parts[i].lower() in PREFIXES:
        i += 1
    return " ".join(parts[:i]), " ".join(parts[i:])


def add_diacritics(word: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(word) if c in DIACRITICS]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + DIACRITICS[word[i]] + word[i + 1:]


def person_variant(first: str, surname: str, rng: random.Random) -> tuple[str, str]:
    """(variant kind, the name as a signal writes it) for a register name first + surname."""
    prefix, core = split_surname(surname)
    kinds = ["tussenvoegsel", "diacritics", "initials", "phonetic", "swapped", "typo", "case"]
    kind = rng.choice(kinds)
    if kind == "tussenvoegsel" and not prefix:
        kind = "phonetic"
    if kind == "swapped" and prefix:
        kind = "tussenvoegsel"
    if kind == "tussenvoegsel":
        form = rng.choice([f"{core}, {first} {prefix}", f"{core}, {first[0]}. {prefix}",
                           f"{prefix} {core}, {first}", f"{core} {prefix}, {first}",
                           f"{first} {prefix.upper()} {core}"])
        return kind, form
    if kind == "diacritics":
        folded_first, folded_core = fold_simple(first), fold_simple(core)
        if (folded_first, folded_core) != (first, core):
            return kind, f"{folded_first} {prefix} {folded_core}".replace("  ", " ")
        return kind, f"{add_diacritics(first, rng)} {prefix} {add_diacritics(core, rng)}".replace(
            "  ", " ")
    if kind == "initials":
        return kind, rng.choice([f"{first[0]}. {surname}", f"{surname}, {first[0]}.",
                                 f"{first[0]} {surname}"])
    if kind == "phonetic":
        return kind, f"{first} {prefix} {phonetic_variant(core, rng)}".replace("  ", " ")
    if kind == "swapped":
        return kind, f"{core} {first}"
    if kind == "typo":
        return kind, f"{first} {prefix} {typo(core, rng)}".replace("  ", " ")
    return kind, rng.choice([f"{first} {surname}".upper(),
                             f"  {first.lower()}  {surname.lower()} "])


ABBREVIATIONS = [("straat", "str."), ("laan", "ln."), ("plein", "pln."), ("Burgemeester", "Burg."),
                 ("Prins", "Pr."), ("Sint", "St."), ("weg", "wg."), ("gracht", "gr.")]


def street_variant(street: str, rng: random.Random) -> tuple[str, str]:
    options = [(a, b) for a, b in ABBREVIATIONS if a in street]
    if options and rng.random() < 0.7:
        a, b = rng.choice(options)
        return "abbreviation", street.replace(a, b, 1)
    if rng.random() < 0.5:
        return "typo", street[:1] + typo(street[1:], rng) if len(street) > 6 else street
    return "case", street.upper()


def house_variant(addition: str, rng: random.Random) -> str:
    if addition.isdigit():  # "12-2", "12 2", "12/2": never glued to the number
        return rng.choice([f"-{addition}", f" {addition}", f"/{addition}"])
    return rng.choice([addition, addition.upper(), f"-{addition.upper()}", f" {addition}",
                       f"-{addition}"])


def random_postcode(rng: random.Random) -> str:
    return f"{rng.randint(1000, 9999)}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}" \
           f"{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"


def random_dob(rng: random.Random) -> str:
    return f"{rng.randint(1945, 2008)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def synthetic_surname(rng: random.Random) -> str:
    core = rng.choice(SYLLABLES_A).capitalize() + rng.choice(SYLLABLES_A) + rng.choice(SYLLABLES_B)
    r = rng.random()
    if r < 0.15:
        return "van " + core
    if r < 0.22:
        return "de " + core
    if r < 0.26:
        return "van der " + core
    return core


def org_name(rng: random.Random, synthetic: bool) -> str:
    word = rng.choice(ORG_WORDS)
    name = (rng.choice(SYLLABLES_A).capitalize() + rng.choice(SYLLABLES_B)) if synthetic else \
        rng.choice(ORG_NAMES)
    shape = rng.random()
    if shape < 0.4:
        return f"{word}bedrijf {name}" if rng.random() < 0.2 else f"{word} {name}"
    if shape < 0.7:
        return f"{name} {word}"
    return f"{rng.choice(SURNAMES)} {word}"


# ---------------------------------------------------------------- the pairs


def make_pairs(count: int = 1200, seed: int = 20261129) -> list[dict]:
    rng = random.Random(seed)
    pairs = []
    for i in range(count):
        kind = ["person", "person", "person", "organisation", "address"][i % 5]
        row = {f: "" for f in PAIR_FIELDS}
        row.update(pair=str(i + 1), kind=kind)
        city = rng.choice(CITIES)
        if kind == "person":
            first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            variant, q_name = person_variant(first, surname, rng)
            row.update(name=f"{first} {surname}", date_of_birth=random_dob(rng), city=city,
                       variant=variant, q_name=" ".join(q_name.split()) if variant != "case"
                       else q_name)
            # A signal often knows the date of birth; with initials only, it usually does.
            if rng.random() < (0.85 if variant == "initials" else 0.5):
                row["q_date_of_birth"] = row["date_of_birth"]
        elif kind == "organisation":
            base = org_name(rng, synthetic=False)
            legal = rng.choice(LEGAL)
            pre = rng.choice(LEGAL_PREFIX) if not legal else ""
            name = " ".join(p for p in [pre, base, legal] if p)
            kvk = f"{rng.randint(10000000, 99999999)}"
            r = rng.random()
            if r < 0.3:
                variant = "kvk"
                q_name = rng.choice([base, base.upper(), typo(base, rng)])
                row["q_kvk_number"] = kvk if rng.random() < 0.5 else f"{kvk[:4]} {kvk[4:]}"
            elif r < 0.7:
                variant = "legal_form"
                q_name = " ".join(p for p in [rng.choice(["", "Stichting"]) if pre else "", base,
                                              rng.choice(["B.V.", "bv", "V.O.F.", "", "Holding"])]
                                  if p)
            else:
                variant = "typo"
                words = base.split()
                j = rng.randrange(len(words))
                words[j] = typo(words[j], rng) if len(words[j]) > 4 else words[j]
                q_name = " ".join(words)
            row.update(name=name, kvk_number=kvk, variant=variant, q_name=q_name,
                       street=rng.choice(STREETS), house_number=str(rng.randint(1, 250)),
                       postcode=random_postcode(rng), city=city)
            if rng.random() < 0.3:
                row.update(q_street=row["street"], q_house_number=row["house_number"],
                           q_postcode=row["postcode"])
        else:
            street, number = rng.choice(STREETS), str(rng.randint(1, 250))
            addition = rng.choice(["", "", "a", "b", "bis", "1", "2", "hs"])
            postcode = random_postcode(rng)
            row.update(street=street, house_number=number, house_number_addition=addition,
                       postcode=postcode, city=city)
            r = rng.random()
            if r < 0.55:
                variant = "postcode"
                spaced = f"{postcode[:4]} {postcode[4:]}"
                q_postcode = rng.choice([postcode, spaced, postcode.lower(), spaced.lower()])
                row.update(q_postcode=q_postcode, q_street=rng.choice(["", street]))
            else:
                variant, q_street = street_variant(street, rng)
                variant = "street_" + variant
                row.update(q_street=q_street, q_city=rng.choice([city, city.upper()]))
            if addition and rng.random() < 0.5:
                row["q_house_number"] = number + house_variant(addition, rng)
            else:
                row["q_house_number"] = number
                row["q_house_number_addition"] = addition.upper() if addition else ""
            row["variant"] = variant
        pairs.append(row)
    return pairs


def write_pairs(path: Path = PAIRS_FILE) -> int:
    pairs = make_pairs()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=PAIR_FIELDS)
        writer.writeheader()
        writer.writerows(pairs)
    return len(pairs)


def read_pairs(path: Path = PAIRS_FILE) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- the synthetic register


def noise_records(count: int, seed: int = 7):
    """Dicts of register records: 60 % persons, 20 % organisations, 20 % addresses."""
    rng = random.Random(seed)
    for i in range(count):
        r = rng.random()
        rec = {"external_id": f"n{i}", "name": "", "date_of_birth": "", "kvk_number": "",
               "street": "", "house_number": "", "house_number_addition": "", "postcode": "",
               "city": ""}
        if r < 0.6:
            rec["kind"] = "person"
            surname = rng.choice(SURNAMES) if rng.random() < 0.05 else synthetic_surname(rng)
            rec["name"] = f"{rng.choice(FIRST_NAMES)} {surname}"
            rec["date_of_birth"] = random_dob(rng)
            with_address = rng.random() < 0.3
        elif r < 0.8:
            rec["kind"] = "organisation"
            rec["name"] = org_name(rng, synthetic=rng.random() < 0.9) + " " + rng.choice(LEGAL)
            rec["kvk_number"] = f"{rng.randint(10000000, 99999999)}"
            with_address = True
        else:
            rec["kind"] = "address"
            with_address = True
        if with_address:
            street = rng.choice(STREETS) if rng.random() < 0.1 else (
                rng.choice(SYLLABLES_A).capitalize() + rng.choice(SYLLABLES_B)
                + rng.choice(["straat", "laan", "weg", "plein", "hof", "gracht"]))
            rec.update(street=street, house_number=str(rng.randint(1, 300)),
                       house_number_addition=rng.choice(["", "", "", "", "a", "b", "1"]),
                       postcode=random_postcode(rng), city=rng.choice(CITIES))
        yield rec


if __name__ == "__main__":
    print(f"{write_pairs()} pairs written to {PAIRS_FILE}")
