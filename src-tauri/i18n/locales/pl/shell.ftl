# Powłoka: powiadomienia systemowe i menu w zasobniku.

tray-open = Otwórz BrickDesk
tray-poll = Sprawdź teraz
tray-quit = Zakończ
tray-unread = { $count ->
    [0] Brak nowych zamówień
    [one] { $count } nowe zamówienie
    [few] { $count } nowe zamówienia
   *[other] { $count } nowych zamówień
}
notify-new-order-title = Nowe zamówienie { $marketplace } nr { $id }
notify-new-order-body = { $buyer } — { $pieces ->
    [one] { $pieces } sztuka
    [few] { $pieces } sztuki
   *[other] { $pieces } sztuk
}, { $total }
notify-new-orders-title = { $count ->
    [few] { $count } nowe zamówienia
   *[other] { $count } nowych zamówień
}
