"""How many articles in each legacy encoding the reader reads as the text they hold (issue 17).

Every file the reader opens goes through `corpus.encoding.decode_bytes`; this benchmark feeds
it bytes whose text is known and counts the articles that come back exactly.

- Held-out articles written for this benchmark (not the fixtures of tests/test_encodings.py,
  on which the decoder was tuned): 8 short news items per language, with names, the
  language's usual quotation marks, numbers and currency, each saved in the legacy encodings
  used for that language. A character the encoding has no byte for (the „“ of German or
  Polish in Latin-1/ISO-8859-2, « » and — in KOI8-R, € in ISO-8859-2 ...) is written the way
  a writer on that code page would have written it (`FALLBACK`: " - EUR ...), and that
  written text is what the decoder must return.
- The same articles in UTF-8, UTF-8 with a BOM and UTF-16 LE/BE with and without a BOM.
- Mojibake: UTF-8 bytes misread as cp1252 and saved again as UTF-8, in two flavours: the five
  bytes cp1252 does not define become U+FFFD (`errors="replace"`: those articles cannot be
  repaired exactly, their count is given) or stay as the C1 characters U+0081 ... (what
  Windows' own conversion does; `sloppy`).
- ~200 real English articles of the BBC corpus (`../shared/corpora/bbc`, their "£" the only
  non-ASCII character) in cp1252, Latin-1 and UTF-16: plain English must stay exact.

Beside each count: the same count for a naive reader ("UTF-8, else cp1252 with
replacement"), and for every article read wrong a short diff and the code page whose reading
the decoder returned. Then the speed of `decode_bytes` in MB/s (wall and CPU): the UTF-8 fast
path on the whole BBC corpus, and files that are not UTF-8.

    python benchmarks/encodings_bench.py [--bbc ../shared/corpora/bbc] [--bbc-count 200]
"""

from __future__ import annotations

import argparse
import codecs
import difflib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import encoding as encoding_module  # noqa: E402
from corpus.encoding import LEGACY_ENCODINGS, decode_bytes  # noqa: E402
from corpus.untrusted import UnreadableFile  # noqa: E402

