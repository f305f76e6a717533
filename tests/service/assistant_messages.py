"""The assistant's evaluation set: 200 messages as customers write them — typos, no
diacritics, other word forms, half sentences — 50 in each language, with the intent meant.
``tests/service/test_assistant.py`` asks for at least 90 % right; ``bench/assistant_eval.py``
prints the confusion table (bench/ASSISTANT.md)."""

RAW = """
en|where is my order
en|wheres my last order??
en|status of order 2026-000123
en|has my parcel shipped yet
en|when will my delivery arrive
en|can you track my shipment pls
en|what happened to order 2026-000777
en|is my order on the way
en|how much do we owe you
en|what is our balance
en|whats our current balance with you
en|do we have any debt
en|outstanding amount on our account?
en|how much credit do we have left
en|credit limit?
en|what is my credit limit
en|how much is left on our credit limit
en|do i have unpaid invoices
en|send me the overdue invoice
en|i need a copy of my invoice
en|which invoices are overdue
en|list unpaid bills
en|who is my sales rep
en|contact to my account manager pls
en|who is our representative
en|i want to talk to my salesperson
en|order the same as last time again
en|repeat my last order
en|can you reorder the previous order
en|i want to talk to a human
en|can someone call me
en|connect me with an agent
en|i need a real person
en|how much does DR-18V-2 cost
en|price of SKU-1-1
en|is TAPS-34-1 in stock
en|how much is DR18 2
en|how long does delivery take
en|how do i return a product
en|what payment methods do you accept
en|can i pick up the order myself
en|why is there no vat on my invoice
en|how do i add my colleagues
en|do you sell bikes for dogs
en|whats the weather tomorrow
en|hello
en|hi there
en|my package arrived damaged what now
en|how do i open a company account
en|warranty on tools?
pl|gdzie jest moje zamowienie
pl|status zamówienia 2026-000123
pl|kiedy dotrze przesylka
pl|co z moim zamówieniem 2026-000456
pl|czy paczka juz wyslana
pl|gdzie moja paczka
pl|kiedy dostarczycie zamowienie
pl|jakie mamy saldo
pl|ile jestesmy winni
pl|saldo konta prosze
pl|czy mamy jakies zadluzenie
pl|jaki mam limit kredytu
pl|ile zostalo z limitu kredytowego
pl|limit kredytowy?
pl|czy mam niezaplacone faktury
pl|prosze o fakture
pl|przeterminowane faktury
pl|potrzebuje kopii faktury
pl|ktore faktury sa po terminie
pl|kto jest moim opiekunem
pl|kto jest naszym przedstawicielem handlowym
pl|kontakt do opiekuna handlowego
pl|zamow ponownie ostatnie zamowienie
pl|powtorz moje zamowienie
pl|zamow jeszcze raz to samo
pl|chce porozmawiac z czlowiekiem
pl|prosze o telefon od konsultanta
pl|czy ktos moze do mnie zadzwonic
pl|ile kosztuje SKU-1-1
pl|cena DR-18V-2
pl|czy TAPS-34-1 jest dostepny
pl|jaka jest cena dla SKU-2-1
pl|jak dlugo trwa dostawa
pl|jak zwrocic produkt
pl|jakie metody platnosci
pl|czy moge odebrac osobiscie
pl|dlaczego nie ma vat na fakturze
pl|jak dodac wspolpracownikow
pl|jak zalozyc konto firmowe
pl|gwarancja na narzedzia
pl|towar przyszedl uszkodzony
pl|czy faktury ida do ksef
pl|dzien dobry
pl|czesc
pl|czy sprzedajecie rowery elektryczne dla psow
pl|jaka jutro pogoda
pl|ile kosztuje dostawa
pl|dlaczego zamowienie czeka na akceptacje
pl|jak zamowic wiele pozycji naraz
pl|czy moge poprosic o dostawe w konkretnym dniu
bg|къде е поръчката ми
bg|статус на поръчка 2026-000123
bg|кога ще пристигне пратката
bg|изпратена ли е поръчката ми
bg|какво става с поръчка 2026-000456
bg|къде е пратката
bg|кога ще получа поръчката
bg|какво е салдото ни
bg|колко дължим
bg|имаме ли задължения
bg|салдо по сметката
bg|какъв е кредитния лимит
bg|колко остава от кредитния лимит
bg|кредитен лимит?
bg|имам ли неплатени фактури
bg|просрочени фактури
bg|изпратете ми фактурата
bg|кои фактури са просрочени
bg|кой е търговския ми представител
bg|контакт с търговски представител
bg|кой е нашият представител
bg|поръчай отново последната поръчка
bg|повтори поръчката
bg|искам същото отново
bg|искам да говоря с човек
bg|свържете ме с консултант
bg|обадете ми се
bg|колко струва SKU-1-1
bg|цена на DR-18V-2
bg|наличен ли е TAPS-34-1
bg|каква е цената на SKU-2-1
bg|колко време отнема доставката
bg|как да върна продукт
bg|какви начини на плащане има
bg|мога ли да взема поръчката сам
bg|защо няма ддс във фактурата
bg|как да добавя колеги
bg|как да открия фирмен акаунт
bg|гаранция на инструментите
bg|продуктът пристигна повреден
bg|здравейте
bg|добър ден
bg|продавате ли велосипеди за кучета
bg|какво е времето утре
bg|колко струва доставката
bg|защо поръчката чака одобрение
bg|как да поръчам много артикули наведнъж
bg|мога ли да поискам доставка на дата
bg|изпращат ли се фактурите в ksef
bg|как да проследя пратката си
ru|где мой заказ
ru|статус заказа 2026-000123
ru|когда придет посылка
ru|мой заказ отправлен?
ru|что с заказом 2026-000456
ru|где посылка
ru|когда доставят заказ
ru|какой у нас баланс
ru|сколько мы должны
ru|есть ли задолженность
ru|сальдо по счету
ru|какой кредитный лимит
ru|сколько осталось кредитного лимита
ru|кредитный лимит?
ru|есть неоплаченные счета?
ru|просроченные счета
ru|пришлите счет фактуру
ru|какие счета просрочены
ru|кто мой менеджер
ru|контакт менеджера
ru|кто наш представитель
ru|повторить последний заказ
ru|закажи снова то же самое
ru|повтори мой заказ
ru|хочу поговорить с человеком
ru|соедините с оператором
ru|позвоните мне
ru|сколько стоит SKU-1-1
ru|цена DR-18V-2
ru|есть в наличии TAPS-34-1
ru|какая цена SKU-2-1
ru|сколько длится доставка
ru|как вернуть товар
ru|какие способы оплаты
ru|можно ли забрать заказ самому
ru|почему нет ндс в счете
ru|как добавить коллег
ru|как открыть аккаунт компании
ru|гарантия на инструменты
ru|товар пришел поврежденным
ru|здравствуйте
ru|привет
ru|продаете велосипеды для собак
ru|какая завтра погода
ru|сколько стоит доставка
ru|почему заказ ждет согласования
ru|как заказать много позиций сразу
ru|можно заказать доставку на дату
ru|отправляются ли счета в ksef
ru|как отследить посылку
"""

