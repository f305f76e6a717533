"""The demo shop's articles and static pages in English, Polish, Bulgarian and Russian
(``content_demo_load``; the demo seed calls it after the catalog exists).

Each article's product blocks are the first products of named demo categories (the demo
catalog is generated, so products are found by their category, never by a made-up SKU);
one article also shows a wholesale-only product, which retail readers do not see. Covers
are simple wordless PNG pictures drawn with Pillow."""

import io
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from tandem.catalog.models import Product, Visibility
from tandem.content.models import Article, ArticleCategory, ArticleProduct, Page

LANGS = ("pl", "bg", "ru")

CATEGORIES = [
    (
        "buying-guides",
        dict(en="Buying guides", pl="Poradniki zakupowe", bg="Ръководства за покупка", ru="Гиды по выбору"),
    ),
    (
        "workshop-tips",
        dict(
            en="Workshop tips",
            pl="Porady warsztatowe",
            bg="Съвети за работилницата",
            ru="Советы для мастерской",
        ),
    ),
    (
        "safety",
        dict(
            en="Safety at work",
            pl="Bezpieczeństwo pracy",
            bg="Безопасност при работа",
            ru="Безопасность работ",
        ),
    ),
]

# (slug, category, author, days ago, cover colour, cover motif,
#  [(product category slug, how many, wholesale-only?)], {language: (title, lead, body)})
ARTICLES = [
    (
        "choosing-a-cordless-drill-for-a-renovation-crew",
        "buying-guides",
        "Marta Zielińska",
        3,
        (15, 118, 110),
        "drill",
        [("cordless-drills", 2, False), ("impact-drivers", 1, False), ("screwdrivers", 1, False)],
        {
            "en": (
                "Choosing a cordless drill for a renovation crew",
                "Voltage, torque, batteries and chucks: what matters when four people share one battery platform for a whole season.",
                "A renovation crew drills into brick in the morning, drives long screws into joists at noon and hangs kitchen cabinets in the afternoon. One tool rarely does all of it well, but one **battery platform** can.\n\n"
                "### Pick the platform first\n\n"
                "Batteries cost more than the tools over the years. Choose one brand's 18 V system for the whole crew, so every battery fits every drill, driver and grinder on site.\n\n"
                "### Torque and speed\n\n"
                "- **40–60 Nm** is enough for fixing boards and furniture.\n"
                "- **60–90 Nm** with a hammer mode drills brick and light concrete.\n"
                "- Two mechanical gears matter more than the number on the box: low gear for screws, high gear for holes.\n\n"
                "### Batteries and charging\n\n"
                "Count two batteries per tool and one fast charger per two people. 4 Ah packs keep a drill light; keep a 5 Ah pack for the hammer drill.\n\n"
                "### Add an impact driver\n\n"
                "An impact driver drives long screws without twisting the wrist and saves the drill's clutch. Most crews end up using it more than the drill.",
            ),
            "pl": (
                "Jak wybrać wiertarko-wkrętarkę dla ekipy remontowej",
                "Napięcie, moment obrotowy, akumulatory i uchwyty: co się liczy, gdy cztery osoby przez cały sezon dzielą jedną platformę akumulatorową.",
                "Ekipa remontowa rano wierci w cegle, w południe wkręca długie wkręty w legary, a po południu wiesza szafki kuchenne. Jedno narzędzie rzadko robi to wszystko dobrze, ale jedna **platforma akumulatorowa** już tak.\n\n"
                "### Najpierw wybierz platformę\n\n"
                "Z biegiem lat akumulatory kosztują więcej niż same narzędzia. Wybierz jeden system 18 V dla całej ekipy, żeby każdy akumulator pasował do każdej wiertarki, zakrętarki i szlifierki na budowie.\n\n"
                "### Moment obrotowy i prędkość\n\n"
                "- **40–60 Nm** wystarczy do mocowania płyt i mebli.\n"
                "- **60–90 Nm** z udarem wierci w cegle i lekkim betonie.\n"
                "- Dwa biegi mechaniczne są ważniejsze niż liczba na pudełku: niski do wkręcania, wysoki do wiercenia.\n\n"
                "### Akumulatory i ładowanie\n\n"
                "Licz dwa akumulatory na narzędzie i jedną szybką ładowarkę na dwie osoby. Akumulatory 4 Ah zostawiają wiertarkę lekką; 5 Ah zachowaj do wiertarki udarowej.\n\n"
                "### Dołóż zakrętarkę udarową\n\n"
                "Zakrętarka udarowa wkręca długie wkręty bez wykręcania nadgarstka i oszczędza sprzęgło wiertarki. Większość ekip używa jej częściej niż wiertarki.",
            ),
            "bg": (
                "Как да изберем акумулаторен винтоверт за ремонтна бригада",
                "Напрежение, въртящ момент, батерии и патронници: какво е важно, когато четирима души цял сезон ползват една акумулаторна платформа.",
                "Ремонтната бригада сутрин пробива тухли, по обед завинтва дълги винтове в гредите, а следобед окачва кухненски шкафове. Един инструмент рядко върши всичко това добре, но една **акумулаторна платформа** може.\n\n"
                "### Първо изберете платформата\n\n"
                "С годините батериите струват повече от самите инструменти. Изберете една 18 V система за цялата бригада, за да пасва всяка батерия на всеки винтоверт, гайковерт и ъглошлайф на обекта.\n\n"
                "### Въртящ момент и обороти\n\n"
                "- **40–60 Nm** стигат за монтаж на плоскости и мебели.\n"
                "- **60–90 Nm** с ударен режим пробиват тухла и лек бетон.\n"
                "- Две механични скорости са по-важни от числото на кутията: ниска за винтове, висока за отвори.\n\n"
                "### Батерии и зареждане\n\n"
                "Пресметнете по две батерии на инструмент и по едно бързо зарядно на двама души. Батериите 4 Ah пазят винтоверта лек; 5 Ah оставете за ударната бормашина.\n\n"
                "### Добавете ударен гайковерт\n\n"
                "Ударният гайковерт завинтва дълги винтове, без да извива китката, и пази съединителя на винтоверта. Повечето бригади го ползват по-често от бормашината.",
            ),
            "ru": (
                "Как выбрать аккумуляторную дрель для ремонтной бригады",
                "Напряжение, крутящий момент, аккумуляторы и патроны: что важно, когда четыре человека весь сезон пользуются одной аккумуляторной платформой.",
                "Ремонтная бригада утром сверлит кирпич, в полдень вкручивает длинные саморезы в лаги, а после обеда вешает кухонные шкафы. Один инструмент редко делает всё это хорошо, а одна **аккумуляторная платформа** — может.\n\n"
                "### Сначала выберите платформу\n\n"
                "За несколько лет аккумуляторы обходятся дороже самих инструментов. Выберите одну систему 18 В для всей бригады, чтобы любой аккумулятор подходил к любой дрели, гайковёрту и болгарке на объекте.\n\n"
                "### Крутящий момент и скорость\n\n"
                "- **40–60 Нм** хватает для крепления плит и мебели.\n"
                "- **60–90 Нм** с ударным режимом сверлят кирпич и лёгкий бетон.\n"
                "- Две механические скорости важнее цифры на коробке: низкая для саморезов, высокая для отверстий.\n\n"
                "### Аккумуляторы и зарядка\n\n"
                "Считайте два аккумулятора на инструмент и одно быстрое зарядное устройство на двоих. Аккумуляторы 4 А·ч оставляют дрель лёгкой; 5 А·ч держите для ударной дрели.\n\n"
                "### Добавьте ударный гайковёрт\n\n"
                "Ударный гайковёрт закручивает длинные саморезы, не выворачивая запястье, и бережёт муфту дрели. Большинство бригад пользуются им чаще, чем дрелью.",
            ),
        },
    ),
    (
        "how-to-store-power-tools-over-winter",
        "workshop-tips",
        "Piotr Kowal",
        11,
        (30, 64, 175),
        "shelves",
        [("tool-boxes", 2, False), ("shelving", 1, False), ("workbenches", 1, False)],
        {
            "en": (
                "How to store power tools over winter",
                "Cold, damp and flat batteries shorten a tool's life more than hard work. Half an hour in November saves a spring of repairs.",
                "When the season ends, tools often go into a cold garage in the same dusty case they worked in all year. Moisture and frost then do more harm than a summer on site.\n\n"
                "### Clean before you store\n\n"
                "Blow dust out of the vents with dry air, wipe the housings and brush the chucks. Concrete dust holds moisture and corrodes the metal parts over the winter.\n\n"
                "### Batteries: half charged, indoors\n\n"
                "- Store lithium-ion packs at **40–60 %** charge.\n"
                "- Keep them indoors at 10–20 °C, never below freezing.\n"
                "- Check them every two months and top up if they fall under a third.\n\n"
                "### Dry, closed and off the floor\n\n"
                "Put each tool in a closed case or box with a bag of silica gel, and keep the boxes on shelves rather than on a concrete floor, where condensation collects.\n\n"
                "### Blades and bits\n\n"
                "Oil saw blades and drill bits lightly, and replace worn ones now: in spring there is no time to wait for a delivery.",
            ),
            "pl": (
                "Jak przechować elektronarzędzia przez zimę",
                "Zimno, wilgoć i rozładowane akumulatory skracają życie narzędzia bardziej niż ciężka praca. Pół godziny w listopadzie oszczędza wiosennych napraw.",
                "Kiedy sezon się kończy, narzędzia często trafiają do zimnego garażu w tej samej zakurzonej walizce, w której pracowały cały rok. Wilgoć i mróz szkodzą im wtedy bardziej niż lato na budowie.\n\n"
                "### Wyczyść przed schowaniem\n\n"
                "Przedmuchaj otwory wentylacyjne suchym powietrzem, przetrzyj obudowy i oczyść uchwyty szczotką. Pył betonowy trzyma wilgoć i przez zimę koroduje metalowe części.\n\n"
                "### Akumulatory: w połowie naładowane, w domu\n\n"
                "- Przechowuj akumulatory litowo-jonowe naładowane w **40–60 %**.\n"
                "- Trzymaj je w pomieszczeniu w temperaturze 10–20 °C, nigdy poniżej zera.\n"
                "- Sprawdzaj je co dwa miesiące i doładuj, jeśli spadną poniżej jednej trzeciej.\n\n"
                "### Sucho, zamknięte i nad podłogą\n\n"
                "Włóż każde narzędzie do zamkniętej walizki lub skrzynki z woreczkiem żelu krzemionkowego i trzymaj skrzynki na regałach, a nie na betonowej posadzce, gdzie zbiera się skroplona para.\n\n"
                "### Tarcze i wiertła\n\n"
                "Lekko naoliw tarcze pił i wiertła, a zużyte wymień już teraz: wiosną nie ma czasu czekać na dostawę.",
            ),
            "bg": (
                "Как да съхраняваме електроинструментите през зимата",
                "Студът, влагата и изтощените батерии съкращават живота на инструмента повече от тежката работа. Половин час през ноември спестява пролетни ремонти.",
                "Когато сезонът свърши, инструментите често отиват в студения гараж в същия прашен куфар, в който са работили цяла година. Влагата и студът им вредят повече от едно лято на обекта.\n\n"
                "### Почистете, преди да приберете\n\n"
                "Продухайте вентилационните отвори със сух въздух, избършете корпусите и почистете патронниците с четка. Бетонният прах задържа влага и през зимата разяжда металните части.\n\n"
                "### Батериите: наполовина заредени, на топло\n\n"
                "- Съхранявайте литиево-йонните батерии заредени на **40–60 %**.\n"
                "- Дръжте ги на закрито при 10–20 °C, никога под нулата.\n"
                "- Проверявайте ги на всеки два месеца и ги дозареждайте, ако паднат под една трета.\n\n"
                "### Сухо, затворено и над пода\n\n"
                "Поставете всеки инструмент в затворен куфар или кутия с торбичка силикагел и дръжте кутиите на стелажи, а не на бетонния под, където се събира конденз.\n\n"
                "### Дискове и свредла\n\n"
                "Намажете леко с масло дисковете и свредлата и сменете износените още сега: напролет няма време за чакане на доставка.",
            ),
            "ru": (
                "Как хранить электроинструмент зимой",
                "Холод, сырость и разряженные аккумуляторы сокращают жизнь инструмента сильнее, чем тяжёлая работа. Полчаса в ноябре избавят от весеннего ремонта.",
                "Когда сезон заканчивается, инструмент часто уезжает в холодный гараж в том же пыльном кейсе, в котором работал весь год. Влага и мороз вредят ему тогда больше, чем лето на объекте.\n\n"
                "### Очистите перед хранением\n\n"
                "Продуйте вентиляционные отверстия сухим воздухом, протрите корпуса и почистите патроны щёткой. Бетонная пыль держит влагу и за зиму разъедает металлические детали.\n\n"
                "### Аккумуляторы: наполовину заряжены, в тепле\n\n"
                "- Храните литий-ионные аккумуляторы заряженными на **40–60 %**.\n"
                "- Держите их в помещении при 10–20 °C, никогда не ниже нуля.\n"
                "- Проверяйте их раз в два месяца и подзаряжайте, если заряд упал ниже трети.\n\n"
                "### Сухо, закрыто и не на полу\n\n"
                "Уберите каждый инструмент в закрытый кейс или ящик с пакетиком силикагеля и держите ящики на стеллажах, а не на бетонном полу, где собирается конденсат.\n\n"
                "### Диски и свёрла\n\n"
                "Слегка смажьте пильные диски и свёрла маслом, а изношенные замените сейчас: весной некогда ждать поставку.",
            ),
        },
    ),
    (
        "fixing-heavy-shelves-to-any-wall",
        "workshop-tips",
        "Marta Zielińska",
        24,
        (180, 83, 9),
        "wall",
        [("wall-plugs", 2, False), ("wall-plugs", 1, True), ("measuring-tools", 1, False)],
        {
            "en": (
                "Fixing heavy shelves to any wall",
                "Brick, concrete, aerated block or plasterboard: each wall needs its own plug. Here is how to choose one that holds.",
                "A shelf full of paint tins or tools weighs more than most people guess. What holds it is not the screw but the **plug** and the wall behind it.\n\n"
                "### Know your wall\n\n"
                "Drill a test hole where nobody will see it. Red dust means brick, grey and hard means concrete, white and soft means aerated block; a hollow sound means plasterboard.\n\n"
                "### The right plug\n\n"
                "- **Solid brick and concrete:** nylon expansion plugs, 8–10 mm.\n"
                "- **Aerated block:** long plugs with a spiral or special aerated-concrete plugs.\n"
                "- **Plasterboard:** metal cavity fixings, or screw into the studs behind.\n\n"
                "### Measure twice\n\n"
                "Mark the holes with a level, check for cables with a detector and keep at least 5 cm from the edge of a wall. Use at least two fixings per bracket and spread the load over three brackets for shelves longer than a metre.",
            ),
            "pl": (
                "Jak zamocować ciężkie półki do każdej ściany",
                "Cegła, beton, gazobeton czy płyta gipsowo-kartonowa: każda ściana potrzebuje innego kołka. Podpowiadamy, jak wybrać taki, który wytrzyma.",
                "Półka pełna puszek z farbą albo narzędzi waży więcej, niż się wydaje. Trzyma ją nie wkręt, ale **kołek** i ściana za nim.\n\n"
                "### Poznaj swoją ścianę\n\n"
                "Wywierć próbny otwór w niewidocznym miejscu. Czerwony pył to cegła, szary i twardy to beton, biały i miękki to gazobeton; głuchy dźwięk oznacza płytę gipsowo-kartonową.\n\n"
                "### Właściwy kołek\n\n"
                "- **Pełna cegła i beton:** nylonowe kołki rozporowe 8–10 mm.\n"
                "- **Gazobeton:** długie kołki ze spiralą albo specjalne kołki do betonu komórkowego.\n"
                "- **Płyta g-k:** metalowe kołki do pustych przestrzeni albo wkręty w profile za płytą.\n\n"
                "### Zmierz dwa razy\n\n"
                "Zaznacz otwory poziomicą, sprawdź wykrywaczem, czy nie ma przewodów, i zachowaj co najmniej 5 cm od krawędzi ściany. Daj co najmniej dwa mocowania na wspornik, a półki dłuższe niż metr oprzyj na trzech wspornikach.",
            ),
            "bg": (
                "Как да закрепим тежки рафтове към всяка стена",
                "Тухла, бетон, газобетон или гипсокартон: всяка стена иска свой дюбел. Ето как да изберете такъв, който държи.",
                "Рафт, пълен с кутии боя или инструменти, тежи повече, отколкото си мислим. Държи го не винтът, а **дюбелът** и стената зад него.\n\n"
                "### Опознайте стената\n\n"
                "Пробийте пробен отвор там, където няма да се вижда. Червен прах означава тухла, сив и твърд — бетон, бял и мек — газобетон; кух звук означава гипсокартон.\n\n"
                "### Правилният дюбел\n\n"
                "- **Плътна тухла и бетон:** найлонови разпъващи дюбели 8–10 mm.\n"
                "- **Газобетон:** дълги дюбели със спирала или специални дюбели за газобетон.\n"
                "- **Гипсокартон:** метални дюбели за кухи стени или винтове в профилите зад плоскостта.\n\n"
                "### Мерете два пъти\n\n"
                "Отбележете отворите с нивелир, проверете с детектор за кабели и стойте поне на 5 cm от ръба на стената. Слагайте поне по два крепежа на конзола, а рафтове, по-дълги от метър, подпрете на три конзоли.",
            ),
            "ru": (
                "Как закрепить тяжёлые полки на любой стене",
                "Кирпич, бетон, газоблок или гипсокартон: каждой стене нужен свой дюбель. Рассказываем, как выбрать тот, что выдержит.",
                "Полка, полная банок с краской или инструментов, весит больше, чем кажется. Держит её не шуруп, а **дюбель** и стена за ним.\n\n"
                "### Узнайте свою стену\n\n"
                "Просверлите пробное отверстие в незаметном месте. Красная пыль — кирпич, серая и твёрдая — бетон, белая и мягкая — газоблок; глухой звук означает гипсокартон.\n\n"
                "### Правильный дюбель\n\n"
                "- **Полнотелый кирпич и бетон:** нейлоновые распорные дюбели 8–10 мм.\n"
                "- **Газоблок:** длинные дюбели со спиралью или специальные дюбели для газобетона.\n"
                "- **Гипсокартон:** металлические дюбели для пустотелых стен или саморезы в профиль за листом.\n\n"
                "### Семь раз отмерь\n\n"
                "Разметьте отверстия по уровню, проверьте детектором, нет ли проводки, и отступите от края стены не меньше 5 см. Ставьте минимум два крепежа на кронштейн, а полки длиннее метра опирайте на три кронштейна.",
            ),
        },
    ),
    (
        "safety-kit-checklist-for-a-new-site",
        "safety",
        "Anna Petrova",
        40,
        (190, 18, 60),
        "helmet",
        [("work-gloves", 1, False), ("safety-footwear", 1, False), ("eye-ear-protection", 2, False)],
        {
            "en": (
                "Safety kit checklist for a new site",
                "Before the first day on a new site, check that everyone has the five things inspectors ask about first.",
                "Most injuries on small sites are not dramatic: a splinter in the eye, a crushed toe, a cut hand, hearing that fades over years. The kit that prevents them is cheap compared with one lost week.\n\n"
                "### The checklist\n\n"
                "1. **Safety footwear** with toe caps and puncture-resistant soles (S3 outdoors).\n"
                "2. **Gloves** matched to the work: cut-resistant for sheet metal, coated for wet masonry.\n"
                "3. **Eye protection** for anyone grinding, cutting or drilling overhead.\n"
                "4. **Hearing protection** near saws, breakers and grinders: above 85 dB it is mandatory.\n"
                "5. **High-visibility clothing** wherever vehicles move.\n\n"
                "### Sizes and spares\n\n"
                "Order every size your crew wears and a few spare pairs of gloves and glasses: people skip protection that does not fit or that got lost in the van.",
            ),
            "pl": (
                "Lista kontrolna środków ochrony na nową budowę",
                "Przed pierwszym dniem na nowej budowie sprawdź, czy każdy ma pięć rzeczy, o które inspektor pyta najpierw.",
                "Większość wypadków na małych budowach nie jest spektakularna: drzazga w oku, zgnieciony palec u nogi, skaleczona dłoń, słuch, który słabnie przez lata. Środki, które im zapobiegają, są tanie w porównaniu z jednym straconym tygodniem.\n\n"
                "### Lista kontrolna\n\n"
                "1. **Obuwie ochronne** z podnoskami i podeszwą odporną na przebicie (S3 na zewnątrz).\n"
                "2. **Rękawice** dobrane do pracy: antyprzecięciowe do blachy, powlekane do mokrego muru.\n"
                "3. **Ochrona oczu** dla każdego, kto szlifuje, tnie lub wierci nad głową.\n"
                "4. **Ochrona słuchu** przy piłach, młotach i szlifierkach: powyżej 85 dB jest obowiązkowa.\n"
                "5. **Odzież ostrzegawcza** wszędzie tam, gdzie jeżdżą pojazdy.\n\n"
                "### Rozmiary i zapas\n\n"
                "Zamów wszystkie rozmiary, które nosi ekipa, i kilka zapasowych par rękawic i okularów: ludzie rezygnują z ochrony, która nie pasuje albo zgubiła się w busie.",
            ),
            "bg": (
                "Контролен списък с лични предпазни средства за нов обект",
                "Преди първия ден на нов обект проверете дали всеки има петте неща, за които инспекторът пита най-напред.",
                "Повечето наранявания на малките обекти не са драматични: треска в окото, смачкан пръст на крака, порязана ръка, слух, който отслабва с годините. Средствата, които ги предотвратяват, са евтини в сравнение с една загубена седмица.\n\n"
                "### Списъкът\n\n"
                "1. **Предпазни обувки** с бомбета и подметка, устойчива на пробиване (S3 на открито).\n"
                "2. **Ръкавици** според работата: устойчиви на срязване за ламарина, с покритие за мокра зидария.\n"
                "3. **Защита за очите** за всеки, който шлайфа, реже или пробива над главата си.\n"
                "4. **Антифони** край циркуляри, къртачи и ъглошлайфи: над 85 dB са задължителни.\n"
                "5. **Сигнално облекло** навсякъде, където се движат превозни средства.\n\n"
                "### Размери и резерва\n\n"
                "Поръчайте всички размери, които носи бригадата, и няколко резервни чифта ръкавици и очила: хората се отказват от защита, която не им става или се е загубила в буса.",
            ),
            "ru": (
                "Чек-лист средств защиты для нового объекта",
                "Перед первым днём на новом объекте проверьте, есть ли у каждого пять вещей, о которых инспектор спрашивает в первую очередь.",
                "Большинство травм на небольших объектах не выглядят драматично: стружка в глазу, придавленный палец ноги, порезанная рука, слух, который слабеет годами. Средства, которые их предотвращают, стоят недорого по сравнению с одной потерянной неделей.\n\n"
                "### Чек-лист\n\n"
                "1. **Защитная обувь** с подноском и подошвой, защищённой от прокола (S3 на улице).\n"
                "2. **Перчатки** по виду работ: от порезов для жести, с покрытием для мокрой кладки.\n"
                "3. **Защита глаз** для всех, кто шлифует, режет или сверлит над головой.\n"
                "4. **Защита слуха** рядом с пилами, отбойниками и болгарками: выше 85 дБ она обязательна.\n"
                "5. **Сигнальная одежда** везде, где ездит техника.\n\n"
                "### Размеры и запас\n\n"
                "Закажите все размеры, которые носит бригада, и несколько запасных пар перчаток и очков: люди отказываются от защиты, которая не подходит или потерялась в машине.",
            ),
        },
    ),
    (
        "preparing-the-garden-for-spring",
        "workshop-tips",
        "Piotr Kowal",
        9,
        (77, 124, 15),
        "garden",
        [("garden-hand-tools", 2, False), ("hoses-watering", 1, False)],
        {
            "en": (
                "Preparing the garden for spring",
                "Sharp blades, a hose without leaks and a mower that starts first time: a weekend list for the end of March.",
                "The first warm weekend comes sooner than the tools are ready. A few hours now spare you a queue at the service point in April.\n\n"
                "### Sharpen and oil\n\n"
                "Sharpen pruning shears and spades with a file, then wipe them with a drop of oil. A sharp blade cuts branches cleanly and the plant heals faster.\n\n"
                "### Check hoses and connectors\n\n"
                "Frost cracks connectors left outside over the winter. Run water through every hose and replace the ones that drip at the joints.\n\n"
                "### The mower\n\n"
                "Change the oil, clean or replace the air filter and sharpen or replace the blade. Use fresh fuel: last year's petrol is the most common reason a mower will not start.",
            ),
            "pl": (
                "Przygotuj ogród na wiosnę",
                "Ostre ostrza, wąż bez przecieków i kosiarka, która odpala za pierwszym razem: lista na weekend pod koniec marca.",
                "Pierwszy ciepły weekend przychodzi szybciej, niż narzędzia są gotowe. Kilka godzin teraz oszczędzi kolejki w serwisie w kwietniu.\n\n"
                "### Naostrz i naoliw\n\n"
                "Naostrz sekatory i szpadle pilnikiem, a potem przetrzyj je kroplą oleju. Ostre ostrze tnie gałęzie czysto, a roślina szybciej się goi.\n\n"
                "### Sprawdź węże i złączki\n\n"
                "Mróz rozsadza złączki zostawione na zimę na dworze. Puść wodę przez każdy wąż i wymień te, które kapią na łączeniach.\n\n"
                "### Kosiarka\n\n"
                "Wymień olej, wyczyść lub wymień filtr powietrza i naostrz albo wymień nóż. Wlej świeże paliwo: zeszłoroczna benzyna to najczęstszy powód, dla którego kosiarka nie odpala.",
            ),
            "bg": (
                "Подгответе градината за пролетта",
                "Остри остриета, маркуч без течове и косачка, която пали от първия път: списък за уикенда в края на март.",
                "Първият топъл уикенд идва по-рано, отколкото инструментите са готови. Няколко часа сега ще ви спестят опашката в сервиза през април.\n\n"
                "### Наточете и смажете\n\n"
                "Наточете лозарските ножици и лопатите с пила, после ги избършете с капка масло. Острото острие реже клоните чисто и растението зараства по-бързо.\n\n"
                "### Проверете маркучите и връзките\n\n"
                "Студът напуква връзките, оставени навън през зимата. Пуснете вода през всеки маркуч и сменете онези, които капят на съединенията.\n\n"
                "### Косачката\n\n"
                "Сменете маслото, почистете или сменете въздушния филтър и наточете или сменете ножа. Налейте прясно гориво: миналогодишният бензин е най-честата причина косачката да не пали.",
            ),
            "ru": (
                "Готовим сад к весне",
                "Острые лезвия, шланг без протечек и газонокосилка, которая заводится с первого раза: список на выходные в конце марта.",
                "Первые тёплые выходные наступают раньше, чем инструмент готов. Несколько часов сейчас избавят от очереди в сервис в апреле.\n\n"
                "### Заточите и смажьте\n\n"
                "Заточите секаторы и лопаты напильником и протрите каплей масла. Острое лезвие режет ветки чисто, и растение быстрее заживает.\n\n"
                "### Проверьте шланги и соединения\n\n"
                "Мороз разрывает соединители, оставленные на улице на зиму. Пропустите воду через каждый шланг и замените те, что подтекают на стыках.\n\n"
                "### Газонокосилка\n\n"
                "Замените масло, очистите или замените воздушный фильтр, заточите или замените нож. Залейте свежее топливо: прошлогодний бензин — самая частая причина, по которой косилка не заводится.",
            ),
        },
    ),
]

