# Obszar zamówień w oknie.

# Status zamówienia, jeden dla wszystkich sklepów (format/orders.rs).
ord-status-new = Nowe
ord-status-paid = Opłacone
ord-status-packed = Spakowane
ord-status-shipped = Wysłane
ord-status-completed = Zakończone
ord-status-cancelled = Anulowane

# Słowa zamówień (format/orders.rs): filtry, powiadomienia, kompletowanie, oznaczenia.
# $field to ord-filter-from albo ord-filter-to; $got to wpisany tekst, w cudzysłowie.
ord-filter-bad-day = { $field }: wpisz dzień w postaci 2026-11-23 (wpisano { $got }).
ord-inbox-kind-message = Wiadomość
ord-inbox-kind-feedback = Opinia
ord-inbox-kind-order = Zamówienie
ord-pick-not-picked = Nieskompletowane
ord-pick-picked = Skompletowane
ord-pick-missing = Brakuje
# Czy sklep przyjął zmianę wprowadzoną przez sprzedającego.
ord-remote-synced = Sklep { $market } przyjął zmianę
ord-remote-failed = Sklep { $market } odrzucił zmianę: { $error }
ord-remote-no-reason = nie podano przyczyny
ord-remote-retrying = Wkrótce ponowimy wysyłanie do sklepu { $market } ({ $error })
ord-remote-sending = Wysyłanie do sklepu { $market }…
ord-mark-paid = Oznacz jako opłacone
ord-mark-packed = Oznacz jako spakowane
ord-mark-shipped = Oznacz jako wysłane…

# Strona zamówień: filtry, pasek zaznaczenia, panele boczne.
ord-title = Zamówienia
ord-filter-buyer = Kupujący zaczyna się od…
ord-filter-buyer-label = Kupujący
ord-filter-market = Sklep
ord-filter-all-markets = Wszystkie sklepy
ord-filter-fulfilment = Status
ord-filter-fulfilment-title = Ten sam status we wszystkich sklepach
ord-filter-every-status = Każdy status
ord-filter-status = Status w sklepie
ord-filter-status-label = Status w sklepie
ord-filter-status-title = Status nadany przez sklep, dokładnie tak jak w sklepie (PAID, Shipped…)
ord-filter-from = Od
ord-filter-to = Do
ord-select-paid = Zaznacz wszystkie opłacone
ord-select-paid-title = Zaznacz każde opłacone zamówienie
ord-selected-count = Zaznaczono: { $count }
ord-pick-list = Lista kompletacyjna
ord-packing-slips = Specyfikacje paczek
ord-clear = Wyczyść
# Zamówienie, którego nie udało się oznaczyć jako spakowane; $id to jego numer w BrickDesk.
ord-bar-refused = zamówienie { $id }: { $error }
ord-load-error = Nie można wczytać zamówień: { $error }
ord-loading = Wczytywanie zamówień…
ord-empty-title = Nie ma jeszcze zamówień
ord-empty-hint = Nowe zamówienia z połączonych sklepów pojawią się tutaj same.
ord-filter-empty = Żadne zamówienie nie pasuje do tych filtrów.
ord-ship-title = Wyślij zaznaczone zamówienia
ord-close = Zamknij
ord-inbox-cannot-retry = Nie można ponowić: { $error }

# Tabela zamówień.
ord-col-market = Sklep
ord-col-order = Zamówienie
ord-col-date = Data
ord-col-buyer = Kupujący
ord-col-items = Części
ord-col-total = Kwota
ord-col-status = Status
ord-col-picked = Skompletowano
ord-col-select = Zaznacz
ord-col-select-title = Zaznacz do listy kompletacyjnej, oznaczania i specyfikacji paczek
ord-sort-title = Sortuj (kliknij ponownie: w drugą stronę)
ord-badge-new = Nowe
# Status nadany przez sklep: „Status w sklepie BrickLink: PAID”.
ord-market-says = Status w sklepie { $market }: { $status }

# Panel zamówienia: pozycje i kompletowanie.
ord-delivery = Dostawa:
# $progress to „1/4”.
ord-picked-progress = Skompletowano { $progress }
ord-pick-all = Oznacz wszystkie jako skompletowane
ord-pick-error = Nie można oznaczyć pozycji: { $error }
ord-col-location = Lokalizacja
ord-col-item = Część
ord-col-colour = Kolor
ord-col-condition = Stan
ord-col-qty = Ilość
ord-col-price = Cena
ord-col-lot = Partia
ord-col-pick = Kompletowanie
ord-not-in-stock = brak w magazynie
ord-found = Znaleziono
ord-mark-missing = Brak

# Realizacja zamówienia i formularz wysyłki.
ord-own-status-title = Status nadany przez sklep
ord-tracking = Numer przesyłki:
ord-carrier = Przewoźnik: { $carrier }
ord-retry = Ponów
ord-ships-by = Wysyłka: { $method }
ord-ship-mark = Oznacz jako wysłane
ord-carriers-error = Przewoźnicy Allegro: { $error }
ord-col-tracking = Numer przesyłki (opcjonalnie)
ord-col-carrier = Przewoźnik
# $order to „BrickLink #21457893”.
ord-ship-tracking-label = Numer przesyłki zamówienia { $order }
ord-ship-carrier-label = Przewoźnik zamówienia { $order }
ord-carrier-choose = Przewoźnik…
ord-carrier-name = Nazwa przewoźnika
ord-ship-marking = Oznaczanie…
ord-cancel = Anuluj

# Lista kompletacyjna dla wielu zamówień.
ord-pick-list-title = Lista kompletacyjna · { $count ->
    [one] { $count } zamówienie
    [few] { $count } zamówienia
   *[other] { $count } zamówień
}
ord-pick-list-progress = Skompletowano { $done } z { $lines } pozycji
ord-pick-list-error = Nie można utworzyć listy kompletacyjnej: { $error }
ord-short-error = Nie można oznaczyć braku: { $error }
ord-col-bin = Pojemnik
ord-col-orders = Zamówienia
ord-pick-line-picked = Skompletowane
ord-pick-line-pick = Skompletuj
ord-pick-short = Brak
ord-pick-short-title = Nie ma na półce: zamówienia pokażą brak
ord-pick-lower = Brak, zmniejsz partię
ord-pick-lower-title = Brak, a części już nie ma: zmniejsz o nie partię (wszystkie sklepy się dostosują)

# Specyfikacje paczek (drukowane, trafiają do kupujących).
ord-slips-title = Specyfikacje paczek · { $count }
ord-print = Drukuj
ord-slip-title = Zamówienie { $market } #{ $number }
ord-slip-totals = { $pieces ->
    [one] { $pieces } część
    [few] { $pieces } części
   *[other] { $pieces } części
} w { $lots ->
    [one] { $lots } partii
    [few] { $lots } partiach
   *[other] { $lots } partiach
} · razem { $total }

# Powiadomienia pod tabelą zamówień.
ord-inbox-title = Powiadomienia
ord-inbox-load-error = Nie można wczytać powiadomień: { $error }
ord-inbox-failed = Nieudane
ord-inbox-retry-all = Ponów wszystkie
ord-col-event = Zdarzenie
ord-col-attempts = Próby
ord-col-error = Błąd
ord-col-next = Następna próba
ord-inbox-messages = Wiadomości i opinie
