"""Texts of the demo catalog in en / pl / bg / ru: a tools and hardware business."""

# top-level category → (translations, [(leaf slug, translations, product type names,
# variant kind, price range in PLN gross)])
L = dict  # a {language: text} mapping, written short

CATALOG = [
    (
        "power-tools",
        L(en="Power tools", pl="Elektronarzędzia", bg="Електроинструменти", ru="Электроинструменты"),
        [
            (
                "cordless-drills",
                L(
                    en="Cordless drills",
                    pl="Wiertarko-wkrętarki",
                    bg="Акумулаторни бормашини",
                    ru="Аккумуляторные дрели",
                ),
                L(
                    en="Cordless drill driver",
                    pl="Wiertarko-wkrętarka akumulatorowa",
                    bg="Акумулаторен винтоверт",
                    ru="Аккумуляторная дрель-шуруповёрт",
                ),
                "kit",
                (199, 1299),
            ),
            (
                "impact-drivers",
                L(
                    en="Impact drivers",
                    pl="Zakrętarki udarowe",
                    bg="Ударни гайковерти",
                    ru="Ударные гайковёрты",
                ),
                L(en="Impact driver", pl="Zakrętarka udarowa", bg="Ударен гайковерт", ru="Ударный гайковёрт"),
                "kit",
                (249, 1499),
            ),
            (
                "angle-grinders",
                L(en="Angle grinders", pl="Szlifierki kątowe", bg="Ъглошлайфи", ru="Угловые шлифмашины"),
                L(en="Angle grinder", pl="Szlifierka kątowa", bg="Ъглошлайф", ru="Угловая шлифмашина"),
                "kit",
                (149, 999),
            ),
            (
                "circular-saws",
                L(en="Circular saws", pl="Pilarki tarczowe", bg="Циркуляри", ru="Циркулярные пилы"),
                L(en="Circular saw", pl="Pilarka tarczowa", bg="Ръчен циркуляр", ru="Циркулярная пила"),
                "kit",
                (299, 1599),
            ),
            (
                "jigsaws",
                L(en="Jigsaws", pl="Wyrzynarki", bg="Прободни триони", ru="Электролобзики"),
                L(en="Jigsaw", pl="Wyrzynarka", bg="Прободен трион", ru="Электролобзик"),
                "kit",
                (179, 899),
            ),
            (
                "sanders",
                L(en="Sanders", pl="Szlifierki", bg="Шлайфмашини", ru="Шлифмашины"),
                L(
                    en="Orbital sander",
                    pl="Szlifierka oscylacyjna",
                    bg="Виброшлайф",
                    ru="Вибрационная шлифмашина",
                ),
                "kit",
                (129, 799),
            ),
        ],
    ),
    (
        "hand-tools",
        L(en="Hand tools", pl="Narzędzia ręczne", bg="Ръчни инструменти", ru="Ручной инструмент"),
        [
            (
                "hammers",
                L(en="Hammers", pl="Młotki", bg="Чукове", ru="Молотки"),
                L(en="Claw hammer", pl="Młotek ciesielski", bg="Дърводелски чук", ru="Молоток-гвоздодёр"),
                "weight",
                (29, 149),
            ),
            (
                "screwdrivers",
                L(en="Screwdrivers", pl="Wkrętaki", bg="Отвертки", ru="Отвёртки"),
                L(en="Screwdriver set", pl="Zestaw wkrętaków", bg="Комплект отвертки", ru="Набор отвёрток"),
                "set",
                (39, 249),
            ),
            (
                "spanners",
                L(en="Spanners", pl="Klucze płaskie", bg="Гаечни ключове", ru="Гаечные ключи"),
                L(
                    en="Combination spanner",
                    pl="Klucz płasko-oczkowy",
                    bg="Звездогаечен ключ",
                    ru="Комбинированный ключ",
                ),
                "size_mm",
                (12, 89),
            ),
            (
                "pliers",
                L(en="Pliers", pl="Szczypce", bg="Клещи", ru="Плоскогубцы"),
                L(en="Combination pliers", pl="Szczypce uniwersalne", bg="Комбинирани клещи", ru="Пассатижи"),
                "single",
                (25, 129),
            ),
            (
                "hand-saws",
                L(en="Hand saws", pl="Piły ręczne", bg="Ръчни триони", ru="Ручные пилы"),
                L(en="Hand saw", pl="Piła płatnica", bg="Ръчен трион", ru="Ножовка по дереву"),
                "length",
                (29, 119),
            ),
            (
                "measuring-tools",
                L(
                    en="Measuring tools",
                    pl="Narzędzia pomiarowe",
                    bg="Измервателни инструменти",
                    ru="Измерительный инструмент",
                ),
                L(en="Tape measure", pl="Miara zwijana", bg="Ролетка", ru="Рулетка"),
                "length",
                (15, 99),
            ),
        ],
    ),
    (
        "fixings",
        L(en="Fixings", pl="Elementy złączne", bg="Крепежни елементи", ru="Крепёж"),
        [
            (
                "wood-screws",
                L(en="Wood screws", pl="Wkręty do drewna", bg="Винтове за дърво", ru="Саморезы по дереву"),
                L(en="Wood screws", pl="Wkręty do drewna", bg="Винтове за дърво", ru="Саморезы по дереву"),
                "box",
                (19, 89),
            ),
            (
                "wall-plugs",
                L(en="Wall plugs", pl="Kołki rozporowe", bg="Дюбели", ru="Дюбели"),
                L(en="Wall plugs", pl="Kołki rozporowe", bg="Дюбели", ru="Дюбели распорные"),
                "box",
                (9, 59),
            ),
            (
                "nails",
                L(en="Nails", pl="Gwoździe", bg="Пирони", ru="Гвозди"),
                L(en="Wire nails", pl="Gwoździe budowlane", bg="Строителни пирони", ru="Гвозди строительные"),
                "box",
                (9, 49),
            ),
            (
                "bolts-nuts",
                L(en="Bolts and nuts", pl="Śruby i nakrętki", bg="Болтове и гайки", ru="Болты и гайки"),
                L(
                    en="Hex bolts with nuts",
                    pl="Śruby sześciokątne z nakrętkami",
                    bg="Шестостенни болтове с гайки",
                    ru="Болты шестигранные с гайками",
                ),
                "box",
                (15, 79),
            ),
        ],
    ),
    (
        "electrical",
        L(en="Electrical", pl="Elektryka", bg="Електроматериали", ru="Электротовары"),
        [
            (
                "cables",
                L(en="Cables", pl="Przewody", bg="Кабели", ru="Кабели"),
                L(
                    en="Installation cable",
                    pl="Przewód instalacyjny",
                    bg="Инсталационен кабел",
                    ru="Кабель монтажный",
                ),
                "reel",
                (49, 599),
            ),
            (
                "sockets-switches",
                L(
                    en="Sockets and switches",
                    pl="Gniazda i łączniki",
                    bg="Контакти и ключове",
                    ru="Розетки и выключатели",
                ),
                L(
                    en="Wall socket",
                    pl="Gniazdo podtynkowe",
                    bg="Контакт за вграждане",
                    ru="Розетка встраиваемая",
                ),
                "colour",
                (9, 69),
            ),
            (
                "lighting",
                L(en="Work lights", pl="Lampy robocze", bg="Работни лампи", ru="Рабочие фонари"),
                L(
                    en="LED work light",
                    pl="Lampa robocza LED",
                    bg="LED работна лампа",
                    ru="Светодиодный прожектор",
                ),
                "single",
                (39, 399),
            ),
            (
                "extension-leads",
                L(en="Extension leads", pl="Przedłużacze", bg="Удължители", ru="Удлинители"),
                L(
                    en="Extension reel",
                    pl="Przedłużacz bębnowy",
                    bg="Удължител на макара",
                    ru="Удлинитель на катушке",
                ),
                "reel",
                (59, 349),
            ),
        ],
    ),
    (
        "workwear-safety",
        L(
            en="Workwear and safety",
            pl="Odzież robocza i BHP",
            bg="Работно облекло и безопасност",
            ru="Спецодежда и СИЗ",
        ),
        [
            (
                "work-gloves",
                L(en="Work gloves", pl="Rękawice robocze", bg="Работни ръкавици", ru="Рабочие перчатки"),
                L(en="Work gloves", pl="Rękawice robocze", bg="Работни ръкавици", ru="Рабочие перчатки"),
                "clothing",
                (9, 59),
            ),
            (
                "safety-footwear",
                L(en="Safety footwear", pl="Obuwie ochronne", bg="Предпазни обувки", ru="Защитная обувь"),
                L(
                    en="Safety boots S3",
                    pl="Buty robocze S3",
                    bg="Работни обувки S3",
                    ru="Ботинки защитные S3",
                ),
                "shoe",
                (149, 499),
            ),
            (
                "eye-ear-protection",
                L(
                    en="Eye and ear protection",
                    pl="Ochrona oczu i słuchu",
                    bg="Защита за очи и слух",
                    ru="Защита глаз и слуха",
                ),
                L(en="Safety glasses", pl="Okulary ochronne", bg="Защитни очила", ru="Защитные очки"),
                "single",
                (12, 89),
            ),
            (
                "work-trousers",
                L(en="Work trousers", pl="Spodnie robocze", bg="Работни панталони", ru="Рабочие брюки"),
                L(en="Work trousers", pl="Spodnie robocze", bg="Работен панталон", ru="Брюки рабочие"),
                "clothing",
                (79, 299),
            ),
        ],
    ),
    (
        "garden",
        L(en="Garden", pl="Ogród", bg="Градина", ru="Сад"),
        [
            (
                "garden-hand-tools",
                L(
                    en="Garden hand tools",
                    pl="Narzędzia ogrodowe",
                    bg="Градински инструменти",
                    ru="Садовый инструмент",
                ),
                L(en="Pruning shears", pl="Sekator", bg="Лозарска ножица", ru="Секатор"),
                "single",
                (29, 179),
            ),
            (
                "hoses-watering",
                L(
                    en="Hoses and watering",
                    pl="Węże i nawadnianie",
                    bg="Маркучи и поливане",
                    ru="Шланги и полив",
                ),
                L(en="Garden hose", pl="Wąż ogrodowy", bg="Градински маркуч", ru="Садовый шланг"),
                "reel",
                (39, 299),
            ),
            (
                "chainsaws",
                L(en="Chainsaws", pl="Piły łańcuchowe", bg="Моторни триони", ru="Цепные пилы"),
                L(en="Chainsaw", pl="Piła łańcuchowa", bg="Моторен трион", ru="Цепная пила"),
                "bar",
                (399, 2499),
            ),
            (
                "lawn-mowers",
                L(en="Lawn mowers", pl="Kosiarki", bg="Косачки", ru="Газонокосилки"),
                L(en="Lawn mower", pl="Kosiarka do trawy", bg="Косачка за трева", ru="Газонокосилка"),
                "single",
                (599, 3499),
            ),
        ],
    ),
    (
        "workshop-storage",
        L(
            en="Workshop and storage",
            pl="Warsztat i przechowywanie",
            bg="Работилница и съхранение",
            ru="Мастерская и хранение",
        ),
        [
            (
                "tool-boxes",
                L(
                    en="Tool boxes",
                    pl="Skrzynki narzędziowe",
                    bg="Куфари за инструменти",
                    ru="Ящики для инструментов",
                ),
                L(
                    en="Tool box",
                    pl="Skrzynka narzędziowa",
                    bg="Куфар за инструменти",
                    ru="Ящик для инструментов",
                ),
                "single",
                (49, 399),
            ),
            (
                "workbenches",
                L(en="Workbenches", pl="Stoły warsztatowe", bg="Работни маси", ru="Верстаки"),
                L(en="Workbench", pl="Stół warsztatowy", bg="Работна маса", ru="Верстак"),
                "length",
                (399, 2999),
            ),
            (
                "shelving",
                L(en="Shelving", pl="Regały", bg="Стелажи", ru="Стеллажи"),
                L(
                    en="Steel shelving unit",
                    pl="Regał metalowy",
                    bg="Метален стелаж",
                    ru="Стеллаж металлический",
                ),
                "single",
                (149, 899),
            ),
            (
                "labelling",
                L(
                    en="Marking and labelling",
                    pl="Znakowanie i etykiety",
                    bg="Маркиране и етикети",
                    ru="Маркировка и этикетки",
                ),
                L(en="Label printer", pl="Drukarka etykiet", bg="Принтер за етикети", ru="Принтер этикеток"),
                "single",
                (199, 899),
            ),
        ],
    ),
    (
        "plumbing",
        L(en="Plumbing", pl="Hydraulika", bg="ВиК", ru="Сантехника"),
        [
            (
                "pipes-fittings",
                L(en="Pipes and fittings", pl="Rury i kształtki", bg="Тръби и фитинги", ru="Трубы и фитинги"),
                L(en="PEX pipe", pl="Rura PEX", bg="PEX тръба", ru="Труба PEX"),
                "reel",
                (49, 399),
            ),
            (
                "taps",
                L(en="Taps and valves", pl="Zawory i krany", bg="Кранове и вентили", ru="Краны и вентили"),
                L(en="Ball valve", pl="Zawór kulowy", bg="Сферичен кран", ru="Шаровой кран"),
                "size_inch",
                (19, 149),
            ),
            (
                "sealants",
                L(
                    en="Sealants and tapes",
                    pl="Uszczelniacze i taśmy",
                    bg="Уплътнители и ленти",
                    ru="Герметики и ленты",
                ),
                L(
                    en="Silicone sealant",
                    pl="Silikon sanitarny",
                    bg="Силиконов уплътнител",
                    ru="Герметик силиконовый",
                ),
                "colour",
                (15, 59),
            ),
            (
                "pipe-tools",
                L(
                    en="Pipe tools",
                    pl="Narzędzia hydrauliczne",
                    bg="ВиК инструменти",
                    ru="Сантехнический инструмент",
                ),
                L(en="Pipe wrench", pl="Klucz do rur", bg="Тръбен ключ", ru="Трубный ключ"),
                "size_inch",
                (49, 249),
            ),
        ],
    ),
]

