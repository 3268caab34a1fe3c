# The settings area of the window.

# The Settings page (pages/settings.rs).
set-title = Settings
set-reading-keyring = Reading the keyring…
set-status-error = Cannot read credential status: { $error }
set-bricklink-help = From bricklink.com → My API → Access tokens. Register the token for IP 0.0.0.0 so it keeps working when your home IP changes.
set-brickowl-help = From brickowl.com → My Account → API Keys. Allow the order and inventory permissions.
# BrickLink's and BrickOwl's own names for their keys, as their (English) API pages show them.
set-field-consumer-key = Consumer key
set-field-consumer-secret = Consumer secret
set-field-token-value = Token value
set-field-token-secret = Token secret
set-field-api-key = API key
set-removed = Removed from the OS keyring.
# $store: BrickLink or BrickOwl.
set-asking = Asking { $store }…
set-shipping = Shipping
set-drive-thru = Send BrickLink's Drive Thru e-mail to the buyer when I mark an order shipped

# A credential form (components/credential_form.rs); Allegro's card uses them too.
set-save = Save to keyring
set-remove = Remove
set-test = Test connection
# $fields: the blank fields' labels, comma-separated.
set-fill-in = Fill in: { $fields }

# The Allegro card (components/allegro_card.rs).
set-allegro-help = Register an app of the device type on apps.developer.allegro.pl, save its client ID and secret here, then link your account.
set-field-client-id = Client ID
set-field-client-secret = Client secret
set-sandbox = Sandbox: this app is registered on allegrosandbox.pl (test accounts, no real buyers)
set-link-account = Link account
set-allegro-saved = Saved to the OS keyring. Now link your Allegro account.
set-allegro-asking = Asking Allegro for a code…
set-allegro-waiting = Waiting for you to approve BrickDesk on Allegro…
set-allegro-linked = Linked: BrickDesk now reads your Allegro orders.
set-allegro-link-error = Cannot start linking: { $error }
set-allegro-approve = Allegro's page should have opened in your browser (if not, open the link below). Check that it shows this code, then approve BrickDesk:
set-allegro-env-sandbox = Environment: Allegro sandbox (allegrosandbox.pl).
set-allegro-env = Environment: Allegro (allegro.pl).
# $every: "every 37 minutes" (set-every-…).
set-allegro-interval = Orders and offers are read { $every }.
set-allegro-interval-env = Set by BRICKDESK_ALLEGRO_POLL_INTERVAL_SECS.
set-minutes = minutes
set-allegro-interval-label = Allegro poll interval in minutes
set-interval-save = Set
# $typed: what the seller typed, in quotes.
set-interval-bad = Enter whole minutes, e.g. 37 (got { $typed }).
set-interval-saved = Saved: Allegro is read { $every }.

# Allegro offers (components/allegro_offers.rs).
set-offers-title = Allegro offers
set-offers-none = none yet: they appear after the next Allegro poll
set-offers-all-linked = { $count }, all linked to lots
set-offers-unlinked = { $count }, { $unlinked } not linked to a lot
set-offers-load-error = Cannot load Allegro offers: { $error }
set-offers-link-bad = Type the lot's number (as in #123) to link offer { $offer }; got { $typed }.
set-offers-linked = Offer { $offer } now sells lot #{ $lot }; its stock follows the lot's available quantity.
set-offers-link-error = Cannot link offer { $offer }: { $error }
set-offers-col-offer = Offer
set-offers-col-price = Price
set-offers-col-stock = Stock
set-offers-col-status = Status
set-offers-col-lot = Lot
set-offers-col-link = Link to a lot
# $signature: the offer's signature (Allegro's external id).
set-offers-signature = signature { $signature }
set-offers-by-you = linked by you
set-offers-by-signature = by its signature
set-offers-not-linked = not linked
set-offers-lot-placeholder = lot #
set-offers-lot-label = Lot number for offer { $offer }
set-offers-relink = Relink
set-offers-link = Link

# About BrickDesk (pages/about.rs).
set-about-title = About BrickDesk
set-autostart = Start BrickDesk when I log in (in the tray, window hidden)
set-about-version = Version
set-about-build = Build
set-about-data-folder = Data folder
set-about-database = Database
set-about-logs = Logs
set-about-keyring = Keyring service
set-open-logs = Open log folder

# Badges, intervals and notices (format/settings.rs).
set-badge-set = Set
set-badge-unreadable = Unreadable — save again
set-badge-not-set = Not set
set-badge-linked = Linked
set-badge-not-linked = Not linked
set-code-valid-seconds = { $count ->
    [one] The code is valid for { $count } second.
   *[other] The code is valid for { $count } seconds.
}
set-code-valid-minutes = { $count ->
    [one] The code is valid for { $count } minute.
   *[other] The code is valid for { $count } minutes.
}
set-every-seconds = { $count ->
    [one] every { $count } second
   *[other] every { $count } seconds
}
set-every-minutes = { $count ->
    [one] every minute
   *[other] every { $count } minutes
}
set-every-hours = { $count ->
    [one] every hour
   *[other] every { $count } hours
}
set-every-hours-minutes = every { $h } h { $m } min
set-saved = Saved to the OS keyring.
set-saved-left-demo = Saved to the OS keyring. BrickDesk has left the demo and now follows your store.
# The status bar's API budget: "12/5000 calls today"; $count is the limit (for the plural).
set-budget-of = { $used }/{ $limit } calls today
set-budget = { $count ->
    [one] { $count } call today
   *[other] { $count } calls today
}
