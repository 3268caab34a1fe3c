# Ustawienia w oknie.

# Strona Ustawienia (pages/settings.rs).
set-title = Ustawienia
set-reading-keyring = Odczyt pęku kluczy systemu…
set-status-error = Nie można odczytać stanu danych dostępowych: { $error }
set-bricklink-help = Na bricklink.com → My API → Access tokens. Zarejestruj token dla IP 0.0.0.0, aby działał dalej, gdy zmieni się Twój domowy adres IP.
set-brickowl-help = Na brickowl.com → My Account → API Keys. Zezwól na dostęp do zamówień i magazynu.
# Nazwy, pod którymi BrickLink pokazuje klucze na swojej (angielskiej) stronie API: zostają bez zmian.
set-field-consumer-key = Consumer key
set-field-consumer-secret = Consumer secret
set-field-token-value = Token value
set-field-token-secret = Token secret
set-field-api-key = Klucz API
set-removed = Usunięto z pęku kluczy systemu.
set-asking = Sprawdzanie połączenia: { $store }…
set-shipping = Wysyłka
set-drive-thru = Wysyłaj kupującemu e-mail Drive Thru z BrickLinka, gdy oznaczę zamówienie jako wysłane

# Formularz danych dostępowych (components/credential_form.rs); używa ich też karta Allegro.
set-save = Zapisz w pęku kluczy
set-remove = Usuń
set-test = Sprawdź połączenie
set-fill-in = Uzupełnij: { $fields }

# Karta Allegro (components/allegro_card.rs).
set-allegro-help = Zarejestruj aplikację typu „device” na apps.developer.allegro.pl, zapisz tutaj jej Client ID i Client Secret, a potem połącz konto.
set-field-client-id = Client ID
set-field-client-secret = Client Secret
set-sandbox = Sandbox: ta aplikacja jest zarejestrowana na allegrosandbox.pl (konta testowe, bez prawdziwych kupujących)
set-link-account = Połącz konto
set-allegro-saved = Zapisano w pęku kluczy systemu. Teraz połącz swoje konto Allegro.
set-allegro-asking = Pobieranie kodu z Allegro…
set-allegro-waiting = Czekam, aż zatwierdzisz BrickDesk na Allegro…
set-allegro-linked = Połączono: BrickDesk sprawdza teraz Twoje zamówienia z Allegro.
set-allegro-link-error = Nie można rozpocząć łączenia: { $error }
set-allegro-approve = Strona Allegro powinna otworzyć się w przeglądarce (jeśli nie, otwórz poniższy link). Sprawdź, czy pokazuje ten kod, i zatwierdź BrickDesk:
set-allegro-env-sandbox = Środowisko: sandbox Allegro (allegrosandbox.pl).
set-allegro-env = Środowisko: Allegro (allegro.pl).
set-allegro-interval = Zamówienia i oferty są sprawdzane { $every }.
set-allegro-interval-env = Ustawione zmienną BRICKDESK_ALLEGRO_POLL_INTERVAL_SECS.
set-minutes = minuty
set-allegro-interval-label = Co ile minut sprawdzać Allegro
set-interval-save = Ustaw
set-interval-bad = Wpisz pełne minuty, np. 37 (wpisano { $typed }).
set-interval-saved = Zapisano: Allegro jest sprawdzane { $every }.

# Oferty Allegro (components/allegro_offers.rs).
set-offers-title = Oferty Allegro
set-offers-none = jeszcze brak: pojawią się po następnym sprawdzeniu Allegro
set-offers-all-linked = { $count ->
    [one] { $count }, powiązana z partią
   *[other] { $count }, wszystkie powiązane z partiami
}
set-offers-unlinked = { $count }, w tym { $unlinked ->
    [one] { $unlinked } niepowiązana z partią
    [few] { $unlinked } niepowiązane z partią
   *[other] { $unlinked } niepowiązanych z partią
}
set-offers-load-error = Nie można wczytać ofert Allegro: { $error }
set-offers-link-bad = Wpisz numer partii (np. #123), aby powiązać ofertę { $offer }; wpisano { $typed }.
set-offers-linked = Oferta { $offer } sprzedaje teraz partię #{ $lot }; jej liczba sztuk odpowiada dostępnej ilości partii.
set-offers-link-error = Nie można powiązać oferty { $offer }: { $error }
set-offers-col-offer = Oferta
set-offers-col-price = Cena
set-offers-col-stock = Dostępne
set-offers-col-status = Status
set-offers-col-lot = Partia
set-offers-col-link = Powiąż z partią
set-offers-signature = sygnatura { $signature }
set-offers-by-you = powiązana przez Ciebie
set-offers-by-signature = po sygnaturze
set-offers-not-linked = niepowiązana
set-offers-lot-placeholder = nr partii
set-offers-lot-label = Numer partii dla oferty { $offer }
set-offers-relink = Powiąż ponownie
set-offers-link = Powiąż

# O programie (pages/about.rs).
set-about-title = O programie BrickDesk
set-autostart = Uruchamiaj BrickDesk po zalogowaniu (w zasobniku, z ukrytym oknem)
set-about-version = Wersja
set-about-build = Kompilacja
set-about-data-folder = Folder danych
set-about-database = Baza danych
set-about-logs = Logi
set-about-keyring = Usługa w pęku kluczy
set-open-logs = Otwórz folder logów

# Plakietki, odstępy czasu i komunikaty (format/settings.rs).
set-badge-set = Zapisane
set-badge-unreadable = Nieczytelne — zapisz ponownie
set-badge-not-set = Brak
set-badge-linked = Połączone
set-badge-not-linked = Niepołączone
set-code-valid-seconds = { $count ->
    [one] Kod jest ważny przez { $count } sekundę.
    [few] Kod jest ważny przez { $count } sekundy.
   *[other] Kod jest ważny przez { $count } sekund.
}
set-code-valid-minutes = { $count ->
    [one] Kod jest ważny przez { $count } minutę.
    [few] Kod jest ważny przez { $count } minuty.
   *[other] Kod jest ważny przez { $count } minut.
}
set-every-seconds = { $count ->
    [one] co sekundę
    [few] co { $count } sekundy
   *[other] co { $count } sekund
}
set-every-minutes = { $count ->
    [one] co minutę
    [few] co { $count } minuty
   *[other] co { $count } minut
}
set-every-hours = { $count ->
    [one] co godzinę
    [few] co { $count } godziny
   *[other] co { $count } godzin
}
set-every-hours-minutes = co { $h } godz. { $m } min
set-saved = Zapisano w pęku kluczy systemu.
set-saved-left-demo = Zapisano w pęku kluczy systemu. BrickDesk zakończył tryb demo i śledzi teraz Twój sklep.
set-budget-of = { $used }/{ $limit } { $count ->
    [one] zapytanie
    [few] zapytania
   *[other] zapytań
} dziś
set-budget = { $count ->
    [one] { $count } zapytanie dziś
    [few] { $count } zapytania dziś
   *[other] { $count } zapytań dziś
}