# variant kind → [(variant name translations, price factor, unit, pack size)]
VARIANTS = {
    "kit": [
        (L(en="body only", pl="bez akumulatora", bg="без батерия", ru="без аккумулятора"), 1.0, "pcs", 1),
        (
            L(
                en="kit, 2 × 2.0 Ah",
                pl="zestaw, 2 × 2,0 Ah",
                bg="комплект, 2 × 2,0 Ah",
                ru="комплект, 2 × 2,0 А·ч",
            ),
            1.6,
            "set",
            1,
        ),
        (
            L(
                en="kit, 2 × 5.0 Ah",
                pl="zestaw, 2 × 5,0 Ah",
                bg="комплект, 2 × 5,0 Ah",
                ru="комплект, 2 × 5,0 А·ч",
            ),
            2.1,
            "set",
            1,
        ),
    ],
    "weight": [
        (L(en="300 g"), 1.0, "pcs", 1),
        (L(en="500 g"), 1.2, "pcs", 1),
        (L(en="800 g"), 1.45, "pcs", 1),
    ],
    "set": [
        (L(en="6 pcs", pl="6 szt.", bg="6 бр.", ru="6 шт."), 1.0, "set", 1),
        (L(en="12 pcs", pl="12 szt.", bg="12 бр.", ru="12 шт."), 1.7, "set", 1),
    ],
    "size_mm": [(L(en=f"{size} mm"), 1 + i * 0.15, "pcs", 1) for i, size in enumerate((8, 10, 13, 17, 19))],
    "size_inch": [(L(en=size), 1 + i * 0.3, "pcs", 1) for i, size in enumerate(('1/2"', '3/4"', '1"'))],
    "single": [(L(en=""), 1.0, "pcs", 1)],
    "length": [(L(en="3 m"), 1.0, "pcs", 1), (L(en="5 m"), 1.3, "pcs", 1), (L(en="8 m"), 1.7, "pcs", 1)],
    "box": [
        (L(en="box of 100", pl="opak. 100 szt.", bg="кутия 100 бр.", ru="упаковка 100 шт."), 1.0, "box", 100),
        (L(en="box of 500", pl="opak. 500 szt.", bg="кутия 500 бр.", ru="упаковка 500 шт."), 4.2, "box", 500),
    ],
    "reel": [(L(en="10 m"), 1.0, "m", 10), (L(en="25 m"), 2.2, "m", 25), (L(en="50 m"), 4.0, "m", 50)],
    "colour": [
        (L(en="white", pl="biały", bg="бял", ru="белый"), 1.0, "pcs", 1),
        (L(en="anthracite", pl="antracyt", bg="антрацит", ru="антрацит"), 1.15, "pcs", 1),
    ],
    "clothing": [(L(en=size), 1.0, "pcs", 1) for size in ("S", "M", "L", "XL")],
    "shoe": [(L(en=size), 1.0, "pcs", 1) for size in ("40", "42", "44", "46")],
    "bar": [
        (L(en="35 cm bar", pl="prowadnica 35 cm", bg="шина 35 см", ru="шина 35 см"), 1.0, "pcs", 1),
        (L(en="45 cm bar", pl="prowadnica 45 cm", bg="шина 45 см", ru="шина 45 см"), 1.25, "pcs", 1),
    ],
}

