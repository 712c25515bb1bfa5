"""The evaluation set with look-alikes: register records and labelled queries, per class.

Separate from the variant pairs (`benchdata.py`), which hold only positive pairs. Each
group here puts a true record and its look-alikes in the register (a household member,
a neighbour, a namesake born on another day, the same street in another place, …) and
asks one query; in the `*_none` classes the true record is left out, so the right
answer is "geen overeenkomst" (no waarschijnlijk or zeker candidate).

`generate(seed)` is deterministic. Two splits: TUNE_SEED estimates the weights and
chooses the band thresholds (`estimate.py`), TEST_SEED is only measured (`bench.py`).
"""

import random
from dataclasses import dataclass, field

from .benchdata import (
    CITIES,
    FIRST_NAMES,
    ORG_NAMES,
    ORG_WORDS,
    STREETS,
    SURNAMES,
    person_variant,
    random_dob,
    random_postcode,
    split_surname,
    synthetic_surname,
    typo,
)

TUNE_SEED = 1111
TEST_SEED = 2222

# class: (what it checks, kind, whether the register holds the true record)
CLASSES = {
    "person_variant": ("notation, initials, phonetic spelling, typing slip", "person", True),
    "person_surname_first": ("surname first without comma: 'Dijk van Yara'", "person", True),
    "person_transliteration": ("Driss/Idriss, Mykola/Nikolaj, Mohammed/Muhammad", "person",
                               True),
    "person_household": ("household members at the same address", "person", True),
    "person_household_none": ("only other household members are known", "person", False),
    "person_namesake": ("a namesake with another date of birth", "person", True),
    "person_namesake_none": ("only namesakes with other dates of birth", "person", False),
    "person_unknown": ("nobody by that name and date of birth", "person", False),
    "org_word_order": ("'Garage X' / 'X Garage'", "organisation", True),
    "org_abbreviation": ("Verhuisbedr., Ned., Int.", "organisation", True),
    "org_legal_form": ("X B.V. beside X V.O.F.", "organisation", True),
    "org_phonetic_twin": ("Hendrix beside Hendriks, told apart by place", "organisation", True),
    "org_shared_words": ("organisations sharing words", "organisation", True),
    "org_shared_words_none": ("only organisations sharing words", "organisation", False),
    "org_kvk": ("same name, other KvK number elsewhere", "organisation", True),
    "org_kvk_none": ("same name but another KvK number", "organisation", False),
    "org_place": ("same name in another place", "organisation", True),
    "address_postcode_dash": ("postcode written '3991-ZM'", "address", True),
    "address_one_line": ("'Molenweg 5, 3441 SN Woerden', '173, 3441SN Woerden'", "address",
                         True),
    "address_neighbour": ("neighbours ±1 and ±2", "address", True),
    "address_neighbour_none": ("only the neighbours are known", "address", False),
    "address_other_place": ("same street and number in another place", "address", True),
    "address_other_place_none": ("only in another place", "address", False),
    "address_addition": ("12a beside 12b", "address", True),
    "address_addition_none": ("only other additions", "address", False),
    "address_mixed_kinds": ("a person and an organisation at the address", "address", True),
}

# Given names as different registers transliterate or spell them.
GIVEN_FAMILIES = [
    ("Idriss", "Driss", "Idris"), ("Mohammed", "Muhammad", "Mohamed", "Mohamad"),
    ("Mykola", "Nikolaj", "Nikolai", "Mikola"), ("Youssef", "Yusuf", "Youssouf"),
    ("Oleksandr", "Aleksandr", "Alexander"), ("Serhiy", "Sergej", "Sergei"),
    ("Dmytro", "Dmitri", "Dmitrij"), ("Hussein", "Hoessein", "Husein"),
    ("Abdelkader", "Abdulkadir", "Abdelkadir"), ("Mustafa", "Moestafa", "Mostafa"),
    ("Yevhen", "Evgeni", "Jevgeni"), ("Oksana", "Oxana"), ("Natalia", "Nataliya", "Natalja"),
    ("Olena", "Elena", "Jelena"), ("Tetiana", "Tatjana", "Tatiana"), ("Ahmed", "Ahmad", "Achmed"),
]
FOREIGN_SURNAMES = ["El Amrani", "Bouzid", "Benali", "Haddou", "Kovalenko", "Shevchenko",
                    "Bondarenko", "Tkachenko", "Kravchenko", "Popescu", "Ionescu", "Nowak",
                    "Kowalski", "Yilmaz", "Demir", "Ahmadi", "Rahimi", "Hosseini", "Osman",
                    "Abdi", "Tesfaye", "Haile", "Mensah", "Boateng", "Nguyen", "Tran"]