ARTICLES: dict[str, list[str]] = {
    "Russian": [
        "Мэр Москвы Сергей Собянин объявил во вторник, что стоимость проезда в метро вырастет "
        "до 65 рублей. «Это вынужденная мера», — пояснил он на заседании правительства города. "
        "Новые тарифы вступят в силу 1 января.",
        "Центральный банк сохранил ключевую ставку на уровне 16%. Председатель ЦБ Эльвира "
        "Набиуллина заявила: «Инфляция замедляется, но риски остаются». Курс доллара к вечеру "
        "пятницы составил 92,4 рубля.",
        "В Новосибирске открылся новый мост через Обь длиной 1,5 километра. Губернатор Андрей "
        "Травников назвал его «главной стройкой десятилетия». Проект обошёлся бюджету в 38 "
        "миллиардов рублей.",
        "Футбольный клуб «Зенит» обыграл ЦСКА со счётом 3:1 и возглавил турнирную таблицу. "
        "Тренер Сергей Семак сказал журналистам, что команда «сыграла почти идеально». "
        "Следующий матч пройдёт в Санкт-Петербурге 14 марта.",
        "Синоптики предупредили жителей Поволжья о сильных морозах до минус 35 градусов. По "
        "словам главы Гидрометцентра Романа Вильфанда, «такой холодной зимы не было лет "
        "двадцать». Школы Самары перешли на дистанционное обучение.",
        "Писатель Евгений Водолазкин получил премию «Большая книга» за роман о жизни врача XV "
        "века. «Я писал эту книгу семь лет», — признался он на церемонии в Доме Пашкова. "
        "Размер премии — 3 миллиона рублей.",
        "Авиакомпания «Аэрофлот» отменила 42 рейса из-за снегопада в Шереметьеве. "
        "Представитель компании Юлия Спивакова сообщила, что пассажирам предложат места на "
        "ближайших рейсах. Задержки продлились более шести часов.",
        "Учёные Томского политехнического университета создали новый тип аккумулятора. "
        "Руководитель проекта Ирина Ёлкина уверена: «Через два года его можно будет купить в "
        "магазине». На разработку выделено 120 млн рублей.",
    ],
    "Ukrainian": [
        "Київська міська рада ухвалила бюджет на наступний рік обсягом 97 мільярдів гривень. "
        "Мер Віталій Кличко заявив: «Пріоритетом залишаються школи та лікарні». Депутати "
        "голосували понад п’ять годин.",
        "Національний банк України знизив облікову ставку до 13%. Голова НБУ Андрій Пишний "
        "пояснив, що інфляція «сповільнюється швидше, ніж очікувалося». Курс гривні до євро не "
        "змінився.",
        "У Львові відкрили відреставровану Оперу після трьох років ремонту. Директор театру "
        "Василь Вовкун сказав, що «зала тепер звучить, як у 1900 році». Квитки на першу виставу "
        "розкупили за годину.",
        "Збірна України з футболу перемогла Ісландію з рахунком 2:1 і вийшла на чемпіонат "
        "Європи. Тренер Сергій Ребров подякував уболівальникам: «Це ваша перемога». Гол на "
        "84-й хвилині забив Михайло Мудрик.",
        "Ґрунтові дороги на Поліссі перетворилися на болото через тривалі дощі. Голова громади "
        "Олена Ґудзь повідомила, що ремонт коштуватиме 12 мільйонів гривень. Автобуси до сіл "
        "тимчасово не їздять.",
        "Харківський письменник Сергій Жадан отримав премію миру німецьких книгарів. «Ця "
        "нагорода належить усім, хто зараз захищає країну», — сказав він у Франкфурті. Премія "
        "становить 25 тисяч євро.",
        "Укрзалізниця призначила додаткові потяги до Ужгорода на свята. Пресслужба компанії "
        "повідомила, що квитки продаватимуть з 1 грудня. Вартість квитка в купе — від 850 "
        "гривень.",
        "Вчені Інституту ботаніки знайшли на Закарпатті рідкісну орхідею, яку вважали зниклою. "
        "Дослідниця Ярина Їжак розповіла: «Ми шукали її понад десять років». Місце знахідки "
        "тримають у таємниці.",
    ],
    "Polish": [
        "Prezydent Warszawy Rafał Trzaskowski zapowiedział w czwartek budowę trzeciej linii "
        "metra. „To inwestycja na pokolenia” – powiedział na konferencji prasowej. Koszt "
        "szacuje się na 20 mld zł.",
        "Narodowy Bank Polski pozostawił stopy procentowe bez zmian. Prezes Adam Glapiński "
        "stwierdził, że inflacja „wciąż jest za wysoka”. Kurs euro wzrósł do 4,35 zł.",
        "Robert Lewandowski strzelił dwie bramki w meczu z Łotwą, a Polska wygrała 3:0. Po "
        "spotkaniu kapitan przyznał: „Graliśmy cierpliwie i skutecznie”. Następny mecz odbędzie "
        "się w Chorzowie.",
        "W Gdańsku otwarto nowe muzeum poświęcone historii Solidarności. Dyrektor placówki "
        "Basil Kerski podkreślił, że wystawa jest „żywą lekcją historii”. Bilet normalny "
        "kosztuje 35 zł.",
        "Synoptycy ostrzegają przed silnym wiatrem na Podhalu, w porywach do 120 km/h. Rzecznik "
        "IMGW Grzegorz Walijewski radzi, by „nie wychodzić w góry bez potrzeby”. Zamknięto "
        "szlaki w Tatrach.",
        "Olga Tokarczuk spotkała się z czytelnikami we Wrocławiu po premierze nowej powieści. "
        "„Piszę o tym, co nas łączy, a nie dzieli” – mówiła noblistka. Nakład pierwszego "
        "wydania wynosi 150 tys. egzemplarzy.",
        "Ceny masła w sklepach wzrosły o 18% w ciągu miesiąca. Ekonomistka Joanna Tyrowicz "
        "tłumaczy, że to skutek suszy i droższych pasz. Kostka kosztuje już średnio 8,99 zł.",
        "Pociąg PKP Intercity z Krakowa do Szczecina spóźnił się o ponad pięć godzin z powodu "
        "awarii sieci. Pasażerowie otrzymają zwrot 50% ceny biletu, poinformowała spółka. "
        "Źródłem usterki była zerwana trakcja koło Poznania.",
    ],
    "Czech": [
        "Předseda vlády oznámil ve středu, že vláda zvýší důchody o 500 korun. „Je to "
        "spravedlivé řešení,“ řekl novinářům po jednání kabinetu. Opozice návrh kritizuje jako "
        "předvolební dárek.",
        "Česká národní banka snížila úrokové sazby na 4,25 %. Guvernér Aleš Michl uvedl, že "
        "inflace „se vrací k cíli“. Koruna vůči euru mírně oslabila na 25,30 Kč.",
        "Hokejisté Sparty porazili Třinec 4:2 a postoupili do finále extraligy. Útočník Roman "
        "Červenka řekl: „Věřili jsme si od první třetiny.“ Finále začne v neděli v Praze.",
        "V Brně otevřeli novou knihovnu s kavárnou a dětským koutkem. Primátorka Markéta "
        "Vaňková ocenila, že stavba „stála méně, než se čekalo“. Rekonstrukce vyšla na 310 "
        "milionů korun.",
        "Meteorologové varují před povodněmi na jihu Čech. Hladina Vltavy v Českých "
        "Budějovicích stoupla o dva metry, uvedl mluvčí ČHMÚ Petr Dvořák. Hasiči stavějí "
        "protipovodňové zábrany.",
        "Spisovatel Jaroslav Rudiš převzal v Lipsku cenu za román o železnici. „Vlaky jsou pro "
        "mě domovem,“ přiznal při převzetí. Kniha vyjde v září i v češtině.",
        "Ceny elektřiny pro domácnosti klesnou od ledna o 12 %. Ředitel ČEZ Daniel Beneš to "
        "oznámil v pondělí. Průměrná rodina ušetří zhruba 3 800 Kč ročně.",
        "Archeologové objevili u Kutné Hory hrob bojovníka z 9. století. Vedoucí výzkumu Jiří "
        "Macháček popsal nález jako „mimořádný“. Kostra ležela s mečem a ostruhami.",
    ],
    "Hungarian": [
        "A kormány csütörtökön bejelentette, hogy 15 százalékkal emeli a pedagógusok bérét. "
        "„Ez a legnagyobb béremelés az elmúlt évtizedben” – mondta a miniszter Budapesten. Az "
        "intézkedés januártól lép életbe.",
        "A Magyar Nemzeti Bank változatlanul hagyta az alapkamatot. Varga Mihály jegybankelnök "
        "szerint az infláció „tartósan csökken”. Az euró árfolyama 395 forint körül mozgott.",
        "A Ferencváros 2:0-ra legyőzte a Debrecent, így őrzi vezető helyét a bajnokságban. Az "
        "edző, Pascal Jansen elégedett volt: „A csapat fegyelmezetten játszott.” A következő "
        "forduló szombaton lesz.",
        "Szegeden átadták a felújított Tisza-hidat. A polgármester, Botka László hangsúlyozta, "
        "hogy a munkálatok „határidőre és a keretösszegen belül” készültek el. A beruházás 4,2 "
        "milliárd forintba került.",
        "Rekordhőséget mértek kedden Kiskunhalason, ahol 41 fokig emelkedett a hőmérséklet. Az "
        "Országos Meteorológiai Szolgálat hőségriasztást adott ki. Az orvosok azt tanácsolják, "
        "hogy délben senki ne menjen napra.",
        "Krasznahorkai László regényét öt nyelvre fordítják le jövőre. A szerző egy interjúban "
        "azt mondta: „Minden könyvem ugyanarról a világról szól.” A kiadó szerint az első "
        "példányok már elfogytak.",
        "Drágult a tej és a kenyér az üzletekben: egy liter tej ára már 480 forint. Egy "
        "közgazdász, Kovács Eszter, úgy véli, a szárazság miatt ősszel további áremelés "
        "várható. A kormány árstopot nem tervez.",
        "Régészek egy 1500 éves avar kori temetőt tártak fel Győr mellett. Az ásatást vezető "
        "Szőke Gábor „egyedülálló leletnek” nevezte a díszített övcsatokat. A tárgyakat a helyi "
        "múzeumban állítják ki.",
    ],
    "Greek": [
        "Ο δήμαρχος Αθηναίων Χάρης Δούκας ανακοίνωσε την Τρίτη ότι θα φυτευτούν 5.000 νέα "
        "δέντρα στην πόλη. «Θέλουμε μια πιο πράσινη πρωτεύουσα», δήλωσε σε συνέντευξη Τύπου. "
        "Το έργο κοστίζει 2,3 εκατ. €.",
        "Η Τράπεζα της Ελλάδος προβλέπει ανάπτυξη 2,1% για φέτος. Ο διοικητής Γιάννης "
        "Στουρνάρας τόνισε ότι «η οικονομία δείχνει αντοχή». Οι τιμές των ακινήτων αυξήθηκαν "
        "κατά 9%.",
        "Ο Ολυμπιακός νίκησε τον Άρη με 2-0 στο Φάληρο. Ο προπονητής Χοσέ Λουίς Μεντιλίμπαρ "
        "είπε μετά τον αγώνα: «Παίξαμε με πάθος». Η ομάδα παραμένει πρώτη στη βαθμολογία.",
        "Ισχυρός σεισμός 5,2 Ρίχτερ σημειώθηκε το πρωί κοντά στην Κρήτη. Ο σεισμολόγος "
        "Ευθύμιος Λέκκας είπε ότι «δεν υπάρχει λόγος πανικού». Δεν αναφέρθηκαν ζημιές σε "
        "σπίτια.",
        "Άνοιξε ξανά για τους επισκέπτες το Μουσείο της Ακρόπολης μετά από εργασίες "
        "συντήρησης. Ο πρόεδρος του μουσείου Νικόλαος Σταμπολίδης μίλησε για «μια νέα αρχή». "
        "Το εισιτήριο κοστίζει 20 ευρώ.",
        "Οι αγρότες της Θεσσαλίας έκλεισαν την εθνική οδό με τρακτέρ. Ο εκπρόσωπός τους Ρίζος "
        "Μαρούδας δήλωσε: «Δεν θα φύγουμε μέχρι να δούμε λύσεις». Η κυκλοφορία διεξάγεται από "
        "παρακαμπτήριους δρόμους.",
        "Οι πυροσβέστες έσβησαν τη φωτιά στην Εύβοια ύστερα από τρεις ημέρες. Σύμφωνα με τον "
        "υπουργό Κλιματικής Κρίσης, κάηκαν περίπου 1.200 στρέμματα. Κανένας κάτοικος δεν "
        "τραυματίστηκε.",
        "Η ταινία του Γιώργου Λάνθιμου κέρδισε το βραβείο κοινού στη Θεσσαλονίκη. «Είμαι "
        "συγκινημένος που γύρισα σπίτι», είπε ο σκηνοθέτης στο κοινό. Η προβολή έγινε στην "
        "αίθουσα Ολύμπιον.",
    ],
    "Turkish": [
        "İstanbul Büyükşehir Belediyesi, metro hattının 2026'da açılacağını duyurdu. Belediye "
        "Başkanı Ekrem İmamoğlu, “Bu hat günde 800 bin yolcu taşıyacak” dedi. Projenin "
        "maliyeti 12 milyar lira.",
        "Merkez Bankası politika faizini yüzde 45'te sabit tuttu. Banka Başkanı Fatih Karahan, "
        "enflasyonun “beklenenden hızlı düştüğünü” söyledi. Dolar kuru 32,5 liradan işlem "
        "gördü.",
        "Galatasaray, Fenerbahçe'yi 2-1 yenerek liderliğini sürdürdü. Teknik direktör Okan "
        "Buruk maçtan sonra “Taraftarımız bizi taşıdı” açıklamasını yaptı. Golleri Mauro Icardi "
        "ve Barış Alper Yılmaz attı.",
        "Kapadokya'da balon turları kuvvetli rüzgâr nedeniyle iptal edildi. Nevşehir Valisi "
        "Ali Fidan, ziyaretçilerin güvenliğinin öncelik olduğunu belirtti. Her gün yaklaşık 150 "
        "balon havalanıyor.",
        "İzmir'de orman yangını üçüncü gününde kontrol altına alındı. Tarım ve Orman Bakanı "
        "İbrahim Yumaklı, “Ekiplerimiz gece boyunca çalıştı” dedi. Yangında 400 hektar alan "
        "zarar gördü.",
        "Nobel ödüllü yazar Orhan Pamuk'un yeni romanı kitapçılarda satışa çıktı. Yazar, "
        "İstanbul'daki imza gününde “Bu kitap benim için çok kişisel” diye konuştu. Kitabın "
        "fiyatı 350 lira, yani yaklaşık 10 €.",
        "Ekmek fiyatları Ankara'da 10 liraya yükseldi. Fırıncılar Odası Başkanı Mehmet "
        "Çalışkan, un ve elektrik maliyetlerinin arttığını söyledi. Tüketiciler zamma tepki "
        "gösterdi.",
        "Arkeologlar Göbeklitepe yakınında 11 bin yıllık yeni bir tapınak buldu. Kazı başkanı "
        "Necmi Karul, bulguyu “insanlık tarihinin ilk sayfaları” olarak niteledi. Çalışmalar "
        "yaz boyunca sürecek.",
    ],
    "German": [
        "Die Bundesregierung will die Pendlerpauschale auf 38 Cent pro Kilometer erhöhen. „Wer "
        "arbeitet, muss entlastet werden“, sagte Finanzminister Lars Klingbeil am Mittwoch in "
        "Berlin. Die Maßnahme kostet rund 1,9 Milliarden Euro.",
        "Die Europäische Zentralbank senkt den Leitzins auf 2,5 Prozent. EZB-Präsidentin "
        "Christine Lagarde sprach von einem „vorsichtigen Schritt“. Sparer in Düsseldorf und "
        "München bekommen künftig weniger Zinsen.",
        "Der FC Bayern München hat Borussia Dortmund mit 3:1 geschlagen. Trainer Vincent "
        "Kompany lobte nach dem Spiel die „großartige Moral“ seiner Mannschaft. Das nächste "
        "Heimspiel ist am Samstag gegen Köln.",
        "In Hamburg ist die neue Elbbrücke für den Verkehr freigegeben worden. Bürgermeister "
        "Peter Tschentscher sagte: „Das ist ein großer Tag für die Stadt.“ Der Bau hat 640 "
        "Millionen € gekostet.",
        "Der Deutsche Wetterdienst warnt vor Glätte und Schnee in Süddeutschland. Meteorologe "
        "Dominik Jung erwartet „bis zu 30 Zentimeter Neuschnee“ im Allgäu. Autofahrer sollen "
        "nicht ohne Winterreifen fahren.",
        "Die Schriftstellerin Jenny Erpenbeck hat den Büchner-Preis erhalten. Sie bedankte sich "
        "in Darmstadt mit den Worten: „Literatur ist ein Gedächtnis.“ Der Preis ist mit 50.000 "
        "Euro dotiert.",
        "Die Preise für Butter sind im Oktober um 20 Prozent gestiegen. Ein Sprecher des "
        "Bauernverbands erklärte, die Dürre habe die Milchmenge verringert. Ein Päckchen kostet "
        "jetzt 2,39 €.",
        "Archäologen haben bei Bauarbeiten in Köln römische Münzen gefunden. Grabungsleiter "
        "Marcus Trier nannte den Fund „außergewöhnlich gut erhalten“. Die Stücke werden im "
        "Römisch-Germanischen Museum gezeigt.",
    ],
    "French": [
        "La maire de Paris a annoncé mardi la création de 40 kilomètres de pistes cyclables. "
        "«\u00a0Nous voulons une ville plus respirable\u00a0», a-t-elle déclaré à l’Hôtel de "
        "Ville. Le projet coûtera 250 millions d’euros.",
        "La Banque de France prévoit une croissance de 0,9\u00a0% cette année. Son gouverneur, "
        "François Villeroy de Galhau, a évoqué «\u00a0une économie qui résiste\u00a0». Le prix "
        "du gazole a baissé de 3 centimes.",
        "Le Paris Saint-Germain s'est imposé 2-0 face à l'Olympique de Marseille. « On a été "
        "solides du début à la fin », a estimé l'entraîneur Luis Enrique. Ousmane Dembélé a "
        "marqué le premier but.",
        "À Lyon, la nouvelle ligne de tramway a été inaugurée devant des centaines d'habitants. "
        "Le président de la métropole, Bruno Bernard, a salué « un projet attendu depuis dix "
        "ans ». Le ticket coûte 2,10\u00a0€.",
        "Météo-France a placé douze départements en vigilance orange pour des orages. Selon le "
        "prévisionniste François Gourand, « les cumuls de pluie pourraient être importants ». "
        "Des coupures d'électricité sont possibles en Bretagne.",
        "L’écrivaine Annie Ernaux a reçu un hommage au festival d’Angoulême. « J’écris pour "
        "venger ma race », a-t-elle rappelé devant le public ému. Ses livres sont traduits dans "
        "plus de quarante langues.",
        "Le prix du beurre a augmenté de 15 % en un an, selon l'Insee. Les boulangers craignent "
        "de devoir relever le prix du croissant, qui dépasse déjà 1,30 € à Paris. « C'est "
        "intenable », confie Dominique, artisan à Nantes.",
        "Des archéologues ont découvert une villa gallo-romaine près de Nîmes. Le responsable du "
        "chantier, Jean-Yves Breuil, parle d'une « découverte exceptionnelle ». Sa plus belle "
        "œuvre, une mosaïque, sera restaurée d'ici l'été.",
    ],
    "Spanish": [
        "El Gobierno aprobó el martes una subida del salario mínimo hasta los 1.184 euros. «Es "
        "una medida de justicia social», afirmó la vicepresidenta Yolanda Díaz en Madrid. La "
        "patronal ha criticado la decisión.",
        "El Banco de España eleva al 2,4 % su previsión de crecimiento. El gobernador, José Luis "
        "Escrivá, advirtió de que «la vivienda sigue siendo el gran problema». El precio del "
        "alquiler subió un 11 % en Barcelona.",
        "El Real Madrid venció 3-2 al Atlético en el Bernabéu. «¡Qué partido tan bonito!», "
        "exclamó Carlo Ancelotti tras el pitido final. Kylian Mbappé marcó dos goles.",
        "Sevilla inauguró una nueva línea de metro que une el centro con el aeropuerto. El "
        "alcalde, José Luis Sanz, aseguró que “el trayecto durará solo 18 minutos”. El billete "
        "costará 1,60 €.",
        "La Agencia Estatal de Meteorología activó la alerta roja por calor en Córdoba y Jaén. "
        "Según el portavoz Rubén del Campo, se alcanzarán los 44 grados. ¿Cuándo bajarán las "
        "temperaturas? No antes del domingo.",
        "La escritora chilena Isabel Allende presentó su nueva novela en la Feria del Libro de "
        "Guadalajara. “Escribo para no olvidar”, dijo ante cientos de lectores. El libro llegará "
        "a España en otoño.",
        "El precio del aceite de oliva bajó un 30 % en los supermercados. Un portavoz de los "
        "agricultores de Jaén explicó que la cosecha ha sido excelente. La botella de un litro "
        "cuesta ahora 6,95 euros.",
        "Arqueólogos hallaron en Mérida un mosaico romano casi intacto del siglo IV. La "
        "directora de la excavación, Ana Belén Núñez, lo describió como «una joya única». La "
        "pieza se expondrá en el Museo Nacional de Arte Romano.",
    ],
    "Portuguese": [
        "O Governo anunciou na quarta-feira um aumento de 6% nas pensões mais baixas. “É um "
        "compromisso que cumprimos”, afirmou o primeiro-ministro Luís Montenegro em Lisboa. A "
        "medida custa 400 milhões de euros.",
        "O Banco de Portugal reviu em alta a previsão de crescimento para 1,9%. O governador "
        "Mário Centeno disse que a economia “está a surpreender pela positiva”. A taxa de "
        "desemprego caiu para 6,1%.",
        "O Benfica venceu o Sporting por 2-1 no Estádio da Luz. O treinador Bruno Lage "
        "considerou que a equipa “jogou com coração”. Ángel Di María marcou o golo da vitória "
        "aos 88 minutos.",
        "São Paulo inaugurou uma nova estação de metrô na Zona Leste. O prefeito Ricardo Nunes "
        "afirmou que a obra “vai beneficiar 200 mil pessoas por dia”. A passagem custa R$ 5,00.",
        "O Instituto Português do Mar e da Atmosfera colocou oito distritos sob aviso laranja "
        "devido à chuva. Segundo a meteorologista Patrícia Gomes, “as rajadas podem chegar aos "
        "90 km/h”. As escolas de Braga fecharam.",
        "O escritor angolano José Eduardo Agualusa recebeu um prémio literário em Coimbra. «A "
        "língua portuguesa é a minha pátria», declarou durante a cerimónia. O prémio vale "
        "25 mil €.",
        "O preço do café subiu 20% nos supermercados brasileiros. Uma economista da Fundação "
        "Getúlio Vargas explicou que a seca prejudicou as colheitas em Minas Gerais. O quilo já "
        "custa mais de R$ 40.",
        "Arqueólogos encontraram em Mértola moedas islâmicas do século XI. O responsável pelas "
        "escavações, Cláudio Torres, falou de uma descoberta “notável”. As peças vão ser "
        "expostas no museu da vila, à beira do Guadiana.",
    ],
    "English": [
        "The Chancellor said on Tuesday that fuel duty would be frozen for another year. "
        "“Families are feeling the squeeze,” she told MPs, adding that the move would cost "
        "£2.4bn. Labour’s critics called it “a gimmick”.",
        "Shares in the airline fell 8% after it warned that summer fares would drop. Its chief "
        "executive, Michael O’Leary, said demand was “softer than we’d like” – but insisted "
        "bookings were strong. The shares closed at €14.20 in Dublin.",
        "Manchester City beat Arsenal 2–1 at the Etihad to go top of the table. “We showed "
        "character,” said Pep Guardiola, whose side had trailed at half-time. Erling Haaland "
        "scored the winner in the 89th minute.",
        "A new rail link between Leeds and Bradford will open in 2027, the mayor announced. "
        "Tracy Brabin said the £1.1bn scheme would “transform journeys for thousands of "
        "commuters”. Tickets will cost £3.50 each way.",
        "The Met Office has issued an amber warning for snow across northern Scotland. "
        "Forecaster Alex Deakin said up to 30cm could fall on higher ground… “Don’t travel "
        "unless you must,” he warned. Schools in Aberdeenshire are closed.",
        "The novelist Zadie Smith has won the £50,000 Women’s Prize for Fiction. Accepting the "
        "award in London, she said: “I wrote this book for my mother.” It is her second win in "
        "ten years.",
        "Butter prices have risen by a fifth since January, according to the Office for "
        "National Statistics. A spokesman for the National Farmers’ Union blamed the dry "
        "spring. A 250g block now costs £2.65 – up from £2.19.",
        "Archaeologists have found a Roman coin hoard near Hadrian’s Wall. Dr Frances McIntosh "
        "called the find “extraordinary” and said the 300 coins were worth about €90,000. They "
        "will go on display in Newcastle.",
    ],
    "Japanese": [
        "東京都は火曜日、都営バスの運賃を来年4月から20円値上げすると発表した。担当者は"
        "「燃料費の高騰が続いているため」と説明した。値上げ後の運賃は230円となる。",
        "日本銀行は政策金利を0.5%に引き上げることを決めた。植田和男総裁は記者会見で"
        "「物価の上昇は持続的だ」と述べた。円相場は1ドル＝148円台で推移した。",
        "プロ野球の阪神タイガースが巨人を5対3で破り、首位を守った。岡田彰布監督は試合後、"
        "「選手がよく粘ってくれた」と話した。次の試合は甲子園で行われる。",
        "大阪・関西万博の来場者が1000万人を超えた。大阪府の吉村洋文知事は「想像以上の人気だ」"
        "と喜びを語った。入場券は大人7500円で販売されている。",
        "気象庁は北海道に大雪警報を出した。札幌市では24時間で50センチの雪が積もり、JRの列車が"
        "運休した。担当者は「不要不急の外出は控えてほしい」と呼びかけた。",
        "作家の村上春樹さんの新作長編が全国の書店で発売された。東京・新宿の書店には開店前から"
        "約200人が並んだ。店長は「こんな行列は久しぶりです」と話した。",
        "スーパーでのコメの価格が前年より約40％高くなった。農林水産省の担当者は、猛暑による"
        "不作が主な原因だと説明している。5キロ入りの袋は4000円を超えた。",
        "奈良県の古墳から、金で飾られた馬具が見つかった。調査を担当した県立橿原考古学研究所の"
        "研究員は「極めて珍しい発見だ」と述べた。出土品は来月から一般に公開される。",
    ],
    "Chinese (simplified)": [
        "北京市政府周二宣布，将在明年新建30公里地铁线路。市长殷勇表示：“我们要让市民出行更方便。”"
        "项目总投资约为450亿元。",
        "中国人民银行下调存款准备金率0.5个百分点。央行行长潘功胜说，此举将释放长期资金约1万亿元。"
        "“货币政策将保持稳健，”他补充道。",
        "上海申花在主场以2比1战胜山东泰山，继续领跑中超积分榜。主教练斯卢茨基赛后说：“球员们表现"
        "得非常顽强。”下一场比赛将于周六进行。",
        "深圳一家科技公司发布了新款电动汽车，售价为每辆15.8万元。公司董事长王传福在发布会上称，"
        "这款车“续航超过700公里”。预订已经超过5万台。",
        "中央气象台发布暴雨橙色预警，广东、广西等地将出现大到暴雨。气象专家提醒：“市民应尽量减少"
        "外出。”部分航班已经取消。",
        "作家莫言在杭州举行新书签售会，吸引了上千名读者。他对记者说：“写作是我一生的事业。”新书"
        "首印20万册。",
        "今年猪肉价格同比下降了12%，每公斤约为22元。国家统计局发言人付凌晖表示，消费价格总体平稳。"
        "专家预计下半年价格将有所回升。",
        "考古学家在河南安阳发现了一座商代晚期的贵族墓葬。领队研究员唐际根说：“出土的青铜器保存得"
        "非常完好。”发掘工作将持续到年底。",
    ],
    "Chinese (traditional)": [
        "台北市政府週二宣布，明年起公車票價將調漲3元。市長蔣萬安表示：「這是十年來第一次調整票價。」"
        "新票價為每段18元。",
        "中央銀行宣布維持利率不變，重貼現率為2%。總裁楊金龍在記者會上說，通膨「已經逐漸緩和」。"
        "新台幣兌美元匯率收在32.1元。",
        "中華職棒統一獅以6比4擊敗中信兄弟，取得總冠軍賽首勝。總教練林岳平賽後說：「球員們打得很有"
        "耐心。」第二戰將在台南舉行。",
        "香港特區政府公布新一份財政預算案，預計赤字約為670億港元。財政司司長陳茂波表示，政府會"
        "“審慎理財”。市民對減稅措施反應不一。",
        "中央氣象署發布颱風警報，颱風預計週四登陸花蓮。氣象專家吳德榮提醒民眾：「請儘早做好防颱"
        "準備。」多所學校已宣布停課。",
        "作家吳明益的新小說在台北國際書展首發，吸引大批讀者排隊簽名。他說：「這本書寫了整整七年。」"
        "首刷三萬本已經售完。",
        "雞蛋價格近月上漲兩成，一盒十顆賣到85元。農業部官員解釋，天氣炎熱導致產蛋量下降。業者預估"
        "價格將在秋天回穩。",
        "考古團隊在台南科學園區挖掘出四千多年前的聚落遺址。計畫主持人臧振華說：「出土的陶器數量"
        "非常驚人。」部分文物將在博物館展出。",
    ],
    "Korean": [
        "서울시는 화요일 지하철 요금을 150원 인상한다고 발표했다. 오세훈 시장은 “적자가 너무 커서 "
        "어쩔 수 없는 결정”이라고 말했다. 새 요금은 다음 달부터 적용된다.",
        "한국은행은 기준금리를 연 3.0%로 동결했다. 이창용 총재는 기자회견에서 “물가가 점차 "
        "안정되고 있다”고 밝혔다. 원·달러 환율은 1,380원에 마감했다.",
        "프로야구 기아 타이거즈가 삼성 라이온즈를 7대 2로 꺾고 한국시리즈 우승을 차지했다. 이범호 "
        "감독은 “팬들 덕분에 이길 수 있었다”고 소감을 밝혔다. 최우수선수는 김도영이 뽑혔다.",
        "부산에 새로운 해상 케이블카가 문을 열었다. 박형준 부산시장은 개장식에서 “관광객이 크게 늘 "
        "것”이라고 기대했다. 왕복 요금은 성인 기준 2만 원이다.",
        "기상청은 강원 산간 지역에 대설 경보를 내렸다. 대관령에는 하루 동안 40센티미터가 넘는 눈이 "
        "쌓였다. 당국은 “불필요한 외출을 자제해 달라”고 당부했다.",
        "소설가 한강의 작품이 전국 서점에서 다시 베스트셀러 1위에 올랐다. 한 서점 관계자는 “노벨상 "
        "발표 이후 판매량이 50배 늘었다”고 말했다. 출판사는 추가 인쇄에 들어갔다.",
        "배추 가격이 한 달 만에 두 배로 올라 한 포기에 9,000원을 넘었다. 농림축산식품부 관계자는 "
        "폭염으로 작황이 나빠졌다고 설명했다. 정부는 비축 물량을 풀기로 했다.",
        "경주에서 신라 시대 왕족의 무덤으로 추정되는 고분이 발견됐다. 발굴을 맡은 연구원은 “금관 "
        "조각이 함께 나왔다”고 전했다. 유물은 내년 국립경주박물관에서 공개된다.",
    ],
}
"""Held-out news items, 8 per language, written for this benchmark only."""

