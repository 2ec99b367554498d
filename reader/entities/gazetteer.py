"""Word lists the extractor reads: shipped data (data/*.txt) plus hand-written cue lists."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> Mapping[str, None]:
    """A shipped word list (built by scripts/build_gazetteers.py), for ``in`` tests.

    A dict of str keys and None values, not a frozenset: the cyclic garbage collector does not
    track such a dict, while it walks every set it holds at each full collection; with 295,000
    names that walking made the first extraction of a process about a third slower.
    """
    data = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    return dict.fromkeys(data.strip("\n").split("\n"))  # one entry per line, none empty


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and roles that precede a person's name (kept outside the span).
TITLES = _words(
    "Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Prof Prof. Sir Dame Lord Lady M. Mme Mme. Mmes Mlle "
    "Me Maître Monsieur Madame Docteur Professeur President Président Présidente Premier Prime "
    "Minister Ministre Chancellor Chancelier Chancelière Senator Sénateur Sénatrice Governor "
    "Gouverneur Mayor Maire King Queen Roi Reine Prince Princess Princesse Pope Pape "
    "General Général Colonel Captain Capitaine Judge Juge Rep. Sen. Gov. Gen. Col. Lt. Sgt. "
    "CEO PDG Chairman Chairwoman Secretary Secrétaire Commissioner Commissaire Ambassador "
    "Ambassadeur Archbishop Bishop Cardinal Rabbi Imam Coach Entraîneur Pr Baron Baronne Duke Duc "
    "Duchess Duchesse Earl Count Countess Comtesse Marquis Marquise Viscount Vicomte Emperor "
    "Empereur Impératrice Empress Tsar Czar Kaiser Sultan Sheikh Cheikh Emir Émir Ayatollah "
    "Prophet Prophète Pastor Pasteur Reverend Rev. Abbé Congressman Congresswoman "
    "President-elect Lieutenant Sergeant Admiral Amiral Commander Commandant Marshal Maréchal "
    "Journalist Journaliste Striker Midfielder Goalkeeper Defender Spokesman Spokeswoman "
    "Founder Fondateur Fondatrice Co-founder Cofondateur Cofondatrice Mullah Mollah "
    "Presidents Representative Envoy Envoyé Envoyée Coordinator Coordinateur Coordinatrice "
    "Rapporteur Rapporteuse Prosecutor Procureur Procureure Director Directeur Directrice Chief "
    "Superintendent Inspector"
)
# Words inside or at the end of a name that make it an organisation.
ORG_WORDS = _words(
    "Inc Inc. Corp Corp. Corporation Co Co. Ltd Ltd. LLC plc PLC SA S.A. SAS SARL AG GmbH NV "
    "N.V. BV SpA AB ASA Oyj Group Groupe Gruppe Holdings Holding Company Compagnie Motors Motor "
    "Automobiles Airlines Airways Bank Banque Bancorp Capital Partners Ventures Technologies "
    "Technology Systems Software Labs Laboratories Pharmaceuticals Pharma Energy Energies "
    "Électricité Telecom Télécom Communications Media Médias Studios Entertainment Pictures "
    "Records Publishing Éditions Press Presse News Times Post Journal Herald Tribune Gazette "
    "Films Productions Interactive Comics Networks Financial Insurance Investments Securities "
    "Enterprises Logistics Instruments Brewery "
    "Monde Figaro Libération Télévision Television TV Radio Broadcasting Network University "
    "Université Universität College Collège Institute Institut School École Academy Académie "
    "Foundation Fondation Association Federation Fédération Union Council Conseil Commission "
    "Committee Comité Agency Agence Authority Autorité Office Bureau Ministry Ministère "
    "Department Département Parliament Parlement Assembly Assemblée Senate Sénat Congress "
    "Congrès Court Cour Tribunal Police Army Armée Navy Marine Force Forces Party Parti "
    "Church Église Hospital Hôpital Museum Musée Orchestra Orchestre Club FC F.C. United "
    "City Rovers Athletic Olympique Racing Team Équipe Society Société Organisation "
    "International Internationale Global Worldwide Europe-based "
    "Organization Reserve Exchange Bourse Fund Fonds Trust Alliance League Ligue Coalition "
    "Front Movement Mouvement Brigade Squadron Regiment Régiment Division Corps Service "
    "Services Industries Industrie Solutions Consulting Electric Electronics Foods Brands "
    "Stores Railway Railways Chemin Airport Aéroport Port Station Gare Bundesliga NHS BBC Auto "
    "Automotive "
    "Chamber Chambre Board Observatory Observatoire Stiftung Institution Societe"
)
# Words that open or close a sports club's name (written by the team).
CLUB_WORDS = _words(
    "Dynamo Dinamo Werder Borussia Eintracht Fortuna Hertha Sporting Atlético Atletico Olympique "
    "Olympiakos Olympiacos Spartak Lokomotiv Lokomotive CSKA Zenit Hapoel Maccabi Beitar Partizan "
    "Slavia Sparta Legia Lech Ferencváros Benfica Juventus VfB VfL TSV SpVgg SSV "
    "Rapid Steaua Galatasaray Fenerbahçe Beşiktaş PSV Feyenoord Anderlecht Deportivo "
    "Independiente Kickers Wanderers Hotspur Albion Rovers Athletic Athletico Calcio Sportiva "
    "BSC SV FC AFC CF CD SC AC AS SS RC RSC KV KRC"
)
# Words that make a name a place.
PLACE_WORDS = _words(
    "River Rivière Fleuve Lake Lac Mount Mont Mountains Montagnes Island Islands Île Îles Bay "
    "Baie Sea Mer Ocean Océan Gulf Golfe Valley Vallée Province County Comté State Région "
    "Region District Street Rue Avenue Boulevard Square Place Park Parc Bridge Pont Canal "
    "Desert Désert Peninsula Péninsule Coast Côte Cape Cap Strait Détroit Forest Forêt "
    "Peak Pic Creek Trail Strip Republic Kingdom Castle Château Abbey Abbaye Cathedral "
    "Cathédrale Palace Palais "
    "Airport Aéroport Station Gare Stadium Stade Canyon Glacier Falls Harbour Harbor Port "
    "Beach Plage Hill Hills Colline Heights Springs Reservoir Dam Barrage Basin Bassin "
    "Plateau Highway Autoroute Road Route Lane Way Square Quarter Quartier Township Parish "
    "Borough Village Municipality Commune Department Département Prefecture Préfecture Oblast "
    "Governorate Canton Arrondissement Empire Empires Kingdom Caliphate Sultanate Emirate Krai"
)
# Words that end the name of a site, when the name does not start with a first name.
SITE_WORDS = _words(
    "Field Theatre Theater Théâtre Mine Colliery Site Formation Wilderness Pass Grove Drive "
    "Center Centre Vineyards Arena Gardens Garden Pier Plaza Mall Tunnel Lighthouse Monument "
    "Memorial Cemetery Cimetière Temple Mosque Mosquée Synagogue Oval Raceway Circuit Speedway "
    "Tower Towers Hall Dome Fountain Gate Wharf Marina Zoo Ranch Farm Estate Manor Mansion "
    "Fortress Forteresse Citadel Citadelle Ruins Cave Caves Grotte Crater Cratère Volcano Volcan"
)
# Organisation words that name a building or a site first: "Ashmolean Museum", "Geneva
# Airport", "Frimley Park Hospital", "Gare du Nord" are places (the labelled sets agree).
FACILITY_WORDS = _words("Museum Musée Museo Airport Aéroport Station Gare Hospital Hôpital Gallery")
# Words that make a name an event or an award, not an organisation ("World War II").
EVENT_WORDS = _words(
    "War Wars Battle Bataille Guerre Festival Championships Championship Championnats Awards "
    "Award Prize Prix Olympics Revolution Révolution Awakening Crisis Crise Treaty Traité "
    "Massacre Uprising Rebellion Siege Siège Campaign Campagne Expedition Expédition Earthquake "
    "Séisme Hurricane Ouragan Marathon Rally Rallye"
)
# Lowercase words that may join the capitalised parts of one name.
CONNECTORS = _words(
    "de du des d' la le les van von der den di da dos das del della bin ibn al el of &"
)
# Epithets after a ruler's or writer's name: "Alexandre le Grand", "Pliny the Elder".
EPITHETS = _words(
    "Grand Grande Great Bref Jeune Ancien Ancienne Vieux Pieux Hardi Chauve Bel Beau Bon "
    "Conquérant Magnifique Superbe Sage Juste Fort Simple Gros Fou Cruel Borgne Victorieux "
    "Débonnaire Posthume Aîné Cadet Elder Younger Bold Pious Fair Conqueror Confessor Wise "
    "Magnificent Terrible Bald Fat Good Lionheart Unready Just Saint Apostate Illustre"
)
# Capitalised words that never start or make up a name on their own.
STOP = _words(
    "The A An This That These Those It Its He She They We You I His Her Their Our Your My "
    "Le La Les L' L’ C' C’ Qu' Qu’ Un Une Des Du De Ce Cette Ces Il Elle Ils Elles Nous Vous "
    "Je On Son Sa Ses UTC GMT CET CEST EST EDT PST PDT MON TUE WED THU FRI SAT SUN "
    "Leur Leurs Mon Ma Mes Ton Ta Tes Notre Votre Selon Pour Dans Avec Sans Sous Sur Par "
    "Mais Et Ou Donc Or Ni Car Si Quand Lorsque Alors Après Avant Depuis Pendant Entre "
    "Chez Vers Contre Malgré Comme Ainsi Aussi Enfin Puis But And Or If When While After "
    "Before Since During Between Against Despite Like As In On At By For From With Without "
    "Under Over Into Of To Not No Yes All Some Many Most Other Such Both Each Every Any "
    "Author Editor Reporter Correspondent Photographer Auteur Rédacteur Rédactrice "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December Lundi Mardi Mercredi Jeudi "
    "Vendredi Samedi Dimanche Janvier Février Avril Mai Juin Juillet Août Septembre "
    "Octobre Novembre Décembre There Here What Who Why How Which Where Qui Que Quoi Où "
    "Comment Pourquoi Dont Tout Tous Toute Toutes Aucun Chaque Plusieurs Certains Même "
    "However Also Then Now Today Yesterday Tomorrow Aujourd'hui Hier Demain Mr Mrs Ms Dr "
    "TV DNA RNA DVD CD CDs DVDs BCE CE AD BC HIV AIDS GDP PIB CEO CFO COO PDG PC PDF USB FM AM "
    "DJ MP MPs PM OK ID IT AI IA SMS GPS LED LCD HD HTML URL FAQ PhD MBA NB PS TVA RAM CPU GPU "
    "SUV SUVs EV EVs VE LNG LPG GNL ETF IPO"
)
# Abbreviations of things, not of names: never an organisation on their own (the acronym
# rule), though they may begin or end one ("ICU Medical", "Confédération des PME").
THINGS = _words(
    "API APIs SDK SQL DBMS HTTP HTTPS WWW VPN SSD HDD CPUs GPUs OLED VHS MP3 JPEG PNG GIF RPG "
    "RPGs MMO DLC ERA OBP MVP ESG NFT NFTs LGBT LGBTQ VIP VIPs DIY PPE ICU MRI ADHD PTSD KPI "
    "ROI PME PMI TPE ETI CDD CDI TTC"
)
# Nationalities and languages: capitalised in English, not entities of the scored kinds.
DEMONYMS = _words(
    "American Americans British Briton Britons English French German Germans Italian Italians "
    "Spanish Chinese Japanese Russian Russians Ukrainian Ukrainians European Europeans African "
    "Africans Asian Asians Arab Arabs Arabic Indian Indians Canadian Canadians Mexican Mexicans "
    "Brazilian Australian Dutch Belgian Swiss Swedish Norwegian Danish Finnish Polish Czech "
    "Greek Turkish Iranian Iraqi Israeli Israelis Palestinian Palestinians Syrian Egyptian "
    "Saudi Korean Koreans Vietnamese Thai Pakistani Afghan Nigerian Kenyan Irish Scottish "
    "Welsh Portuguese Austrian Hungarian Romanian Bulgarian Serbian Croatian Catholic "
    "Catholics Christian Christians Muslim Muslims Jewish Jews Islamic Protestant Latin Hindu "
    "Buddhist Western Eastern Northern Southern Soviet Communist Republican "
    "Democrat Democratic Conservative Liberal "
    "Socialist Kurdish Kurds Taliban Sunni Shiite Hispanic Latino Olympic "
    "Olympics Internet English-language Français Allemand Anglais Européens Américains"
)

# Lowercase geographic nouns that open a French place name ("océan Indien", "mer Noire").
GEO_NOUNS = _words(
    "océan mer golfe détroit île îles baie mont monts lac fleuve rivière cap massif vallée "
    "canal désert péninsule presqu'île archipel col plaine plateau forêt parc comté château "
    "aéroport cimetière musée préfecture boulevard gare cathédrale canton basilique abbaye rue "
    "voblast voïvodie oblast pont palais bois delta cordillère río réserve duché "
    "principauté"
)
# Lowercase nouns that open a French organisation's name ("université de Montréal").
ORG_NOUNS = _words("université orchestre lycée")
# Capitalised heads after which French names go on in lowercase ("Union européenne",
# "Ligue nationale de hockey", "Arabie saoudite").
LOWER_TAIL_HEADS = _words(
    "Union Ligue Académie Assemblée Banque Parti Empire Arabie Amérique Afrique Asie Europe "
    "Guinée Corée Nouvelle Nouveau République Royaume Église Armée Front Conseil Cour Comité "
    "Fédération Commission Organisation Agence Institut Université Bibliothèque Compagnie "
    "Société Mouvement Communauté Confédération Ministère Garde Marine Force Musée Orchestre "
    "Chambre Conférence Alliance Coupe Championnat Grand Haute Basse Polynésie Guyane Océanie "
    "Parlement Olympique Gaule Tribunal Sénat Croix Comte Comté Parc Mer Océan"
)

# International bodies: organisations even where a gazetteer lists them as regions.
BODIES = frozenset(
    """EU UE UN ONU NATO OTAN WHO OMS IMF FMI WTO OMC OPEC OPEP ASEAN ECB BCE Eurozone Interpol
    Europol UNESCO UNICEF UNHCR FIFA UEFA IOC CIO""".split()
) | frozenset(
    [
        "European Union",
        "Union européenne",
        "United Nations",
        "Nations unies",
        "European Commission",
        "Commission européenne",
        "European Parliament",
        "Parlement européen",
        "African Union",
        "Union africaine",
        "Red Cross",
        "Croix-Rouge",
        "World Bank",
        "Banque mondiale",
        "Security Council",
        "Conseil de sécurité",
    ]
)
# Compass words: a name containing one is a region ("Middle East", "Afrique du Nord").
COMPASS = _words(
    "North South East West Northern Southern Eastern Western Central Middle Upper Lower Nord "
    "Sud Est Ouest Orient Occident Moyen-Orient Proche-Orient"
)

# Product words: "Model Y", "Galaxy S24" are things, not people or companies.
PRODUCT_WORDS = _words("Model Modèle iPhone iPad Galaxy Pixel Series Série Mk Version Edition")

# Well-known organisations that appear in the news without a cue (written by the team).
KNOWN_ORGS = frozenset(
    """Google Alphabet Apple Microsoft Amazon Meta Facebook Instagram WhatsApp Twitter YouTube
    Netflix Nvidia Intel AMD Qualcomm IBM Oracle Cisco Samsung Sony Panasonic Toshiba Huawei
    Xiaomi ZTE Lenovo Alibaba Tencent Baidu ByteDance TikTok Foxconn TSMC OpenAI Anthropic
    SpaceX Tesla Uber Lyft Airbnb PayPal Visa Mastercard Spotify Nokia Ericsson Siemens SAP
    Philips Volkswagen Audi Porsche BMW Daimler Mercedes-Benz Renault Peugeot Citroën Stellantis
    Fiat Ferrari Toyota Honda Nissan Hyundai Kia Ford Chrysler GM BYD Geely NIO Volvo Airbus
    Boeing Safran Thales Dassault Total TotalEnergies Shell BP ExxonMobil Chevron Gazprom
    Rosneft Aramco EDF Engie Orange Vodafone Danone Nestlé Unilever L'Oréal LVMH Kering Hermès
    Carrefour Walmart Ikea Zara Adidas Nike Pfizer Moderna AstraZeneca Sanofi Novartis Roche
    Bayer BASF ArcelorMittal JPMorgan Citigroup HSBC Barclays BNP UBS BlackRock Reuters AFP
    Bloomberg CNN BBC Fox NPR Libération Figaro Politico Euronews Xinhua DW WikiLeaks Greenpeace
    Amnesty Hamas Hezbollah Taliban ISIS Daech Wagner Interpol Europol Nasa NASA ESA CERN FBI
    CIA NSA KGB FSB Pentagon Kremlin Bundeswehr Bundestag Congress Senate Parliament Élysée
    Matignon Republicans Democrats Conservatives Labour Liberals Socialists Communists Tories
    Nazis Nazi Republican Democrat Greens Bolsheviks Mensheviks Wehrmacht Luftwaffe Kriegsmarine
    Reichstag Gestapo Stasi
    Knesset Duma Bundesrat Bundesbank Adobe Salesforce Dell Xerox Nikon Fujifilm Hitachi
    Mitsubishi Nintendo Sega Konami Capcom Ubisoft Activision Atari Dropbox Shopify Snapchat
    Pinterest LinkedIn Reddit Yahoo eBay Rakuten Naver Kakao Motorola Micron Broadcom ASML
    Infineon Bosch Michelin Pirelli Bridgestone Goodyear Lufthansa Ryanair easyJet Qantas KLM
    Iberia Alitalia Transavia SNCF RATP Telefónica Bouygues Vivendi TF1 Lagardère Publicis Havas
    Accor Sodexo Decathlon Auchan Lidl Aldi Tesco Costco Starbucks McDonald's KFC Coca-Cola
    PepsiCo Heineken Carlsberg Diageo Mondelez Ferrero Lactalis Glencore BHP Infosys Wipro
    Petrobras Pemex Equinor Eni Repsol Sinopec PetroChina CNOOC Lukoil Novatek Rosatom Roscosmos
    Aeroflot Sberbank VTB Santander BBVA Rabobank Commerzbank Allianz AXA Generali MetLife
    Nomura Mizuho MUFG Deloitte KPMG PwC McKinsey Accenture Miramax Paramount Disney Pixar
    DreamWorks HBO Hulu Billboard Spiegel Corriere Repubblica Pravda Izvestia Kommersant Haaretz
    Asahi Yomiuri Nikkei Mediapart Buzzfeed Axios Forbes UPI ANSA EFE TASS Interfax Kyodo Yonhap
    dpa NATO OSCE OECD OCDE UNESCO WFP UNDP UNEP IAEA AIEA IPCC GIEC Frontex Eurostat Eurojust
    Fatah PLO OLP Likud Kadima Mossad Kuomintang ANC IRA ETA PKK YPG al-Shabaab Houthis Daesh
    NBA NFL NHL MLB WNBA ATP WTA FIA Bundesliga Juventus Arsenal Tottenham Benfica Galatasaray
    Fenerbahçe Olympiacos Panathinaikos Harvard Princeton Stanford MIT Caltech Sorbonne
    Sciences-Po INSEAD Wikipedia Wikimedia Mozilla Debian""".split()
) | frozenset(
    [
        "Le Monde",
        "Associated Press",
        "Al Jazeera",
        "al-Qaeda",
        "al Qaeda",
        "Al Qaeda",
        "Al-Qaeda",
        "al-Qaïda",
        "Al-Qaïda",
        "Société Générale",
        "Credit Suisse",
        "Deutsche Bank",
        "Goldman Sachs",
        "Morgan Stanley",
        "General Motors",
        "General Electric",
        "Great Wall Motor",
        "Volkswagen Group",
        "Financial Times",
        "Wall Street Journal",
        "New York Times",
        "Washington Post",
        "Deutsche Welle",
        "Fox News",
        "Deutsche Telekom",
        "Rio Tinto",
        "Saudi Aramco",
        "Pernod Ricard",
        "Kraft Heinz",
        "AB InBev",
        "Sinn Féin",
        "Boko Haram",
        "Shin Bet",
        "Red Hat",
        "Warner Bros.",
        "Canal+",
        "Le Figaro",
        "Les Échos",
        "The Guardian",
        "The Economist",
        "The Independent",
        "Der Spiegel",
        "Die Zeit",
        "El País",
        "El Mundo",
        "La Stampa",
        "Süddeutsche Zeitung",
        "Frankfurter Allgemeine",
        "Agence France-Presse",
        "Huffington Post",
        "Berkshire Hathaway",
    ]
)

# The planets that name nothing else as often (not Mercury, Mercure: "Freddie Mercury",
# "Mercure de France"; not the Earth, which is the world as often as the planet).
PLANETS = frozenset("Venus Mars Jupiter Saturn Uranus Neptune Pluto Vénus Saturne Pluton".split())

# Regions and nations that the country lists leave out, and French départements whose names are
# also words (Creuse, Somme) with former and historic French regions (written by the team).
REGIONS = frozenset(
    """Allier Aube Creuse Eure Gard Jura Landes Rhône Somme Nord-Pas-de-Calais Picardie
    Champagne-Ardenne Languedoc-Roussillon Midi-Pyrénées Limousin Poitou-Charentes Auvergne
    Rhône-Alpes Franche-Comté Basse-Normandie Haute-Normandie Touraine Anjou Béarn Quercy Périgord
    Dauphiné Beauce Sologne Camargue Nouvelle-Angleterre Castile Castille England Scotland Wales
    Britain Ulster Brittany Bretagne Normandy Normandie Corsica Corse
    Catalonia Catalogne Bavaria Bavière Flanders Flandre Wallonia Wallonie Siberia Sibérie Tibet
    Kashmir Cachemire Caucasus Caucase Balkans Scandinavia Scandinavie Sahel Maghreb
    Crimea Crimée Donbas Donbass Kurdistan Patagonia Patagonie Andalusia Andalousie Tuscany
    Toscane Provence Alsace Lorraine Bourgogne Burgundy Lancashire Yorkshire Texas California
    Californie Quebec Québec Ontario Hokkaido Sumatra Java Borneo Euphrates Euphrate Tigris
    Danube Rhine Rhin Seine Loire Thames Tamise Mississippi Amazon Amazonie Himalaya Alps Alpes
    Pyrenees Pyrénées Sahara Écosse Angleterre Mediterranean Méditerranée Baltic Baltique
    Adriatic Adriatique Aegean Égée Caribbean Caraïbes Atlantic Atlantique Pacific Pacifique
    Arctic Arctique Antarctic Antarctique Manche Prussia Prusse Persia Perse Mesopotamia
    Mésopotamie Anatolia Anatolie Bohemia Bohême Moravia Moravie Silesia Silésie Saxony Saxe
    Thuringia Thuringe Westphalia Westphalie Rhineland Rhénanie Swabia Souabe Franconia
    Franconie Tyrol Lapland Laponie Galicia Galice Lombardy Lombardie Sicily Sicile Sardinia
    Sardaigne Calabria Calabre Piedmont Piémont Macedonia Macédoine Thrace Dalmatia Dalmatie
    Transylvania Transylvanie Bessarabia Bessarabie Manchuria Mandchourie Punjab Pendjab
    Bengal Bengale Gaul Gaule Neustria Neustrie Austrasia Austrasie Aquitaine Occitanie
    Gascony Gascogne Savoy Savoie Cornwall Cornouailles Mercia Wessex Northumbria
    Midwest Appalachia Appalaches Outback Levant Arabia Arabie Yucatán Yucatan Andes
    Amazonia Sudetenland Carpathians Carpates Urals Oural America Amérique""".split()
) | frozenset(
    [
        "Northern Ireland",
        "Irlande du Nord",
        "Great Britain",
        "Grande-Bretagne",
        "Middle East",
        "Moyen-Orient",
        "Saint Petersburg",
        "Soviet Union",
        "Union soviétique",
        "Saint-Pétersbourg",
    ]
)

# -- cue lists the typing rules read (moved from rules.py and runs.py; written by the team) -----

# Articles written with a capital that belong to a name inside a sentence ("The Rolling Stones").
NAME_ARTICLES = _words("The La Le Les El Los Las Il Die Der Das")
# Surnames of people often in the news that the census list lacks, written by the team:
# "Xi Jinping" (the name comes first; "xi" is a common word, a Greek letter), "Fumio Kishida".
MORE_SURNAMES = _words("Xi Kishida Ishiba Takaichi Suga Zelensky Zelenskyy Erdoğan Erdogan")
# Place words that are common surnames: "Jonah Hill", "Rosemary Wood".
SURNAME_PLACE_WORDS = _words("Hill Hills Wood Woods Ford Brook Brooks Moore Marsh")
# Words that open a state's name followed by lowercase adjectives ("République tchèque").
STATE_HEADS = _words("République Royaume Empire Principauté Sultanat Émirat")
# Particles inside a person's name that allow it to run long ("Charles Marie de La Condamine").
NAME_PARTICLES = _words("de du d' d’ l' l’ la le von van der den di da dos del y")
# Last words of newspaper names that take "The" ("The Washington Post").
PAPER_WORDS = _words(
    "Times Post Journal Herald Tribune Telegraph Guardian Observer Economist Independent "
    "Globe Chronicle Gazette Mail Sun"
)
# Abbreviations that end a name with their period ("Warner Bros.", "Arthur Rankin Jr.").
DOTTED_ENDS = _words("Jr Sr Bros Inc Corp Ltd Co")
# Words that end a name when they close a run of capitals: bylines and dates.
TRAILING_STOP = _words(
    """Author Authors Editor Editors Reporter Reporting Correspondent Photographer Photo Photos
    Auteur Auteurs Rédacteur Rédactrice Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche January February March April June July
    August September October November December"""
)
# Words after a name that make it a person ("Smith said").
PERSON_AFTER = _words(
    "said says told added explained wrote argued insisted declared who whose "
    "déclare explique affirme estime souligne ajoute précise raconte confie assure"
)
# Words after a name that make it an organisation ("the Golden Dawn party", "Haribo boss",
# "a Gladbach keeper").
ORG_AFTER = _words(
    "party brand brands shares shareholders subsidiary subsidiaries headquarters employees "
    "executives boss bosses keeper goalkeeper striker midfielder defender newspaper magazine "
    "poll"
)
# Words before a city that keep it a place even in a sports report.
PLACE_PREPOSITIONS = _words("in at near outside around à près")
GEO_KINDS = _words("city town village region state ville région")
PLACE_BEFORE = _words("in à en au aux near près vers du")
# Nouns that take the name of the person they honour: "the Fourier transform", "the Krebs
# cycle", "the Richter scale" (English; wikineural labels the name a person, as it is).
EPONYM_HEADS = _words(
    """theorem lemma conjecture hypothesis equation equations formula function transform
    transformation integral measure dimension space algebra matrix diagram bracket operator
    number numbers primes polynomial polynomials expansion constant limit effect shift
    scattering principle reaction reagent rearrangement synthesis algorithm elimination
    inequality criterion symbol symbols paradox curve manifold metric tensor coefficient
    radius scale cycle energy"""
)
# Nouns after which one name is a family or a person's office: "the Takeda clan", "the
# Aquino government" (not when the name is a listed place: "the Kerala government").
FAMILY_HEADS = _words("family clan brothers sisters administration presidency government regime")
# Words after which a lone unknown name is most often a person: "selon Plutarque".
PERSON_BEFORE = _words("par selon")
ORG_BEFORE = _words(
    """company firm group maker carmaker automaker retailer bank agency broadcaster newspaper
    daily label startup start-up brand airline société groupe firme agence constructeur
    fabricant enseigne banque marque opérateur chez quotidien hebdomadaire journal band bands
    duo trio quartet orchestra orchestre club party parti companies firms groups brands banks
    marques sociétés groupes constructeurs banques manufacturer organization organisation
    consultancy insurer supplier publisher website chain giant"""
)
# Lowercase particles that open a name ("al Qaeda", "van Gogh").
PARTICLES = _words("al el van von bin ibn ben abu")
# Geographic nouns that stay outside a name they introduce with "de" ("l'île de Sumatra",
# but "l'île Maurice").
GEO_OUTSIDE = _words("île îles vallée archipel plaine presqu'île")
# Abbreviated place leads whose period does not end the sentence ("St. Louis", "Mt. Hood").
ABBREVIATED_LEADS = _words("St Ste Mt Ft")
# Nouns for what people do, which may stand before a name inside a run of capitals.
ROLE_NOUNS = _words(
    """actor actress actors singer singers teammate teammates coach author writer director
    producer guitarist drummer bassist composer painter poet novelist player players
    secretary treasurer spokesman spokeswoman minister governor senator mayor chairman
    président ministre secrétaire gouverneur maire sénateur"""
)
# Roles followed by de/of name an organisation: "patron de Tesla", "chief executive of Acme",
# "les analystes de Natixis".
ORG_ROLES = _words(
    """patron patronne directeur directrice président présidente fondateur fondatrice pdg ceo
    dirigeant dirigeants actionnaires salariés filiale head chief executive founder chairman
    employees shares shareholders subsidiary spokesman spokeswoman spokesperson
    porte-parole analystes analyste économistes économiste stratèges"""
)
# Staff followed by "at" name where they work: "analysts at Bernstein" (not "shares at
# Christmas": "at" after the roles above is often a time or a place).
ORG_STAFF = _words("analysts analyst economists economist strategists strategist")
# "de" and its forms, which join the parts of a French name.
DE_FORMS = _words("de du des d' d’")
# Verbs that look like French adjectives and end a name: "le Comité olympique indique".
TAIL_VERBS = _words("indique explique applique implique communique revendique")

# -- other languages: the extractor has no rules of its own for them and stays conservative ----

# Connectors of French/English names that are articles in these languages ("Ausbau der Netze",
# "Ministero della Salute" keeps "della"): they join no name there.
ARTICLE_CONNECTORS = {
    "de": _words("der den das des la le les du"),
    "it": _words("la le les des du der den das dos"),
    "es": _words("la le les des du der den das dos"),
    "pt": _words("la le les des du der den"),
    "nl": _words("la le les des du das"),
}
# Titles before a person's name (written by the team).
FOREIGN_TITLES = {
    "de": _words(
        "Herr Frau Bundeskanzler Bundeskanzlerin Kanzler Kanzlerin Präsident Präsidentin "
        "Bundespräsident Bundespräsidentin Ministerpräsident Ministerpräsidentin Ministerin "
        "Bürgermeister Bürgermeisterin Papst König Königin Fürst Graf Gräfin Trainer Chef"
    ),
    "it": _words(
        "Signor Signora Presidente Ministro Ministra Papa Re Regina Sindaco Onorevole Senatore "
        "Senatrice Dottor Dottoressa Principe Principessa Conte Contessa Allenatore"
    ),
    "es": _words(
        "Señor Señora Don Doña Presidente Presidenta Ministro Ministra Papa Rey Reina Alcalde "
        "Alcaldesa Senador Senadora Príncipe Princesa Conde Condesa Entrenador"
    ),
    "pt": _words(
        "Senhor Senhora Dom Dona Presidente Presidenta Ministro Ministra Papa Rei Rainha "
        "Prefeito Prefeita Senador Senadora Príncipe Princesa Conde Condessa Treinador"
    ),
    "nl": _words(
        "Meneer Mevrouw Premier Minister Koning Koningin Burgemeester Prins Prinses Graaf "
        "Gravin Trainer"
    ),
}
# Capitalised words that open sentences in these languages and are no names, besides the
# language's function words (reader.lang.FUNCTION_WORDS), which are all added.
FOREIGN_STOP = {
    "de": _words(
        "Ein Eine Einen Einem Einer Im Am Ins Zum Zur Beim Vom Nach Seit Bei Mit Ohne Gegen "
        "Wie Was Wer Wo Wann Warum Als Wenn Weil Dass Ob Auch Doch Noch Schon Nur Dann Dort "
        "Hier Heute Gestern Morgen Damit Dabei Dazu Daher Deshalb Trotz Während Laut Unter "
        "Zwischen Neben Über Vor Hinter Durch Für Um Bis Ich Du Er Sie Es Wir Ihr Sein Seine "
        "Ihre Ihr Unser Unsere Dieser Diese Dieses Jeder Jede Jedes Alle Viele Einige Keine Kein "
        "Januar Februar März Juni Juli Oktober Dezember Montag Dienstag Mittwoch Donnerstag "
        "Freitag Samstag Sonntag"
    ),
    "it": _words(
        "Il Lo La I Gli Le Un Uno Una Nel Nella Negli Nelle Del Della Dei Degli Delle Al Alla "
        "Ai Agli Alle Dal Dalla Dai Sul Sulla Con Per Tra Fra Come Quando Dove Anche Ma Se "
        "Questo Questa Questi Queste Quello Quella Dopo Prima Durante Secondo Oggi Ieri Domani "
        "Gennaio Febbraio Marzo Aprile Maggio Giugno Luglio Agosto Settembre Ottobre Novembre "
        "Dicembre Lunedì Martedì Mercoledì Giovedì Venerdì Sabato Domenica"
    ),
    "es": _words(
        "El La Los Las Un Una Unos Unas Del Al En Con Por Para Sin Sobre Entre Desde Hasta "
        "Como Cuando Donde Pero También Tras Según Durante Este Esta Estos Estas Ese Esa Hoy "
        "Ayer Mañana Enero Febrero Marzo Abril Mayo Junio Julio Agosto Septiembre Octubre "
        "Noviembre Diciembre Lunes Martes Miércoles Jueves Viernes Sábado Domingo"
    ),
    "pt": _words(
        "O A Os As Um Uma Uns Umas Do Da Dos Das No Na Nos Nas Ao Aos Em Com Por Para Sem Sobre "
        "Entre Desde Até Como Quando Onde Mas Também Após Segundo Durante Este Esta Estes Estas "
        "Esse Essa Hoje Ontem Amanhã Janeiro Fevereiro Março Abril Maio Junho Julho Agosto "
        "Setembro Outubro Novembro Dezembro"
    ),
    "nl": _words(
        "De Het Een In Op Met Voor Van Aan Bij Door Naar Uit Over Onder Tussen Na Tijdens Sinds "
        "Als Maar Ook Toen Waar Wanneer Deze Dit Die Dat Vandaag Gisteren Morgen Januari "
        "Februari Maart Mei Juni Juli Augustus Oktober Maandag Dinsdag Woensdag Donderdag "
        "Vrijdag Zaterdag Zondag"
    ),
}
# Prepositions before a town: after one a town of the lists stays a place though it is also a
# frequent word ("a Sevilla"). In German, where every noun is capitalised, a one-word town
# that is no major place is a place only after one ("in Leverkusen", not "den Titel", "der
# Liga", "die Mitte"); the other languages write nouns in lowercase.
FOREIGN_PLACE_BEFORE = {
    "de": _words("in im nach aus bei von vom zu zwischen um über"),
    "it": _words("a in di da per tra fra verso presso"),
    "es": _words("en de a desde hacia entre por para"),
    "pt": _words("em de a desde para entre por"),
    "nl": _words("in uit naar bij van te tussen"),
}
PLACE_NEEDS_PREPOSITION = frozenset(("de",))
