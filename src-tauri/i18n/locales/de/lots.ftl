# Der Postenbereich des Fensters: einen Posten hinzufügen, Dateien hinein und hinaus, die Abweichungen.

# Das Formular zum Hinzufügen (components/lot_add_form.rs).
lots-add-item-no = Art.-Nr.
lots-add-type = Typ
lots-add-colour = Farbe
lots-add-colour-placeholder = Red oder 5
lots-add-colour-title = Eine Farbe nach Namen oder ihre BrickLink-ID
lots-add-condition = Zustand
lots-add-condition-new = Neu
lots-add-condition-used = Gebraucht
lots-add-quantity = Menge
lots-add-price = Preis
# $currency: ein Währungscode (EUR, PLN).
lots-add-price-in = Preis ({ $currency })
lots-add-price-placeholder = 0,12
lots-add-location = Lagerort
lots-add-description = Beschreibung
lots-add-description-placeholder = optional
lots-add-submit = Posten hinzufügen

# Was im Formular und in der Bearbeitung in der Tabelle zu korrigieren ist (format/lot_form.rs).
# $got ist der eingegebene Text, in doppelten Anführungszeichen.
lots-form-need-item-no = Die Art.-Nr. fehlt, z. B. 3001.
lots-form-need-colour = Die Farb-ID fehlt (0, wenn der Artikel keine Farbe hat).
lots-form-bad-colour = Die Farb-ID muss eine Zahl sein, z. B. 5 (eingegeben: { $got }).
lots-form-bad-condition = Der Zustand muss neu (N) oder gebraucht (U) sein.
lots-form-bad-quantity = Die Menge muss eine ganze Zahl sein, 0 oder mehr (eingegeben: { $got }).
lots-form-bad-price = Der Preis muss ein Betrag wie 0,12 sein (eingegeben: { $got }).

# Dateien hinein und hinaus: die Werkzeugleiste über dem Inventar (components/files.rs).
lots-file-import-open = Datei importieren…
lots-file-export = Exportieren
lots-file-export-bsx = BrickStore (.bsx)
lots-file-export-bricklink-xml = BrickLink XML
lots-file-export-csv = CSV
lots-file-saved = Gespeichert unter { $path }
lots-file-export-failed = Export nicht möglich: { $error }
# Die Posten einstellen, die einem neu verknüpften Shop fehlen; $market: BrickLink, BrickOwl, Allegro.
lots-file-publish-title = { $market } hat diese Posten noch nicht: dort einstellen
lots-file-publish = { $count ->
    [one] { $count } Posten
   *[other] { $count } Posten
} bei { $market } einstellen
lots-file-publishing = Wird bei { $market } eingestellt…
lots-file-publish-run = Einstellen bei { $market }
lots-file-listed = { $count ->
    [one] { $count } Posten
   *[other] { $count } Posten
} bei { $market } eingestellt
# $list: die abgelehnten Posten, je ein lots-file-refused-lot, durch Kommas getrennt.
lots-file-listed-refused = { $count ->
    [one] { $count } Posten
   *[other] { $count } Posten
} bei { $market } eingestellt; { $refused } abgelehnt: { $list }
# $error: die eigenen Worte des Shops.
lots-file-refused-lot = Posten #{ $id } ({ $error })
lots-file-publish-failed = Einstellen bei { $market } nicht möglich: { $error }