LEGACY: dict[str, tuple[str, ...]] = {
    "Russian": ("cp1251", "koi8_r", "iso8859_5"),
    "Ukrainian": ("cp1251",),
    "Polish": ("iso8859_2", "cp1250"),
    "Czech": ("iso8859_2", "cp1250"),
    "Hungarian": ("iso8859_2", "cp1250"),
    "Greek": ("cp1253", "iso8859_7"),
    "Turkish": ("cp1254", "iso8859_9"),
    "German": ("cp1252", "latin-1"),
    "French": ("cp1252", "latin-1"),
    "Spanish": ("cp1252", "latin-1"),
    "Portuguese": ("cp1252", "latin-1"),
    "English": ("cp1252",),
    "Japanese": ("shift_jis", "euc_jp"),
    "Chinese (simplified)": ("gb18030",),
    "Chinese (traditional)": ("big5",),
    "Korean": ("euc_kr",),
}
"""The legacy encodings each language's articles are saved in."""

FALLBACK = {
    "«": '"',
    "»": '"',
    "„": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "—": "-",
    "–": "-",
    "…": "...",
    "€": "EUR",
    "œ": "oe",
    "\u00a0": " ",
}
"""How a writer on a code page without the character writes it (`as_written`)."""

UNICODE_FORMS: tuple[tuple[str, Callable[[str], bytes]], ...] = (
    ("UTF-8", lambda text: text.encode("utf-8")),
    ("UTF-8 with BOM", lambda text: text.encode("utf-8-sig")),
    ("UTF-16 LE with BOM", lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
    ("UTF-16 BE with BOM", lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
    ("UTF-16 LE, no BOM", lambda text: text.encode("utf-16-le")),
    ("UTF-16 BE, no BOM", lambda text: text.encode("utf-16-be")),
)

CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def as_written(text: str, encoding: str) -> tuple[str, int]:
    """`text` as saved in `encoding` by a writer (`FALLBACK`), and how many characters changed.

    Raises `ValueError` for a character neither the encoding nor `FALLBACK` has: the article
    must then be rewritten, not silently changed.
    """
    written: list[str] = []
    changed = 0
    for char in text:
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            if char not in FALLBACK:
                raise ValueError(f"{char!r} ({ord(char):04X}) is not in {encoding}") from None
            written.append(FALLBACK[char])
            changed += 1
        else:
            written.append(char)
    return "".join(written), changed


def mojibake(text: str, sloppy: bool) -> bytes:
    """UTF-8 bytes of `text` misread as cp1252 and saved again as UTF-8.

    The five bytes cp1252 leaves undefined become U+FFFD (`errors="replace"`), or, `sloppy`,
    the C1 character of the same number (as Windows' own conversion does).
    """
    raw = text.encode("utf-8")
    if sloppy:
        misread = "".join(
            chr(byte) if byte in CP1252_UNDEFINED else bytes([byte]).decode("cp1252")
            for byte in raw
        )
    else:
        misread = raw.decode("cp1252", errors="replace")
    return misread.encode("utf-8")


def naive_decode(data: bytes) -> str:
    """What a naive reader does: UTF-8, else cp1252 with replacement characters."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read(data: bytes) -> str:
    """`decode_bytes`, with a refusal spelled as text (it counts as read wrong)."""
    try:
        return decode_bytes(data)
    except UnreadableFile as error:
        return f"{SKIPPED}{error}"


SKIPPED = "<skipped: "
REPAIRED_BUT_FOR_FFFD = "repaired but for the bytes lost to U+FFFD"


def reading_named(data: bytes, got: str) -> str:
    """What the decoder did with `data`: the code page whose reading is `got`, or a phrase."""
    if got.startswith(SKIPPED):
        return "skipped as " + got[len(SKIPPED) :]
    for name in ("utf-8", "cp1252", "latin-1", *LEGACY_ENCODINGS):
        if data.decode(name, errors="replace") == got:
            return "left as it was (UTF-8)" if name == "utf-8" else f"read as {name}"
    return "read as no one code page"


def short_diff(expected: str, got: str, context: int = 12, most: int = 2, width: int = 30) -> str:
    """The first `most` differing stretches, as `…context[expected→got]context…`."""
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = expected[max(0, i1 - context) : i1]
        after = expected[i2 : i2 + context]
        parts.append(f"…{before}[{expected[i1:i2][:width]!r}→{got[j1:j2][:width]!r}]{after}…")
        if len(parts) == most:
            break
    return " ".join(parts).replace("\n", "⏎")


def only_replacements_differ(expected: str, got: str) -> bool:
    """True when `got` is `expected` but for stretches that became U+FFFD."""
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    return all(
        tag == "equal" or (tag == "replace" and set(got[j1:j2]) == {"\ufffd"})
        for tag, _, _, j1, j2 in matcher.get_opcodes()
    )


@dataclass
class Row:
    """One (language, encoding) cell: counts and the articles read wrong."""

    language: str
    encoding: str
    total: int = 0
    exact: int = 0
    naive_exact: int = 0
    but_for_fffd: int = 0
    notes: list[str] = field(default_factory=list)
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    """(which article, what the decoder did, a short diff)"""

    def add(self, expected: str, data: bytes, name: str) -> None:
        self.total += 1
        got = read(data)
        if got == expected:
            self.exact += 1
        elif only_replacements_differ(expected, got):
            self.but_for_fffd += 1
            self.misses.append((name, REPAIRED_BUT_FOR_FFFD, ""))
        else:
            how = reading_named(data, got)
            diff = "" if got.startswith(SKIPPED) else short_diff(expected, got)
            self.misses.append((name, how, diff))
        if naive_decode(data) == expected:
            self.naive_exact += 1

    def cell(self, naive: bool = True) -> str:
        mark = "" if self.exact == self.total else " ✗"
        return f"{self.exact}/{self.total}{mark}" + (f" ({self.naive_exact})" if naive else "")


def legacy_rows() -> tuple[list[Row], list[Row], list[int]]:
    """Each article alone, all 8 as one file, and how many articles needed `FALLBACK`."""
    rows, whole_rows, fallbacks = [], [], []
    for language, encodings in LEGACY.items():
        for encoding in encodings:
            row = Row(language, encoding)
            whole = Row(language, encoding)
            written_texts = []
            changed_articles = 0
            for index, text in enumerate(ARTICLES[language], 1):
                written, changed = as_written(text, encoding)
                changed_articles += changed > 0
                written_texts.append(written)
                row.add(written, written.encode(encoding), f"#{index}")
            one_file = "\n\n".join(written_texts)
            whole.add(one_file, one_file.encode(encoding), "all 8 as one file")
            rows.append(row)
            whole_rows.append(whole)
            fallbacks.append(changed_articles)
    return rows, whole_rows, fallbacks


def unicode_rows() -> dict[str, list[Row]]:
    """Per language, one row per Unicode form."""
    table: dict[str, list[Row]] = {}
    for language, texts in ARTICLES.items():
        for form, encode in UNICODE_FORMS:
            row = Row(language, form)
            for index, text in enumerate(texts, 1):
                row.add(text, encode(text), f"#{index}")
            table.setdefault(language, []).append(row)
    return table


def mojibake_rows() -> dict[str, tuple[Row, Row, int]]:
    """Per language: the U+FFFD row, the C1 row, and how many articles lost a byte."""
    table = {}
    for language, texts in ARTICLES.items():
        replaced = Row(language, "mojibake, U+FFFD")
        sloppy = Row(language, "mojibake, C1 kept")
        lossy = 0
        for index, text in enumerate(texts, 1):
            lossy += bool(CP1252_UNDEFINED & set(text.encode("utf-8")))
            replaced.add(text, mojibake(text, sloppy=False), f"#{index}")
            sloppy.add(text, mojibake(text, sloppy=True), f"#{index}")
        table[language] = (replaced, sloppy, lossy)
    return table


def bbc_sample(folder: Path, count: int) -> list[tuple[str, str]]:
    """`count` BBC articles spread evenly over the corpus (sorted by path): (name, text)."""
    paths = sorted(folder.glob("*/*.txt"))
    step = max(1, len(paths) // count)
    chosen = paths[::step][:count]
    return [(f"{p.parent.name}/{p.name}", p.read_bytes().decode("utf-8")) for p in chosen]


def bbc_rows(sample: list[tuple[str, str]]) -> list[Row]:
    forms: list[tuple[str, Callable[[str], bytes]]] = [
        ("cp1252", lambda text: text.encode("cp1252")),
        ("latin-1", lambda text: text.encode("latin-1")),
        *[(form, encode) for form, encode in UNICODE_FORMS if form.startswith("UTF-16")],
    ]
    rows = []
    for form, encode in forms:
        row = Row("English (BBC)", form)
        for name, text in sample:
            row.add(text, encode(text), name)
        rows.append(row)
    return rows


def print_misses(rows: list[Row]) -> None:
    """The articles read wrong, those skipped grouped on one line per row."""
    lines = []
    for row in rows:
        skipped: dict[str, list[str]] = {}
        for name, how, diff in row.misses:
            if how == REPAIRED_BUT_FOR_FFFD:
                continue  # counted in its own column
            if how.startswith("skipped"):
                skipped.setdefault(how, []).append(name)
            else:
                lines.append(f"- {row.language}, {row.encoding}, {name} {how}: {diff}")
        for how, names in skipped.items():
            lines.append(f"- {row.language}, {row.encoding}, {' '.join(names)}: {how}")
    if lines:
        print("\nRead wrong:\n")
        print("\n".join(lines))


def totals(rows: list[Row]) -> str:
    total = sum(r.total for r in rows)
    exact = sum(r.exact for r in rows)
    naive = sum(r.naive_exact for r in rows)
    return f"{exact}/{total} read exactly (naive reader {naive}/{total})"


def print_legacy(rows: list[Row], whole_rows: list[Row], fallbacks: list[int]) -> None:
    print("\n### Held-out articles in legacy encodings\n")
    print("Cells: articles read exactly (the naive reader's count in brackets).\n")
    print(
        "| language | encoding | 8 articles, each a file | all 8 as one file | "
        "articles written with fallbacks |"
    )
    print("|---|---|---|---|---|")
    for row, whole, changed in zip(rows, whole_rows, fallbacks, strict=True):
        print(f"| {row.language} | {row.encoding} | {row.cell()} | {whole.cell()} | {changed} |")
    print(f"\nIn all, each a file: {totals(rows)}; as one file per row: {totals(whole_rows)}.")
    print_misses(rows + whole_rows)


def print_unicode(table: dict[str, list[Row]]) -> None:
    print("\n### Held-out articles in the Unicode encodings\n")
    print("Cells: articles read exactly of 8 (the naive reader's count in brackets).\n")
    print("| language | " + " | ".join(form for form, _ in UNICODE_FORMS) + " |")
    print("|---|" + "---|" * len(UNICODE_FORMS))
    for language, rows in table.items():
        print(f"| {language} | " + " | ".join(row.cell() for row in rows) + " |")
    rows = [row for rows in table.values() for row in rows]
    print(f"\nIn all: {totals(rows)}.")
    for index, (form, _) in enumerate(UNICODE_FORMS):
        column = [rows[index] for rows in table.values()]
        print(f"- {form}: {totals(column)}")
    print_misses(rows)


def print_mojibake(table: dict[str, tuple[Row, Row, int]]) -> None:
    print("\n### Mojibake: UTF-8 misread as cp1252 and saved again as UTF-8\n")
    print("The naive reader keeps every one of them as it is (0 exact).\n")
    print(
        "| language | U+FFFD: articles that lost a byte | U+FFFD: exact | "
        "U+FFFD: exact but for the lost characters | C1 kept: exact |"
    )
    print("|---|---|---|---|---|")
    for language, (replaced, sloppy, lossy) in table.items():
        but = replaced.exact + replaced.but_for_fffd
        print(
            f"| {language} | {lossy} | {replaced.cell(False)} | {but}/{replaced.total} "
            f"| {sloppy.cell(False)} |"
        )
    replaced_rows = [r for r, _, _ in table.values()]
    sloppy_rows = [s for _, s, _ in table.values()]
    lossless = sum(r.total for r in replaced_rows) - sum(n for _, _, n in table.values())
    print(
        f"\nU+FFFD: {totals(replaced_rows)}; {lossless} articles lost no byte; exact but "
        f"for the lost characters: "
        f"{sum(r.exact + r.but_for_fffd for r in replaced_rows)}. C1 kept: "
        f"{totals(sloppy_rows)}."
    )
    print_misses(replaced_rows + sloppy_rows)


def print_bbc(rows: list[Row], sample: list[tuple[str, str]]) -> None:
    non_ascii = sum(not text.isascii() for _, text in sample)
    print(
        f"\n### {len(sample)} BBC articles ({non_ascii} hold a £, the only non-ASCII character)\n"
    )
    print("| encoding | read exactly | naive reader |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {row.encoding} | {row.cell(False)} | {row.naive_exact} |")
    print(f"\nIn all: {totals(rows)}.")
    print_misses(rows)


def throughput(files: list[bytes], rounds: int) -> tuple[float, float, float]:
    """Median round over `files`: seconds wall, seconds CPU, and the MB read.

    The memo of word scores is emptied before each round, so each round reads the files as
    a fresh process reading a corpus once would (the imports are already done).
    """
    walls, cpus = [], []
    for _ in range(rounds):
        encoding_module._word_implausibility.cache_clear()
        wall, cpu = time.perf_counter(), time.process_time()
        for data in files:
            decode_bytes(data)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    megabytes = sum(len(data) for data in files) / 1e6
    return statistics.median(walls), statistics.median(cpus), megabytes


FIRST_CALL = """
import sys, time
sys.path.insert(0, {root!r})
from corpus.encoding import decode_bytes
data = open({path!r}, "rb").read()
start = time.perf_counter()
decode_bytes(data)
print(time.perf_counter() - start)
"""


def first_call_ms(data: bytes, rounds: int) -> float:
    """Median ms of the first `decode_bytes(data)` in a fresh process (its lazy imports)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        path.write_bytes(data)
        code = FIRST_CALL.format(root=str(ROOT), path=str(path))
        times = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(rounds)
        ]
    return statistics.median(times) * 1000


def speed_table(bbc_folder: Path, rounds: int) -> None:
    all_bbc = [p.read_bytes() for p in sorted(bbc_folder.glob("*/*.txt"))]
    pound_bbc = [data.decode("utf-8").encode("cp1252") for data in all_bbc if not data.isascii()]
    legacy = [
        as_written(text, encoding)[0].encode(encoding)
        for language, encodings in LEGACY.items()
        for encoding in encodings
        for text in ARTICLES[language]
    ]
    russian = "\n\n".join(ARTICLES["Russian"])
    repeat = 1_000_000 // len(russian.encode("cp1251")) + 1
    big = ((russian + "\n\n") * repeat).encode("cp1251")
    sloppy = [mojibake(text, sloppy=True) for texts in ARTICLES.values() for text in texts]
    sets = [
        ("UTF-8 (fast path): all BBC files", all_bbc),
        ("UTF-16 LE without BOM: all BBC files", [d.decode().encode("utf-16-le") for d in all_bbc]),
        ("mojibake (C1 kept), repaired by ftfy: the held-out articles", sloppy),
        ("cp1252: the BBC files with a £", pound_bbc),
        ("legacy code pages: the held-out articles", legacy),
        ("cp1251: one 1 MB Russian file", [big]),
    ]
    for data in (all_bbc[0], pound_bbc[0], legacy[0], sloppy[0]):
        decode_bytes(data)  # imports (charset-normalizer, ftfy) before the clock starts
    print(f"\n### Speed of decode_bytes (median of {rounds} rounds, one process)\n")
    print("| files | count | MB | MB/s wall | MB/s CPU | ms per file (wall) |")
    print("|---|---|---|---|---|---|")
    for name, files in sets:
        wall, cpu, megabytes = throughput(files, rounds)
        print(
            f"| {name} | {len(files)} | {megabytes:.2f} | {megabytes / wall:.1f} "
            f"| {megabytes / cpu:.1f} | {wall / len(files) * 1000:.3f} |"
        )
    print(f"\nThe first call in a fresh process (median of {rounds}), lazy imports included:\n")
    print("| first file | ms |")
    print("|---|---|")
    firsts = [
        ("UTF-8 (BBC business/001.txt)", all_bbc[0]),
        ("cp1251 Russian article (imports charset-normalizer)", legacy[0]),
        ("mojibake (imports ftfy)", sloppy[0]),
    ]
    for name, data in firsts:
        print(f"| {name} | {first_call_ms(data, rounds):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bbc", type=Path, default=ROOT.parent / "shared/corpora/bbc")
    parser.add_argument("--bbc-count", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sample = bbc_sample(args.bbc, args.bbc_count)
    print_legacy(*legacy_rows())
    print_unicode(unicode_rows())
    print_mojibake(mojibake_rows())
    print_bbc(bbc_rows(sample), sample)
    speed_table(args.bbc, args.rounds)
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
