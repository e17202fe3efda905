"""Build ``corpora/places/countries.tsv`` from the Unicode CLDR through babel.

Build time only: mtcheck does not need babel at run time. Run::

    pip install babel
    python scripts/build_places.py            # writes corpora/places/countries.tsv
    python scripts/build_places.py --check    # exit 1 if the file is out of date

For every ISO 3166 country code CLDR names in English, Spanish, French, German,
Italian and Portuguese, this writes one row in the layout of the other place
tables (``mtcheck/gazetteer.py`` describes it), adding the common English
names agencies use beside CLDR's (``Turkey`` beside ``Türkiye``) and marking
the names that must not be flagged in another language's copy because they
are also ordinary words or names there (German ``Island`` is Iceland; French
``Argentine`` is an English adjective; ``Jordan`` is a first name).

Data: Unicode CLDR (Unicode License v3, https://www.unicode.org/license.txt),
read through babel (BSD-3-Clause). The generated table carries the attribution.
"""
from __future__ import annotations

import argparse
import os
import re
import sys

LANGS = ("en", "es", "fr", "de", "it", "pt")
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "corpora", "places", "countries.tsv")

# Not countries, or too ambiguous to name one (CLDR "Congo - Kinshasa").
SKIP_CODES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AQ", "BV", "HM", "UM", "IO", "TF", "GS", "CP", "DG", "EA", "IC", "TA", "AC"}

# Names agencies use beside CLDR's, first = the one mtcheck suggests.
EXTRA = {
    "en": {
        "TR": ["Turkey", "Türkiye"], "CZ": ["Czech Republic", "Czechia"], "US": ["United States", "US", "America", "United States of America"],
        "GB": ["Britain", "United Kingdom", "UK", "Great Britain"], "NL": ["Netherlands", "Holland"], "CI": ["Ivory Coast", "Côte d'Ivoire", "Côte d’Ivoire"],
        "SZ": ["Eswatini", "Swaziland"], "MK": ["North Macedonia", "Macedonia"], "PS": ["Palestinian territories", "Palestine"],
        "VA": ["Vatican", "Vatican City", "Holy See"], "TL": ["East Timor", "Timor-Leste"], "CV": ["Cape Verde", "Cabo Verde"],
        "CD": ["Democratic Republic of Congo", "DR Congo", "Congo"], "CG": ["Republic of Congo", "Congo"], "MM": ["Myanmar", "Burma"],
        "HK": ["Hong Kong"], "MO": ["Macau", "Macao"], "BA": ["Bosnia and Herzegovina", "Bosnia"], "AE": ["United Arab Emirates", "UAE", "Emirates"],
        "RU": ["Russia", "Russian Federation"], "KR": ["South Korea", "Korea"], "KP": ["North Korea"], "LA": ["Laos"], "SY": ["Syria"],
        "IR": ["Iran"], "VN": ["Vietnam", "Viet Nam"], "BN": ["Brunei"], "MD": ["Moldova"], "GM": ["Gambia", "The Gambia"],
        "BS": ["Bahamas", "The Bahamas"], "VC": ["St Vincent and the Grenadines"], "KN": ["St Kitts and Nevis"], "LC": ["St Lucia", "Saint Lucia"],
    },
    "es": {
        "US": ["Estados Unidos", "EEUU"], "GB": ["Reino Unido", "Gran Bretaña"], "NL": ["Países Bajos", "Holanda"], "MM": ["Birmania", "Myanmar"],
        "CD": ["República Democrática del Congo", "RDC"], "CG": ["República del Congo"], "SA": ["Arabia Saudí", "Arabia Saudita"],
        "CZ": ["República Checa", "Chequia"], "TR": ["Turquía"], "KR": ["Corea del Sur"], "KP": ["Corea del Norte"], "CI": ["Costa de Marfil"],
        "PS": ["Palestina", "Territorios Palestinos"], "VA": ["Vaticano", "Ciudad del Vaticano", "Santa Sede"], "BA": ["Bosnia-Herzegovina", "Bosnia y Herzegovina"],
        "MK": ["Macedonia del Norte"], "AE": ["Emiratos Árabes Unidos", "EAU"],
    },
    "fr": {
        "US": ["États-Unis", "Etats-Unis"], "GB": ["Royaume-Uni", "Grande-Bretagne"], "NL": ["Pays-Bas"], "MM": ["Birmanie", "Myanmar"],
        "CD": ["République démocratique du Congo", "RDC"], "CZ": ["République tchèque", "Tchéquie"], "KR": ["Corée du Sud"], "KP": ["Corée du Nord"],
        "PS": ["Palestine", "Territoires palestiniens"], "VA": ["Vatican", "Saint-Siège"], "AE": ["Émirats arabes unis", "Emirats arabes unis"],
    },
    "de": {
        "US": ["Vereinigte Staaten", "USA"], "GB": ["Vereinigtes Königreich", "Großbritannien", "Grossbritannien"], "NL": ["Niederlande", "Holland"],
        "CZ": ["Tschechien", "Tschechische Republik"], "KR": ["Südkorea"], "KP": ["Nordkorea"], "PS": ["Palästina", "Palästinensische Gebiete"],
        "AE": ["Vereinigte Arabische Emirate"], "CD": ["Demokratische Republik Kongo"], "BY": ["Belarus", "Weißrussland", "Weissrussland"],
    },
    "it": {"US": ["Stati Uniti", "USA"], "GB": ["Regno Unito", "Gran Bretagna"], "NL": ["Paesi Bassi", "Olanda"], "CZ": ["Repubblica Ceca", "Cechia"]},
    "pt": {
        "US": ["Estados Unidos", "EUA"], "GB": ["Reino Unido", "Grã-Bretanha"], "NL": ["Países Baixos", "Holanda"], "CZ": ["República Checa", "Chéquia", "Tchéquia"],
        "IR": ["Irã", "Irão"], "VN": ["Vietnã", "Vietname"], "PL": ["Polônia", "Polónia"], "RO": ["Romênia", "Roménia"], "KE": ["Quênia", "Quénia"],
    },
}