ORG_ABBREVIATED = [("Verhuisbedrijf", "Verhuisbedr."), ("Nederlandse", "Ned."),
                   ("Internationaal", "Int."), ("Schoonmaakbedrijf", "Schoonmaakbedr."),
                   ("Uitzendbureau", "Uitzendbur."), ("Gebroeders", "Gebr.")]


@dataclass
class EvalSet:
    records: list[dict] = field(default_factory=list)
    queries: list[dict] = field(default_factory=list)


class _Maker:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.out = EvalSet()
        self.seed = seed
        self.n = 0

    # ------------------------------------------------------------ building blocks

    def record(self, kind: str, **values) -> str:
        self.n += 1
        ext = f"eval{self.seed}-{self.n}"
        row = {"external_id": ext, "kind": kind, "name": "", "date_of_birth": "",
               "kvk_number": "", "street": "", "house_number": "", "house_number_addition": "",
               "postcode": "", "city": ""}
        row.update(values)
        self.out.records.append(row)
        return ext

    def query(self, cls: str, truth: str, **values) -> None:
        row = {"id": f"q{self.seed}-{len(self.out.queries) + 1}", "cls": cls,
               "kind": CLASSES[cls][1], "truth": truth if CLASSES[cls][2] else "",
               "name": "", "date_of_birth": "", "kvk_number": "", "street": "",
               "house_number": "", "addition": "", "postcode": "", "city": ""}
        row.update(values)
        self.out.queries.append(row)

    def place(self) -> dict:
        rng = self.rng
        street = rng.choice(STREETS) if rng.random() < 0.5 else (
            synthetic_surname(rng).split()[-1] + rng.choice(["straat", "laan", "weg", "hof"]))
        return {"street": street, "house_number": str(rng.randint(1, 180)),
                "postcode": random_postcode(rng), "city": rng.choice(CITIES)}

    def surname(self) -> str:
        return self.rng.choice(SURNAMES) if self.rng.random() < 0.5 else synthetic_surname(
            self.rng)

    def first(self, other_than: str = "") -> str:
        while True:
            name = self.rng.choice(FIRST_NAMES)
            if name[0] != other_than[:1]:
                return name

    def org_base(self) -> str:
        rng = self.rng
        name = rng.choice(ORG_NAMES) if rng.random() < 0.3 else synthetic_surname(rng).split()[-1]
        return f"{rng.choice(ORG_WORDS)} {name}"

    def kvk(self) -> str:
        return str(self.rng.randint(10000000, 99999999))

    def other_dob(self, dob: str) -> str:
        while True:
            other = random_dob(self.rng)
            if other[:4] != dob[:4]:
                return other

    # ------------------------------------------------------------ persons

    def person_variant(self, cls):
        rng = self.rng
        first, surname, dob = self.first(), self.surname(), random_dob(rng)
        truth = self.record("person", name=f"{first} {surname}", date_of_birth=dob)
        variant, written = person_variant(first, surname, rng)
        self.query(cls, truth, name=" ".join(written.split()),
                   date_of_birth=dob if rng.random() < 0.7 else "")

    def person_surname_first(self, cls):
        rng = self.rng
        first, dob = self.first(), random_dob(rng)
        prefix = rng.choice(["van", "de", "van der", "van den", "ter", "van de"])
        core = self.surname().split()[-1]
        truth = self.record("person", name=f"{first} {prefix} {core}", date_of_birth=dob)
        self.query(cls, truth, name=f"{core} {prefix} {first}",
                   date_of_birth=dob if rng.random() < 0.6 else "")

    def person_transliteration(self, cls):
        rng = self.rng
        family = rng.choice(GIVEN_FAMILIES)
        registered, written = rng.sample(family, 2)
        surname = rng.choice(FOREIGN_SURNAMES) if rng.random() < 0.6 else synthetic_surname(rng)
        dob = random_dob(rng)
        truth = self.record("person", name=f"{registered} {surname}", date_of_birth=dob)
        self.query(cls, truth, name=f"{written} {surname}",
                   date_of_birth=dob if rng.random() < 0.6 else "")

    def _household(self, cls, with_truth):
        rng = self.rng
        surname, home = self.surname(), self.place()
        first, dob = self.first(), random_dob(rng)
        truth = ""
        if with_truth:
            truth = self.record("person", name=f"{first} {surname}", date_of_birth=dob, **home)
        for _member in range(rng.randint(1, 2)):
            self.record("person", name=f"{self.first(first)} {surname}",
                        date_of_birth=self.other_dob(dob), **home)
        self.query(cls, truth, name=f"{first} {surname}",
                   date_of_birth=dob if rng.random() < 0.5 else "",
                   street=home["street"], house_number=home["house_number"],
                   postcode=home["postcode"] if rng.random() < 0.7 else "", city=home["city"])

    def person_household(self, cls):
        self._household(cls, True)

    def person_household_none(self, cls):
        self._household(cls, False)

    def _namesake(self, cls, with_truth):
        rng = self.rng
        first, surname, dob = self.first(), self.surname(), random_dob(rng)
        truth = ""
        if with_truth:
            truth = self.record("person", name=f"{first} {surname}", date_of_birth=dob)
        for _other in range(rng.randint(1, 2)):
            self.record("person", name=f"{first} {surname}", date_of_birth=self.other_dob(dob))
        name = f"{first} {surname}" if rng.random() < 0.7 else f"{first[0]}. {surname}"
        self.query(cls, truth, name=name, date_of_birth=dob)

    def person_namesake(self, cls):
        self._namesake(cls, True)

    def person_namesake_none(self, cls):
        self._namesake(cls, False)

    def person_unknown(self, cls):
        rng = self.rng
        surname, first = self.surname(), self.first()
        for _other in range(rng.randint(0, 2)):  # others of that surname are known
            self.record("person", name=f"{self.first(first)} {surname}",
                        date_of_birth=random_dob(rng))
        self.query(cls, "", name=f"{first} {surname}",
                   date_of_birth=random_dob(rng) if rng.random() < 0.7 else "")

    # ------------------------------------------------------------ organisations

    def org_word_order(self, cls):
        rng = self.rng
        word, name = rng.choice(ORG_WORDS), synthetic_surname(rng).split()[-1]
        truth = self.record("organisation", name=f"{word} {name} B.V.", kvk_number=self.kvk(),
                            **self.place())
        self.query(cls, truth, name=f"{name} {word}")

    def org_abbreviation(self, cls):
        rng = self.rng
        full, short = rng.choice(ORG_ABBREVIATED)
        name = synthetic_surname(rng).split()[-1]
        international = rng.random() < 0.4
        truth = self.record("organisation", name=f"{full} {name}"
                            + (" Internationaal" if international else "") + " B.V.",
                            kvk_number=self.kvk(), **self.place())
        self.query(cls, truth, name=f"{short} {name}" + (" Int." if international else ""))

    def org_legal_form(self, cls):
        rng = self.rng
        base = self.org_base()
        a, b = rng.sample(["B.V.", "V.O.F.", "N.V.", "C.V."], 2)
        home = self.place()
        truth = self.record("organisation", name=f"{base} {a}", kvk_number=self.kvk(), **home)
        self.record("organisation", name=f"{base} {b}", kvk_number=self.kvk(), **self.place())
        self.query(cls, truth, name=f"{base} {a}", city=home["city"])

    def org_phonetic_twin(self, cls):
        rng = self.rng
        word = rng.choice(ORG_WORDS)
        a, b = rng.choice([("Hendrix", "Hendriks"), ("Jansen", "Janssen"), ("Smit", "Smid"),
                           ("Meijer", "Meyer"), ("Claassen", "Klaassen"), ("Huisman", "Huijsman")])
        home, elsewhere = self.place(), self.place()
        while elsewhere["city"] == home["city"]:
            elsewhere = self.place()
        truth = self.record("organisation", name=f"{a} {word}", kvk_number=self.kvk(), **home)
        self.record("organisation", name=f"{b} {word}", kvk_number=self.kvk(), **elsewhere)
        self.query(cls, truth, name=f"{a} {word}", city=home["city"])

    def _shared_words(self, cls, with_truth):
        rng = self.rng
        word, name = rng.choice(ORG_WORDS), synthetic_surname(rng).split()[-1]
        truth = ""
        if with_truth:
            truth = self.record("organisation", name=f"{word} {name}", kvk_number=self.kvk(),
                                **self.place())
        self.record("organisation", name=f"{word} {synthetic_surname(rng).split()[-1]}",
                    kvk_number=self.kvk(), **self.place())
        other = rng.choice([w for w in ORG_WORDS if w != word])
        self.record("organisation", name=f"{name} {other}", kvk_number=self.kvk(),
                    **self.place())
        query_name = f"{word} {name}"
        if with_truth and rng.random() < 0.3:
            query_name = f"{word} {typo(name, rng)}"
        self.query(cls, truth, name=query_name)

    def org_shared_words(self, cls):
        self._shared_words(cls, True)

    def org_shared_words_none(self, cls):
        rng = self.rng
        word, name = rng.choice(ORG_WORDS), synthetic_surname(rng).split()[-1]
        self.record("organisation", name=f"{word} {synthetic_surname(rng).split()[-1]}",
                    kvk_number=self.kvk(), **self.place())
        other = rng.choice([w for w in ORG_WORDS if w != word])
        self.record("organisation", name=f"{name} {other}", kvk_number=self.kvk(),
                    **self.place())
        self.query(cls, "", name=f"{word} {name}")

    def _kvk(self, cls, with_truth):
        rng = self.rng
        base = self.org_base()
        kvk = self.kvk()
        truth = ""
        if with_truth:
            truth = self.record("organisation", name=f"{base} B.V.", kvk_number=kvk,
                                **self.place())
        self.record("organisation", name=f"{base} B.V.", kvk_number=self.kvk(), **self.place())
        self.query(cls, truth, name=base if rng.random() < 0.5 else f"{base} BV",
                   kvk_number=kvk if rng.random() < 0.5 else f"{kvk[:4]} {kvk[4:]}")

    def org_kvk(self, cls):
        self._kvk(cls, True)

    def org_kvk_none(self, cls):
        self._kvk(cls, False)

    def org_place(self, cls):
        rng = self.rng
        base = self.org_base()
        home, elsewhere = self.place(), self.place()
        while elsewhere["city"] == home["city"]:
            elsewhere = self.place()
        truth = self.record("organisation", name=base, kvk_number=self.kvk(), **home)
        self.record("organisation", name=base, kvk_number=self.kvk(), **elsewhere)
        self.query(cls, truth, name=base, city=home["city"].upper() if rng.random() < 0.3
                   else home["city"])

    # ------------------------------------------------------------ addresses

    def address_postcode_dash(self, cls):
        home = self.place()
        truth = self.record("address", **home)
        pc = home["postcode"]
        self.query(cls, truth, postcode=self.rng.choice([f"{pc[:4]}-{pc[4:]}",
                                                         f"{pc[:4]} - {pc[4:].lower()}"]),
                   house_number=home["house_number"])

    def address_one_line(self, cls):
        rng = self.rng
        home = self.place()
        addition = rng.choice(["", "", "a"])
        truth = self.record("address", house_number_addition=addition, **home)
        pc, number = home["postcode"], home["house_number"] + addition
        line = rng.choice([
            f"{home['street']} {number}, {pc[:4]} {pc[4:]} {home['city']}",
            f"{number}, {pc} {home['city']}",
            f"{home['street']} {number} {home['city']}",
            f"{home['street']} {number}, {pc[:4]}-{pc[4:]}",
        ])
        self.query(cls, truth, street=line)

    def _neighbours(self, cls, with_truth):
        rng = self.rng
        home = self.place()
        number = int(home["house_number"]) + 2
        truth = ""
        if with_truth:
            truth = self.record("address", **{**home, "house_number": str(number)})
        for step in rng.sample([-2, -1, 1, 2], rng.randint(1, 3)):
            self.record("address", **{**home, "house_number": str(number + step)})
        with_postcode = rng.random() < 0.6
        self.query(cls, truth, street=home["street"] if not with_postcode or rng.random() < 0.5
                   else "", house_number=str(number),
                   postcode=home["postcode"] if with_postcode else "",
                   city=home["city"] if not with_postcode else "")

    def address_neighbour(self, cls):
        self._neighbours(cls, True)

    def address_neighbour_none(self, cls):
        self._neighbours(cls, False)

    def _other_place(self, cls, with_truth):
        rng = self.rng
        home, elsewhere = self.place(), self.place()
        while elsewhere["city"] == home["city"]:
            elsewhere = self.place()
        elsewhere.update(street=home["street"], house_number=home["house_number"])
        truth = self.record("address", **home) if with_truth else ""
        self.record("address", **elsewhere)
        if rng.random() < 0.5:
            self.query(cls, truth, street=home["street"], house_number=home["house_number"],
                       city=home["city"])
        else:
            self.query(cls, truth, street=home["street"], house_number=home["house_number"],
                       postcode=home["postcode"])

    def address_other_place(self, cls):
        self._other_place(cls, True)

    def address_other_place_none(self, cls):
        self._other_place(cls, False)

    def _addition(self, cls, with_truth):
        rng = self.rng
        home = self.place()
        wanted, *others = rng.sample(["a", "b", "c", "1", "2", "bis"], 3)
        truth = self.record("address", house_number_addition=wanted, **home) if with_truth \
            else ""
        for other in others[: rng.randint(1, 2)]:
            self.record("address", house_number_addition=other, **home)
        self.query(cls, truth, street=home["street"] if rng.random() < 0.5 else "",
                   house_number=home["house_number"], addition=wanted.upper(),
                   postcode=home["postcode"], city=home["city"] if rng.random() < 0.5 else "")

    def address_addition(self, cls):
        self._addition(cls, True)

    def address_addition_none(self, cls):
        self._addition(cls, False)

    def address_mixed_kinds(self, cls):
        home = self.place()
        self.record("person", name=f"{self.first()} {self.surname()}",
                    date_of_birth=random_dob(self.rng), **home)
        self.record("organisation", name=self.org_base(), kvk_number=self.kvk(), **home)
        truth = self.record("address", **home)
        self.query(cls, truth, street=home["street"], house_number=home["house_number"],
                   postcode=home["postcode"] if self.rng.random() < 0.5 else "",
                   city=home["city"])


def generate(seed: int = TEST_SEED, queries: int = 2600) -> EvalSet:
    """Records and labelled queries, one group per query, the classes in turn."""
    maker = _Maker(seed)
    names = list(CLASSES)
    for i in range(queries):
        cls = names[i % len(names)]
        getattr(maker, cls)(cls)
    return maker.out


def no_truth_share(evalset: EvalSet) -> float:
    return sum(1 for q in evalset.queries if not q["truth"]) / len(evalset.queries)


__all__ = ["CLASSES", "EvalSet", "TEST_SEED", "TUNE_SEED", "generate", "split_surname"]
