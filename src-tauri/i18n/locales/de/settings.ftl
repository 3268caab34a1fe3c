# Der Einstellungsbereich des Fensters.

# Die Einstellungsseite (pages/settings.rs).
set-title = Einstellungen
set-reading-keyring = Schlüsselbund des Systems wird gelesen…
set-status-error = Der Status der Zugangsdaten kann nicht gelesen werden: { $error }
set-bricklink-help = Auf bricklink.com → My API → Access tokens. Registrieren Sie das Token für die IP 0.0.0.0, damit es weiter funktioniert, wenn sich Ihre IP-Adresse zu Hause ändert.
set-brickowl-help = Auf brickowl.com → My Account → API Keys. Erlauben Sie die Berechtigungen für Bestellungen und Inventar.
# Die Namen, die BrickLink und BrickOwl ihren Schlüsseln geben, wie ihre (englischen) API-Seiten sie zeigen.
set-field-consumer-key = Consumer key
set-field-consumer-secret = Consumer secret
set-field-token-value = Token value
set-field-token-secret = Token secret
set-field-api-key = API key
set-removed = Aus dem Schlüsselbund des Systems entfernt.
# $store: BrickLink oder BrickOwl.
set-asking = Anfrage an { $store }…
set-shipping = Versand
set-drive-thru = Dem Käufer die Drive-Thru-E-Mail von BrickLink senden, wenn ich eine Bestellung als versendet markiere

# Ein Formular für Zugangsdaten (components/credential_form.rs); die Allegro-Karte nutzt sie auch.
set-save = Im Schlüsselbund speichern
set-remove = Entfernen
set-test = Verbindung testen
# $fields: die Bezeichnungen der leeren Felder, durch Kommas getrennt.
set-fill-in = Bitte ausfüllen: { $fields }

# Die Allegro-Karte (components/allegro_card.rs).
set-allegro-help = Registrieren Sie auf apps.developer.allegro.pl eine App vom Typ „device“, speichern Sie hier ihre Client ID und ihr Client secret und verknüpfen Sie dann Ihr Konto.
set-field-client-id = Client ID
set-field-client-secret = Client secret
set-sandbox = Sandbox: Diese App ist auf allegrosandbox.pl registriert (Testkonten, keine echten Käufer)
set-link-account = Konto verknüpfen
set-allegro-saved = Im Schlüsselbund des Systems gespeichert. Verknüpfen Sie jetzt Ihr Allegro-Konto.
set-allegro-asking = Code wird bei Allegro angefordert…
set-allegro-waiting = Warten, bis Sie BrickDesk bei Allegro genehmigen…
set-allegro-linked = Verknüpft: BrickDesk liest jetzt Ihre Allegro-Bestellungen.
set-allegro-link-error = Die Verknüpfung kann nicht gestartet werden: { $error }
set-allegro-approve = Die Seite von Allegro sollte sich in Ihrem Browser geöffnet haben (falls nicht, öffnen Sie den Link unten). Prüfen Sie, ob sie diesen Code zeigt, und genehmigen Sie dann BrickDesk:
set-allegro-env-sandbox = Umgebung: Allegro-Sandbox (allegrosandbox.pl).
set-allegro-env = Umgebung: Allegro (allegro.pl).
# $every: „alle 37 Minuten“ (set-every-…).
set-allegro-interval = Bestellungen und Angebote werden { $every } abgerufen.
set-allegro-interval-env = Festgelegt durch BRICKDESK_ALLEGRO_POLL_INTERVAL_SECS.
set-minutes = Minuten
set-allegro-interval-label = Abrufintervall für Allegro in Minuten
set-interval-save = Übernehmen
# $typed: was der Verkäufer eingegeben hat, in Anführungszeichen.
set-interval-bad = Geben Sie ganze Minuten ein, z. B. 37 (eingegeben: { $typed }).
set-interval-saved = Gespeichert: Allegro wird { $every } abgerufen.

# Allegro-Angebote (components/allegro_offers.rs).
set-offers-title = Allegro-Angebote
set-offers-none = noch keine: sie erscheinen nach dem nächsten Abruf bei Allegro
set-offers-all-linked = { $count }, alle mit Posten verknüpft
set-offers-unlinked = { $count }, { $unlinked } nicht mit einem Posten verknüpft
set-offers-load-error = Allegro-Angebote können nicht geladen werden: { $error }
set-offers-link-bad = Geben Sie die Nummer des Postens ein (wie in #123), um Angebot { $offer } zu verknüpfen; eingegeben: { $typed }.
set-offers-linked = Angebot { $offer } verkauft jetzt Posten #{ $lot }; sein Bestand folgt der verfügbaren Menge des Postens.
set-offers-link-error = Angebot { $offer } kann nicht verknüpft werden: { $error }
set-offers-col-offer = Angebot
set-offers-col-price = Preis
set-offers-col-stock = Bestand
set-offers-col-status = Status
set-offers-col-lot = Posten
set-offers-col-link = Mit einem Posten verknüpfen
# $signature: die Signatur des Angebots (Allegros externe ID).
set-offers-signature = Signatur { $signature }
set-offers-by-you = von Ihnen verknüpft
set-offers-by-signature = über seine Signatur
set-offers-not-linked = nicht verknüpft
set-offers-lot-placeholder = Posten #
set-offers-lot-label = Postennummer für Angebot { $offer }
set-offers-relink = Neu verknüpfen
set-offers-link = Verknüpfen

# Über BrickDesk (pages/about.rs).
set-about-title = Über BrickDesk
set-autostart = BrickDesk bei der Anmeldung starten (im Infobereich, Fenster ausgeblendet)
set-about-version = Version
set-about-build = Build
set-about-data-folder = Datenordner
set-about-database = Datenbank
set-about-logs = Protokolle
set-about-keyring = Schlüsselbund-Dienst
set-open-logs = Protokollordner öffnen

# Markierungen, Intervalle und Hinweise (format/settings.rs).
set-badge-set = Hinterlegt
set-badge-unreadable = Unlesbar — erneut speichern
set-badge-not-set = Nicht hinterlegt
set-badge-linked = Verknüpft
set-badge-not-linked = Nicht verknüpft
set-code-valid-seconds = { $count ->
    [one] Der Code ist { $count } Sekunde gültig.
   *[other] Der Code ist { $count } Sekunden gültig.
}
set-code-valid-minutes = { $count ->
    [one] Der Code ist { $count } Minute gültig.
   *[other] Der Code ist { $count } Minuten gültig.
}
set-every-seconds = { $count ->
    [one] jede Sekunde
   *[other] alle { $count } Sekunden
}
set-every-minutes = { $count ->
    [one] jede Minute
   *[other] alle { $count } Minuten
}
set-every-hours = { $count ->
    [one] jede Stunde
   *[other] alle { $count } Stunden
}
set-every-hours-minutes = alle { $h } Std. { $m } Min.
set-saved = Im Schlüsselbund des Systems gespeichert.
set-saved-left-demo = Im Schlüsselbund des Systems gespeichert. BrickDesk hat den Demo-Modus verlassen und folgt jetzt Ihrem Shop.
# Das API-Budget in der Statusleiste: „12/5000 Aufrufe heute“; $count ist das Limit (für den Plural).
set-budget-of = { $used }/{ $limit } Aufrufe heute
set-budget = { $count ->
    [one] { $count } Aufruf heute
   *[other] { $count } Aufrufe heute
}