# (slug, sort order, {language: (title, body)})
PAGES = [
    (
        "delivery",
        10,
        {
            "en": (
                "Delivery",
                "We ship from our warehouses in Poland on working days.\n\n"
                "### Times\n\n"
                "- Orders placed by **2 p.m.** leave the same day.\n"
                "- Courier delivery in Poland takes 1–2 working days, within the EU 2–5.\n"
                "- Pallets are delivered by a freight carrier; we call to agree the day.\n\n"
                "### Costs\n\n"
                "The cost depends on the method and the weight and is shown in the cart before you order. Company customers may have free delivery above an amount agreed in their terms.\n\n"
                "### Collection in person\n\n"
                "You can collect an order from our warehouse; company customers name the people authorised to collect in their company account.",
            ),
            "pl": (
                "Dostawa",
                "Wysyłamy z naszych magazynów w Polsce w dni robocze.\n\n"
                "### Terminy\n\n"
                "- Zamówienia złożone do **14:00** wychodzą tego samego dnia.\n"
                "- Dostawa kurierem w Polsce trwa 1–2 dni robocze, w UE 2–5.\n"
                "- Palety dostarcza przewoźnik spedycyjny; dzwonimy, żeby uzgodnić dzień.\n\n"
                "### Koszty\n\n"
                "Koszt zależy od sposobu dostawy i wagi i jest widoczny w koszyku przed złożeniem zamówienia. Klienci firmowi mogą mieć darmową dostawę powyżej kwoty uzgodnionej w warunkach współpracy.\n\n"
                "### Odbiór osobisty\n\n"
                "Zamówienie można odebrać w naszym magazynie; klienci firmowi wskazują osoby upoważnione do odbioru na koncie firmy.",
            ),
            "bg": (
                "Доставка",
                "Изпращаме от складовете си в Полша в работни дни.\n\n"
                "### Срокове\n\n"
                "- Поръчките, направени до **14:00**, тръгват същия ден.\n"
                "- Доставката с куриер в Полша отнема 1–2 работни дни, в ЕС 2–5.\n"
                "- Палетите се доставят от спедитор; обаждаме се, за да уговорим деня.\n\n"
                "### Цена\n\n"
                "Цената зависи от начина на доставка и теглото и се вижда в количката преди поръчката. Фирмените клиенти може да имат безплатна доставка над сума, договорена в условията им.\n\n"
                "### Лично получаване\n\n"
                "Можете да вземете поръчката от нашия склад; фирмените клиенти посочват упълномощените лица във фирмения си акаунт.",
            ),
            "ru": (
                "Доставка",
                "Мы отправляем заказы с наших складов в Польше по рабочим дням.\n\n"
                "### Сроки\n\n"
                "- Заказы, оформленные до **14:00**, уходят в тот же день.\n"
                "- Доставка курьером по Польше занимает 1–2 рабочих дня, по ЕС 2–5.\n"
                "- Паллеты доставляет транспортная компания; мы звоним, чтобы согласовать день.\n\n"
                "### Стоимость\n\n"
                "Стоимость зависит от способа доставки и веса и видна в корзине до оформления заказа. У корпоративных клиентов может быть бесплатная доставка от суммы, согласованной в условиях сотрудничества.\n\n"
                "### Самовывоз\n\n"
                "Заказ можно забрать на нашем складе; корпоративные клиенты указывают уполномоченных лиц в аккаунте компании.",
            ),
        },
    ),
    (
        "contact",
        20,
        {
            "en": (
                "Contact",
                "**Tandem Tools** · ul. Przemysłowa 12 · 00-950 Warszawa · Poland\n\n"
                "- Customer service: [shop@example.com](mailto:shop@example.com), +48 22 000 00 00, Monday to Friday 8 a.m.–5 p.m.\n"
                "- Company customers: write to your sales rep from **Messages** in your account.\n"
                "- Returns and complaints: [returns@example.com](mailto:returns@example.com)\n\n"
                "We answer every message within one working day.",
            ),
            "pl": (
                "Kontakt",
                "**Tandem Tools** · ul. Przemysłowa 12 · 00-950 Warszawa · Polska\n\n"
                "- Obsługa klienta: [shop@example.com](mailto:shop@example.com), +48 22 000 00 00, od poniedziałku do piątku 8:00–17:00.\n"
                "- Klienci firmowi: pisz do swojego opiekuna handlowego z zakładki **Wiadomości** na koncie.\n"
                "- Zwroty i reklamacje: [returns@example.com](mailto:returns@example.com)\n\n"
                "Na każdą wiadomość odpowiadamy w ciągu jednego dnia roboczego.",
            ),
            "bg": (
                "Контакти",
                "**Tandem Tools** · ul. Przemysłowa 12 · 00-950 Варшава · Полша\n\n"
                "- Обслужване на клиенти: [shop@example.com](mailto:shop@example.com), +48 22 000 00 00, от понеделник до петък 8:00–17:00.\n"
                "- Фирмени клиенти: пишете на търговския си представител от **Съобщения** в акаунта.\n"
                "- Връщане и рекламации: [returns@example.com](mailto:returns@example.com)\n\n"
                "Отговаряме на всяко съобщение в рамките на един работен ден.",
            ),
            "ru": (
                "Контакты",
                "**Tandem Tools** · ul. Przemysłowa 12 · 00-950 Варшава · Польша\n\n"
                "- Служба поддержки: [shop@example.com](mailto:shop@example.com), +48 22 000 00 00, с понедельника по пятницу 8:00–17:00.\n"
                "- Корпоративные клиенты: пишите своему менеджеру из раздела **Сообщения** в аккаунте.\n"
                "- Возвраты и рекламации: [returns@example.com](mailto:returns@example.com)\n\n"
                "Мы отвечаем на каждое сообщение в течение одного рабочего дня.",
            ),
        },
    ),
    (
        "terms",
        30,
        {
            "en": (
                "Terms of sale",
                "These terms apply to every order placed in the Tandem Tools shop.\n\n"
                "### Orders and prices\n\n"
                "1. Retail prices include VAT; company customers see net prices and pay VAT on top.\n"
                "2. A contract is made when we confirm the order by e-mail.\n"
                "3. Company customers buy on the payment terms and credit limit agreed with them.\n\n"
                "### Returns\n\n"
                "Consumers may withdraw from a purchase within 14 days of delivery without giving a reason. Company purchases may be returned only by agreement.\n\n"
                "### Complaints\n\n"
                "Report a defect from your account or by e-mail; we answer within 14 days. Power tools are covered by the manufacturer's warranty.",
            ),
            "pl": (
                "Regulamin sprzedaży",
                "Regulamin dotyczy każdego zamówienia złożonego w sklepie Tandem Tools.\n\n"
                "### Zamówienia i ceny\n\n"
                "1. Ceny detaliczne zawierają VAT; klienci firmowi widzą ceny netto i płacą VAT dodatkowo.\n"
                "2. Umowa zostaje zawarta, gdy potwierdzimy zamówienie e-mailem.\n"
                "3. Klienci firmowi kupują na warunkach płatności i w limicie kredytowym z nimi uzgodnionych.\n\n"
                "### Zwroty\n\n"
                "Konsument może odstąpić od umowy w ciągu 14 dni od dostawy bez podania przyczyny. Zakupy firmowe można zwrócić tylko po uzgodnieniu.\n\n"
                "### Reklamacje\n\n"
                "Zgłoś wadę z konta lub e-mailem; odpowiadamy w ciągu 14 dni. Elektronarzędzia są objęte gwarancją producenta.",
            ),
            "bg": (
                "Общи условия за продажба",
                "Тези условия се прилагат за всяка поръчка в магазина Tandem Tools.\n\n"
                "### Поръчки и цени\n\n"
                "1. Цените на дребно са с ДДС; фирмените клиенти виждат нетни цени и плащат ДДС отгоре.\n"
                "2. Договорът се сключва, когато потвърдим поръчката по имейл.\n"
                "3. Фирмените клиенти купуват при договорените с тях условия на плащане и кредитен лимит.\n\n"
                "### Връщане\n\n"
                "Потребителите могат да се откажат от покупка в 14-дневен срок от доставката, без да посочват причина. Фирмени покупки се връщат само по споразумение.\n\n"
                "### Рекламации\n\n"
                "Съобщете за дефект от акаунта си или по имейл; отговаряме в рамките на 14 дни. Електроинструментите са с гаранция на производителя.",
            ),
            "ru": (
                "Условия продажи",
                "Эти условия действуют для каждого заказа в магазине Tandem Tools.\n\n"
                "### Заказы и цены\n\n"
                "1. Розничные цены включают НДС; корпоративные клиенты видят цены без НДС и платят НДС сверху.\n"
                "2. Договор заключается, когда мы подтверждаем заказ по электронной почте.\n"
                "3. Корпоративные клиенты покупают на согласованных с ними условиях оплаты и в пределах кредитного лимита.\n\n"
                "### Возврат\n\n"
                "Потребитель может отказаться от покупки в течение 14 дней с момента доставки без объяснения причин. Покупки компаний возвращаются только по согласованию.\n\n"
                "### Рекламации\n\n"
                "Сообщите о дефекте из аккаунта или по электронной почте; мы отвечаем в течение 14 дней. На электроинструмент действует гарантия производителя.",
            ),
        },
    ),
    (
        "privacy",
        40,
        {
            "en": (
                "Privacy policy",
                "Tandem Tools is the controller of the personal data you give us when you shop.\n\n"
                "### What we keep and why\n\n"
                "- Your name, addresses, e-mail and phone: to deliver orders and issue invoices.\n"
                "- Your order history: for returns, warranties and accounting (kept as long as tax law requires).\n"
                "- Marketing e-mails only with your consent, which you can withdraw at any time.\n\n"
                "### Your rights\n\n"
                "You can download your data or ask us to erase it from **Account → Privacy**. We answer every request within 30 days. We never sell personal data.\n\n"
                "Questions: [privacy@example.com](mailto:privacy@example.com).",
            ),
            "pl": (
                "Polityka prywatności",
                "Tandem Tools jest administratorem danych osobowych, które podajesz podczas zakupów.\n\n"
                "### Co przechowujemy i dlaczego\n\n"
                "- Imię i nazwisko, adresy, e-mail i telefon: żeby dostarczyć zamówienie i wystawić fakturę.\n"
                "- Historię zamówień: na potrzeby zwrotów, gwarancji i księgowości (tak długo, jak wymagają przepisy podatkowe).\n"
                "- E-maile marketingowe tylko za Twoją zgodą, którą możesz w każdej chwili wycofać.\n\n"
                "### Twoje prawa\n\n"
                "Możesz pobrać swoje dane albo poprosić o ich usunięcie w **Konto → Prywatność**. Odpowiadamy na każde żądanie w ciągu 30 dni. Nigdy nie sprzedajemy danych osobowych.\n\n"
                "Pytania: [privacy@example.com](mailto:privacy@example.com).",
            ),
            "bg": (
                "Политика за поверителност",
                "Tandem Tools е администратор на личните данни, които ни предоставяте при пазаруване.\n\n"
                "### Какво пазим и защо\n\n"
                "- Име, адреси, имейл и телефон: за да доставим поръчките и да издадем фактури.\n"
                "- Историята на поръчките: за връщания, гаранции и счетоводство (толкова дълго, колкото изисква данъчното право).\n"
                "- Маркетингови имейли само с ваше съгласие, което можете да оттеглите по всяко време.\n\n"
                "### Вашите права\n\n"
                "Можете да изтеглите данните си или да поискате изтриването им от **Акаунт → Поверителност**. Отговаряме на всяко искане в рамките на 30 дни. Никога не продаваме лични данни.\n\n"
                "Въпроси: [privacy@example.com](mailto:privacy@example.com).",
            ),
            "ru": (
                "Политика конфиденциальности",
                "Tandem Tools — оператор персональных данных, которые вы сообщаете при покупках.\n\n"
                "### Что мы храним и зачем\n\n"
                "- Имя, адреса, e-mail и телефон: чтобы доставить заказ и выставить счёт.\n"
                "- Историю заказов: для возвратов, гарантии и бухгалтерии (столько, сколько требует налоговое законодательство).\n"
                "- Рекламные письма только с вашего согласия, которое можно отозвать в любой момент.\n\n"
                "### Ваши права\n\n"
                "Вы можете скачать свои данные или попросить их удалить в разделе **Аккаунт → Конфиденциальность**. Мы отвечаем на каждый запрос в течение 30 дней. Мы никогда не продаём персональные данные.\n\n"
                "Вопросы: [privacy@example.com](mailto:privacy@example.com).",
            ),
        },
    ),
]


