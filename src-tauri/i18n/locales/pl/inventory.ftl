# The inventory area of the window.

# Strona magazynu: nagłówek, importy, filtry, komunikaty.
inv-title = Magazyn
inv-import = Importuj z { $market }
inv-import-title = Przenieś partie ze sklepu { $market } do BrickDesk (partie, które już masz, zostaną powiązane, a nie zdublowane)
inv-importing = Importowanie z { $market }
inv-import-progress-label = Postęp importu
inv-import-starting = Rozpoczynanie…
inv-import-failed = Nie można zaimportować z { $market }: { $error }
inv-drift-check-failed = Nie można sprawdzić BrickLink: { $error }
inv-drift-settle-failed = Nie można rozstrzygnąć partii #{ $lot }: { $error }
inv-add-failed = Nie można dodać partii: { $error }
inv-save-failed = Nie można zapisać: { $error }
inv-delete-failed = Nie można usunąć: { $error }
inv-retry-failed = Nie można ponowić: { $error }
inv-search-placeholder = Nr części lub nazwa…
inv-search-label = Numer części lub nazwa
inv-colour-placeholder = Kolor
inv-colour-label = Kolor
inv-condition-label = Stan
inv-condition-any = Nowe i używane
inv-condition-new = Nowe
inv-condition-used = Używane
inv-bin-placeholder = Lokalizacja (początek)
inv-bin-label = Lokalizacja (początek)
inv-filter-group = Pokaż partie
inv-retry-all = Ponów wszystkie nieudane ({ $count })
inv-page-error = Nie można wczytać partii: { $error }
inv-loading = Wczytywanie magazynu…
inv-load-error = Nie można wczytać magazynu: { $error }
inv-empty-title = Brak partii
inv-empty-hint = Dodaj partię formularzem powyżej albo zaimportuj podłączony sklep jego przyciskiem Importuj.

# Tabela partii.
inv-sort-title = Sortuj (kliknij ponownie: w odwrotnej kolejności)
inv-col-location = Lokalizacja
inv-col-item = Część
inv-col-colour = Kolor
inv-col-condition = Stan
inv-col-quantity = Ilość
inv-col-reserved = Zarezerw.
inv-col-available = Dostępne
inv-col-price = Cena
inv-col-actions = Akcje
inv-row-title = Kliknij, aby zobaczyć szczegóły synchronizacji
inv-edit-location = Lokalizacja
inv-edit-quantity = Ilość
inv-edit-price = Cena
inv-retry-lot = Ponów
inv-retry-lot-title = Wyślij tę partię do sklepu ponownie
inv-edit = Edytuj
inv-delete = Usuń
inv-delete-confirm = Na pewno usunąć?
inv-delete-keep = Zostaw
inv-save = Zapisz
inv-cancel = Anuluj
inv-description = Opis

# Znacznik partii w każdym sklepie: tekst i podpowiedź.
inv-chip-not-listed = niewystawiona
inv-chip-not-listed-title = Niewystawiona na { $market }: BrickDesk synchronizuje sklep, gdy zaimportujesz jego partie
inv-chip-synced = ✓ zgodna
inv-chip-synced-as = Na { $market } jako partia { $remote }
inv-chip-synced-title = Na { $market }
inv-chip-pending = oczekuje
inv-chip-pending-retry = Wkrótce zostanie ponownie wysłana do { $market }; ostatnia próba nie powiodła się ({ $error })
inv-chip-pending-title = Czeka na wysłanie do { $market } (kilka sekund po zmianie)
inv-chip-failed = błąd
inv-chip-failed-error = { $market }: { $error }
inv-chip-failed-title = { $market } nie przyjął tej partii
inv-chip-other-title = { $market }: { $status }
inv-chip-allegro-synced = Allegro ✓
inv-chip-allegro = Allegro { $status }
inv-chip-allegro-offer = Stan magazynowy przekazany do oferty Allegro { $offer }

# Filtry synchronizacji i komunikat pustej tabeli.
inv-filter-all = Wszystkie
inv-filter-pending = Oczekujące
inv-filter-failed = Nieudane
inv-filter-drift = Rozbieżności
inv-filter-count = { $filter } ({ $count })
inv-empty-all = Żadna partia nie pasuje do tych filtrów.
inv-empty-pending = Nic nie czeka: każda partia jest tam, gdzie powinna.
inv-empty-failed = Brak nieudanych wysyłek.
inv-empty-drift = Przy ostatnim sprawdzeniu żadna partia nie różniła się od BrickLink.
inv-filter-colour-invalid = Kolor: wybierz go z listy albo wpisz jego numer, np. 11 (wpisano { $typed }).

# Komunikat formularza po dodaniu partii: które sklepy ją dostaną.
inv-added = Dodano partię #{ $lot } ({ $type } { $item }).
inv-added-one = Dodano partię #{ $lot } ({ $type } { $item }); { $markets } otrzyma ją w ciągu kilku sekund.
inv-added-many = Dodano partię #{ $lot } ({ $type } { $item }); { $markets } otrzymają ją w ciągu kilku sekund.

# Importy: postęp i podsumowanie.
inv-import-reading = Odczytywanie sklepu { $market }…
# "z 1 partii" i "z 5 partii": ta sama forma.
inv-import-progress = { $done } z { $total } partii
inv-import-report = Zaimportowano z { $market }: nowe: { $new }, powiązane z Twoimi partiami: { $linked }{ $conflicting ->
        [0] {""}
       *[other] {" "}(w tym z inną ilością lub ceną: { $conflicting }, zostawiono Twoje)
    }, już powiązane: { $unchanged }.
