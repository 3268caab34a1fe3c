# Der Katalogbereich des Fensters.

# Die Katalogseite (pages/catalog.rs).
cat-title = Katalog
cat-search-placeholder = Artikelnummer, z. B. 3001
cat-search-label = Artikelnummer
cat-colour-id = Farb-ID
cat-search-go = Nachschlagen
cat-search-help = Antworten kommen sofort aus dem Cache dieses Computers; ein Artikel, der noch nicht im Cache ist (oder älter als 30 Tage), wird von BrickLink geladen und erscheint von selbst.
cat-recent = Zuletzt nachgeschlagen
cat-loading = Wird geladen…
cat-recent-error = Die zuletzt nachgeschlagenen Artikel können nicht geladen werden: { $error }
cat-recent-empty = Noch nichts nachgeschlagen. Artikel, die Sie aus Bestellungen, Posten oder der Suche oben öffnen, werden hier aufgeführt.
cat-not-cached = (noch nicht im Cache)

# Die Artikeltypen von BrickLink (Englisch zeigt BrickLinks eigene Codes).

# Die Katalogleiste (components/catalog_drawer.rs).
cat-open-title = Im Katalog öffnen
cat-drawer-label = Katalogartikel
cat-close = Schließen
cat-close-title = Schließen (Esc)
cat-status-fresh = aktuell
cat-status-stale = veraltet
cat-status-refreshing = wird aktualisiert
cat-status-missing = fehlt
cat-refresh = Jetzt aktualisieren
cat-refresh-error = Aktualisieren nicht möglich: { $error }
cat-load-error = Der Katalog kann nicht gelesen werden: { $error }
cat-last-error = Letzte Aktualisierung fehlgeschlagen: { $error }
cat-fetching = Noch nicht im lokalen Cache: BrickDesk lädt den Artikel von BrickLink und zeigt ihn hier, sobald er da ist.
cat-reading = Lokaler Cache wird gelesen…
cat-image-unavailable = Bild nicht verfügbar
cat-no-image = Kein Bild
cat-fact-category = Kategorie
cat-fact-year = Jahr
cat-fact-weight = Gewicht
cat-fact-size = Maße
cat-colours = Farben
cat-no-colours = Noch keine Farben im Cache.
cat-price-guide = Preisführer
# Die Überschrift der Preistabelle: „Farbe Black (#11) · USD · abgerufen …“.
cat-prices-colour = Farbe { $colour }
cat-prices-legend = Verkauft: die letzten 6 Monate. Angebot: jetzt zum Verkauf.
cat-col-guide = Preisführer
cat-col-min = Min.
cat-col-avg = Ø
cat-col-max = Max.
cat-col-qty = Menge
cat-col-lots = Posten
cat-qty-avg-title = Mengengewichteter Durchschnitt { $price }
cat-prices-pick = Wählen Sie oben eine Farbe, um ihren Preisführer zu sehen.
cat-prices-none = Für diese Farbe ist noch kein Preisführer im Cache.

# Artikeldaten und die Wörter des Preisführers (format/catalog.rs).
cat-colour-unknown = unbekannt
cat-colour-unmapped = { $name } (nicht zugeordnet)
cat-search-no-item = Geben Sie eine Artikelnummer ein, z. B. 3001.
# $typed: was der Verkäufer eingegeben hat, in Anführungszeichen.
cat-search-bad-colour = Die Farb-ID muss eine Zahl sein, z. B. 5 (eingegeben: { $typed }).
cat-weight = { $grams } g
# Eine Zeile der Preistabelle: „Verkauft, neu“.
cat-guide-row = { $what }, { $condition }
cat-guide-sold = Verkauft
cat-guide-stock = Angebot
cat-guide-new = neu
cat-guide-used = gebraucht
# $time: Datum und Uhrzeit; $age: „vor 3 Tagen“.
cat-fetched-ago = abgerufen am { $time } ({ $age })
cat-fetched = abgerufen am { $time }
cat-not-fetched = noch nicht abgerufen
cat-type-label = Artikeltyp
