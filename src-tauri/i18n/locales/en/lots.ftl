# The lots area of the window: adding a lot, files in and out, the drift panel.

# The add-lot form (components/lot_add_form.rs).
lots-add-item-no = Item no.
lots-add-type = Type
lots-add-colour = Colour
lots-add-colour-placeholder = Red or 5
lots-add-colour-title = A colour by name, or its BrickLink id
lots-add-condition = Condition
lots-add-condition-new = New
lots-add-condition-used = Used
lots-add-quantity = Quantity
lots-add-price = Price
# $currency: a currency code (EUR, PLN).
lots-add-price-in = Price ({ $currency })
lots-add-price-placeholder = 0.12
lots-add-location = Location
lots-add-description = Description
lots-add-description-placeholder = optional
lots-add-submit = Add lot

# What to fix in the add form and the inline edit (format/lot_form.rs). $got is the text typed,
# in double quotes.
lots-form-need-item-no = Item no. is required, like 3001.
lots-form-need-colour = Colour id is required (0 when the item has no colour).
lots-form-bad-colour = Colour id must be a number, like 5 (got { $got }).
lots-form-bad-condition = Condition must be new (N) or used (U).
lots-form-bad-quantity = Quantity must be a whole number, 0 or more (got { $got }).
lots-form-bad-price = Price must be an amount like 0.12 (got { $got }).

# Files in and out: the toolbar above the inventory (components/files.rs).
lots-file-import-open = Import a file…
lots-file-export = Export
lots-file-export-bsx = BrickStore (.bsx)
lots-file-export-bricklink-xml = BrickLink XML
lots-file-export-csv = CSV
lots-file-saved = Saved to { $path }
lots-file-export-failed = Cannot export: { $error }
# Publishing the lots a newly linked store lacks; $market: BrickLink, BrickOwl, Allegro.
lots-file-publish-title = { $market } does not have these lots yet: list them there
lots-file-publish = List { $count ->
    [one] { $count } lot
   *[other] { $count } lots
} on { $market }
lots-file-publishing = Listing on { $market }…
lots-file-publish-run = Listing on { $market }
lots-file-listed = Listed { $count ->
    [one] { $count } lot
   *[other] { $count } lots
} on { $market }
# $list: the lots refused, each a lots-file-refused-lot, joined by commas.
lots-file-listed-refused = Listed { $count ->
    [one] { $count } lot
   *[other] { $count } lots
} on { $market }; { $refused } refused: { $list }
# $error: the store's own words.
lots-file-refused-lot = lot #{ $id } ({ $error })
lots-file-publish-failed = Cannot list on { $market }: { $error }

# Importing a file (components/files.rs).
lots-file-import-title = Import a file
lots-file-close = Close
lots-file-import-intro = BrickStore (.bsx), BrickLink XML (.xml) or CSV from a spreadsheet. Nothing is written until you confirm.
lots-file-choose = File to import
lots-file-unreadable = The file could not be read.
# $at: when it was imported.
lots-file-already-imported = This file was imported on { $at }: importing it again adds nothing.
lots-file-summary-preview = Importing will make { $new ->
    [one] { $new } new lot
   *[other] { $new } new lots
}, add to { $added ->
    [one] { $added } lot
   *[other] { $added } lots
}; { $refused ->
    [one] { $refused } row refused
   *[other] { $refused } rows refused
}.
lots-file-summary-done = Imported: { $new ->
    [one] { $new } new lot
   *[other] { $new } new lots
}, add to { $added ->
    [one] { $added } lot
   *[other] { $added } lots
}; { $refused ->
    [one] { $refused } row refused
   *[other] { $refused } rows refused
}.
lots-file-columns-caption = What each column holds
# The select of one CSV column; $column: the column's header in the file.
lots-file-column-field = What the column { $column } holds
lots-file-field-item-no = Item number
lots-file-field-item-type = Item type
lots-file-field-colour = Colour
lots-file-field-condition = Condition
lots-file-field-quantity = Quantity
lots-file-field-price = Price
lots-file-field-location = Bin
lots-file-field-description = Description
lots-file-field-currency = Currency
lots-file-field-ignore = (not read)
lots-file-refused-caption = Rows not imported
lots-file-col-row = Row
lots-file-col-why = Why
# $list: lots-file-dropped-field for each field, joined by commas.
lots-file-dropped = Not kept by BrickDesk: { $list }
# $field: the engine's name of what the file held (tier prices, stockroom…).
lots-file-dropped-field = { $field } ({ $count ->
    [one] { $count } row
   *[other] { $count } rows
})
lots-file-reading = Reading…
lots-file-import-lots = Import { $count ->
    [one] { $count } lot
   *[other] { $count } lots
}
lots-file-import = Import

# The drift panel (components/drift_panel.rs).
lots-drift-title = Changes made on the marketplaces
lots-drift-not-checked = not checked
lots-drift-check-title = Reads each store in sync once and lists what differs from BrickDesk; changes nothing
lots-drift-checking = Checking the stores…
lots-drift-check = Check the stores for changes
lots-drift-caption = BrickDesk's (what it last left there, or has for sale) → what the marketplace has now
lots-drift-col-lot = Lot
lots-drift-col-for-sale = For sale
lots-drift-col-price = Price
lots-drift-keep = Keep BrickDesk's
lots-drift-keep-title = Send BrickDesk's quantity and price to { $market }
lots-drift-take = Take { $market }'s
lots-drift-take-title = Set this lot to { $market }'s quantity and price

# How drifts read (format/drift.rs).
lots-drift-never-checked = Never checked
# $time: date and time; $age: how long ago (12 min ago).
lots-drift-last-checked-ago = Last checked { $time } ({ $age })
lots-drift-last-checked = Last checked { $time }
lots-drift-summary = { $count ->
    [0] No differences
    [one] { $count } difference
   *[other] { $count } differences
}
# BrickLink · lot #2 · 3003 · Black (#11)
lots-drift-what-lot = { $market } · lot #{ $id } · { $item } · { $colour }
lots-drift-what = { $market } · { $item } · { $colour }
# $remote: the marketplace's lot id.
lots-drift-only-remote = Only on { $market } (lot { $remote }): BrickDesk does not have it. Import the { $market } store to take it in, or delete it on { $market }.
lots-drift-missing-remote-lot = No longer on { $market } (was lot { $remote }). If it went on purpose, delete lot #{ $id } here.
lots-drift-missing-remote = No longer on { $market } (was lot { $remote }).
# A kind of drift this window does not know yet.
lots-drift-other = { $market }: { $kind }