BRANDS = ["Ferrum", "Stalmet", "Volta", "Nordik", "Balkan Pro", "Kraft & Co", "Orzeł", "Vulkan"]

# attribute code → (translations, unit, options as (slug, translations))
ATTRIBUTES = [
    (
        "power-source",
        L(en="Power source", pl="Zasilanie", bg="Захранване", ru="Питание"),
        "",
        [
            ("cordless", L(en="cordless", pl="akumulatorowe", bg="акумулаторно", ru="аккумуляторное")),
            ("mains", L(en="mains 230 V", pl="sieciowe 230 V", bg="мрежово 230 V", ru="сетевое 230 В")),
            ("petrol", L(en="petrol", pl="spalinowe", bg="бензиново", ru="бензиновое")),
            ("manual", L(en="manual", pl="ręczne", bg="ръчно", ru="ручное")),
        ],
    ),
    (
        "voltage",
        L(en="Voltage", pl="Napięcie", bg="Напрежение", ru="Напряжение"),
        "V",
        [
            ("12-v", L(en="12 V", ru="12 В")),
            ("18-v", L(en="18 V", ru="18 В")),
            ("36-v", L(en="36 V", ru="36 В")),
            ("230-v", L(en="230 V", ru="230 В")),
        ],
    ),
    (
        "material",
        L(en="Material", pl="Materiał", bg="Материал", ru="Материал"),
        "",
        [
            ("steel", L(en="steel", pl="stal", bg="стомана", ru="сталь")),
            (
                "stainless",
                L(
                    en="stainless steel",
                    pl="stal nierdzewna",
                    bg="неръждаема стомана",
                    ru="нержавеющая сталь",
                ),
            ),
            ("aluminium", L(en="aluminium", pl="aluminium", bg="алуминий", ru="алюминий")),
            ("plastic", L(en="plastic", pl="tworzywo sztuczne", bg="пластмаса", ru="пластик")),
            ("brass", L(en="brass", pl="mosiądz", bg="месинг", ru="латунь")),
            ("textile", L(en="textile", pl="tkanina", bg="текстил", ru="текстиль")),
        ],
    ),
    (
        "colour",
        L(en="Colour", pl="Kolor", bg="Цвят", ru="Цвет"),
        "",
        [
            ("black", L(en="black", pl="czarny", bg="черен", ru="чёрный")),
            ("red", L(en="red", pl="czerwony", bg="червен", ru="красный")),
            ("yellow", L(en="yellow", pl="żółty", bg="жълт", ru="жёлтый")),
            ("blue", L(en="blue", pl="niebieski", bg="син", ru="синий")),
            ("green", L(en="green", pl="zielony", bg="зелен", ru="зелёный")),
            ("grey", L(en="grey", pl="szary", bg="сив", ru="серый")),
        ],
    ),
    (
        "warranty",
        L(en="Warranty", pl="Gwarancja", bg="Гаранция", ru="Гарантия"),
        "",
        [
            ("1-year", L(en="1 year", pl="1 rok", bg="1 година", ru="1 год")),
            ("2-years", L(en="2 years", pl="2 lata", bg="2 години", ru="2 года")),
            ("3-years", L(en="3 years", pl="3 lata", bg="3 години", ru="3 года")),
        ],
    ),
    (
        "usage",
        L(en="Intended use", pl="Przeznaczenie", bg="Предназначение", ru="Назначение"),
        "",
        [
            (
                "professional",
                L(en="professional", pl="profesjonalne", bg="професионално", ru="профессиональное"),
            ),
            ("diy", L(en="home and DIY", pl="domowe i majsterkowanie", bg="за дома", ru="для дома")),
        ],
    ),
]

