# Words the whole window shares: the sidebar, the status bar, counts, times.

nav-orders = Orders
nav-inventory = Inventory
nav-catalog = Catalog
nav-settings = Settings

lots-count = { $count ->
    [one] { $count } lot
   *[other] { $count } lots
}

# Relative times: the status bar, the catalog's ages.
time-just-now = just now
time-min-ago = { $n } min ago
time-h-ago = { $n } h ago
time-in-seconds = in a moment
time-in-min = in { $n } min
time-in-h = in { $n } h
time-today = today { $time }
time-yesterday = yesterday { $time }
time-tomorrow = tomorrow { $time }
time-overdue = due now

orders-count = { $count ->
    [one] { $count } order
   *[other] { $count } orders
}
# "12 of 100,000 lots": $all is a whole count message.
count-of = { $matching } of { $all }
attempts = { $count ->
    [one] { $count } attempt
   *[other] { $count } attempts
}
unknown = —
retry-next-try = next try { $time }
retry-gave-up = gave up
time-days-ago = { $n ->
    [one] { $n } day ago
   *[other] { $n } days ago
}

# The status bar.
status-demo = Demo
status-demo-title = Simulated stores on this computer; set credentials in Settings to use yours
status-polls = last { $last } · next { $next }
status-failed = { $count } failed
status-failed-title = Notifications BrickDesk gave up on: see Notifications under the orders table for their errors and Retry
status-sync = Inventory sync
status-up-to-date = up to date
status-pending-title = Lots waiting to be pushed: BrickDesk sends them within seconds
status-lots-pending = { $count ->
    [one] { $count } lot pending
   *[other] { $count } lots pending
}
status-lots-failed-title = Lots a marketplace did not take: see Inventory for the error and Retry
status-lots-failed = { $count ->
    [one] { $count } lot failed
   *[other] { $count } lots failed
}
status-poll = Poll now
status-poll-title = Ask every store for news now (Ctrl+R)

# Settings → Display.
display-title = Display
display-language = Language
display-follow-os-language = As the system ({ $language })
display-theme = Theme
display-theme-os = As the system
display-theme-light = Light
display-theme-dark = Dark
# "A, B and C": $items is every name but the last, joined by commas.
and-list = { $items } and { $last }

# Parts wherever they appear.
part-colour-unknown = unknown
part-no-swatch = The catalog has no colour for it yet
part-type-part = Part
part-type-set = Set
part-type-minifig = Minifigure
part-type-book = Book
part-type-gear = Gear
part-type-catalog = Catalog
part-type-instruction = Instructions
part-type-original-box = Original box
part-type-unsorted-lot = Unsorted lot
