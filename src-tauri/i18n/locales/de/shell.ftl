# Die Shell: Benachrichtigungen des Systems und das Menü im Infobereich.

tray-open = BrickDesk öffnen
tray-poll = Jetzt abrufen
tray-quit = Beenden
tray-unread = { $count ->
    [0] Keine neuen Bestellungen
    [one] { $count } neue Bestellung
   *[other] { $count } neue Bestellungen
}
# Eine neue Bestellung: „Neue BrickLink-Bestellung #123“.
notify-new-order-title = Neue { $marketplace }-Bestellung #{ $id }
notify-new-order-body = { $buyer } — { $pieces ->
    [one] { $pieces } Teil
   *[other] { $pieces } Teile
}, { $total }
notify-new-orders-title = { $count } neue Bestellungen
