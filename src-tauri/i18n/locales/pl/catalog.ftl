# Katalog w oknie.

# Strona Katalog (pages/catalog.rs).
cat-title = Katalog
cat-search-placeholder = Numer części, np. 3001
cat-search-label = Numer części
cat-colour-id = ID koloru
cat-search-go = Wyszukaj
cat-search-help = Odpowiedzi przychodzą od razu z pamięci podręcznej tego komputera; część, której jeszcze w niej nie ma (albo starsza niż 30 dni), zostanie pobrana z BrickLinka i pojawi się sama.
cat-recent = Ostatnio sprawdzane
cat-loading = Wczytywanie…
cat-recent-error = Nie można wczytać ostatnio sprawdzanych: { $error }
cat-recent-empty = Nic jeszcze nie sprawdzano. Tutaj pojawią się części otwierane z zamówień, partii lub z wyszukiwarki powyżej.
cat-not-cached = (jeszcze niepobrane)

# Typy przedmiotów BrickLinka.

# Panel katalogu (components/catalog_drawer.rs).
cat-open-title = Otwórz w katalogu
cat-drawer-label = Pozycja katalogu
cat-close = Zamknij
cat-close-title = Zamknij (Esc)
cat-status-fresh = aktualne
cat-status-stale = nieaktualne
cat-status-refreshing = odświeżanie
cat-status-missing = brak
cat-refresh = Odśwież teraz
cat-refresh-error = Nie można odświeżyć: { $error }
cat-load-error = Nie można odczytać katalogu: { $error }
cat-last-error = Ostatnie odświeżenie nieudane: { $error }
cat-fetching = Jeszcze nie ma tego w lokalnej pamięci podręcznej: BrickDesk pobiera to z BrickLinka i pokaże tutaj, gdy dotrze.
cat-reading = Odczyt lokalnej pamięci podręcznej…
cat-image-unavailable = Zdjęcie niedostępne
cat-no-image = Brak zdjęcia
cat-fact-category = Kategoria
cat-fact-year = Rok
cat-fact-weight = Waga
cat-fact-size = Wymiary
cat-colours = Kolory
cat-no-colours = Brak jeszcze zapisanych kolorów.
cat-price-guide = Przewodnik cen
cat-prices-colour = Kolor { $colour }
cat-prices-legend = Sprzedane: ostatnie 6 miesięcy. Na sprzedaż: oferty dostępne teraz.
cat-col-guide = Rodzaj
cat-col-min = Min.
cat-col-avg = Śr.
cat-col-max = Maks.
cat-col-qty = Ilość
cat-col-lots = Partie
cat-qty-avg-title = Średnia ważona ilością { $price }
cat-prices-pick = Wybierz kolor powyżej, aby zobaczyć jego przewodnik cen.
cat-prices-none = Brak jeszcze zapisanego przewodnika cen dla tego koloru.

# Dane części i słowa przewodnika cen (format/catalog.rs).
cat-colour-unknown = nieznany
cat-colour-unmapped = { $name } (nieprzypisany)
cat-search-no-item = Wpisz numer części, np. 3001.
cat-search-bad-colour = ID koloru musi być liczbą, np. 5 (wpisano { $typed }).
cat-weight = { $grams } g
cat-guide-row = { $what }, { $condition }
cat-guide-sold = Sprzedane
cat-guide-stock = Na sprzedaż
cat-guide-new = nowe
cat-guide-used = używane
cat-fetched-ago = pobrano { $time } ({ $age })
cat-fetched = pobrano { $time }
cat-not-fetched = jeszcze nie pobrano
cat-type-label = Typ
