# Słowa wspólne dla całego okna: pasek boczny, pasek stanu, liczby, czasy.

nav-orders = Zamówienia
nav-inventory = Magazyn
nav-catalog = Katalog
nav-settings = Ustawienia

lots-count = { $count ->
    [one] { $count } partia
    [few] { $count } partie
   *[other] { $count } partii
}

time-just-now = przed chwilą
time-min-ago = { $n } min temu
time-h-ago = { $n } godz. temu
time-in-seconds = za chwilę
time-in-min = za { $n } min
time-in-h = za { $n } godz.
time-today = dziś { $time }
time-yesterday = wczoraj { $time }
time-tomorrow = jutro { $time }
time-overdue = teraz

orders-count = { $count ->
    [one] { $count } zamówienie
    [few] { $count } zamówienia
   *[other] { $count } zamówień
}
count-of = { $matching } z { $all }
attempts = { $count ->
    [one] { $count } próba
    [few] { $count } próby
   *[other] { $count } prób
}
unknown = —
retry-next-try = kolejna próba { $time }
retry-gave-up = wstrzymano
time-days-ago = { $n ->
    [one] { $n } dzień temu
   *[other] { $n } dni temu
}

status-demo = Demo
status-demo-title = Symulowane sklepy na tym komputerze; wpisz dane dostępowe w Ustawieniach, aby używać własnych
status-polls = ostatnio { $last } · następnie { $next }
status-failed = { $count ->
    [one] { $count } nieudane
   *[other] { $count } nieudanych
}
status-failed-title = Powiadomienia, których BrickDesk nie przetworzył: błędy i Ponów znajdziesz w Powiadomieniach pod tabelą zamówień
status-sync = Synchronizacja magazynu
status-up-to-date = aktualna
status-pending-title = Partie czekające na wysłanie: BrickDesk wyśle je w ciągu kilku sekund
status-lots-pending = { $count ->
    [one] { $count } partia czeka
    [few] { $count } partie czekają
   *[other] { $count } partii czeka
}
status-lots-failed-title = Partie, których sklep nie przyjął: błąd i Ponów znajdziesz w Magazynie
status-lots-failed = { $count ->
    [one] { $count } partia nieudana
    [few] { $count } partie nieudane
   *[other] { $count } partii nieudanych
}
status-poll = Sprawdź teraz
status-poll-title = Zapytaj teraz wszystkie sklepy o nowości (Ctrl+R)

display-title = Wygląd
display-language = Język
display-follow-os-language = Jak w systemie ({ $language })
display-theme = Motyw
display-theme-os = Jak w systemie
display-theme-light = Jasny
display-theme-dark = Ciemny
and-list = { $items } i { $last }

part-colour-unknown = nieznany
part-no-swatch = Katalog nie ma jeszcze tego koloru
part-type-part = Część
part-type-set = Zestaw
part-type-minifig = Minifigurka
part-type-book = Książka
part-type-gear = Gadżet
part-type-catalog = Katalog
part-type-instruction = Instrukcja
part-type-original-box = Oryginalne pudełko
part-type-unsorted-lot = Nieposortowana partia