# the intent meant, by message (those not named here are answered from the FAQ or unknown)
INTENTS = {
    "order_status": [
        "where is my order",
        "wheres my last order??",
        "status of order 2026-000123",
        "has my parcel shipped yet",
        "when will my delivery arrive",
        "can you track my shipment pls",
        "what happened to order 2026-000777",
        "is my order on the way",
        "gdzie jest moje zamowienie",
        "status zamówienia 2026-000123",
        "kiedy dotrze przesylka",
        "co z moim zamówieniem 2026-000456",
        "czy paczka juz wyslana",
        "gdzie moja paczka",
        "kiedy dostarczycie zamowienie",
        "къде е поръчката ми",
        "статус на поръчка 2026-000123",
        "кога ще пристигне пратката",
        "изпратена ли е поръчката ми",
        "какво става с поръчка 2026-000456",
        "къде е пратката",
        "кога ще получа поръчката",
        "где мой заказ",
        "статус заказа 2026-000123",
        "когда придет посылка",
        "мой заказ отправлен?",
        "что с заказом 2026-000456",
        "где посылка",
        "когда доставят заказ",
    ],
    "balance": [
        "how much do we owe you",
        "what is our balance",
        "whats our current balance with you",
        "do we have any debt",
        "outstanding amount on our account?",
        "jakie mamy saldo",
        "ile jestesmy winni",
        "saldo konta prosze",
        "czy mamy jakies zadluzenie",
        "какво е салдото ни",
        "колко дължим",
        "имаме ли задължения",
        "салдо по сметката",
        "какой у нас баланс",
        "сколько мы должны",
        "есть ли задолженность",
        "сальдо по счету",
    ],
    "credit": [
        "how much credit do we have left",
        "credit limit?",
        "what is my credit limit",
        "how much is left on our credit limit",
        "jaki mam limit kredytu",
        "ile zostalo z limitu kredytowego",
        "limit kredytowy?",
        "какъв е кредитния лимит",
        "колко остава от кредитния лимит",
        "кредитен лимит?",
        "какой кредитный лимит",
        "сколько осталось кредитного лимита",
        "кредитный лимит?",
    ],
    "invoices": [
        "do i have unpaid invoices",
        "send me the overdue invoice",
        "i need a copy of my invoice",
        "which invoices are overdue",
        "list unpaid bills",
        "czy mam niezaplacone faktury",
        "prosze o fakture",
        "przeterminowane faktury",
        "potrzebuje kopii faktury",
        "ktore faktury sa po terminie",
        "имам ли неплатени фактури",
        "просрочени фактури",
        "изпратете ми фактурата",
        "кои фактури са просрочени",
        "есть неоплаченные счета?",
        "просроченные счета",
        "пришлите счет фактуру",
        "какие счета просрочены",
    ],
    "sales_rep": [
        "who is my sales rep",
        "contact to my account manager pls",
        "who is our representative",
        "i want to talk to my salesperson",
        "kto jest moim opiekunem",
        "kto jest naszym przedstawicielem handlowym",
        "kontakt do opiekuna handlowego",
        "кой е търговския ми представител",
        "контакт с търговски представител",
        "кой е нашият представител",
        "кто мой менеджер",
        "контакт менеджера",
        "кто наш представитель",
    ],
    "reorder": [
        "order the same as last time again",
        "repeat my last order",
        "can you reorder the previous order",
        "zamow ponownie ostatnie zamowienie",
        "powtorz moje zamowienie",
        "zamow jeszcze raz to samo",
        "поръчай отново последната поръчка",
        "повтори поръчката",
        "искам същото отново",
        "повторить последний заказ",
        "закажи снова то же самое",
        "повтори мой заказ",
    ],
    "handover": [
        "i want to talk to a human",
        "can someone call me",
        "connect me with an agent",
        "i need a real person",
        "chce porozmawiac z czlowiekiem",
        "prosze o telefon od konsultanta",
        "czy ktos moze do mnie zadzwonic",
        "искам да говоря с човек",
        "свържете ме с консултант",
        "обадете ми се",
        "хочу поговорить с человеком",
        "соедините с оператором",
        "позвоните мне",
    ],
    "price": [
        "how much does DR-18V-2 cost",
        "price of SKU-1-1",
        "is TAPS-34-1 in stock",
        "how much is DR18 2",
        "ile kosztuje SKU-1-1",
        "cena DR-18V-2",
        "czy TAPS-34-1 jest dostepny",
        "jaka jest cena dla SKU-2-1",
        "колко струва SKU-1-1",
        "цена на DR-18V-2",
        "наличен ли е TAPS-34-1",
        "каква е цената на SKU-2-1",
        "сколько стоит SKU-1-1",
        "цена DR-18V-2",
        "есть в наличии TAPS-34-1",
        "какая цена SKU-2-1",
    ],
    "greeting": [
        "hello",
        "hi there",
        "dzien dobry",
        "czesc",
        "здравейте",
        "добър ден",
        "здравствуйте",
        "привет",
    ],
    "unknown": [
        "do you sell bikes for dogs",
        "whats the weather tomorrow",
        "czy sprzedajecie rowery elektryczne dla psow",
        "jaka jutro pogoda",
        "продавате ли велосипеди за кучета",
        "какво е времето утре",
        "продаете велосипеды для собак",
        "какая завтра погода",
    ],
}

MESSAGES: list[tuple[str, str, str]] = []  # (language, text, intent)
_by_text = {text: intent for intent, texts in INTENTS.items() for text in texts}
for line in RAW.strip().splitlines():
    language, text = line.split("|", 1)
    MESSAGES.append((language, text, _by_text.get(text, "faq")))