# Eine Datei importieren (components/files.rs).
lots-file-import-title = Datei importieren
lots-file-close = Schließen
lots-file-import-intro = BrickStore (.bsx), BrickLink XML (.xml) oder CSV aus einer Tabellenkalkulation. Nichts wird geschrieben, bevor Sie bestätigen.
lots-file-choose = Zu importierende Datei
lots-file-unreadable = Die Datei konnte nicht gelesen werden.
# $at: wann sie importiert wurde.
lots-file-already-imported = Diese Datei wurde am { $at } importiert: Ein erneuter Import fügt nichts hinzu.
lots-file-summary-preview = Der Import erzeugt { $new ->
    [one] { $new } neuen Posten
   *[other] { $new } neue Posten
}, ergänzt { $added ->
    [one] { $added } Posten
   *[other] { $added } Posten
}; { $refused ->
    [one] { $refused } Zeile abgelehnt
   *[other] { $refused } Zeilen abgelehnt
}.
lots-file-summary-done = Importiert: { $new ->
    [one] { $new } neuer Posten
   *[other] { $new } neue Posten
}, { $added ->
    [one] { $added } Posten ergänzt
   *[other] { $added } Posten ergänzt
}; { $refused ->
    [one] { $refused } Zeile abgelehnt
   *[other] { $refused } Zeilen abgelehnt
}.
lots-file-columns-caption = Was jede Spalte enthält
# Die Auswahl einer CSV-Spalte; $column: die Überschrift der Spalte in der Datei.
lots-file-column-field = Was die Spalte { $column } enthält
lots-file-field-item-no = Artikelnummer
lots-file-field-item-type = Artikeltyp
lots-file-field-colour = Farbe
lots-file-field-condition = Zustand
lots-file-field-quantity = Menge
lots-file-field-price = Preis
lots-file-field-location = Lagerort
lots-file-field-description = Beschreibung
lots-file-field-currency = Währung
lots-file-field-ignore = (nicht gelesen)
lots-file-refused-caption = Nicht importierte Zeilen
lots-file-col-row = Zeile
lots-file-col-why = Grund
# $list: lots-file-dropped-field für jedes Feld, durch Kommas getrennt.
lots-file-dropped = Von BrickDesk nicht übernommen: { $list }
# $field: der Name der Engine für das, was die Datei enthielt (Staffelpreise, Stockroom…).
lots-file-dropped-field = { $field } ({ $count ->
    [one] { $count } Zeile
   *[other] { $count } Zeilen
})
lots-file-reading = Wird gelesen…
lots-file-import-lots = { $count ->
    [one] { $count } Posten
   *[other] { $count } Posten
} importieren
lots-file-import = Importieren

# Die Abweichungen (components/drift_panel.rs).
lots-drift-title = Änderungen in den Shops
lots-drift-not-checked = nicht geprüft
lots-drift-check-title = Liest jeden abgeglichenen Shop einmal und listet auf, was von BrickDesk abweicht; ändert nichts
lots-drift-checking = Shops werden geprüft…
lots-drift-check = Shops auf Änderungen prüfen
lots-drift-caption = Stand in BrickDesk (was es dort zuletzt hinterlassen hat oder zum Verkauf hat) → was der Shop jetzt hat
lots-drift-col-lot = Posten
lots-drift-col-for-sale = Zum Verkauf
lots-drift-col-price = Preis
lots-drift-keep = Werte von BrickDesk behalten
lots-drift-keep-title = Menge und Preis aus BrickDesk an { $market } senden
lots-drift-take = Werte von { $market } übernehmen
lots-drift-take-title = Diesen Posten auf Menge und Preis von { $market } setzen

# Wie Abweichungen lauten (format/drift.rs).
lots-drift-never-checked = Nie geprüft
# $time: Datum und Uhrzeit; $age: wie lange her (vor 12 Min.).
lots-drift-last-checked-ago = Zuletzt geprüft am { $time } ({ $age })
lots-drift-last-checked = Zuletzt geprüft am { $time }
lots-drift-summary = { $count ->
    [0] Keine Abweichungen
    [one] { $count } Abweichung
   *[other] { $count } Abweichungen
}
# BrickLink · Posten #2 · 3003 · Black (#11)
lots-drift-what-lot = { $market } · Posten #{ $id } · { $item } · { $colour }
lots-drift-what = { $market } · { $item } · { $colour }
# $remote: die Posten-ID des Shops.
lots-drift-only-remote = Nur bei { $market } (Posten { $remote }): BrickDesk hat ihn nicht. Importieren Sie den { $market }-Shop, um ihn zu übernehmen, oder löschen Sie ihn bei { $market }.
lots-drift-missing-remote-lot = Nicht mehr bei { $market } (war Posten { $remote }). Wenn er absichtlich entfernt wurde, löschen Sie Posten #{ $id } hier.
lots-drift-missing-remote = Nicht mehr bei { $market } (war Posten { $remote }).
# Eine Art von Abweichung, die dieses Fenster noch nicht kennt.
lots-drift-other = { $market }: { $kind }
