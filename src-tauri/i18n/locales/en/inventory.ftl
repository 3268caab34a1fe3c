# The inventory area of the window.

# The inventory page: heading, imports, filters, notices (pages/inventory.rs).
inv-title = Inventory
inv-import = Import from { $market }
inv-import-title = Take your { $market } store's lots into BrickDesk (lots you already have are linked, not doubled)
inv-importing = Importing from { $market }
inv-import-progress-label = Import progress
inv-import-starting = Starting…
inv-import-failed = Cannot import from { $market }: { $error }
inv-drift-check-failed = Cannot check BrickLink: { $error }
# $lot: the lot's number (an id, never grouped).
inv-drift-settle-failed = Cannot settle lot #{ $lot }: { $error }
inv-add-failed = Cannot add the lot: { $error }
inv-save-failed = Cannot save: { $error }
inv-delete-failed = Cannot delete: { $error }
inv-retry-failed = Cannot retry: { $error }
inv-search-placeholder = Item no. or name…
inv-search-label = Item number or name
inv-colour-placeholder = Colour
inv-colour-label = Colour
inv-condition-label = Condition
inv-condition-any = New and used
inv-condition-new = New
inv-condition-used = Used
inv-bin-placeholder = Bin (prefix)
inv-bin-label = Bin (prefix)
inv-filter-group = Show lots
inv-retry-all = Retry all failed ({ $count })
inv-page-error = Cannot load lots: { $error }
inv-loading = Loading inventory…
inv-load-error = Cannot load inventory: { $error }
inv-empty-title = No lots yet
inv-empty-hint = Add a lot with the form above, or import a connected store with its Import button.

# The lots table (components/inventory_table.rs).
inv-sort-title = Sort (click again: the other way)
inv-col-location = Location
inv-col-item = Item
inv-col-colour = Colour
inv-col-condition = Cond.
inv-col-quantity = Qty
inv-col-reserved = Reserved
inv-col-available = Available
inv-col-price = Price
inv-col-actions = Actions
inv-row-title = Click for sync details
inv-edit-location = Location
inv-edit-quantity = Quantity
inv-edit-price = Price
inv-retry-lot = Retry
inv-retry-lot-title = Send this lot to the marketplace again
inv-edit = Edit
inv-delete = Delete
inv-delete-confirm = Really delete?
inv-delete-keep = Keep
inv-save = Save
inv-cancel = Cancel
inv-description = Description

# A lot's chip on each marketplace (format/inventory.rs): its text and its tooltip.
inv-chip-not-listed = not listed
inv-chip-not-listed-title = Not listed on { $market }: BrickDesk syncs a marketplace once its store is imported
inv-chip-synced = ✓ synced
# $remote: the marketplace's own lot number.
inv-chip-synced-as = On { $market } as lot { $remote }
inv-chip-synced-title = On { $market }
inv-chip-pending = pending
inv-chip-pending-retry = Sent to { $market } again shortly; the last try failed ({ $error })
inv-chip-pending-title = Waiting to be pushed to { $market } (a few seconds after a change)
inv-chip-failed = failed
inv-chip-failed-error = { $market }: { $error }
inv-chip-failed-title = { $market } did not take this lot
# $status: a status word the engine sent that the window does not know.
inv-chip-other-title = { $market }: { $status }
inv-chip-allegro-synced = Allegro ✓
# $status: the chip's text (inv-chip-pending, inv-chip-failed…).
inv-chip-allegro = Allegro { $status }
inv-chip-allegro-offer = Stock pushed to Allegro offer { $offer }

# The sync filter buttons and what the table says when a filter leaves no lot.
inv-filter-all = All
inv-filter-pending = Pending
inv-filter-failed = Failed
inv-filter-drift = Drift
# $filter: one of the four above.
inv-filter-count = { $filter } ({ $count })
inv-empty-all = No lot matches these filters.
inv-empty-pending = Nothing waiting: every lot is where it should be.
inv-empty-failed = No failed pushes.
inv-empty-drift = No lot differs from BrickLink in the last check.
# $typed: what the seller typed, in quotes.
inv-filter-colour-invalid = Colour: pick one from the list or type its id, like 11 (got { $typed }).

# The add form's notice once the engine took a lot: which marketplaces get it.
inv-added = Added lot #{ $lot } ({ $type } { $item }).
inv-added-one = Added lot #{ $lot } ({ $type } { $item }); { $markets } gets it within seconds.
inv-added-many = Added lot #{ $lot } ({ $type } { $item }); { $markets } get it within seconds.
# Marketplace names joined for inv-added-many: "BrickLink and BrickOwl".

# Imports: progress and report.
inv-import-reading = Reading the { $market } store…
inv-import-progress = { $done } of { $total } lots
inv-import-report = Imported from { $market }: { $new } new, { $linked } linked to lots you had{ $conflicting ->
        [0] {""}
       *[other] {" "}({ $conflicting } with a different quantity or price: yours kept)
    }, { $unchanged } already linked.