# Names never flagged: ordinary words or names in another language's copy,
# or the name of a different place (Spanish "Granada" is Grenada and a city in Spain).
NEVER = {
    "Island", "Argentine", "Maurice", "Moldau", "Granada", "Dominica", "Jordan", "Holland", "Chad", "Georgia", "Jersey", "Guernsey",
    "Man", "America", "Congo", "Korea", "Emirates", "Palestine", "Vatican", "Macedonia", "UK", "US", "USA", "EEUU", "EAU", "EUA",
    "RDC", "Olanda", "Santa Lucía", "Niger", "Guinea", "Samoa", "Chili", "Salvador", "Guiana", "Saint Martin",
    "San Martín", "Dominique", "Mauricio", "Grenade", "Surinam", "Moldavia",
}
# Names flagged only after a locative word: also a first name, a brand or a Latin name.
CUE = {"Francia", "Italia", "Germania", "Polonia", "Kenia", "Grecia", "Irlanda", "Suiza", "Nepal", "Libia", "Siria", "Holanda", "France", "Turquía", "Chipre"}


def clean(name: str) -> list[str]:
    name = name.replace(" SAR China", "").replace(" RAE de China", "").replace(" RAS de Chine", "")
    name = re.sub(r"\s*\((?:[^)]*)\)", "", name).strip()
    if " - " in name or "&" in name or "," in name or "Hong Kong" in name or "Macao" in name or "Hongkong" in name or "Sonderverwaltungsregion" in name or not name:
        return []
    return [name]


def build() -> str:
    from babel import Locale, __version__ as babel_version

    names = {lg: Locale.parse(lg).territories for lg in LANGS}
    codes = sorted(c for c in names["en"] if re.fullmatch(r"[A-Z]{2}", c) and c not in SKIP_CODES)
    lines = [
        "# mtcheck places table v1: countries and territories, generated by scripts/build_places.py; do not edit.",
        f"# Data: Unicode CLDR through babel {babel_version}; Unicode License v3 (https://www.unicode.org/license.txt),",
        "# babel BSD-3-Clause. Agencies' common names added, and names that are also ordinary words",
        "# or names in another language marked '-' (never flagged) or '?' (flagged after a locative word).",
        "\t".join(LANGS),
    ]
    for code in codes:
        cells = []
        for lg in LANGS:
            vals: list[str] = []
            for n in EXTRA.get(lg, {}).get(code, []) + clean(names[lg].get(code, "")):
                if n and n not in vals:
                    vals.append(n)
            out = []
            for v in vals:
                if v in NEVER:
                    v = "-" + v
                elif v in CUE:
                    v = "?" + v
                out.append(v)
            cells.append("|".join(out))
        if not cells[0]:
            continue
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed table differs")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args(argv)
    text = build()
    if args.check:
        try:
            with open(args.out, encoding="utf-8") as fh:
                same = fh.read() == text
        except OSError:
            same = False
        print("up to date" if same else f"{args.out} is out of date; run scripts/build_places.py")
        return 0 if same else 1
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {args.out} ({text.count(chr(10)) - 5} rows); now run `python -m mtcheck.mirrors`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