DESCRIPTIONS = L(
    en=(
        "{name} from {brand}.\n"
        "Intended use: {usage}. Main material: {material}. Every batch is checked in our own "
        "workshop; the new series is even tougher than the last one.\n"
        "Delivered from our warehouses in Poland, Bulgaria and Germany."
    ),
    pl=(
        "{name} marki {brand}.\n"
        "Przeznaczenie: {usage}. Materiał: {material}. Każda partia jest sprawdzana w naszym "
        "warsztacie; nowa seria jest jeszcze wytrzymalsza od poprzedniej.\n"
        "Wysyłka z magazynów w Polsce, Bułgarii i Niemczech."
    ),
    bg=(
        "{name} на {brand}.\n"
        "Предназначение: {usage}. Материал: {material}. Всяка партида се проверява в нашата "
        "работилница; новата серия е още по-здрава от предишната.\n"
        "Доставка от складовете ни в Полша, България и Германия."
    ),
    ru=(
        "{name} от {brand}.\n"
        "Назначение: {usage}. Материал: {material}. Каждая партия проверяется в нашей "
        "мастерской; новая серия ещё прочнее предыдущей.\n"
        "Доставка со складов в Польше, Болгарии и Германии."
    ),
)

# The label printer prints every alphabet the shop sells in: say so with pangrams.
PANGRAMS = L(
    en="Prints Latin, Polish and Cyrillic: The quick brown fox jumps over the lazy dog.",
    pl="Drukuje polskie znaki: Zażółć gęślą jaźń.",
    bg="Печата кирилица: Жълтата дюля беше щастлива, че пухът, който цъфна, замръзна като гьон.",
    ru="Печатает кириллицу: Съешь же ещё этих мягких французских булок, да выпей чаю.",
)
