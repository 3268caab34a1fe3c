# The catalog area of the window.

# The Catalog page (pages/catalog.rs).
cat-title = Catalog
cat-search-placeholder = Item number, like 3001
cat-search-label = Item number
cat-colour-id = Colour id
cat-search-go = Look up
cat-search-help = Answers come from this computer's cache at once; an item not cached yet (or older than 30 days) is fetched from BrickLink and shows up by itself.
cat-recent = Recent look-ups
cat-loading = Loading…
cat-recent-error = Cannot load recent look-ups: { $error }
cat-recent-empty = Nothing looked up yet. Items you open from orders, lots or the search above are listed here.
cat-not-cached = (not cached yet)

# BrickLink's item types (English shows BrickLink's own codes).

# The catalog drawer (components/catalog_drawer.rs).
cat-open-title = Open in the catalog
cat-drawer-label = Catalog item
cat-close = Close
cat-close-title = Close (Esc)
cat-status-fresh = fresh
cat-status-stale = stale
cat-status-refreshing = refreshing
cat-status-missing = missing
cat-refresh = Refresh now
cat-refresh-error = Cannot refresh: { $error }
cat-load-error = Cannot read the catalog: { $error }
cat-last-error = Last refresh failed: { $error }
cat-fetching = Not in the local cache yet: BrickDesk is fetching it from BrickLink and shows it here when it lands.
cat-reading = Reading the local cache…
cat-image-unavailable = Image unavailable
cat-no-image = No image
cat-fact-category = Category
cat-fact-year = Year
cat-fact-weight = Weight
cat-fact-size = Size
cat-colours = Colours
cat-no-colours = No colours cached yet.
cat-price-guide = Price guide
# The price table's caption: "Colour Black (#11) · USD · fetched …".
cat-prices-colour = Colour { $colour }
cat-prices-legend = Sold: the last 6 months. Stock: for sale now.
cat-col-guide = Guide
cat-col-min = Min
cat-col-avg = Avg
cat-col-max = Max
cat-col-qty = Qty
cat-col-lots = Lots
cat-qty-avg-title = Quantity-weighted average { $price }
cat-prices-pick = Pick a colour above for its price guide.
cat-prices-none = No price guide cached for this colour yet.

# Item facts and the price guide's words (format/catalog.rs).
cat-colour-unknown = unknown
cat-colour-unmapped = { $name } (unmapped)
cat-search-no-item = Type an item number, like 3001.
# $typed: what the seller typed, in quotes.
cat-search-bad-colour = Colour id must be a number, like 5 (got { $typed }).
cat-weight = { $grams } g
# A price table row: "Sold, new".
cat-guide-row = { $what }, { $condition }
cat-guide-sold = Sold
cat-guide-stock = Stock
cat-guide-new = new
cat-guide-used = used
# $time: a date and time; $age: "3 days ago".
cat-fetched-ago = fetched { $time } ({ $age })
cat-fetched = fetched { $time }
cat-not-fetched = not fetched yet
cat-type-label = Item type
