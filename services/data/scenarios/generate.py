"""Writes the bundled alerting scenarios: timelines we wrote, in Arabic and English.

    python services/data/scenarios/generate.py services/data/scenarios services/data/sample_feed.jsonl

The output is committed; edit this script and re-run it to change a scenario.
"""
import datetime as dt
import json
import pathlib
import random
import sys

ROOT = pathlib.Path(sys.argv[1])
AR_DAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

def art(aid, source, title, body, when, lang):
    return {"id": aid, "url": f"https://{source.lower().replace(' ', '')}.example/{aid}", "source": source,
            "title": title, "body": body, "published_at": when.isoformat(), "language": lang}

def write(name, meta, articles, expected):
    d = ROOT / name
    d.mkdir(parents=True, exist_ok=True)
    articles.sort(key=lambda a: a["published_at"])
    (d / "articles.jsonl").write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    (d / "expected.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in expected), encoding="utf-8")
    (d / "scenario.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

TZ = dt.timezone(dt.timedelta(hours=3))

# 1. routine shelling: daily shelling of one front for six weeks; four weeks of warm-up
def routine():
    rng = random.Random(1)
    towns_en = ["Saraqib", "Ariha", "Maarat al-Numan", "Kafr Nubl", "Jisr al-Shughur", "Khan Shaykhun"]
    towns_ar = ["سراقب", "أريحا", "معرة النعمان", "كفرنبل", "جسر الشغور", "خان شيخون"]
    start = dt.datetime(2024, 1, 1, 8, 0, tzinfo=TZ)
    arts, exp = [], []
    for day in range(42):
        when = start + dt.timedelta(days=day, minutes=rng.randint(0, 300))
        i = rng.randrange(len(towns_en))
        wd = when.weekday()
        if day % 2 == 0:
            body = (f"Syrian army artillery shelled rebel positions near {towns_en[i]} in Idlib province on "
                    f"{EN_DAYS[wd]}, a war monitor said. No casualties were reported.")
            a = art(f"sh-{day:02d}", "Levant Wire", f"Shelling near {towns_en[i]}", body, when, "en")
        else:
            body = (f"قصفت قوات النظام السوري بالمدفعية مواقع فصائل المعارضة في محيط {towns_ar[i]} بريف إدلب "
                    f"يوم {AR_DAYS[wd]}، بحسب مرصد محلي، دون ورود أنباء عن إصابات.")
            a = art(f"sh-{day:02d}", "Furat News", f"قصف مدفعي على {towns_ar[i]}", body, when, "ar")
        arts.append(a)
        if day >= 28:
            exp.append({"article": a["id"], "absent": True})
    write("routine-shelling", {"description": "Six weeks of daily artillery shelling on one front in Idlib, in "
          "Arabic and English; the first four weeks are warm-up. Two weeks of the same after warm-up raise "
          "nothing of severity 3 or more.", "warmup_until": (start + dt.timedelta(days=28)).isoformat(),
          "ignore_below": 3}, arts, exp)

# 2. ceasefire: strikes, a ceasefire (nothing raised), a quiet week, then a strike again
def ceasefire():
    start = dt.datetime(2024, 11, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    places = ["Nabatieh", "Tyre", "Nabatieh", "Tyre"]
    places_ar = ["النبطية", "النبطية", "النبطية", "النبطية"]
    arts, exp = [], []
    for day in range(20):
        when = start + dt.timedelta(days=day)
        p = day % 4
        if day % 2:
            body = f"Israeli warplanes struck Hezbollah positions near {places[p]} in southern Lebanon on {EN_DAYS[when.weekday()]}, Lebanese state media said."
            arts.append(art(f"lb-{day:02d}", "Beirut Daily", f"Israeli strikes near {places[p]}", body, when, "en"))
        else:
            body = f"شنت طائرات حربية إسرائيلية غارات على مواقع لحزب الله في محيط {places_ar[p]} جنوبي لبنان يوم {AR_DAYS[when.weekday()]}، وفق الوكالة الوطنية للإعلام."
            arts.append(art(f"lb-{day:02d}", "Al-Janoub", f"غارات إسرائيلية على {places_ar[p]}", body, when, "ar"))
    cf = start + dt.timedelta(days=20, hours=2)
    arts.append(art("lb-ceasefire-en", "Beirut Daily", "Ceasefire takes hold in Lebanon",
                    "A ceasefire between Israel and Hezbollah took effect in Lebanon on "
                    f"{EN_DAYS[cf.weekday()]} morning, mediators said, after weeks of strikes.", cf, "en"))
    arts.append(art("lb-ceasefire-ar", "Al-Janoub", "وقف إطلاق النار يدخل حيز التنفيذ في لبنان",
                    "دخل وقف إطلاق النار بين إسرائيل وحزب الله حيز التنفيذ في لبنان صباح اليوم، بحسب الوسطاء.",
                    cf + dt.timedelta(hours=1), "ar"))
    exp += [{"article": "lb-ceasefire-en", "absent": True}, {"article": "lb-ceasefire-ar", "absent": True}]
    again = start + dt.timedelta(days=28, hours=4)
    arts.append(art("lb-breach", "Beirut Daily", "Israeli strike breaks Lebanon truce",
                    f"Israeli warplanes struck Hezbollah positions near Nabatieh in southern Lebanon on "
                    f"{EN_DAYS[again.weekday()]}, the first strike since the ceasefire, Lebanese state media said.",
                    again, "en"))
    exp.append({"article": "lb-breach", "reasons": ["INTENSITY_JUMP"], "min_severity": 4, "theatre": "LB"})
    write("ceasefire", {"description": "Israeli strikes on Hezbollah in southern Lebanon for three weeks (warm-up "
          "for the first two), a ceasefire reported in English and Arabic (raises nothing), a quiet week, then "
          "a strike that breaks the truce (an intensity jump over the state the ceasefire lowered).",
          "warmup_until": (start + dt.timedelta(days=14)).isoformat(), "ignore_below": 3}, arts, exp)

# 3. new weapon: months of Houthi drone attacks on shipping, then a ballistic missile
def new_weapon():
    start = dt.datetime(2024, 1, 2, 10, 0, tzinfo=TZ)
    arts, exp = [], []
    for k in range(12):
        when = start + dt.timedelta(days=2 * k)
        if k % 2:
            body = f"Houthi drones targeted a commercial ship in the Red Sea on {EN_DAYS[when.weekday()]}, a maritime security agency said. The vessel was not damaged."
            arts.append(art(f"rs-{k:02d}", "Gulf Maritime", "Drone attack on ship in Red Sea", body, when, "en"))
        else:
            body = f"استهدفت جماعة الحوثي بطائرة مسيرة سفينة تجارية في البحر الأحمر يوم {AR_DAYS[when.weekday()]}، بحسب هيئة بحرية، دون أضرار."
            arts.append(art(f"rs-{k:02d}", "Aden Post", "هجوم بمسيرة على سفينة في البحر الأحمر", body, when, "ar"))
    when = start + dt.timedelta(days=25, hours=3)
    arts.append(art("rs-bm-ar", "Aden Post", "الحوثيون يطلقون صاروخا باليستيا على سفينة",
                    "أطلقت جماعة الحوثي صاروخا باليستيا مضادا للسفن على سفينة تجارية في البحر الأحمر اليوم، حسبما أعلن الجيش الأمريكي.",
                    when, "ar"))
    arts.append(art("rs-bm-en", "Gulf Maritime", "Houthis fire ballistic missile at ship",
                    "The Houthis fired an anti-ship ballistic missile at a commercial vessel in the Red Sea today, the US military said.",
                    when + dt.timedelta(minutes=40), "en"))
    exp.append({"article": "rs-bm-ar", "reasons": ["NEW_WEAPON"], "also": ["INTENSITY_JUMP"], "min_severity": 3,
                "revision": 2, "sources": 2, "languages": 2})
    write("new-weapon", {"description": "Houthi drone attacks on Red Sea shipping every other day for three weeks "
          "(warm-up), then their first ballistic missile, reported in Arabic and forty minutes later in English.",
          "warmup_until": (start + dt.timedelta(days=24)).isoformat(), "ignore_below": 3}, arts, exp)

# 4. new theatre and new dyad: Turkish drones in northern Iraq, then in northeast Syria
def new_theatre():
    start = dt.datetime(2024, 5, 1, 11, 0, tzinfo=TZ)
    arts, exp = [], []
    for k in range(10):
        when = start + dt.timedelta(days=2 * k)
        if k % 2:
            body = f"Turkish drones struck PKK positions in the Qandil mountains in northern Iraq on {EN_DAYS[when.weekday()]}, the Turkish defence ministry said."
            arts.append(art(f"tq-{k:02d}", "Anadolu Wire", "Turkish drones hit PKK in Iraq", body, when, "en"))
        else:
            body = f"قصفت طائرات مسيرة تركية مواقع لحزب العمال الكردستاني في جبال قنديل شمالي العراق يوم {AR_DAYS[when.weekday()]}، وفق وزارة الدفاع التركية."
            arts.append(art(f"tq-{k:02d}", "Rudaw Arabic", "مسيرات تركية تقصف مواقع العمال الكردستاني", body, when, "ar"))
    when = start + dt.timedelta(days=21, hours=2)
    arts.append(art("ts-strike", "Levant Wire", "Turkish drone strikes SDF in northeast Syria",
                    "A Turkish drone struck a vehicle of the Syrian Democratic Forces near Qamishli in northeastern "
                    "Syria on Wednesday, killing two SDF fighters, a war monitor said.", when, "en"))
    exp.append({"article": "ts-strike", "reasons": ["NEW_THEATRE", "NEW_DYAD"], "also": ["INTENSITY_JUMP"],
                "min_severity": 4, "theatre": "SY", "actor1_country": "TR"})
    write("new-theatre", {"description": "Turkish drone strikes on the PKK in northern Iraq for three weeks "
          "(warm-up), then a Turkish drone strike on the SDF in northeast Syria: a new theatre and a new dyad.",
          "warmup_until": (start + dt.timedelta(days=20)).isoformat(), "ignore_below": 3}, arts, exp)

# 5. frequency spike: a strike every few days, then a day of many strikes across the north-west
def spike():
    start = dt.datetime(2024, 6, 1, 9, 0, tzinfo=TZ)
    arts, exp = [], []
    for k in range(10):
        when = start + dt.timedelta(days=3 * k)
        body = f"Russian warplanes struck rebel positions near Binnish in Idlib province on {EN_DAYS[when.weekday()]}, a war monitor said."
        arts.append(art(f"ru-{k:02d}", "Levant Wire", "Russian strikes near Binnish", body, when, "en"))
    day = start + dt.timedelta(days=31)
    towns = [("Salqin", "Idlib"), ("Manbij", "Aleppo"), ("Kafr Zita", "Hama"), ("Afrin", "Aleppo"),
             ("Saraqib", "Idlib"), ("Jableh", "Latakia"), ("Salamiyah", "Hama"), ("Jarabulus", "Aleppo")]
    for n, (town, prov) in enumerate(towns):
        when = day + dt.timedelta(minutes=50 * n)
        body = f"Russian warplanes struck rebel positions near {town} in {prov} province on {EN_DAYS[when.weekday()]}, a war monitor said."
        aid = f"ru-spike-{n}"
        arts.append(art(aid, "Levant Wire", f"Russian strikes near {town}", body, when, "en"))
        if n >= 5:
            exp.append({"article": aid, "reasons": ["FREQUENCY_SPIKE"], "also": ["NEW_THEATRE"]})
    write("frequency-spike", {"description": "A Russian air strike in Idlib every three days for a month (warm-up), "
          "then eight strikes in one day across four provinces: from the sixth of the day, a frequency spike.",
          "warmup_until": (start + dt.timedelta(days=30)).isoformat(), "ignore_below": 3}, arts, exp)

# 6. mass casualty
def mass_casualty():
    start = dt.datetime(2024, 8, 1, 12, 0, tzinfo=TZ)
    arts, exp = [], []
    for k in range(6):
        when = start + dt.timedelta(days=4 * k)
        body = f"A roadside bomb struck an Iraqi army patrol near Tarmiyah north of Baghdad on {EN_DAYS[when.weekday()]}, wounding two soldiers. Islamic State militants are active in the area."
        arts.append(art(f"iq-{k:02d}", "Baghdad Today", "Roadside bomb hits army patrol", body, when, "en"))
    when = start + dt.timedelta(days=26, hours=5)
    arts.append(art("iq-mass-ar", "Baghdad Today", "تفجير سيارة مفخخة في سوق ببغداد",
                    "انفجرت سيارة مفخخة في سوق شعبي مزدحم في بغداد اليوم، ما أسفر عن مقتل 31 شخصا وإصابة 54 آخرين، بحسب مصادر أمنية.",
                    when, "ar"))
    exp.append({"article": "iq-mass-ar", "reasons": ["MASS_CASUALTY"], "also": ["INTENSITY_JUMP"], "min_severity": 4,
                "theatre": "IQ"})
    write("mass-casualty", {"description": "Roadside bombs on army patrols north of Baghdad every few days (warm-up), "
          "then a car bomb in a Baghdad market that kills 31.",
          "warmup_until": (start + dt.timedelta(days=25)).isoformat(), "ignore_below": 3}, arts, exp)

# 7. warnings: threats and a mobilisation
def warnings():
    start = dt.datetime(2024, 4, 1, 10, 0, tzinfo=TZ)
    arts, exp = [], []
    arts.append(art("wn-threat-en", "Gulf Wire", "Iran threatens Israel",
                    "Iran's Revolutionary Guards threatened on Monday to strike Israel if it attacks Iranian territory.",
                    start, "en"))
    arts.append(art("wn-threat-ar", "Al-Sharq", "حزب الله يهدد إسرائيل",
                    "هدد حزب الله إسرائيل اليوم برد قاس إذا استمرت الغارات على جنوب لبنان.",
                    start + dt.timedelta(days=1), "ar"))
    arts.append(art("wn-mobilize", "Jerusalem Wire", "Israel calls up reservists",
                    "The Israeli military deployed two reserve brigades to the northern border with Lebanon on Wednesday, "
                    "the army said.", start + dt.timedelta(days=2), "en"))
    exp += [{"article": "wn-threat-en", "reasons": ["THREAT"], "max_severity": 2},
            {"article": "wn-threat-ar", "reasons": ["THREAT"], "max_severity": 2},
            {"article": "wn-mobilize", "reasons": ["MOBILIZATION"], "max_severity": 2}]
    write("warnings", {"description": "Threats by the IRGC and Hezbollah and an Israeli deployment: low-severity "
          "warnings, not escalations.", "ignore_below": 1}, arts, exp)


# 8. the seed: the bundled feed's militia attacks on US forces (warm-up), the seed strike
# in Arabic, and an English report of it an hour later
def seed():
    lines = pathlib.Path(sys.argv[2]).read_text(encoding="utf-8").splitlines()
    feed = [json.loads(line) for line in lines if line.strip()]
    keep = {"lw-1018-tanf", "fr-1019-asad", "gp-1020-asad", "rd-1022-kh", "lw-1024-count", "gp-1025-patriot",
            "fr-1027-bukamal", "lw-1027-albukamal"}
    arts = [a for a in feed if a["id"] in keep]
    exp = [{"article": "fr-1027-bukamal", "category": "ASSAULT", "mode": "air_strike", "reasons": ["NEW_DYAD"],
            "also": ["INTENSITY_JUMP", "NEW_THEATRE", "NEW_WEAPON"], "min_severity": 4, "theatre": "SY",
            "actor1_country": "US", "revision": 2, "sources": 2, "languages": 2}]
    write("seed-albukamal", {"description": "The founding example: a week of drone and rocket attacks on US forces "
          "in Iraq and Syria by Iran-backed groups (warm-up), then the Arabic wire report of the US F-16 strike "
          "on IRGC depots near Albukamal and, an hour later, an English report of the same strike.",
          "warmup_until": "2023-10-27T00:00:00+03:00", "ignore_below": 3}, arts, exp)


for make in (routine, ceasefire, new_weapon, new_theatre, spike, mass_casualty, warnings, seed):
    make()
