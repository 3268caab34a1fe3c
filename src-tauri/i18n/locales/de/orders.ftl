# Der Bestellbereich des Fensters.

# Der Status einer Bestellung, für jeden Shop gleich (format/orders.rs).
ord-status-new = Neu
ord-status-paid = Bezahlt
ord-status-packed = Verpackt
ord-status-shipped = Versendet
ord-status-completed = Abgeschlossen
ord-status-cancelled = Storniert

# Wörter der Bestellungen (format/orders.rs): Filter, Benachrichtigungen, Picken, Markierungen.
# $field ist ord-filter-from oder ord-filter-to; $got ist die Eingabe, in Anführungszeichen.
ord-filter-bad-day = { $field }: Geben Sie einen Tag wie 2026-11-23 ein (eingegeben: { $got }).
ord-inbox-kind-message = Nachricht
ord-inbox-kind-feedback = Bewertung
ord-inbox-kind-order = Bestellung
ord-pick-not-picked = Nicht gepickt
ord-pick-picked = Gepickt
ord-pick-missing = Fehlt
# Ob der Shop von der Änderung des Verkäufers erfahren hat.
ord-remote-synced = { $market } hat die Änderung übernommen
ord-remote-failed = { $market } hat die Änderung abgelehnt: { $error }
ord-remote-no-reason = kein Grund angegeben
ord-remote-retrying = Wird bald erneut an { $market } gesendet ({ $error })
ord-remote-sending = Wird an { $market } gesendet…
ord-mark-paid = Als bezahlt markieren
ord-mark-packed = Als verpackt markieren
ord-mark-shipped = Als versendet markieren…

# Die Bestellseite: Filter, die Auswahlleiste, die Seitenbereiche.
ord-title = Bestellungen
ord-filter-buyer = Käufer beginnt mit…
ord-filter-buyer-label = Käufer
ord-filter-market = Shop
ord-filter-all-markets = Alle Shops
ord-filter-fulfilment = Status
ord-filter-fulfilment-title = Derselbe Status für jeden Shop
ord-filter-every-status = Alle Status
ord-filter-status = Status
ord-filter-status-label = Status im Shop
ord-filter-status-title = Der Status des Shops, genau wie dort (PAID, Shipped…)
ord-filter-from = Von
ord-filter-to = Bis
ord-select-paid = Alle bezahlten auswählen
ord-select-paid-title = Jede bezahlte Bestellung anhaken
ord-selected-count = { $count } ausgewählt
ord-pick-list = Pickliste
ord-packing-slips = Lieferscheine
ord-clear = Aufheben
# Eine Bestellung, die BrickDesk nicht als verpackt markieren konnte; $id ist ihre Nummer in BrickDesk.
ord-bar-refused = Bestellung { $id }: { $error }
ord-load-error = Bestellungen können nicht geladen werden: { $error }
ord-loading = Bestellungen werden geladen…
ord-empty-title = Noch keine Bestellungen
ord-empty-hint = Neue Bestellungen aus Ihren verbundenen Shops erscheinen hier von selbst.
ord-filter-empty = Keine Bestellung passt zu diesen Filtern.
ord-ship-title = Die ausgewählten Bestellungen versenden
ord-close = Schließen
ord-inbox-cannot-retry = Erneuter Versuch nicht möglich: { $error }

# Die Bestellungstabelle.
ord-col-market = Shop
ord-col-order = Bestellung
ord-col-date = Datum
ord-col-buyer = Käufer
ord-col-items = Teile
ord-col-total = Summe
ord-col-status = Status
ord-col-picked = Gepickt
ord-col-select = Auswahl
ord-col-select-title = Für die Pickliste, das Markieren und die Lieferscheine auswählen
ord-sort-title = Sortieren (erneut klicken: andersherum)
ord-badge-new = Neu
# Der eigene Status des Shops: „BrickLink meldet PAID“.
ord-market-says = { $market } meldet { $status }

# Die Bestellansicht: ihre Positionen und das Picken.
ord-delivery = Versand:
# $progress ist „1/4“.
ord-picked-progress = { $progress } gepickt
ord-pick-all = Alle als gepickt markieren
ord-pick-error = Die Positionen können nicht markiert werden: { $error }
ord-col-location = Lagerort
ord-col-item = Artikel
ord-col-colour = Farbe
ord-col-condition = Zust.
ord-col-qty = Menge
ord-col-price = Preis
ord-col-lot = Posten
ord-col-pick = Picken
ord-not-in-stock = nicht auf Lager
ord-found = Gefunden
ord-mark-missing = Fehlt

# Die Abwicklung einer Bestellung und das Versandformular.
ord-own-status-title = Der eigene Status des Shops
ord-tracking = Sendungsnummer:
ord-carrier = Versanddienstleister: { $carrier }
ord-retry = Erneut versuchen
ord-ships-by = Versand mit { $method }
ord-ship-mark = Als versendet markieren
ord-carriers-error = Versanddienstleister von Allegro: { $error }
ord-col-tracking = Sendungsnummer (optional)
ord-col-carrier = Versanddienstleister
# $order ist „BrickLink #21457893“.
ord-ship-tracking-label = Sendungsnummer für { $order }
ord-ship-carrier-label = Versanddienstleister für { $order }
ord-carrier-choose = Versanddienstleister…
ord-carrier-name = Name des Versanddienstleisters
ord-ship-marking = Wird markiert…
ord-cancel = Abbrechen

# Die Pickliste über mehrere Bestellungen.
ord-pick-list-title = Pickliste · { $count ->
    [one] { $count } Bestellung
   *[other] { $count } Bestellungen
}
ord-pick-list-progress = { $done } von { $lines } Positionen gepickt
ord-pick-list-error = Die Pickliste kann nicht erstellt werden: { $error }
ord-short-error = Die Fehlmenge kann nicht vermerkt werden: { $error }
ord-col-bin = Lagerort
ord-col-orders = Bestellungen
ord-pick-line-picked = Gepickt
ord-pick-line-pick = Picken
ord-pick-short = Fehlt
ord-pick-short-title = Nicht im Regal: die Bestellungen zeigen die Fehlmenge
ord-pick-lower = Fehlt, Posten verringern
ord-pick-lower-title = Fehlt, und die Teile sind weg: den Posten um sie verringern (jeder Shop zieht nach)

# Lieferscheine (gedruckt, den Käufern beigelegt).
ord-slips-title = Lieferscheine · { $count }
ord-print = Drucken
ord-slip-title = { $market }-Bestellung #{ $number }
ord-slip-totals = { $pieces ->
    [one] { $pieces } Teil
   *[other] { $pieces } Teile
} in { $lots ->
    [one] { $lots } Posten
   *[other] { $lots } Posten
} · Summe { $total }

# Benachrichtigungen unter der Bestellungstabelle.
ord-inbox-title = Benachrichtigungen
ord-inbox-load-error = Benachrichtigungen können nicht geladen werden: { $error }
ord-inbox-failed = Fehlgeschlagen
ord-inbox-retry-all = Alle erneut versuchen
ord-col-event = Ereignis
ord-col-attempts = Versuche
ord-col-error = Fehler
ord-col-next = Nächster
ord-inbox-messages = Nachrichten und Bewertungen
