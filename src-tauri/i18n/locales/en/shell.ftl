# The shell: OS notifications and the tray menu.

tray-open = Open BrickDesk
tray-poll = Poll now
tray-quit = Quit
tray-unread = { $count ->
    [0] No new orders
    [one] { $count } new order
   *[other] { $count } new orders
}
# One new order: "New BrickLink order #123".
notify-new-order-title = New { $marketplace } order #{ $id }
notify-new-order-body = { $buyer } — { $pieces ->
    [one] { $pieces } item
   *[other] { $pieces } items
}, { $total }
notify-new-orders-title = { $count } new orders