def _lighter(colour: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    return tuple(int(c + (255 - c) * amount) for c in colour)


def _cover(slug: str, colour: tuple[int, int, int], motif: str) -> str:
    """A 1200×675 wordless PNG: a two-tone background and a simple picture of the theme."""
    name = f"articles/demo-{slug}.png"
    if default_storage.exists(name):
        return name
    from PIL import Image, ImageDraw

    width, height = 1200, 675
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    light, pale, white = _lighter(colour, 0.25), _lighter(colour, 0.6), (255, 255, 255)
    draw.polygon([(0, height), (width, 260), (width, height)], fill=light)
    rng = random.Random(slug)
    for _ in range(14):  # a few soft dots for texture
        x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(6, 22)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_lighter(colour, 0.12))
    if motif == "drill":
        draw.rounded_rectangle((360, 200, 760, 330), radius=40, fill=white)  # body
        draw.rectangle((760, 235, 860, 295), fill=pale)  # chuck
        draw.rectangle((860, 255, 1010, 275), fill=white)  # bit
        draw.rounded_rectangle((470, 320, 580, 500), radius=24, fill=white)  # handle
        draw.rounded_rectangle((430, 490, 620, 560), radius=16, fill=pale)  # battery
    elif motif == "shelves":
        for y in (200, 340, 480):
            draw.rectangle((300, y, 900, y + 18), fill=white)
            for x in range(330, 860, 130):
                draw.rectangle((x, y - 90, x + 100, y - 4), fill=pale, outline=white, width=4)
        draw.rectangle((290, 110, 308, 560), fill=white)
        draw.rectangle((892, 110, 910, 560), fill=white)
    elif motif == "wall":
        for row, y in enumerate(range(60, height, 90)):
            offset = 0 if row % 2 else 90
            for x in range(-offset, width, 180):
                draw.rectangle((x + 6, y + 6, x + 174, y + 84), outline=pale, width=3)
        draw.rectangle((330, 300, 870, 330), fill=white)  # the shelf
        for x in (420, 780):
            draw.polygon([(x - 10, 330), (x + 10, 330), (x + 10, 420), (x - 10, 400)], fill=white)
            draw.ellipse((x - 14, 430, x + 14, 458), fill=white)
    elif motif == "helmet":
        draw.pieslice((380, 170, 820, 610), 180, 360, fill=white)  # the helmet's dome
        draw.rounded_rectangle((340, 380, 860, 420), radius=18, fill=white)  # its brim
        draw.rectangle((585, 175, 615, 390), fill=pale)  # the ridge
        for x in range(200, 1000, 160):  # a barrier's stripes
            draw.polygon([(x, 520), (x + 80, 520), (x + 40, 600), (x - 40, 600)], fill=pale)
    else:  # garden
        draw.ellipse((860, 90, 1010, 240), fill=_lighter(colour, 0.7))  # sun
        for x in range(120, 1100, 70):
            h = rng.randint(60, 160)
            draw.polygon([(x, 600), (x + 18, 600 - h), (x + 36, 600)], fill=white)
        draw.rectangle((0, 600, width, height), fill=pale)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def _products(category_slug: str, count: int, wholesale_only: bool, taken: set[int]) -> list[Product]:
    """The first active products of a demo category, for everyone or wholesale only."""
    products = Product.objects.filter(
        category__slug=category_slug,
        is_active=True,
        b2b_restricted=False,
        visibility=Visibility.B2B if wholesale_only else Visibility.BOTH,
    ).exclude(pk__in=taken)
    return list(products.order_by("pk")[:count])


