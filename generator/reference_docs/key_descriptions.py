"""What every key of the data files means, in Swedish, with an example: for the schema and docs/REFERENCE.md.

One entry per model (by class name): its description, and per key a
``(meaning, example)`` pair. The example is what one writes after the key in
YAML. A test checks that every key of every model is described here, so a new
key cannot ship without its description.
"""

from __future__ import annotations

#: model name -> (what it is, {key: (meaning, example)})
MODELS: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "Agreement": (
        "En överenskommelse mellan staten och SKL för ett år, med de dokument som skrivs kring den "
        "(regeringsbeslut, genomförandeplan, länsbrev). Filens översta nivå.",
        {
            "id": (
                "Överenskommelsens namn (id): små bokstäver, siffror och _. Cirkulär hänvisar till det.",
                "mest_sjuka_aldre_2012",
            ),
            "year": ("Året överenskommelsen gäller.", "2012"),
            "title": ("Överenskommelsens rubrik.", "Sammanhållen vård och omsorg om de mest sjuka äldre 2012"),
            "short_title": ("Kort rubrik, t.ex. i sidhuvud och filnamn.", "De mest sjuka äldre 2012"),
            "total": (
                "Den totala summan som överenskommelsen anger, i kronor. Kontrolleras mot summan av alla "
                "utbetalningar och potter.",
                "1_161_000_000",
            ),
            "organisations": (
                "Parter, mottagare och avsändare som överenskommelsen nämner (minst en).",
                "[{id: skl, name: Sveriges Kommuner och Landsting, short: SKL}]",
            ),
            "parties": (
                "Överenskommelsens två parter och den som skriver under för var och en (signatory null om "
                "källan inte anger det). Inga i en fil som bara har ett fristående beslut.",
                "[{organisation: staten, label: För staten, signatory: {name: Maria Larsson}}, …]",
            ),
            "signing": ("Ort och datum då överenskommelsen undertecknades.", "{place: Stockholm, date: 2011-12-15}"),
            "figures": (
                "Belopp som texten nämner men som inte är utbetalningar eller potter (ram, andra år). "
                "Namnet används i texten: {{ ram_2013 | miljoner }}.",
                "{ram_2013: 1_000_000_000}",
            ),
            "dates": (
                "Datum som texten nämner, med namn: {{ slutdatum | datum }}. En tidpunkts date: får "
                "ange namnet i stället för att upprepa datumet.",
                "{slutredovisning: 2013-03-31}",
            ),
            "intro": ("Överenskommelsens inledande text, före avsnitten.", "Regeringen och SKL är överens om …"),
            "numbered": ("Numrera avsnitten (2.1, 2.2 …). false: rubriker utan nummer.", "true"),
            "sections": (
                "Överenskommelsens avsnitt i ordning; numreras efter ordningen. Inga i en fil som bara har ett "
                "fristående beslut (decisions:); total är då beslutets belopp.",
                "[{id: ledning, title: Ledning och styrning, …}]",
            ),
            "approval": (
                "Texten under ”Godkännande av överenskommelsen”.",
                "Överenskommelsen godkänns av regeringen genom beslut den {{ godkand | datum }}.",
            ),
            "payment_decision": (
                "Texten under ”Beslut om utbetalning av medel”.",
                "Medlen betalas ut efter beslut av regeringen.",
            ),
            "appendices": (
                "Bilagor med planer och budgettabeller; numreras efter ordningen (Bil 1, 1.a …).",
                "[{id: bil_famna, title: Famnas plan, blocks: […]}]",
            ),
            "cited_appendices": (
                "Bilagor i andra dokument som texten hänvisar till, med id: {{ bil.ok_lista }} → ”bilaga 3 till "
                "överenskommelsen”. En hänvisning som skrivs för hand (”se bilaga 3”) ger en varning.",
                "{ok_lista: {number: '3', document: överenskommelsen}}",
            ),
            "decisions": (
                "Regeringsbeslut om överenskommelsen (utbetalning eller godkännande).",
                "[{id: beslut_utbetalning, kind: utbetalning, number: 'II:7', …}]",
            ),
            "letter": ("SKL:s skrivelse med genomförandeplanen.", "{dnr: 09/5304, sender: skl, title: …}"),
            "data": (
                "Filer med nyckeldata (befolkning) och utfall som fördelningarna använder.",
                "{population: {file: ../examples/befolkning.csv, year: 2011}, outcomes: utfall_2012.csv}",
            ),
            "county_letters": (
                "Brev till varje län om vad länets kommuner och landsting får.",
                "{date: 2012-03-01, sender: skl, title: Medel 2012, intro: …, signatory: …}",
            ),
            "county_agreements": (
                "SKL:s brev och överenskommelserna med länen om deras del av en utbetalning.",
                "{payout: ul_lan, letter: {…}, …}",
            ),
            "municipal_statement": (
                "Det som varje kommuns utlåtande om överenskommelsen säger lika; "
                "det kommunen själv skriver står i dess egen fil.",
                "{folder: ../kommuner/2013, title: …, …}",
            ),
            "accepted_wordings": (
                "Ordalydelser som språkkontrollen skulle anmärka på men som behålls med avsikt (ett citat, ett "
                "namn som dess ägare skriver det), var och en med skäl. Se docs/SKRIVA.md, ”Språket”.",
                "[{wording: Senior Alert coach, rule: bindestreck, reason: registrets eget namn på rollen}]",
            ),
        },
    ),
    "Organisation": (
        "En part, mottagare eller avsändare (SKL, Famna, ett kvalitetsregister …).",
        {
            "id": ("Organisationens namn (id), som utbetalningar och parter hänvisar till.", "skl"),
            "name": ("Fullständigt namn.", "Sveriges Kommuner och Landsting"),
            "short": ("Kortnamn.", "SKL"),
            "address": (
                "Rader i brevhuvudet: post- och besöksadress, telefon, webb.",
                "[118 82 Stockholm, Besök Hornsgatan 20, Tfn 08-452 70 00]",
            ),
        },
    ),
    "Party": (
        "En av överenskommelsens parter och den som skriver under för den.",
        {
            "organisation": ("Organisationens id (under organisations:).", "staten"),
            "label": ("Rubriken över underskriften.", "För staten"),
            "signatory": (
                "Den som skriver under; null om källan inte anger det (skrivs som tomrum).",
                "{name: Maria Larsson, title: Äldre- och folkhälsominister}",
            ),
        },
    ),
    "Person": (
        "En person som skriver under eller nämns.",
        {
            "name": ("Namn.", "Håkan Sörman"),
            "title": ("Titel, under namnet.", "Verkställande direktör"),
        },
    ),
    "Signing": (
        "Var och när överenskommelsen undertecknades.",
        {
            "place": ("Ort.", "Stockholm"),
            "date": ("Datum (ÅÅÅÅ-MM-DD).", "2011-12-15"),
        },
    ),
    "Section": (
        "Ett avsnitt av överenskommelsen eller planen; kan ha delavsnitt, utbetalningar och "
        "prestationspotter. Numret (2.5) räknas fram ur ordningen.",
        {
            "id": (
                "Avsnittets namn (id); i texten: {{ sec.<id>.number }}, {{ sec.<id>.total | miljoner }}.",
                "kvalitetsregister",
            ),
            "title": ("Rubrik.", "Nationella kvalitetsregister"),
            "numbered": ("false: en rubrik utan eget nummer.", "false"),
            "text": ("Avsnittets text.", "Arbetet med kvalitetsregister ska fortsätta …"),
            "requirements": ("Grundkrav, återges som numrerad lista.", "[Kommunen ska ha en ledningsfunktion …, …]"),
            "requirements_followup_title": (
                "Rubrik över texten om hur grundkraven följs upp.",
                "Uppföljning av grundkraven",
            ),
            "requirements_followup": (
                "Text om hur grundkraven följs upp.",
                "Grundkraven ska vara uppfyllda senast {{ grundkrav | datum }}.",
            ),
            "offer_title": ("Rubrik över potternas erbjudanden.", "Prestationsersättning 2012"),
            "calculation_title": ("Rubrik över potternas beräkningar.", "Beräkning – utbetalning av medel"),
            "pots": (
                "Prestationspotter som de som kvalificerar sig delar på.",
                "[{id: palliativ_tackning, title: Täckningsgrad, amount: 20_000_000, …}]",
            ),
            "pots_text": (
                "Text efter potternas erbjudanden (villkor som gäller dem alla).",
                "För att få ta del av medlen ska …",
            ),
            "list_payouts": ("Räkna också upp utbetalningarna med sina beskrivningar i texten.", "true"),
            "payouts_title": (
                "Rubrik över utbetalningstabellen; standard ”Utbetalning av medel enligt ovan”.",
                "Utbetalning av medel",
            ),
            "payouts": (
                "Fasta utbetalningar, i ordning; de får bokstäverna a, b, c …",
                "[{id: reg_palliativ, label: Palliativregistret, amount: 7_000_000, recipient: skl}]",
            ),
            "payouts_text": ("Text direkt efter utbetalningstabellen.", "Medlen betalas ut till SKL."),
            "total": ("Avsnittets summa som texten anger; kontrolleras mot delarna.", "71_000_000"),
            "conditions_title": ("Rubrik över villkoren; standard ”Särskilda villkor”.", "Villkor"),
            "conditions": ("Särskilda villkor.", "Medlen ska återbetalas om …"),
            "deadlines": (
                "Tidpunkter: återrapportering, slutredovisning, återbetalning …",
                "[{kind: slutredovisning, date: 2013-03-31, to: Socialdepartementet}]",
            ),
            "appendices": ("Bilagor som räknas upp i slutet av avsnittet (deras id).", "[bil_famna]"),
            "appendix_captions": (
                "Text för en uppräknad bilaga, om den inte är bilagans rubrik.",
                "{bil_famna: Famnas plan och budget}",
            ),
            "after_text": ("Text efter utbetalningar och villkor.", "Se även avsnitt {{ sec.ledning.number }}."),
            "sections": ("Delavsnitt (numreras 2.1, 2.2 …).", "[{id: palliativ, title: Palliativ vård, …}]"),
        },
    ),
    "Pot": (
        "En prestationspott (prestationsersättning) som de kommuner, landsting eller län som "
        "kvalificerar sig delar på.",
        {
            "id": ("Pottens namn (id); i texten dess belopp: {{ <id> | miljoner }}.", "palliativ_tackning"),
            "title": ("Rubrik.", "Täckningsgrad i Palliativregistret"),
            "amount": ("Pottens belopp i kronor.", "20_000_000"),
            "eligible": ("Vilka som kan kvalificera sig: kommun, landsting, lan (minst en).", "[kommun, landsting]"),
            "offer": (
                "Det korta erbjudandet under ”Prestationsersättning <år>”.",
                "{{ palliativ_tackning | miljoner }} fördelas till …",
            ),
            "calculation": ("Texten under ”Beräkning – utbetalning av medel”.", "Medlen fördelas efter …"),
            "period": ("Mätperioden.", "{start: 2012-04-01, end: 2012-09-30}"),
            "measured_on": ("En mätdag i stället för en period.", "2012-10-31"),
            "period_note": ("Text om mätperioden.", "Mätperioden är densamma som 2011."),
            "data_entry": ("Sista dag för registrering i registret.", "2012-10-15"),
            "data_entry_text": ("Text om sista registreringsdag.", "Registreringar till och med …"),
            "distribution_text": (
                "Texten ”Fördelning av medel: …”.",
                "Medlen fördelas efter befolkning 65 år och äldre.",
            ),
            "payment_text": ("Texten ”Utbetalning av medel: …”.", "Medlen betalas ut av Kammarkollegiet i december."),
            "payment_label": ("Rubriken före payment_text.", "Utbetalning av medel"),
            "distribution": (
                "Hur potten fördelas (regel, nyckel, nivå …); se Fördelningsregler.",
                "{rule: proportional, key: befolkning_65, level: kommun_och_landsting}",
            ),
            "route": (
                "Vem som betalar ut: kammarkollegiet, skl, skl_rekvisition, kammarkollegiet_rekvisition.",
                "kammarkollegiet",
            ),
            "deadlines": (
                "Tidpunkter för potten (t.ex. när registret levererar uppgifter).",
                "[{kind: uppgifter, date: palliativ_uppgifter, to: Socialstyrelsen}]",
            ),
            "criterion": (
                "Vad en mottagare ska uppfylla för att få del av potten, som en bisats efter ”krävs”; "
                "länsbreven säger till den som inte fick något vilket krav den inte uppfyllde.",
                "att minst 70 procent av dödsfallen registreras i Svenska Palliativregistret",
            ),
            "requires": (
                "En annan pott vars krav en mottagare också måste uppfylla (Brytpunktssamtal kräver "
                "Täckningsgrad); den som missade det kravet får veta det.",
                "palliativ_tackning",
            ),
        },
    ),
    "Period": (
        "En period med första och sista dag.",
        {
            "start": ("Första dagen.", "2012-04-01"),
            "end": ("Sista dagen.", "2012-09-30"),
        },
    ),
    "Distribution": (
        "Hur ett belopp fördelas på län, kommuner och landsting; se Fördelningsregler för exempel.",
        {
            "rule": ("Regeln: fixed_table, floor_then_key, base_then_key eller proportional.", "floor_then_key"),
            "key": (
                "Fördelningsnyckeln: befolkning, befolkning_65, befolkning_75, befolkning_80, "
                "antal_kommuner, registreringar, platser_sabo …",
                "antal_kommuner",
            ),
            "level": ("Vilka som får del: lan, kommun, landsting eller kommun_och_landsting.", "lan"),
            "floor": ("floor_then_key: det minsta belopp var och en får, i kronor.", "2_000_000"),
            "base": ("base_then_key: grundbeloppet var och en får före resten, i kronor.", "1_000_000"),
            "step": ("Avrunda varje andel till en multipel av detta belopp.", "500_000"),
            "table": ("fixed_table: belopp per länskod.", "{'01': 6_500_000, '03': 2_500_000, …}"),
            "shares": (
                "Fasta delar av potten för en sorts mottagare (35 av 50 miljoner till kommuner).",
                "[{id: senior_kommuner, to: kommun, amount: 35_000_000}, …]",
            ),
            "split": (
                "Länets andel delas mellan kommunerna och landstinget (70/30).",
                "{kommuner: 70, landsting: 30, key: befolkning}",
            ),
            "minimum": (
                "Minst så många måste kvalificera sig, annars delar de på ett mindre belopp.",
                "{count: 5, unit: lan, reduced_amount: 200_000_000}",
            ),
            "note": (
                "Regeln med avsändarens egna ord, där överenskommelsen inte anger den; skrivs i breven och visas "
                "av explain. Aldrig om källorna eller generatorn.",
                "Länen får samma belopp som SKL betalade ut för samma ändamål 2010.",
            ),
            "confirm": (
                "Ett antagande som data gör där överenskommelsen är tyst (en fördelningsnyckel, ett föregående år), "
                "för den som ska bekräfta det: validate visar det som en varning. Skrivs aldrig i ett dokument.",
                "Planen anger inte hur potten fördelas mellan länen; breven fördelar den efter folkmängd.",
            ),
            "published": (
                "Tabellen som den publicerats (länskod → belopp): det som betalas ut och skrivs ut. "
                "Regeln blir då en kontroll: validate varnar per mottagare där de skiljer sig.",
                "{'01': 6_500_000, '03': 2_500_000, …}",
            ),
            "published_from": (
                "Den publicerade tabellen för en post i en annan överenskommelsefil (ett föregående år), "
                "i stället för att skriva den igen.",
                "{file: 2010.yaml, item: ul_lan}",
            ),
            "remainder_note": (
                "Varför en del av potten lämnas ofördelad av den publicerade tabellen.",
                "Bilaga 2 fördelar 65,5 av de 66 miljonerna; resten är ej fördelat.",
            ),
        },
    ),
    "Share": (
        "En fast del av en pott för en sorts mottagare.",
        {
            "id": ("Namn för texten: {{ <id> | miljoner }}.", "senior_kommuner"),
            "to": ("Mottagarna: kommun, landsting eller lan.", "kommun"),
            "amount": ("Delens belopp i kronor.", "35_000_000"),
        },
    ),
    "Split": (
        "Hur ett läns andel delas mellan länets kommuner och landstinget; procentsatserna ska bli 100.",
        {
            "kommuner": ("Kommunernas andel i procent.", "70"),
            "landsting": ("Landstingets andel i procent.", "30"),
            "key": ("Hur kommunernas del delas mellan dem.", "befolkning"),
        },
    ),
    "MinimumQualifiers": (
        "Minst count mottagare måste kvalificera sig; annars delar de som kvalificerat sig på reduced_amount.",
        {
            "count": ("Det minsta antalet.", "5"),
            "unit": ("Vad som räknas: lan, kommun eller landsting.", "lan"),
            "reduced_amount": ("Beloppet de delar på om för få kvalificerar sig, i kronor.", "200_000_000"),
        },
    ),
    "Deadline": (
        "En tidpunkt för något som ska göras. date: får ange ett namn under dates: i stället för ett datum.",
        {
            "kind": (
                "Vad: aterrapportering, slutredovisning, ekonomisk_redovisning, slutrapport, aterbetalning, "
                "redovisning, handlingsplan, uppfyllt, underlag, uppgifter, utbetalning.",
                "slutredovisning",
            ),
            "date": ("Datum (ÅÅÅÅ-MM-DD) eller namnet på ett datum under dates:.", "2013-03-31"),
            "to": ("Vem som tar emot det.", "Regeringskansliet (Socialdepartementet)"),
            "by": ("Vem som ska göra det.", "SKL"),
        },
    ),
    "Payout": (
        "En utbetalning av ett fast belopp till en namngiven organisation.",
        {
            "id": (
                "Utbetalningens namn (id); i texten dess belopp: {{ <id> | miljoner }}, bokstaven: {{ punkt.<id> }}.",
                "reg_palliativ",
            ),
            "label": ("Texten i utbetalningstabellen.", "Medel till Svenska Palliativregistret"),
            "amount": ("Beloppet i kronor.", "7_000_000"),
            "recipient": ("Organisationen som får pengarna (oftast skl).", "skl"),
            "beneficiary": ("Organisationen pengarna är till, om det inte är mottagaren.", "palliativregistret"),
            "route": (
                "Hur pengarna betalas ut: skl, skl_rekvisition, kammarkollegiet, kammarkollegiet_rekvisition.",
                "skl_rekvisition",
            ),
            "list_label": (
                "Texten när avsnittet räknar upp utbetalningarna (standard: label).",
                "Svenska Palliativregistret",
            ),
            "description": ("Text under posten i en uppräkning.", "För att utveckla registret …"),
            "appendices": ("Bilagor med plan och budget för posten (deras id).", "[bil_palliativ]"),
            "earmarks": (
                "Delar av beloppet som avsätts för ett ändamål.",
                "[{id: famna_utv, label: utvecklingsarbete, amount: 500_000}]",
            ),
            "distribution": (
                "Hur beloppet fördelas på län, om det fördelas; se Fördelningsregler.",
                "{rule: floor_then_key, key: antal_kommuner, floor: 2_000_000, step: 500_000}",
            ),
        },
    ),
    "Earmark": (
        "En del av en utbetalning som avsätts för ett ändamål (”Av medlen kan 5 000 000 kronor …”).",
        {
            "id": ("Namn för texten: {{ <id> | kronor }}.", "famna_utv"),
            "label": ("Vad delen är till.", "utvecklingsarbete"),
            "amount": ("Belopp i kronor.", "500_000"),
        },
    ),
    "Appendix": (
        "En bilaga: rubrik, text och budgettabeller; underbilagor numreras 1.a, 1.b …",
        {
            "id": ("Bilagans namn (id); i texten: {{ bil.<id> }} → ”bilaga 2”.", "bil_famna"),
            "title": ("Rubrik.", "Famnas plan för 2012"),
            "subtitle": ("Underrubrik.", "Budget"),
            "blocks": (
                "Innehållet i ordning: text-, tabell- och rubrikblock.",
                "[{heading: Budget}, {text: …}, {table: {…}}]",
            ),
            "appendices": ("Underbilagor.", "[{id: bil_1a, title: …}]"),
        },
    ),
    "TextBlock": ("Ett textblock i en bilaga.", {"text": ("Texten.", "Planen omfattar …")}),
    "TableBlock": (
        "Ett tabellblock i en bilaga.",
        {"table": ("Tabellen.", "{columns: [Specifikation, Budget], rows: […]}")},
    ),
    "HeadingBlock": ("En rubrik i en bilaga.", {"heading": ("Rubriken.", "Budget 2012")}),
    "Table": (
        "En budgettabell; varje angiven summa kontrolleras.",
        {
            "id": (
                "Tabellens namn (id); i texten: {{ tab.<id> }} (”tabell 5”), {{ tab.<id>.total | kronor }}.",
                "budget_famna",
            ),
            "title": ("Rubrik.", "Budget 2012"),
            "columns": ("Kolumnrubriker.", "[Specifikation, Budget]"),
            "unit": ("Enhet i tabellen: kr, tkr eller mkr.", "kr"),
            "rows": ("Raderna.", "[{label: Personal, amount: 1_200_000}]"),
            "groups": ("Grupper av rader med egen delsumma.", "[{title: Kostnader, rows: […], total: 900_000}]"),
            "total": ("Tabellens summa; kontrolleras mot raderna.", "2_000_000"),
            "total_label": (
                "Texten på summaraden; ett år skrivs {{ year }}. En tabell med grupper får alltid en summarad.",
                "SUMMA {{ year }}",
            ),
            "total_income": ("Summa intäkter (intäkt/kostnad-tabell).", "4_000_000"),
            "total_cost": ("Summa kostnader (intäkt/kostnad-tabell).", "4_194_100"),
            "funding": ("Angiven ersättning som finansierar budgeten.", "4_000_000"),
            "funding_label": ("Texten på ersättningsraden.", "Ersättning"),
            "funding_ref": ("Utbetalningen vars belopp är ersättningen (i stället för funding).", "ul_famna"),
            "margin": ("Angiven marginal: ersättning minus summa.", "0"),
            "margin_label": ("Texten på marginalraden.", "Marginal"),
            "funded_by": ("Utbetalningar som budgeten använder; en varning om summorna skiljer sig.", "[ul_famna]"),
            "difference_note": (
                "Varför intäkter och kostnader skiljer sig. Utan den är skillnaden en varning. Skrivs inte ut.",
                "Överskottet förs över till 2013.",
            ),
        },
    ),
    "Row": (
        "En tabellrad: ett belopp, en hänvisning till en utbetalning, eller intäkt och kostnad.",
        {
            "label": ("Radens text.", "Projektledning"),
            "amount": ("Belopp i kronor.", "1_200_000"),
            "ref": ("Ta beloppet från den här utbetalningen i stället för att skriva det.", "reg_palliativ"),
            "income": ("Intäkt i kronor.", "4_000_000"),
            "cost": ("Kostnad i kronor.", "850_000"),
            "details": ("Förklarande rader under raden.", "[2 personer på halvtid]"),
            "percent_of_others": (
                "Raden är denna procentsats av tabellens (eller gruppens) övriga rader, t.ex. OH-kostnader 10 %; "
                "ett belopp som inte stämmer ger en varning med båda beloppen.",
                "10",
            ),
        },
    ),
    "Group": (
        "Rader under en underrubrik, med delsumma.",
        {
            "title": ("Underrubrik.", "Personalkostnader"),
            "rows": ("Raderna.", "[{label: Lön, amount: 600_000}]"),
            "total": ("Angiven delsumma; kontrolleras mot raderna.", "900_000"),
            "total_label": (
                "Texten på delsummeraden (standard: Delsumma; gruppens rubrik står redan ovanför).",
                "Delsumma",
            ),
        },
    ),
    "Decision": (
        "Ett regeringsbeslut: om överenskommelsen, eller fristående (en fil utan sections: och parties:, "
        "t.ex. ett uppdrag åt en myndighet att betala ut ett statsbidrag). utbetalning (uppdrag att betala) "
        "eller godkännande (av SKL:s plan). Det som källan inte anger (nummer, datum, diarienummer, statsråd, "
        "föredragande) skrivs null: dokumentet visar ett tomrum [namn] ______________ att fylla i och "
        "`generator validate` listar det (med --strict ett fel). Texten når beslutets fält som "
        "{{ decision.<nyckel> }}, t.ex. {{ decision.appropriation.lang }}, "
        "{{ decision.uppfoljning.<id>.date | datum }}.",
        {
            "id": ("Beslutets namn (id).", "beslut_utbetalning"),
            "kind": ("utbetalning eller godkannande.", "utbetalning"),
            "number": ("Beslutets nummer (romersk siffra:nummer); null om källan inte anger det.", "'II:7'"),
            "date": ("Beslutsdatum; null om källan inte anger det.", "2011-06-16"),
            "dnr": (
                "Diarienummer, eller flera som lista (vart och ett på sin rad i huvudet); null om källan inte "
                "anger det.",
                "[S2011/5826/FST, S2011/4012/FST]",
            ),
            "department": ("Departementet.", "Socialdepartementet"),
            "addressee": (
                "Mottagaren (namn och adressrader).",
                "{name: Kammarkollegiet, lines: [Box 2218, 103 15 Stockholm]}",
            ),
            "subject": ("Ärendemeningen.", "Uppdrag att utbetala medel till SKL"),
            "decision": (
                "Texten under ”Regeringens beslut”.",
                "Regeringen uppdrar åt Kammarkollegiet att betala ut {{ total | kronor }} …",
            ),
            "matter": ("Texten under ”Ärendet”.", "Regeringen och SKL har ingått en överenskommelse …"),
            "appropriation": ("Anslaget som belastas.", "{utgiftsomrade: 9 Hälsovård …, anslag: 5:1 …}"),
            "minister": ("Statsrådet som beslutar; null om källan inte anger det.", "{name: Maria Larsson}"),
            "official": ("Föredraganden; null om källan inte anger det.", "{name: Anna Svensson}"),
            "copies": ("”Kopia till”.", "[Finansdepartementet/BA, Socialstyrelsen]"),
            "attachments": (
                "Bilagorna i ordning: en sort ensam (agreement, plan) eller en bilaga med nycklar "
                "(distribution, key, text); huvudet skriver ”1 bilaga”, ”2 bilagor” …",
                "[{kind: key, title: Fördelningsnyckel, key: {'01': 412_000}}]",
            ),
            "followup": (
                "Uppföljningar som beslutet kräver, av vilket slag som helst, med datum (eller null).",
                "[{id: delredovisning, label: Delredovisning, date: 2013-03-31, to: Socialdepartementet}]",
            ),
        },
    ),
    "DecisionAttachment": (
        "En bilaga till ett regeringsbeslut: överenskommelsen (agreement), SKL:s plan (plan), en "
        "fördelningstabell (distribution), en nyckel (key) eller en fri text (text). En fördelningstabell "
        "fördelar amount (annars total) mellan länen efter key med fördelningsmotorns regel (proportionellt, "
        "största rest) och, med split, varje läns del mellan kommunerna och landstinget.",
        {
            "kind": ("agreement, plan, distribution, key eller text.", "distribution"),
            "title": ("Bilagans rubrik (annars sortens).", "Fördelning per län"),
            "text": ("Text i bilagan, före tabellen.", "Medlen fördelas efter antalet invånare 65 år och äldre."),
            "amount": ("Beloppet som fördelas (standard: total).", "300_000_000"),
            "key": ("Länskod → nyckelns tal för länet.", "{'01': 412_000, '03': 70_000}"),
            "key_label": ("Rubriken över nyckelns kolumn.", "Invånare 65 år och äldre"),
            "split": (
                "Delningen av varje läns del mellan kommunerna och landstinget.",
                "{kommuner: 70, landsting: 30}",
            ),
        },
    ),
    "FollowUp": (
        "En uppföljning som ett beslut kräver (delredovisning, slutredovisning, vad som helst som har ett namn).",
        {
            "id": ("Namn för texten: {{ decision.uppfoljning.<id>.date | datum }}.", "delredovisning"),
            "label": ("Vad som ska lämnas.", "Delredovisning"),
            "date": ("Senast när; null om källan inte anger det (skrivs som tomrum).", "2013-03-31"),
            "to": ("Vem som tar emot.", "Regeringskansliet (Socialdepartementet)"),
            "by": ("Vem som ska göra det.", "Socialstyrelsen"),
        },
    ),
    "Address": (
        "Ett adressblock: namnet, sedan raderna.",
        {
            "name": ("Namn.", "Kammarkollegiet"),
            "lines": ("Adressrader.", "[Box 2218, 103 15 Stockholm]"),
        },
    ),
    "Appropriation": (
        "Anslaget i statens budget.",
        {
            "utgiftsomrade": ("Utgiftsområde.", "9 Hälsovård, sjukvård och social omsorg"),
            "anslag": ("Anslag.", "5:1 Stimulansbidrag och åtgärder inom äldrepolitiken"),
            "anslagspost": (
                "Anslagspost, som beslutet skriver den. Texten: {{ decision.appropriation.kort }} "
                "(”anslagspost 11”), {{ decision.appropriation.lang }} (”anslagspost 11 Stimulansbidrag …”).",
                "11",
            ),
            "anslagspost_namn": ("Anslagspostens namn, om beslutet anger det.", "Stimulansbidrag till äldreomsorg"),
        },
    ),
    "Letter": (
        "SKL:s skrivelse med genomförandeplanen.",
        {
            "dnr": ("SKL:s diarienummer; null om källan inte anger det (skrivs som tomrum).", "09/5304"),
            "date": ("Datum; null om källan inte anger det (skrivs som tomrum).", "2012-01-20"),
            "sender": ("Avsändarens organisations-id.", "skl"),
            "units": ("Avdelning och sektion.", "[Avdelningen för vård och omsorg]"),
            "contact": ("Handläggare.", "Anna Svensson"),
            "addressee": ("Mottagaren.", "{name: Socialdepartementet, lines: [103 33 Stockholm]}"),
            "title": ("Rubrik.", "Genomförandeplan 2012"),
            "background": ("Bakgrundstexten.", "Regeringen och SKL har träffat en överenskommelse …"),
            "signatories": ("De som skriver under (minst en).", "[{name: Håkan Sörman}]"),
        },
    ),
    "DataFiles": (
        "Nyckeldata och utfall som fördelningarna använder, som filer intill överenskommelsen.",
        {
            "population": ("SCB:s befolkningsfil.", "{file: ../examples/befolkning_2011_EXEMPEL.csv, year: 2011}"),
            "outcomes": (
                "Utfallsfilen (CSV) för prestationspotterna, relativt överenskommelsen.",
                "../examples/utfall_2012_EXEMPEL.csv",
            ),
        },
    ),
    "PopulationSource": (
        "En CSV-export från SCB av folkmängden efter region och ålder (BE0101N1).",
        {
            "file": ("Sökväg relativt överenskommelsen.", "../examples/befolkning_2011_EXEMPEL.csv"),
            "year": ("SCB:s årskolumn: folkmängden den 31 december det året.", "2011"),
        },
    ),
    "CountyLetters": (
        "Breven till varje län om vad länets kommuner och landsting får.",
        {
            "date": ("Brevens datum.", "2012-03-01"),
            "dnr": ("Diarienummer.", "12/0345"),
            "sender": ("Avsändarens organisations-id.", "skl"),
            "units": ("Avdelning och sektion.", "[Avdelningen för vård och omsorg]"),
            "title": ("Ärendemening; länets namn läggs till.", "Medel 2012 till länets kommuner och landsting"),
            "intro": ("Inledande text.", "SKL har fått i uppdrag att fördela …"),
            "conditions": ("Villkor som gäller alla poster.", "Medlen ska användas till …"),
            "payee_form": ("Avsluta med blanketten för betalningsmottagare och konto (medel på rekvisition).", "true"),
            "reply_by": ("Sista svarsdag.", "2012-04-15"),
            "reply_to": ("Vart svaret skickas.", "SKL, 118 82 Stockholm"),
            "contact": ("Kontaktperson.", "Anna Svensson, tfn 08-452 70 00"),
            "signatory": ("Den som skriver under.", "{name: Håkan Sörman, title: Verkställande direktör}"),
            "steps": (
                "Vad mottagarna ska göra, i ordning, med sista dagar (”Vad ni behöver göra”).",
                "[{text: Skicka in rekvisitionen., date: 2012-04-15}]",
            ),
            "item_conditions": (
                "Per utbetalning eller pott (id): vad som gäller för pengarna, som brevet säger det.",
                "{ul_lan: Medlen ska användas till …}",
            ),
        },
    ),
    "Circular": (
        "Ett SKL-cirkulär som presenterar ett års överenskommelser (förebild: Cirkulär 13:66). Ligger under "
        "filens enda nyckel cirkular:.",
        {
            "number": ("Cirkulärets nummer (åå:nr), inom citattecken.", "'13:66'"),
            "date": ("Datum.", "2013-12-16"),
            "year": ("Året för överenskommelserna det presenterar.", "2014"),
            "sender": (
                "Avsändaren (en organisation med id, namn, adressrader).",
                "{id: skl, name: Sveriges Kommuner och Landsting}",
            ),
            "units": ("Avdelning och sektion i avsändarblocket.", "[Avdelningen för vård och omsorg]"),
            "officials": ("Namngivna handläggare i avsändarblocket.", "[Anna Svensson]"),
            "recipients": ("Mottagarna (minst en).", "[Kommunstyrelsen, Landstings-/regionstyrelsen]"),
            "title": ("Ärendemening, om cirkuläret har en.", "Överenskommelser mellan staten och SKL för 2014"),
            "intro": (
                "Text före listan över överenskommelserna; {{ antal | tal_ord }} är deras antal.",
                "Staten och SKL har träffat {{ antal | tal_ord }} överenskommelser …",
            ),
            "intro_after": ("Text efter listan över överenskommelserna.", "Nedan beskrivs de i korthet."),
            "parts": (
                "En del per överenskommelse som presenteras (minst en).",
                "[{agreement: mest_sjuka_aldre_2014, …}]",
            ),
            "contacts_title": ("Rubrik över kontakterna.", "Kontaktuppgifter"),
            "contacts": ("Kontaktpersoner.", "[{task: Samordning, name: Anna Svensson, phone: 08-452 70 00}]"),
            "signature_lines": (
                "Rader ovanför underskrifterna.",
                "[Sveriges Kommuner och Landsting, Avdelningen för vård och omsorg]",
            ),
            "signatories": ("De som skriver under (minst en).", "[{name: Håkan Sörman}]"),
            "accepted_wordings": (
                "Ordalydelser som språkkontrollen skulle anmärka på men som behålls med avsikt (ett citat, ett "
                "namn som dess ägare skriver det), var och en med skäl. Se docs/SKRIVA.md, ”Språket”.",
                "[{wording: Senior Alert coach, rule: bindestreck, reason: registrets eget namn på rollen}]",
            ),
        },
    ),
    "CircularPart": (
        "Den del av ett cirkulär som presenterar en överenskommelse; texten får använda dess belopp.",
        {
            "agreement": ("Id för en överenskommelse samma år.", "mest_sjuka_aldre_2014"),
            "title": (
                "Rubrik; standard: överenskommelsens rubrik.",
                "Sammanhållen vård och omsorg om de mest sjuka äldre",
            ),
            "purpose": ("”Syfte och mål”.", "Syftet är att …"),
            "funding": ("”Ekonomiskt stöd”.", "Överenskommelsen omfattar {{ total | miljoner }}."),
            "news_title": ("Rubrik över nyheterna.", "Nya satsningar i 2014 års överenskommelse"),
            "news": ("Nyheterna.", "Nytt för 2014 är …"),
            "support": ("”SKL:s stöd …”-avsnitt.", "[{title: SKL:s stöd, text: …}]"),
            "members": ("”Medlemmarnas arbete …”-avsnitt.", "[{title: Medlemmarnas arbete, text: …}]"),
            "requirements": ("Grundkrav, numrerade ”Grundkrav 1: …”.", "[{title: Ledningssystem, text: …}]"),
            "timeline": ("”Tidplan”.", "Senast den {{ slutdatum | datum }} …"),
            "links": ("Länkar.", "[{label: 'Överenskommelse:', url: https://skl.se/…}]"),
        },
    ),
    "CircularSection": (
        "En rubricerad text; rader som börjar med ### blir inlagda underrubriker.",
        {
            "title": ("Rubrik.", "SKL:s stöd"),
            "text": ("Texten.", "SKL stödjer arbetet genom …"),
        },
    ),
    "AcceptedWording": (
        "En ordalydelse som språkkontrollen skulle anmärka på, behållen med avsikt. Varje text som innehåller "
        "ordalydelsen behåller den; en godtagen ordalydelse som inte längre ger något fynd är en varning.",
        {
            "wording": ("Texten som den står i filen.", "skall enligt lagen"),
            "rule": (
                "Regeln den godtas mot: genitiv, bindestreck, ska, i_dag, framfor_allt, versal, dubbelord eller "
                "tal. Utan rule godtas den mot alla regler.",
                "ska",
            ),
            "reason": ("Varför den behålls: den som läser filen nästa gång ser skälet.", "citat ur lagtexten"),
        },
    ),
    "CitedAppendix": (
        "En bilaga i ett annat dokument som texten hänvisar till: {{ bil.<id> }} skrivs ”bilaga 3 till "
        "överenskommelsen”.",
        {
            "number": ("Bilagans nummer i det dokumentet.", "'3'"),
            "document": ("Dokumentet, som meningen nämner det.", "överenskommelsen"),
            "title": ("Bilagans rubrik, för den som läser filen.", "Läkemedel med antikolinerga effekter"),
        },
    ),
    "Link": (
        "En länk.",
        {
            "label": ("Texten före adressen.", "Webbsida:"),
            "url": ("Adressen.", "https://skl.se/"),
        },
    ),
    "Contact": (
        "En kontaktperson i ett cirkulär, med uppgiften den svarar för.",
        {
            "task": ("Uppgiften.", "Samordning och övergripande projektansvar – eHälsa"),
            "name": ("Namn.", "Anna Svensson"),
            "role": ("Roll.", "Projektledare"),
            "phone": ("Telefon.", "08-452 70 00"),
            "email": ("E-post.", "anna.svensson@skl.se"),
        },
    ),
    "CoverLetter": (
        "SKL:s brev som erbjuder länen deras del av en fördelad utbetalning (förebild: 2010).",
        {
            "date": ("Datum; null när källan inte anger det (skrivs ut tomt).", "2010-04-15"),
            "dnr": ("Diarienummer; null när källan inte anger det (skrivs ut tomt).", "10/1234"),
            "addressee": ("Mottagarens rader i adressblocket.", "[Kommunerna och landstingen i länen]"),
            "reply_by": (
                "Sista dag för den undertecknade överenskommelsen; null när källan inte anger den (skrivs ut tomt).",
                "2010-06-15",
            ),
            "sender": ("Avsändarens organisations-id.", "skl"),
            "units": ("Avdelning och sektion.", "[Avdelningen för vård och omsorg]"),
            "title": ("Rubrik.", "Medel för utvecklingsledare 2010"),
            "text": ("Brevets text.", "SKL erbjuder länen …"),
            "signatory": ("Den som skriver under.", "{name: Håkan Sörman}"),
        },
    ),
    "TitledText": (
        "En rubrik och texten under den.",
        {
            "title": ("Rubrik.", "Kvalitativ uppföljning"),
            "text": ("Texten.", "Arbetet följs upp genom …"),
        },
    ),
    "CountyFill": (
        "Det i ett läns överenskommelse som data kan fylla i; det som är tomt skrivs ut som en tom rad.",
        {
            "payee": ("”Medel utbetalas till”: organisationen som får pengarna.", "Region Skåne"),
            "org_number": ("Organisationsnummer.", "232100-0255"),
            "account": ("Bankgiro, plusgiro eller bankkonto.", "Bg 5050-0255"),
            "place": ("Ort för underskriften.", "Malmö"),
            "date": ("Datum för underskriften.", "2010-05-20"),
            "parts": ("Det länet (eller delar av det) fyllt i.", "[{area: Fyrbodal, plans: …}]"),
        },
    ),
    "CountyAgreements": (
        "SKL:s brev och överenskommelsen med varje län om dess del av en utbetalning (2010: Bilaga 1 och 2). "
        "Beloppen är utbetalningens fördelning, så brevets bilaga och länens överenskommelser visar samma siffror.",
        {
            "payout": ("Den fördelade utbetalningen som länen delar (id).", "ul_lan"),
            "letter": ("SKL:s brev.", "{sender: skl, title: …, text: …, signatory: …}"),
            "appendix_title": (
                "Rubriken på överenskommelsemallen som bilaga.",
                "Mall för länsgemensam överenskommelse",
            ),
            "table_title": ("Rubriken på fördelningsbilagan.", "Fördelning av 66 milj. kr till länen"),
            "table_text": (
                "Regeln som bilagan anger den.",
                "Varje län får minst {{ utbet.ul_lan.distribution.floor | miljoner_ord }} …",
            ),
            "subject": ("Vad överenskommelsen gäller.", "om stöd till ett långsiktigt förbättringsarbete …"),
            "heading": ("Rubrik över överenskommelsen.", "Länsgemensam överenskommelse"),
            "text": ("Överenskommelsens gemensamma text, lika för alla län.", "Kommunerna och landstinget i länet …"),
            "plans_title": ("Rubriken över länets planer.", "Kommunerna och landstinget avser att:"),
            "one_body_text": (
                "Den gemensamma texten för ett län vars enda kommun också har landstingets uppgifter (Gotland).",
                "Kommunen har också landstingets uppgifter och …",
            ),
            "sections": ("Gemensamma avsnitt efter planerna.", "[{title: Kvalitativ uppföljning, text: …}]"),
            "budget_lines": ("Budgetraderna ett län fyller i.", "[Lön, Resor, Övrigt]"),
            "followup": ("”Uppföljning”.", "{title: Uppföljning, text: …}"),
            "counties": ("Länskod → det data fyller i.", "{'14': {payee: Västra Götalandsregionen}}"),
        },
    ),
    "CountyPart": (
        "Vad ett län, eller en del av det (en delregion), har fyllt i: planer, budget, vem som skrev under.",
        {
            "area": ("Delen av länet; ingen för hela länet.", "Fyrbodal"),
            "by": ("Vem som skrev det (ett kommunalförbund, en vårdsamverkan).", "Fyrbodals kommunalförbund"),
            "plans": ("Listan under ”Kommunerna och landstinget avser att:”.", "- anställa en utvecklingsledare"),
            "budget": (
                "Budgeten; kontrolleras mot länets belopp (varning).",
                "{rows: [{label: Lön, amount: 600_000}]}",
            ),
            "text": ("Text efter budgeten (hur den tagits fram, beslut).", "Budgeten är godkänd av …"),
            "signatories": ("De som skrev under.", "[{name: Anna Svensson}]"),
            "signed_as": ("Organisationen under varje undertecknare, i ordning.", "[Västra Götalandsregionen]"),
        },
    ),
    "PublishedSource": (
        "Var en publicerad tabell står: en annan överenskommelsefil (relativt den här) och postens id där.",
        {
            "file": ("Filen, relativt den här.", "2010.yaml"),
            "item": ("Postens id i den filen.", "ul_lan"),
        },
    ),
    "LetterContact": (
        "Den som svarar på frågor om ett brev, som avsändarblocket visar den.",
        {
            "name": ("Namn.", "Kristina Jennbert"),
            "title": ("Titel.", "Handläggare"),
            "phone": ("Telefon.", "08-452 70 00"),
            "email": ("E-post.", "kristina.jennbert@skl.se"),
        },
    ),
    "LetterStep": (
        "Ett steg för länsbrevets mottagare (”Vad ni behöver göra”), med sista dag om det har en. "
        "date: får ange ett namn under dates:; ett datum före brevets eget är ett fel.",
        {
            "text": ("Vad som ska göras.", "Skicka in rekvisitionen till SKL senast {{ rekvisition | datum }}."),
            "date": ("Sista dag (ÅÅÅÅ-MM-DD) eller namnet på ett datum under dates:.", "2012-04-15"),
            "route": ("Bara i breven till län som får medel som betalas ut på det här sättet.", "skl_rekvisition"),
        },
    ),
    "MunicipalStatement": (
        "Det varje kommuns utlåtande om överenskommelsen säger lika (förebild: Stockholm 2013). "
        "Det bara kommunen kan skriva står i dess egen fil <folder>/<kod>.yaml.",
        {
            "folder": ("Mappen med kommunfilerna, relativt överenskommelsen.", "../kommuner/2013"),
            "title": (
                "Överenskommelsen som beslutet namnger den.",
                "Överenskommelse mellan staten och Sveriges Kommuner och Landsting om …",
            ),
            "approval": ("Beslutspunkt 1: överenskommelsen godkänns.", "Överenskommelsen … godkänns."),
            "history": ("Hur överenskommelserna kom till (Ärendet, och början av tjänsteutlåtandet).", "Sedan 2011 …"),
            "purpose": ("”Det långsiktiga syftet med satsningen är …”", "Det långsiktiga syftet med satsningen är …"),
            "requirements": ("”Överenskommelsen ställer krav på …”", "Överenskommelsen ställer krav på …"),
            "offer_lead": ("Meningen före listan över det kommunerna kan ta del av.", "Kommunerna kan ta del av:"),
            "follow_up": ("Tjänsteutlåtandets text efter listan (återrapportering).", "Återrapportering sker …"),
            "closing": (
                "”Regeringen kommer att fatta beslut om utbetalning …”",
                "Regeringen kommer att fatta beslut om utbetalning …",
            ),
            "omit": ("Avsnitt som inte gäller kommuner (listas inte).", "[analysarbete]"),
        },
    ),
    "MunicipalFile": (
        "Det bara kommunen själv kan skriva i sitt utlåtande om överenskommelsen: "
        "en fil per kommun, <mapp>/<kod>.yaml. "
        "Allt utom kommun får utelämnas; utlåtandet blir då ett utkast med tomrum.",
        {
            "kommun": ("Kommunens kod, inom citattecken; filen heter <kod>.yaml.", "'0180'"),
            "dnr": ("Kommunens diarienummer.", "327-1866/2012"),
            "series": ("Serien efter året: ”RV” i ”Utlåtande 2013: RV”.", "RV"),
            "rapporteur": ("Föredraganden.", "{title: borgarrådet, name: Joakim Larsson}"),
            "decision_points": (
                "Beslutspunkter efter godkännandet av överenskommelsen.",
                "[De nämnder som … uppmanas att börja detta arbete.]",
            ),
            "preparation": (
                "Beredning: vart ärendet remitterats och vad de sagt.",
                "Ärendet har remitterats till stadsledningskontoret.",
            ),
            "views": ("Föredragandens synpunkter (”Mina synpunkter”).", "Överenskommelsen skapar incitament att …"),
            "recommending_body": ("Det beredande organet.", "Borgarrådsberedningen"),
            "place": ("Ort.", "Stockholm"),
            "chair": ("Den som skriver under för kommunstyrelsen.", "Sten Nordin"),
            "signatories": ("Övriga som skriver under.", "[Joakim Larsson, Ulrika Gunnarsson]"),
            "statement": (
                "Tjänsteutlåtandet som utlåtandet citerar.",
                "{office: stadsledningskontoret, date: 2013-02-25, …}",
            ),
            "accepted_wordings": (
                "Ordalydelser som språkkontrollen skulle anmärka på men som behålls med avsikt, var och en med "
                "skäl. Se docs/SKRIVA.md, ”Språket”.",
                "[{wording: skall, rule: ska, reason: citat ur kommunfullmäktiges beslut}]",
            ),
        },
    ),
    "Rapporteur": (
        "Föredraganden i ett utlåtande.",
        {
            "title": ("Titel, som i löptext.", "borgarrådet"),
            "name": ("Namn.", "Joakim Larsson"),
        },
    ),
    "OfficeStatement": (
        "Tjänsteutlåtandet som utlåtandet citerar (ÄRENDET, BEREDNING).",
        {
            "office": ("Vem som skrev det, som i löptext.", "stadsledningskontoret"),
            "date": ("Datum.", "2013-02-25"),
            "prepared_by": (
                "”Detta ärende har beretts av …”",
                "Detta ärende har beretts av stadsledningskontorets förnyelseavdelning.",
            ),
            "assessment": ("Kontorets egen bedömning.", "Stadsledningskontoret ser positivt på …"),
        },
    ),
}


def describe_model(name: str) -> str:
    """Return the Swedish description of a model ('' if it has none)."""
    return MODELS.get(name, ("", {}))[0]


def field_text(model: str, key: str) -> tuple[str, str]:
    """Return (meaning, example) of a key of a model; ('', '') if it is not described."""
    return MODELS.get(model, ("", {}))[1].get(key, ("", ""))
