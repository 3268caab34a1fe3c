# The lots area of the window: adding a lot, files in and out, the drift panel.

# Formularz dodawania partii (components/lot_add_form.rs).
lots-add-item-no = Nr katalogowy
lots-add-type = Typ
lots-add-colour = Kolor
lots-add-colour-placeholder = Red lub 5
lots-add-colour-title = Kolor po nazwie albo jego ID w BrickLink
lots-add-condition = Stan
lots-add-condition-new = Nowy
lots-add-condition-used = Używany
lots-add-quantity = Ilość
lots-add-price = Cena
lots-add-price-in = Cena ({ $currency })
lots-add-price-placeholder = 0,12
lots-add-location = Lokalizacja
lots-add-description = Opis
lots-add-description-placeholder = opcjonalnie
lots-add-submit = Dodaj partię

# Co poprawić w formularzu i w edycji w tabeli (format/lot_form.rs).
lots-form-need-item-no = Podaj nr katalogowy, np. 3001.
lots-form-need-colour = Podaj ID koloru (0, gdy część nie ma koloru).
lots-form-bad-colour = ID koloru musi być liczbą, np. 5 (wpisano { $got }).
lots-form-bad-condition = Stan musi być nowy (N) albo używany (U).
lots-form-bad-quantity = Ilość musi być liczbą całkowitą, 0 lub więcej (wpisano { $got }).
lots-form-bad-price = Cena musi być kwotą, np. 0,12 (wpisano { $got }).

# Pliki: pasek nad magazynem (components/files.rs).
lots-file-import-open = Importuj plik…
lots-file-export = Eksportuj
lots-file-export-bsx = BrickStore (.bsx)
lots-file-export-bricklink-xml = BrickLink XML
lots-file-export-csv = CSV
lots-file-saved = Zapisano w { $path }
lots-file-export-failed = Nie można wyeksportować: { $error }
lots-file-publish-title = Na { $market } nie ma jeszcze tych partii: wystaw je tam
lots-file-publish = { $count ->
    [one] Wystaw { $count } partię na { $market }
    [few] Wystaw { $count } partie na { $market }
   *[other] Wystaw { $count } partii na { $market }
}
lots-file-publishing = Wystawianie na { $market }…
lots-file-publish-run = Wystawianie na { $market }
lots-file-listed = { $count ->
    [one] Wystawiono { $count } partię na { $market }
    [few] Wystawiono { $count } partie na { $market }
   *[other] Wystawiono { $count } partii na { $market }
}
lots-file-listed-refused = { $count ->
    [one] Wystawiono { $count } partię na { $market }
    [few] Wystawiono { $count } partie na { $market }
   *[other] Wystawiono { $count } partii na { $market }
}; odrzucone ({ $refused }): { $list }
lots-file-refused-lot = partia #{ $id } ({ $error })
lots-file-publish-failed = Nie można wystawić na { $market }: { $error }

# Import pliku (components/files.rs).
lots-file-import-title = Import pliku
lots-file-close = Zamknij
lots-file-import-intro = BrickStore (.bsx), BrickLink XML (.xml) albo CSV z arkusza kalkulacyjnego. Nic nie zostanie zapisane, dopóki nie potwierdzisz.
lots-file-choose = Plik do importu
lots-file-unreadable = Nie udało się odczytać pliku.
lots-file-already-imported = Ten plik zaimportowano { $at }: ponowny import niczego nie doda.
lots-file-summary-preview = Import utworzy { $new ->
    [one] { $new } nową partię
    [few] { $new } nowe partie
   *[other] { $new } nowych partii
}, uzupełni { $added ->
    [one] { $added } partię
    [few] { $added } partie
   *[other] { $added } partii
}; { $refused ->
    [one] { $refused } wiersz odrzucony
    [few] { $refused } wiersze odrzucone
   *[other] { $refused } wierszy odrzuconych
}.
lots-file-summary-done = Zaimportowano: { $new ->
    [one] { $new } nowa partia
    [few] { $new } nowe partie
   *[other] { $new } nowych partii
}, uzupełniono { $added ->
    [one] { $added } partię
    [few] { $added } partie
   *[other] { $added } partii
}; { $refused ->
    [one] { $refused } wiersz odrzucony
    [few] { $refused } wiersze odrzucone
   *[other] { $refused } wierszy odrzuconych
}.
lots-file-columns-caption = Co zawiera każda kolumna
lots-file-column-field = Co zawiera kolumna { $column }
lots-file-field-item-no = Nr katalogowy
lots-file-field-item-type = Typ
lots-file-field-colour = Kolor
lots-file-field-condition = Stan
lots-file-field-quantity = Ilość
lots-file-field-price = Cena
lots-file-field-location = Lokalizacja
lots-file-field-description = Opis
lots-file-field-currency = Waluta
lots-file-field-ignore = (pomiń)
lots-file-refused-caption = Wiersze niezaimportowane
lots-file-col-row = Wiersz
lots-file-col-why = Powód
lots-file-dropped = BrickDesk nie przechowuje: { $list }
lots-file-dropped-field = { $field } ({ $count ->
    [one] { $count } wiersz
    [few] { $count } wiersze
   *[other] { $count } wierszy
})
lots-file-reading = Wczytywanie…
lots-file-import-lots = { $count ->
    [one] Importuj { $count } partię
    [few] Importuj { $count } partie
   *[other] Importuj { $count } partii
}
lots-file-import = Importuj

# Panel rozbieżności (components/drift_panel.rs).
lots-drift-title = Zmiany wprowadzone w sklepach
lots-drift-not-checked = nie sprawdzono
lots-drift-check-title = Odczytuje raz każdy synchronizowany sklep i pokazuje, czym różni się od BrickDesk; niczego nie zmienia
lots-drift-checking = Sprawdzanie sklepów…
lots-drift-check = Sprawdź zmiany w sklepach
lots-drift-caption = Wartości BrickDesk (ostatnio wysłane do sklepu albo dostępne na sprzedaż) → co sklep ma teraz
lots-drift-col-lot = Partia
lots-drift-col-for-sale = Na sprzedaż
lots-drift-col-price = Cena
lots-drift-keep = Zachowaj wartości BrickDesk
lots-drift-keep-title = Wyślij ilość i cenę z BrickDesk na { $market }
lots-drift-take = Przyjmij wartości z { $market }
lots-drift-take-title = Ustaw w tej partii ilość i cenę z { $market }

# Jak czytają się rozbieżności (format/drift.rs).
lots-drift-never-checked = Jeszcze nie sprawdzono
lots-drift-last-checked-ago = Ostatnio sprawdzono { $time } ({ $age })
lots-drift-last-checked = Ostatnio sprawdzono { $time }
lots-drift-summary = { $count ->
    [0] Brak rozbieżności
    [one] { $count } rozbieżność
    [few] { $count } rozbieżności
   *[other] { $count } rozbieżności
}
lots-drift-what-lot = { $market } · partia #{ $id } · { $item } · { $colour }
lots-drift-what = { $market } · { $item } · { $colour }
lots-drift-only-remote = Tylko na { $market } (partia { $remote }): BrickDesk jej nie ma. Zaimportuj sklep { $market }, aby ją przejąć, albo usuń ją na { $market }.
lots-drift-missing-remote-lot = Już nie ma jej na { $market } (była to partia { $remote }). Jeśli zniknęła celowo, usuń tutaj partię #{ $id }.
lots-drift-missing-remote = Już nie ma jej na { $market } (była to partia { $remote }).
lots-drift-other = { $market }: { $kind }
