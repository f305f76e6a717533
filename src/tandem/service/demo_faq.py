"""The demo shop's FAQ: what buyers of a tools and hardware wholesaler ask, in English,
Polish, Bulgarian and Russian (``faq_demo_load``; the demo seed calls it)."""

from django.db import transaction

from tandem.service.models import FaqCategory, FaqEntry

CATEGORIES = [
    ("ordering", "Ordering", "Zamawianie", "Поръчване", "Оформление заказа"),
    ("delivery", "Delivery", "Dostawa", "Доставка", "Доставка"),
    ("payment", "Payment and invoices", "Płatności i faktury", "Плащане и фактури", "Оплата и счета"),
    ("company", "Company account", "Konto firmowe", "Фирмен акаунт", "Аккаунт компании"),
    (
        "returns",
        "Returns and complaints",
        "Zwroty i reklamacje",
        "Връщане и рекламации",
        "Возвраты и рекламации",
    ),
]

# (category, {language: (question, answer)})
ENTRIES: list[tuple[str, dict[str, tuple[str, str]]]] = [
    (
        "ordering",
        {
            "en": (
                "How do I place an order?",
                "Add products to the cart, open **Cart** and choose **Checkout**. Pick the delivery method and the address, then confirm. You get a confirmation e-mail with the order number.",
            ),
            "pl": (
                "Jak złożyć zamówienie?",
                "Dodaj produkty do koszyka, otwórz **Koszyk** i wybierz **Do kasy**. Wybierz sposób dostawy i adres, a potem potwierdź. Dostaniesz e-mail z numerem zamówienia.",
            ),
            "bg": (
                "Как да направя поръчка?",
                "Добавете продукти в количката, отворете **Количка** и изберете **Към плащане**. Изберете начин на доставка и адрес и потвърдете. Ще получите имейл с номера на поръчката.",
            ),
            "ru": (
                "Как оформить заказ?",
                "Добавьте товары в корзину, откройте **Корзину** и выберите **Оформить заказ**. Выберите способ доставки и адрес и подтвердите. Вы получите письмо с номером заказа.",
            ),
        },
    ),
    (
        "ordering",
        {
            "en": (
                "Can I order many SKUs at once?",
                "Yes. The **Quick order** page takes a list of `SKU, quantity` lines or an XLSX/CSV file, and saved **shopping lists** go to the cart in one click.",
            ),
            "pl": (
                "Czy mogę zamówić wiele pozycji naraz?",
                "Tak. Strona **Szybkie zamówienie** przyjmuje listę wierszy `SKU, ilość` albo plik XLSX/CSV, a zapisane **listy zakupowe** trafiają do koszyka jednym kliknięciem.",
            ),
            "bg": (
                "Мога ли да поръчам много артикули наведнъж?",
                "Да. Страницата **Бърза поръчка** приема редове `SKU, количество` или файл XLSX/CSV, а запазените **списъци за пазаруване** влизат в количката с едно щракване.",
            ),
            "ru": (
                "Можно ли заказать много позиций сразу?",
                "Да. Страница **Быстрый заказ** принимает строки `SKU, количество` или файл XLSX/CSV, а сохранённые **списки покупок** добавляются в корзину одним щелчком.",
            ),
        },
    ),
    (
        "ordering",
        {
            "en": (
                "Why can I only order in multiples of a number?",
                "Some products are sold in packs or have a minimum order quantity. The product page shows the rule, and the cart suggests the nearest quantity that fits.",
            ),
            "pl": (
                "Dlaczego mogę zamawiać tylko wielokrotności jakiejś liczby?",
                "Niektóre produkty są sprzedawane w opakowaniach lub mają minimalną ilość zamówienia. Strona produktu pokazuje tę zasadę, a koszyk podpowiada najbliższą pasującą ilość.",
            ),
            "bg": (
                "Защо мога да поръчвам само кратни на някакво число?",
                "Някои продукти се продават на опаковки или имат минимално количество за поръчка. Страницата на продукта показва правилото, а количката предлага най-близкото подходящо количество.",
            ),
            "ru": (
                "Почему можно заказывать только кратное количество?",
                "Некоторые товары продаются упаковками или имеют минимальное количество заказа. Страница товара показывает правило, а корзина предлагает ближайшее подходящее количество.",
            ),
        },
    ),
    (
        "ordering",
        {
            "en": (
                "How do I ask for a quote for a large order?",
                "Add the products to the cart and choose **Request a quote**, or send a request with a drawing from **Quotes**. Your sales rep answers with an offer you can accept online.",
            ),
            "pl": (
                "Jak poprosić o wycenę dużego zamówienia?",
                "Dodaj produkty do koszyka i wybierz **Poproś o wycenę** albo wyślij zapytanie z rysunkiem z zakładki **Oferty**. Opiekun handlowy odpowie ofertą, którą zaakceptujesz online.",
            ),
            "bg": (
                "Как да поискам оферта за голяма поръчка?",
                "Добавете продуктите в количката и изберете **Поискай оферта** или изпратете запитване с чертеж от **Оферти**. Търговският представител ще отговори с оферта, която приемате онлайн.",
            ),
            "ru": (
                "Как запросить предложение на крупный заказ?",
                "Добавьте товары в корзину и выберите **Запросить предложение** или отправьте запрос с чертежом из раздела **Предложения**. Менеджер ответит предложением, которое можно принять онлайн.",
            ),
        },
    ),
    (
        "ordering",
        {
            "en": (
                "Can I repeat an earlier order?",
                "Open the order under **Orders** and choose **Order again**: its lines go to the cart at today's prices. Recurring orders can also be placed automatically every week or month.",
            ),
            "pl": (
                "Czy mogę powtórzyć wcześniejsze zamówienie?",
                "Otwórz zamówienie w **Zamówieniach** i wybierz **Zamów ponownie**: pozycje trafią do koszyka po dzisiejszych cenach. Zamówienia cykliczne mogą też być składane automatycznie co tydzień lub co miesiąc.",
            ),
            "bg": (
                "Мога ли да повторя предишна поръчка?",
                "Отворете поръчката в **Поръчки** и изберете **Поръчай отново**: редовете влизат в количката с днешните цени. Повтарящите се поръчки могат да се правят и автоматично всяка седмица или месец.",
            ),
            "ru": (
                "Можно ли повторить прежний заказ?",
                "Откройте заказ в разделе **Заказы** и выберите **Заказать снова**: позиции попадут в корзину по сегодняшним ценам. Регулярные заказы можно также оформлять автоматически каждую неделю или месяц.",
            ),
        },
    ),
    (
        "delivery",
        {
            "en": (
                "How long does delivery take?",
                "Products in stock leave our warehouse the next working day; a courier delivers in 1–2 working days in Poland and 2–4 days elsewhere in the EU. The product page shows the stock.",
            ),
            "pl": (
                "Jak długo trwa dostawa?",
                "Produkty dostępne w magazynie wysyłamy następnego dnia roboczego; kurier dostarcza w 1–2 dni robocze w Polsce i 2–4 dni w innych krajach UE. Strona produktu pokazuje stan magazynu.",
            ),
            "bg": (
                "Колко време отнема доставката?",
                "Продуктите в наличност напускат склада на следващия работен ден; куриерът доставя за 1–2 работни дни в Полша и 2–4 дни другаде в ЕС. Страницата на продукта показва наличността.",
            ),
            "ru": (
                "Сколько длится доставка?",
                "Товары в наличии отправляются со склада на следующий рабочий день; курьер доставляет за 1–2 рабочих дня в Польше и 2–4 дня в других странах ЕС. Страница товара показывает остаток.",
            ),
        },
    ),
    (
        "delivery",
        {
            "en": (
                "How much does delivery cost?",
                "The cart shows the price of each delivery method before you order. Orders above the free-delivery threshold are delivered free; pickup from our warehouse is always free.",
            ),
            "pl": (
                "Ile kosztuje dostawa?",
                "Koszyk pokazuje cenę każdego sposobu dostawy przed złożeniem zamówienia. Zamówienia powyżej progu darmowej dostawy dostarczamy gratis; odbiór osobisty w magazynie jest zawsze bezpłatny.",
            ),
            "bg": (
                "Колко струва доставката?",
                "Количката показва цената на всеки начин на доставка преди поръчката. Поръчките над прага за безплатна доставка се доставят безплатно; вземането от склада е винаги безплатно.",
            ),
            "ru": (
                "Сколько стоит доставка?",
                "Корзина показывает цену каждого способа доставки до оформления заказа. Заказы выше порога бесплатной доставки доставляются бесплатно; самовывоз со склада всегда бесплатный.",
            ),
        },
    ),
    (
        "delivery",
        {
            "en": (
                "Can I pick up the order myself?",
                "Yes, choose **Pickup** at checkout. We e-mail you when the order is ready; bring the order number. A company can name the people allowed to collect its orders.",
            ),
            "pl": (
                "Czy mogę odebrać zamówienie osobiście?",
                "Tak, wybierz **Odbiór osobisty** przy zamówieniu. Napiszemy, gdy zamówienie będzie gotowe; weź ze sobą numer zamówienia. Firma może wskazać osoby upoważnione do odbioru.",
            ),
            "bg": (
                "Мога ли да взема поръчката сам?",
                "Да, изберете **Вземане от склад** при поръчката. Ще ви пишем, когато е готова; носете номера на поръчката. Фирмата може да посочи хората, които могат да вземат поръчките ѝ.",
            ),
            "ru": (
                "Можно ли забрать заказ самому?",
                "Да, выберите **Самовывоз** при оформлении. Мы напишем, когда заказ будет готов; возьмите номер заказа. Компания может указать людей, которым разрешено забирать её заказы.",
            ),
        },
    ),
    (
        "delivery",
        {
            "en": (
                "How do I track my shipment?",
                "Open the order under **Orders**: each dispatch note shows the carrier and the tracking number with a link to the carrier's page.",
            ),
            "pl": (
                "Jak śledzić przesyłkę?",
                "Otwórz zamówienie w **Zamówieniach**: każdy dokument wydania pokazuje przewoźnika i numer przesyłki z linkiem do strony przewoźnika.",
            ),
            "bg": (
                "Как да проследя пратката си?",
                "Отворете поръчката в **Поръчки**: всяка експедиционна бележка показва куриера и номера за проследяване с връзка към страницата му.",
            ),
            "ru": (
                "Как отследить отправление?",
                "Откройте заказ в разделе **Заказы**: в каждой накладной указаны перевозчик и номер отслеживания со ссылкой на его сайт.",
            ),
        },
    ),
    (
        "delivery",
        {
            "en": (
                "Can I ask for delivery on a given date?",
                "Yes: enter the requested delivery date at checkout (up to a year ahead). We plan the dispatch for that date when the stock allows.",
            ),
            "pl": (
                "Czy mogę poprosić o dostawę w konkretnym dniu?",
                "Tak: wpisz żądaną datę dostawy przy zamówieniu (do roku naprzód). Zaplanujemy wysyłkę na ten dzień, jeśli pozwoli na to stan magazynu.",
            ),
            "bg": (
                "Мога ли да поискам доставка на определена дата?",
                "Да: въведете желаната дата на доставка при поръчката (до година напред). Планираме изпращането за тази дата, когато наличността позволява.",
            ),
            "ru": (
                "Можно ли заказать доставку на определённую дату?",
                "Да: укажите желаемую дату доставки при оформлении (до года вперёд). Мы запланируем отправку на эту дату, если позволит остаток.",
            ),
        },
    ),
    (
        "payment",
        {
            "en": (
                "Which payment methods can I use?",
                "Retail customers pay online or by bank transfer. Companies with payment terms buy **on account** and pay the invoice within the agreed number of days.",
            ),
            "pl": (
                "Jakie metody płatności są dostępne?",
                "Klienci detaliczni płacą online lub przelewem. Firmy z terminem płatności kupują **na fakturę z odroczonym terminem** i płacą w uzgodnionej liczbie dni.",
            ),
            "bg": (
                "Какви начини на плащане мога да използвам?",
                "Клиентите на дребно плащат онлайн или по банков път. Фирмите с договорен срок купуват **на отложено плащане** и плащат фактурата в уговорения срок.",
            ),
            "ru": (
                "Какие способы оплаты доступны?",
                "Розничные клиенты платят онлайн или банковским переводом. Компании с отсрочкой покупают **с отсрочкой платежа** и оплачивают счёт в согласованный срок.",
            ),
        },
    ),
    (
        "payment",
        {
            "en": (
                "Where do I find my invoices?",
                "Under **Documents**: every invoice and credit note as PDF, with the e-invoice (UBL, and KSeF FA(3) for Polish companies). The list can be exported to Excel.",
            ),
            "pl": (
                "Gdzie znajdę swoje faktury?",
                "W zakładce **Dokumenty**: każda faktura i korekta w PDF wraz z e-fakturą (UBL, a dla polskich firm KSeF FA(3)). Listę można wyeksportować do Excela.",
            ),
            "bg": (
                "Къде да намеря фактурите си?",
                "В **Документи**: всяка фактура и кредитно известие в PDF, заедно с електронната фактура (UBL, а за полски фирми KSeF FA(3)). Списъкът може да се експортира в Excel.",
            ),
            "ru": (
                "Где найти мои счета-фактуры?",
                "В разделе **Документы**: каждый счёт и корректировка в PDF вместе с электронным счётом (UBL, а для польских компаний KSeF FA(3)). Список можно выгрузить в Excel.",
            ),
        },
    ),
    (
        "payment",
        {
            "en": (
                "Are invoices sent to KSeF?",
                "Yes, invoices of Polish companies are issued in the KSeF FA(3) structure; the KSeF number appears on the invoice once the system has accepted it.",
            ),
            "pl": (
                "Czy faktury trafiają do KSeF?",
                "Tak, faktury dla polskich firm wystawiamy w strukturze KSeF FA(3); numer KSeF pojawia się na fakturze, gdy system ją przyjmie.",
            ),
            "bg": (
                "Изпращат ли се фактурите в KSeF?",
                "Да, фактурите на полски фирми се издават в структурата KSeF FA(3); номерът в KSeF се появява на фактурата, след като системата я приеме.",
            ),
            "ru": (
                "Отправляются ли счета в KSeF?",
                "Да, счета польских компаний выставляются в структуре KSeF FA(3); номер KSeF появляется в счёте после того, как система его примет.",
            ),
        },
    ),
    (
        "payment",
        {
            "en": (
                "What is my credit limit and how much of it is left?",
                "Your company's credit limit is the most it may owe us at once. **Account → Balance** shows the limit, what is used by unpaid invoices and open orders, and what is still available.",
            ),
            "pl": (
                "Jaki mam limit kredytowy i ile z niego zostało?",
                "Limit kredytowy firmy to najwyższa kwota, jaką może być nam winna naraz. **Konto → Saldo** pokazuje limit, część wykorzystaną przez nieopłacone faktury i otwarte zamówienia oraz to, co jeszcze dostępne.",
            ),
            "bg": (
                "Какъв е кредитният ми лимит и колко е останало?",
                "Кредитният лимит на фирмата е най-голямата сума, която може да ни дължи наведнъж. **Акаунт → Салдо** показва лимита, използваното от неплатени фактури и отворени поръчки и наличното.",
            ),
            "ru": (
                "Каков мой кредитный лимит и сколько осталось?",
                "Кредитный лимит компании — наибольшая сумма, которую она может быть нам должна одновременно. **Аккаунт → Баланс** показывает лимит, занятое неоплаченными счетами и открытыми заказами и доступный остаток.",
            ),
        },
    ),
    (
        "payment",
        {
            "en": (
                "Why was my order refused for an overdue invoice?",
                "When an invoice is overdue beyond the agreed tolerance, new orders on account wait until it is paid. Pay the overdue invoice (see **Documents**) or pay the new order online.",
            ),
            "pl": (
                "Dlaczego zamówienie zostało zablokowane przez przeterminowaną fakturę?",
                "Gdy faktura jest przeterminowana ponad uzgodnioną tolerancję, nowe zamówienia z odroczonym terminem czekają na jej opłacenie. Opłać zaległą fakturę (zob. **Dokumenty**) lub zapłać za nowe zamówienie online.",
            ),
            "bg": (
                "Защо поръчката ми беше отказана заради просрочена фактура?",
                "Когато фактура е просрочена над уговорения толеранс, новите поръчки на отложено плащане чакат до плащането ѝ. Платете просрочената фактура (вижте **Документи**) или платете новата поръчка онлайн.",
            ),
            "ru": (
                "Почему заказ отклонён из-за просроченного счёта?",
                "Если счёт просрочен сверх согласованного допуска, новые заказы с отсрочкой ждут его оплаты. Оплатите просроченный счёт (см. **Документы**) или оплатите новый заказ онлайн.",
            ),
        },
    ),
    (
        "payment",
        {
            "en": (
                "Why is there no VAT on my invoice?",
                "For a company in another EU country with a valid VAT number, the supply is intra-EU: the invoice shows 0 % VAT with the note **reverse charge**, and you account for the VAT yourself.",
            ),
            "pl": (
                "Dlaczego na fakturze nie ma VAT?",
                "Dla firmy z innego kraju UE z ważnym numerem VAT dostawa jest wewnątrzwspólnotowa: faktura ma stawkę 0 % z adnotacją **odwrotne obciążenie**, a VAT rozlicza nabywca.",
            ),
            "bg": (
                "Защо във фактурата ми няма ДДС?",
                "За фирма от друга страна от ЕС с валиден ДДС номер доставката е вътреобщностна: фактурата е с 0 % ДДС и бележка **обратно начисляване**, а ДДС начислявате вие.",
            ),
            "ru": (
                "Почему в моём счёте нет НДС?",
                "Для компании из другой страны ЕС с действующим номером НДС поставка внутриобщинная: в счёте 0 % НДС с пометкой **обратное начисление**, и НДС начисляет покупатель.",
            ),
        },
    ),
    (
        "company",
        {
            "en": (
                "How do I open a company account?",
                "Choose **Register** and then **a company**: enter the VAT number, the company's address and your details. We check the VAT number and your sales rep confirms the account.",
            ),
            "pl": (
                "Jak założyć konto firmowe?",
                "Wybierz **Rejestracja**, a potem **firma**: podaj NIP, adres firmy i swoje dane. Sprawdzimy numer NIP, a opiekun handlowy potwierdzi konto.",
            ),
            "bg": (
                "Как да открия фирмен акаунт?",
                "Изберете **Регистрация** и после **фирма**: въведете ДДС номера, адреса на фирмата и вашите данни. Проверяваме ДДС номера и търговският представител потвърждава акаунта.",
            ),
            "ru": (
                "Как открыть аккаунт компании?",
                "Выберите **Регистрация**, затем **компания**: укажите номер НДС, адрес компании и свои данные. Мы проверим номер НДС, и менеджер подтвердит аккаунт.",
            ),
        },
    ),
    (
        "company",
        {
            "en": (
                "How do I add my colleagues?",
                "A company admin invites colleagues under **Company → Users** and gives each a role: buyer, approver, accountant or admin, with an optional spending limit per order.",
            ),
            "pl": (
                "Jak dodać współpracowników?",
                "Administrator firmy zaprasza współpracowników w **Firma → Użytkownicy** i nadaje każdemu rolę: kupujący, zatwierdzający, księgowy lub administrator, z opcjonalnym limitem na zamówienie.",
            ),
            "bg": (
                "Как да добавя колегите си?",
                "Администраторът на фирмата кани колеги от **Фирма → Потребители** и дава роля на всеки: купувач, одобряващ, счетоводител или администратор, с незадължителен лимит на поръчка.",
            ),
            "ru": (
                "Как добавить коллег?",
                "Администратор компании приглашает коллег в разделе **Компания → Пользователи** и назначает каждому роль: покупатель, согласующий, бухгалтер или администратор, с необязательным лимитом на заказ.",
            ),
        },
    ),
    (
        "company",
        {
            "en": (
                "Why does my order wait for approval?",
                "Your company set approval rules, e.g. for orders above an amount or beyond your spending limit. An approver gets an e-mail; you see the decision under **Orders**.",
            ),
            "pl": (
                "Dlaczego moje zamówienie czeka na akceptację?",
                "Twoja firma ustawiła reguły akceptacji, np. dla zamówień powyżej kwoty lub ponad Twój limit. Osoba zatwierdzająca dostaje e-mail; decyzję zobaczysz w **Zamówieniach**.",
            ),
            "bg": (
                "Защо поръчката ми чака одобрение?",
                "Фирмата ви е задала правила за одобрение, напр. за поръчки над дадена сума или над вашия лимит. Одобряващият получава имейл; решението виждате в **Поръчки**.",
            ),
            "ru": (
                "Почему мой заказ ждёт согласования?",
                "Ваша компания настроила правила согласования, например для заказов выше суммы или сверх вашего лимита. Согласующий получит письмо; решение вы увидите в разделе **Заказы**.",
            ),
        },
    ),
    (
        "company",
        {
            "en": (
                "Why do I see different prices than before signing in?",
                "Signed in as a company user you see your company's net prices: your price list, volume discounts and contract prices. Guests see retail prices with VAT.",
            ),
            "pl": (
                "Dlaczego po zalogowaniu widzę inne ceny?",
                "Po zalogowaniu jako użytkownik firmy widzisz ceny netto Twojej firmy: jej cennik, rabaty ilościowe i ceny kontraktowe. Goście widzą ceny detaliczne brutto.",
            ),
            "bg": (
                "Защо виждам различни цени след влизане?",
                "Влезли като потребител на фирма, виждате нетните цени на фирмата си: ценовата ѝ листа, отстъпките за количество и договорните цени. Гостите виждат цени на дребно с ДДС.",
            ),
            "ru": (
                "Почему после входа я вижу другие цены?",
                "Войдя как пользователь компании, вы видите её цены без НДС: её прайс-лист, скидки за объём и договорные цены. Гости видят розничные цены с НДС.",
            ),
        },
    ),
    (
        "company",
        {
            "en": (
                "Who is my sales rep and how do I reach them?",
                "Your sales rep is named in the header once you sign in. Write to them under **Messages**; they answer in the same thread.",
            ),
            "pl": (
                "Kto jest moim opiekunem handlowym i jak się z nim skontaktować?",
                "Twój opiekun handlowy jest podany w nagłówku po zalogowaniu. Napisz do niego w **Wiadomościach**; odpowie w tym samym wątku.",
            ),
            "bg": (
                "Кой е моят търговски представител и как да се свържа с него?",
                "Търговският ви представител е посочен в заглавката след влизане. Пишете му от **Съобщения**; той отговаря в същата нишка.",
            ),
            "ru": (
                "Кто мой менеджер и как с ним связаться?",
                "Ваш менеджер указан в шапке после входа. Напишите ему в разделе **Сообщения**; он ответит в той же переписке.",
            ),
        },
    ),
    (
        "company",
        {
            "en": (
                "Can our purchasing system connect to the shop?",
                "Yes. A company admin creates API keys under **Company → API keys**; the REST API and its documentation are at `/api/v1/docs`.",
            ),
            "pl": (
                "Czy nasz system zakupowy może połączyć się ze sklepem?",
                "Tak. Administrator firmy tworzy klucze API w **Firma → Klucze API**; REST API z dokumentacją jest pod `/api/v1/docs`.",
            ),
            "bg": (
                "Може ли нашата система за покупки да се свърже с магазина?",
                "Да. Администраторът на фирмата създава API ключове от **Фирма → API ключове**; REST API и документацията са на `/api/v1/docs`.",
            ),
            "ru": (
                "Может ли наша система закупок подключиться к магазину?",
                "Да. Администратор компании создаёт ключи API в разделе **Компания → Ключи API**; REST API и документация находятся по адресу `/api/v1/docs`.",
            ),
        },
    ),
    (
        "returns",
        {
            "en": (
                "How do I return a product?",
                "Retail customers may return products within 14 days without giving a reason. Write to us under **Messages** with the order number; we send the return address and refund after receiving the goods.",
            ),
            "pl": (
                "Jak zwrócić produkt?",
                "Klienci detaliczni mogą zwrócić produkty w ciągu 14 dni bez podania przyczyny. Napisz do nas w **Wiadomościach** z numerem zamówienia; podamy adres zwrotu i oddamy pieniądze po otrzymaniu towaru.",
            ),
            "bg": (
                "Как да върна продукт?",
                "Клиентите на дребно могат да върнат продукти в 14-дневен срок без причина. Пишете ни от **Съобщения** с номера на поръчката; ще изпратим адрес за връщане и ще възстановим сумата след получаване на стоката.",
            ),
            "ru": (
                "Как вернуть товар?",
                "Розничные клиенты могут вернуть товар в течение 14 дней без объяснения причин. Напишите нам в разделе **Сообщения** с номером заказа; мы пришлём адрес возврата и вернём деньги после получения товара.",
            ),
        },
    ),
    (
        "returns",
        {
            "en": (
                "What if a product arrives damaged?",
                "Note the damage on the courier's delivery slip, take photos and write to us within 7 days under **Messages**. We send a replacement or a credit note.",
            ),
            "pl": (
                "Co zrobić, gdy produkt dotrze uszkodzony?",
                "Zaznacz uszkodzenie w protokole kuriera, zrób zdjęcia i napisz do nas w ciągu 7 dni w **Wiadomościach**. Wyślemy produkt zastępczy albo fakturę korygującą.",
            ),
            "bg": (
                "Какво да направя, ако продуктът пристигне повреден?",
                "Отбележете повредата в протокола на куриера, направете снимки и ни пишете до 7 дни от **Съобщения**. Ще изпратим замяна или кредитно известие.",
            ),
            "ru": (
                "Что делать, если товар пришёл повреждённым?",
                "Отметьте повреждение в накладной курьера, сделайте фотографии и напишите нам в течение 7 дней в разделе **Сообщения**. Мы пришлём замену или корректировочный счёт.",
            ),
        },
    ),
    (
        "returns",
        {
            "en": (
                "How long is the warranty on tools?",
                "Power tools carry the manufacturer's warranty, usually 24 months (36 for some brands after registration). Keep the invoice: it is your proof of purchase.",
            ),
            "pl": (
                "Jak długa jest gwarancja na narzędzia?",
                "Elektronarzędzia mają gwarancję producenta, zwykle 24 miesiące (36 dla niektórych marek po rejestracji). Zachowaj fakturę: to dowód zakupu.",
            ),
            "bg": (
                "Каква е гаранцията на инструментите?",
                "Електроинструментите имат гаранция от производителя, обикновено 24 месеца (36 за някои марки след регистрация). Пазете фактурата: тя е доказателство за покупката.",
            ),
            "ru": (
                "Какая гарантия на инструменты?",
                "На электроинструмент действует гарантия производителя, обычно 24 месяца (36 для некоторых марок после регистрации). Сохраните счёт: это подтверждение покупки.",
            ),
        },
    ),
]


def faq_demo_load() -> int:
    """Create the demo FAQ (once: nothing is written when entries exist); returns how many."""
    if FaqEntry.objects.exists():
        return 0
    with transaction.atomic():
        categories = {}
        for order, (slug, en, pl, bg, ru) in enumerate(CATEGORIES):
            categories[slug] = FaqCategory.objects.create(
                name=en,
                slug=slug,
                sort_order=order,
                translations={"pl": {"name": pl}, "bg": {"name": bg}, "ru": {"name": ru}},
            )
        for order, (slug, texts) in enumerate(ENTRIES):
            question, answer = texts["en"]
            FaqEntry.objects.create(
                category=categories[slug],
                question=question,
                answer=answer,
                sort_order=order,
                translations={
                    language: {"question": texts[language][0], "answer": texts[language][1]}
                    for language in ("pl", "bg", "ru")
                },
            )
    return len(ENTRIES)
