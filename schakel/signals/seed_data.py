"""Forms of exploitation and the signs per form that the intake form offers.

Written in our own words after the public signal cards (VNG/CoMensha
'Signalenkaart mensenhandel', the labour inspectorate's indicators, and the
known signs of criminal exploitation). Loaded by migration 0002; an officer or
admin can switch items off or add new ones later.
"""

FORMS = [
    ("sexual", "Seksuele uitbuiting", "Sexual exploitation"),
    ("labour", "Arbeidsuitbuiting", "Labour exploitation"),
    ("criminal", "Criminele uitbuiting", "Criminal exploitation"),
    ("other", "Anders of onbekend", "Other or unknown"),
]

INDICATORS = {
    "sexual": [
        ("Iemand anders spreekt namens de persoon of houdt toezicht tijdens het contact",
         "Someone else speaks for the person or watches during the contact"),
        ("De persoon staat ingeschreven op een adres waar veel wisselende vrouwen of mannen wonen",
         "The person is registered at an address with many changing residents"),
        ("De persoon heeft geen eigen identiteitsbewijs of een ander bewaart het",
         "The person has no identity document of their own, or someone else keeps it"),
        ("Advertenties voor seksuele diensten met dit adres of telefoonnummer",
         "Advertisements for sexual services with this address or phone number"),
        ("Tekenen van mishandeling, angst of onderdanig gedrag",
         "Signs of abuse, fear or submissive behaviour"),
        ("De persoon moet geld afdragen of heeft een schuld bij een 'vriend' of bemiddelaar",
         "The person must hand over money or owes a debt to a 'boyfriend' or broker"),
        ("Een minderjarige met dure spullen, oudere vriend of onverklaarde afwezigheid",
         "A minor with expensive things, an older boyfriend or unexplained absence"),
        ("De persoon weet niet in welke plaats of op welk adres zij of hij verblijft",
         "The person does not know in which town or at which address they stay"),
    ],
    "labour": [
        ("Veel mensen ingeschreven op één adres, vaak via dezelfde werkgever of uitzendbureau",
         "Many people registered at one address, often through the same employer or agency"),
        ("Huur of vervoer wordt ingehouden op het loon; het loon is veel lager dan het minimum",
         "Rent or transport is deducted from wages; wages far below the minimum"),
        ("Extreem lange werkdagen zonder vrije dagen",
         "Extremely long working days without days off"),
        ("De werkgever bewaart paspoort, bankpas of contract van de werknemer",
         "The employer keeps the worker's passport, bank card or contract"),
        ("De werknemer kan niet vrij weg of wordt gebracht en gehaald",
         "The worker cannot leave freely or is taken to and from work"),
        ("Schulden bij werkgever of bemiddelaar voor reis, werving of huisvesting",
         "Debts to the employer or broker for travel, recruitment or housing"),
        ("Onveilige of onhygiënische woon- of werkomstandigheden",
         "Unsafe or unhygienic living or working conditions"),
        ("De werknemer spreekt de taal niet en weet niets van eigen rechten of contract",
         "The worker does not speak the language and knows nothing of their rights or contract"),
    ],
    "criminal": [
        ("Een jongere die drugs vervoert of verkoopt voor anderen",
         "A young person transporting or selling drugs for others"),
        ("Iemand wordt gedwongen tot winkeldiefstal, zakkenrollen of bedelen",
         "Someone is forced into shoplifting, pickpocketing or begging"),
        ("Een persoon stelt de eigen bankrekening of identiteit beschikbaar (geldezel)",
         "A person lends their bank account or identity to others (money mule)"),
        ("Bedrijven of abonnementen op naam van iemand die daar niets van weet",
         "Companies or subscriptions in the name of someone who knows nothing of them"),
        ("Plotseling geld, kleding of telefoons zonder verklaring",
         "Sudden money, clothes or phones without explanation"),
        ("Bedreiging, schulden of angst voor 'de groep'",
         "Threats, debts or fear of 'the group'"),
        ("Werving via sociale media met snel geld als lokmiddel",
         "Recruitment through social media with quick money as bait"),
        ("Schoolverzuim, weglopen of contact met veel oudere onbekenden",
         "Truancy, running away or contact with many older strangers"),
    ],
    "other": [
        ("Gedwongen huwelijk of gedwongen verwijdering van organen wordt vermoed",
         "A forced marriage or forced organ removal is suspected"),
        ("Iemand lijkt niet vrij te zijn in wat hij of zij doet, maar de vorm is onduidelijk",
         "Someone seems not free in what they do, but the form is unclear"),
        ("Uitkering of toeslag wordt door een ander opgehaald of beheerd",
         "Benefits or allowances are collected or managed by someone else"),
    ],
}
