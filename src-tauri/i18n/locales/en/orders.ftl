# The orders area of the window.

# An order's status, the same for every marketplace (format/orders.rs).
ord-status-new = New
ord-status-paid = Paid
ord-status-packed = Packed
ord-status-shipped = Shipped
ord-status-completed = Completed
ord-status-cancelled = Cancelled

# Orders' words (format/orders.rs): filters, notifications, picking, marks.
# $field is ord-filter-from or ord-filter-to; $got is what was typed, in quotes.
ord-filter-bad-day = { $field }: type a day like 2026-11-23 (got { $got }).
ord-inbox-kind-message = Message
ord-inbox-kind-feedback = Feedback
ord-inbox-kind-order = Order
ord-pick-not-picked = Not picked
ord-pick-picked = Picked
ord-pick-missing = Missing
# Whether the marketplace heard of the seller's change.
ord-remote-synced = { $market } has it
ord-remote-failed = { $market } refused it: { $error }
ord-remote-no-reason = no reason given
ord-remote-retrying = Sending to { $market } again soon ({ $error })
ord-remote-sending = Sending to { $market }…
ord-mark-paid = Mark paid
ord-mark-packed = Mark packed
ord-mark-shipped = Mark shipped…

# The orders page: filters, the selection bar, the side panels.
ord-title = Orders
ord-filter-buyer = Buyer starts with…
ord-filter-buyer-label = Buyer
ord-filter-market = Marketplace
ord-filter-all-markets = All markets
ord-filter-fulfilment = Status
ord-filter-fulfilment-title = The same status on every marketplace
ord-filter-every-status = Every status
ord-filter-status = Status
ord-filter-status-label = Marketplace status
ord-filter-status-title = The marketplace's status, exactly (PAID, Shipped…)
ord-filter-from = From
ord-filter-to = To
ord-select-paid = Select all paid
ord-select-paid-title = Tick every paid order
ord-selected-count = { $count } selected
ord-pick-list = Pick list
ord-packing-slips = Packing slips
ord-clear = Clear
# An order BrickDesk could not mark packed; $id is its number in BrickDesk.
ord-bar-refused = order { $id }: { $error }
ord-load-error = Cannot load orders: { $error }
ord-loading = Loading orders…
ord-empty-title = No orders yet
ord-empty-hint = New orders from your connected stores appear here on their own.
ord-filter-empty = No order matches these filters.
ord-ship-title = Ship the orders selected
ord-close = Close
ord-inbox-cannot-retry = Cannot retry: { $error }

# The orders table.
ord-col-market = Market
ord-col-order = Order
ord-col-date = Date
ord-col-buyer = Buyer
ord-col-items = Items
ord-col-total = Total
ord-col-status = Status
ord-col-picked = Picked
ord-col-select = Select
ord-col-select-title = Select for the pick list, marking and packing slips
ord-sort-title = Sort (click again: the other way)
ord-badge-new = New
# The marketplace's own status: "BrickLink says PAID".
ord-market-says = { $market } says { $status }

# The order panel: its lines and picking.
ord-delivery = Delivery:
# $progress is "1/4".
ord-picked-progress = { $progress } picked
ord-pick-all = Mark all picked
ord-pick-error = Cannot mark the lines: { $error }
ord-col-location = Location
ord-col-item = Item
ord-col-colour = Colour
ord-col-condition = Cond.
ord-col-qty = Qty
ord-col-price = Price
ord-col-lot = Lot
ord-col-pick = Pick
ord-not-in-stock = not in stock
ord-found = Found
ord-mark-missing = Missing

# An order's fulfilment and the ship form.
ord-own-status-title = The marketplace's own status
ord-tracking = Tracking:
ord-carrier = Carrier: { $carrier }
ord-retry = Retry
ord-ships-by = Ships by { $method }
ord-ship-mark = Mark shipped
ord-carriers-error = Allegro's carriers: { $error }
ord-col-tracking = Tracking number (optional)
ord-col-carrier = Carrier
# $order is "BrickLink #21457893".
ord-ship-tracking-label = Tracking number for { $order }
ord-ship-carrier-label = Carrier for { $order }
ord-carrier-choose = Carrier…
ord-carrier-name = Carrier's name
ord-ship-marking = Marking…
ord-cancel = Cancel

# The pick list across orders.
ord-pick-list-title = Pick list · { $count ->
    [one] { $count } order
   *[other] { $count } orders
}
ord-pick-list-progress = { $done } of { $lines } lines picked
ord-pick-list-error = Cannot make the pick list: { $error }
ord-short-error = Cannot mark it short: { $error }
ord-col-bin = Bin
ord-col-orders = Orders
ord-pick-line-picked = Picked
ord-pick-line-pick = Pick
ord-pick-short = Short
ord-pick-short-title = Not on the shelf: the orders show the shortage
ord-pick-lower = Short, lower the lot
ord-pick-lower-title = Short, and the pieces are gone: lower the lot by them (every store follows)

# Packing slips (printed, handed to buyers).
ord-slips-title = Packing slips · { $count }
ord-print = Print
ord-slip-title = { $market } order #{ $number }
ord-slip-totals = { $pieces ->
    [one] { $pieces } item
   *[other] { $pieces } items
} in { $lots ->
    [one] { $lots } lot
   *[other] { $lots } lots
} · total { $total }

# Notifications under the orders table.
ord-inbox-title = Notifications
ord-inbox-load-error = Cannot load notifications: { $error }
ord-inbox-failed = Failed
ord-inbox-retry-all = Retry all
ord-col-event = Event
ord-col-attempts = Attempts
ord-col-error = Error
ord-col-next = Next
ord-inbox-messages = Messages and feedback
