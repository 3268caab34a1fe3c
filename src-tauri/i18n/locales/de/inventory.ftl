# Der Inventarbereich des Fensters.

# Die Inventarseite: Überschrift, Importe, Filter, Hinweise (pages/inventory.rs).
inv-title = Inventar
inv-import = Von { $market } importieren
inv-import-title = Die Posten Ihres { $market }-Shops in BrickDesk übernehmen (Posten, die Sie schon haben, werden verknüpft, nicht verdoppelt)
inv-importing = Import von { $market }
inv-import-progress-label = Importfortschritt
inv-import-starting = Wird gestartet…
inv-import-failed = Import von { $market } nicht möglich: { $error }
inv-drift-check-failed = BrickLink kann nicht geprüft werden: { $error }
# $lot: die Nummer des Postens (eine ID, nie gruppiert).
inv-drift-settle-failed = Posten #{ $lot } kann nicht abgeglichen werden: { $error }
inv-add-failed = Der Posten kann nicht hinzugefügt werden: { $error }
inv-save-failed = Speichern nicht möglich: { $error }
inv-delete-failed = Löschen nicht möglich: { $error }
inv-retry-failed = Erneuter Versuch nicht möglich: { $error }
inv-search-placeholder = Art.-Nr. oder Name…
inv-search-label = Artikelnummer oder Name
inv-colour-placeholder = Farbe
inv-colour-label = Farbe
inv-condition-label = Zustand
inv-condition-any = Neu und gebraucht
inv-condition-new = Neu
inv-condition-used = Gebraucht
inv-bin-placeholder = Lagerort (Anfang)
inv-bin-label = Lagerort (Anfang)
inv-filter-group = Posten anzeigen
inv-retry-all = Alle fehlgeschlagenen erneut versuchen ({ $count })
inv-page-error = Posten können nicht geladen werden: { $error }
inv-loading = Inventar wird geladen…
inv-load-error = Inventar kann nicht geladen werden: { $error }
inv-empty-title = Noch keine Posten
inv-empty-hint = Fügen Sie mit dem Formular oben einen Posten hinzu oder importieren Sie einen verbundenen Shop über seine Import-Schaltfläche.

# Die Postentabelle (components/inventory_table.rs).
inv-sort-title = Sortieren (erneut klicken: andersherum)
inv-col-location = Lagerort
inv-col-item = Artikel
inv-col-colour = Farbe
inv-col-condition = Zust.
inv-col-quantity = Menge
inv-col-reserved = Reserviert
inv-col-available = Verfügbar
inv-col-price = Preis
inv-col-actions = Aktionen
inv-row-title = Klicken für Details zum Abgleich
inv-edit-location = Lagerort
inv-edit-quantity = Menge
inv-edit-price = Preis
inv-retry-lot = Erneut versuchen
inv-retry-lot-title = Diesen Posten erneut an den Shop senden
inv-edit = Bearbeiten
inv-delete = Löschen
inv-delete-confirm = Wirklich löschen?
inv-delete-keep = Behalten
inv-save = Speichern
inv-cancel = Abbrechen
inv-description = Beschreibung

# Die Marke eines Postens für jeden Shop (format/inventory.rs): ihr Text und ihr Tooltip.
inv-chip-not-listed = nicht gelistet
inv-chip-not-listed-title = Nicht bei { $market } gelistet: BrickDesk gleicht einen Shop ab, sobald sein Bestand importiert ist
inv-chip-synced = ✓ abgeglichen
# $remote: die eigene Postennummer des Shops.
inv-chip-synced-as = Bei { $market } als Posten { $remote }
inv-chip-synced-title = Bei { $market }
inv-chip-pending = ausstehend
inv-chip-pending-retry = Wird in Kürze erneut an { $market } gesendet; der letzte Versuch ist fehlgeschlagen ({ $error })
inv-chip-pending-title = Wartet auf die Übertragung an { $market } (wenige Sekunden nach einer Änderung)
inv-chip-failed = fehlgeschlagen
inv-chip-failed-error = { $market }: { $error }
inv-chip-failed-title = { $market } hat diesen Posten nicht angenommen
# $status: ein Statuswort der Engine, das das Fenster nicht kennt.
inv-chip-other-title = { $market }: { $status }
inv-chip-allegro-synced = Allegro ✓
# $status: der Text der Marke (inv-chip-pending, inv-chip-failed…).
inv-chip-allegro = Allegro { $status }
inv-chip-allegro-offer = Bestand an das Allegro-Angebot { $offer } übertragen

# Die Abgleich-Filter und was die Tabelle sagt, wenn ein Filter keinen Posten übrig lässt.
inv-filter-all = Alle
inv-filter-pending = Ausstehend
inv-filter-failed = Fehlgeschlagen
inv-filter-drift = Abweichungen
# $filter: einer der vier oben.
inv-filter-count = { $filter } ({ $count })
inv-empty-all = Kein Posten passt zu diesen Filtern.
inv-empty-pending = Nichts wartet: Jeder Posten ist da, wo er sein soll.
inv-empty-failed = Keine fehlgeschlagenen Übertragungen.
inv-empty-drift = Bei der letzten Prüfung wich kein Posten von BrickLink ab.
# $typed: was der Verkäufer eingegeben hat, in Anführungszeichen.
inv-filter-colour-invalid = Farbe: Wählen Sie eine aus der Liste oder geben Sie ihre ID ein, z. B. 11 (eingegeben: { $typed }).

# Der Hinweis des Formulars, sobald die Engine einen Posten übernommen hat: welche Shops ihn bekommen.
inv-added = Posten #{ $lot } hinzugefügt ({ $type } { $item }).
inv-added-one = Posten #{ $lot } hinzugefügt ({ $type } { $item }); { $markets } erhält ihn innerhalb von Sekunden.
inv-added-many = Posten #{ $lot } hinzugefügt ({ $type } { $item }); { $markets } erhalten ihn innerhalb von Sekunden.
# Shopnamen, verbunden für inv-added-many: „BrickLink und BrickOwl“.

# Importe: Fortschritt und Bericht.
inv-import-reading = Der { $market }-Shop wird gelesen…
inv-import-progress = { $done } von { $total } Posten
inv-import-report = Von { $market } importiert: { $new } neu, { $linked } mit vorhandenen Posten verknüpft{ $conflicting ->
        [0] {""}
       *[other] {" "}({ $conflicting } mit anderer Menge oder anderem Preis: Ihre Werte behalten)
    }, { $unchanged } bereits verknüpft.