def content_demo_load(*, with_images: bool = True) -> int:
    """Create the demo articles and pages (once: nothing is written when articles exist);
    returns how many articles."""
    if Article.objects.exists():
        return 0
    now = timezone.now()
    covers = (
        {slug: _cover(slug, colour, motif) for slug, _c, _a, _d, colour, motif, _b, _t in ARTICLES}
        if with_images
        else {}
    )
    with transaction.atomic():
        categories = {}
        for order, (slug, names) in enumerate(CATEGORIES):
            categories[slug] = ArticleCategory.objects.create(
                name=names["en"],
                slug=slug,
                sort_order=order,
                translations={language: {"name": names[language]} for language in LANGS},
            )
        for slug, category, author, days_ago, _colour, _motif, blocks, texts in ARTICLES:
            title, lead, body = texts["en"]
            article = Article.objects.create(
                slug=slug,
                title=title,
                lead=lead,
                body=body,
                category=categories[category],
                author_name=author,
                cover=covers.get(slug, ""),
                is_published=True,
                published_at=now - timedelta(days=days_ago),
                translations={
                    language: dict(zip(("title", "lead", "body"), texts[language], strict=True))
                    for language in LANGS
                },
            )
            taken: set[int] = set()
            for category_slug, count, wholesale_only in blocks:
                for product in _products(category_slug, count, wholesale_only, taken):
                    taken.add(product.pk)
                    ArticleProduct.objects.create(article=article, product=product, sort_order=len(taken))
        for slug, order, texts in PAGES:
            title, body = texts["en"]
            Page.objects.create(
                slug=slug,
                title=title,
                body=body,
                sort_order=order,
                is_published=True,
                show_in_footer=True,
                translations={
                    language: {"title": texts[language][0], "body": texts[language][1]} for language in LANGS
                },
            )
    return len(ARTICLES)
